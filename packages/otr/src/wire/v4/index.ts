/** Bytes and text <-> typed OTRv4 messages (otrv4.md). Pure: no crypto, no state. */
export { decodeAuthIMessage, encodeAuthIMessage, readAuthIMessage, writeAuthIMessage, type AuthIMessage } from './auth-i.js';
export { decodeAuthRMessage, encodeAuthRMessage, readAuthRMessage, writeAuthRMessage, type AuthRMessage, type DecodedAuthRMessage } from './auth-r.js';
export {
  CLIENT_PROFILE_FIELD,
  CLIENT_PROFILE_SIGNATURE_INPUT,
  clientProfileSignedBytes,
  clientProfileTransitionalSignedBytes,
  decodeClientProfile,
  encodeClientProfile,
  MAX_CLIENT_PROFILE_FIELDS,
  MAX_VERSIONS_BYTES,
  readClientProfile,
  writeClientProfile,
  type ClientProfile,
  type ClientProfileFields,
  type ClientProfileSignatureInput,
  type DecodedClientProfile,
} from './client-profile.js';
export {
  decodeV4DataMessage,
  encodeV4DataMacInput,
  encodeV4DataMessage,
  readV4DataMessage,
  REVEALED_MAC_KEY_BYTES,
  splitRevealedMacKeys,
  V4_DATA_FLAG_IGNORE_UNREADABLE,
  writeV4DataMessage,
  type V4DataFields,
  type V4DataMessage,
  type V4DataMessageBody,
} from './data-message.js';
export {
  DH3072_MPI_BYTES,
  DSA_SIGNATURE_BYTES,
  EDDSA_SIGNATURE_BYTES,
  NONCE_BYTES,
  POINT_BYTES,
  PUBKEY_TYPE_ED448,
  PUBKEY_TYPE_ED448_FORGING,
  PUBKEY_TYPE_ED448_SHARED_PREKEY,
  readEd448Key,
  readLong,
  readMpiV4,
  readPoint,
  readRingSignature,
  readScalar,
  readShortLE,
  RING_SIGNATURE_BYTES,
  SCALAR_BYTES,
  V4_MAC_BYTES,
  writeEd448Key,
  writeLong,
  writeMpiV4,
  writePoint,
  writeRingSignature,
  writeScalar,
  writeShortLE,
  type Ed448KeyType,
  type RingSignature,
} from './data-types.js';
export { decodeV4ErrorMessage, encodeV4ErrorMessage, V4_ERROR_PREFIX, V4_ERROR_TEXT, type V4ErrorCode, type V4ErrorMessage } from './error-message.js';
export {
  decodeV4Header,
  encodeV4Header,
  PROTOCOL_VERSION_4,
  readV4Header,
  V4_HEADER_BYTES,
  V4_MESSAGE_TYPE,
  writeV4Header,
  type V4Header,
  type V4MessageType,
  type V4Route,
} from './header.js';
export { decodeIdentityMessage, encodeIdentityMessage, readIdentityMessage, writeIdentityMessage, type DecodedIdentityMessage, type IdentityMessage } from './identity-message.js';
export { decodeV4Message, encodeV4Message, type DecodedV4Message, type V4Message } from './message.js';
export {
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  encodeSmpMessage1,
  encodeSmpMessage2,
  encodeSmpMessage3,
  encodeSmpMessage4,
  type SmpMessage1,
  type SmpMessage2,
  type SmpMessage3,
  type SmpMessage4,
} from './smp-messages.js';
export { decodeExtraSymmetricKeyUse, encodeExtraSymmetricKeyUse, V4_TLV, type ExtraSymmetricKeyUse, type V4TlvType } from './tlv.js';
export { encodeWhitespaceTagV4, findWhitespaceTagV4, WHITESPACE_TAG_V4 } from './whitespace-tag.js';
