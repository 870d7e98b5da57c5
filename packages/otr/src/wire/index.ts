/** Bytes and text <-> typed OTR v2/v3 messages (message.ts is the whole-message codec). Pure: no crypto, no state. */
export { decodeBase64, encodeBase64 } from './base64.js';
export { classifyIncoming, type Incoming } from './classify.js';
export { decodeDataPayload, encodeDataPayload, encodeTextPayload, isHeartbeat, type DataPayload } from './data-payload.js';
export { decodeEncoded, encodeEncoded, ENCODED_PREFIX, ENCODED_SUFFIX } from './envelope.js';
export { decodeErrorMessage, encodeErrorMessage, ERROR_PREFIX, parseErrorMessage, type ErrorMessage } from './error-message.js';
export {
  decodeFragment,
  decodeFragmentAt,
  encodeFragment,
  encodeFragments,
  isValidFragmentIdentifier,
  V2_FRAGMENT_PREFIX,
  V3_FRAGMENT_PREFIX,
  type Fragment,
  type FragmentVersion,
} from './fragment.js';
export {
  decodeHeader,
  encodeHeader,
  isValidReceiverTag,
  isValidSenderTag,
  MESSAGE_TYPE,
  readHeader,
  writeHeader,
  type Header,
  type MessageType,
  type ProtocolVersion,
  type Route,
} from './header.js';
export { decodePublicKey, encodePublicKey, readPublicKey, writePublicKey, type PublicKeyFields } from './public-key.js';
export { encodeQueryMessage, encodeQueryTag, findQuery, parseQuery, parseQueryAt, QUERY_EXPLANATION, type QueryMatch } from './query.js';
export {
  dataMessageMacInput,
  decodeOtrBody,
  decodeOtrMessage,
  encodeAkeText,
  encodeDataText,
  encodeOtrMessage,
  type AkeMessage,
  type DecodedOtrMessage,
  type OtrMessage,
  type ReceivedData,
} from './message.js';
export { Reader } from './reader.js';
export {
  decodeSignatureMacInput,
  decodeSignaturePayload,
  decodeSignedKey,
  encodeAuthenticatorInput,
  encodeSignatureMacInput,
  encodeSignaturePayload,
  encodeSignedKey,
  MAX_SIGNATURE_PAYLOAD_BYTES,
  type SignatureMacInput,
  type SignaturePayload,
  type SignedKey,
} from './signature-payload.js';
export * from './tlv.js';
export {
  COUNTER_BYTES,
  DATA_FLAG_IGNORE_UNREADABLE,
  decodeDataMessage,
  encodeDataMacInput,
  encodeDataMessage,
  encodeAuthenticatedDataMessage,
  splitOldMacKeys,
  type DataFields,
  type DataMessage,
  type DataMessageBody,
} from './v3/data.js';
export { decodeCommittedGx, decodeDhCommit, decodeMpiExactly, encodeDhCommit, type DhCommit } from './v3/dh-commit.js';
export { decodeDhKey, encodeDhKey, type DhKey } from './v3/dh-key.js';
export { decodeRevealSignature, encodeRevealSignature, MAC_BYTES, type RevealSignature } from './v3/reveal-signature.js';
export { decodeSignature, encodeSignature, type Signature } from './v3/signature.js';
export { encodeWhitespaceTag, findWhitespaceTag, parseWhitespaceTag, WHITESPACE_BASE, type WhitespaceTagMatch } from './whitespace-tag.js';
export { Writer } from './writer.js';
export { isDecodeError } from '../errors.js';
export { decodeSmpPayload, encodeSmpPayload, joinSmpQuestion, splitSmpQuestion } from './smp-payload.js';
