/**
 * Client Profile (otrv4.md, "Client Profile Data Type"), CLIENT-PROF:
 *
 * | Number of Fields         | INT              | 1..7 here (seven field types, none repeated) |
 * | Fields                   | SEQ-FIELDS       | each: SHORT type (big-endian), the field     |
 * | Client Profile Signature | CLIENT-EDDSA-SIG | 114 bytes                                    |
 *
 * | 0x0001 | owner instance tag      | INT               | >= 0x100            |
 * | 0x0002 | Ed448 public key        | ED448-PUBKEY      | type 0x0010 (LE), H |
 * | 0x0003 | Ed448 public forging key| ED448-FORGING-KEY | type 0x0012 (LE), F |
 * | 0x0004 | versions                | DATA              | e.g. "34"           |
 * | 0x0005 | expiration              | CLIENT-PROF-EXP   | 8 bytes, signed, BE |
 * | 0x0006 | OTRv3 DSA public key    | PUBKEY            | optional            |
 * | 0x0007 | transitional signature  | CLIENT-SIG        | optional, 40 bytes  |
 *
 * The decoder checks structure only: known types, no repeats, fields 1..5
 * present, sizes. Whether the profile is valid (signatures, expiry, the
 * owner tag against the sender's, "4" among the versions, points on the
 * curve, a DSA key and transitional signature when "3" is listed) is for
 * the profile validator, which signs and verifies over
 * {@link clientProfileSignedBytes}.
 */
import { DecodeError } from '../../errors.js';
import { isValidSenderTag } from '../header.js';
import { readPublicKey, writePublicKey, type PublicKeyFields } from '../public-key.js';
import { decodeWith, fail, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import {
  checkLength,
  DSA_SIGNATURE_BYTES,
  EDDSA_SIGNATURE_BYTES,
  PUBKEY_TYPE_ED448,
  PUBKEY_TYPE_ED448_FORGING,
  readEd448Key,
  readLong,
  writeEd448Key,
  writeLong,
} from './data-types.js';

/** Field types of a Client Profile. */
export const CLIENT_PROFILE_FIELD = {
  OWNER_INSTANCE_TAG: 0x0001,
  ED448_PUBLIC_KEY: 0x0002,
  ED448_FORGING_KEY: 0x0003,
  VERSIONS: 0x0004,
  EXPIRATION: 0x0005,
  DSA_PUBLIC_KEY: 0x0006,
  TRANSITIONAL_SIGNATURE: 0x0007,
} as const;

/** Most fields a profile can hold: each of the seven types at most once. */
export const MAX_CLIENT_PROFILE_FIELDS = 7;
/** Longest versions string accepted (honest profiles carry "4" or "34"). */
export const MAX_VERSIONS_BYTES = 16;

/** The fields of a Client Profile, everything but its signature. */
export interface ClientProfileFields {
  /** Owner instance tag (>= 0x100). */
  readonly ownerInstanceTag: number;
  /** H, the long-term Ed448 public key (POINT, opaque). */
  readonly publicKey: Uint8Array;
  /** F, the Ed448 forging key (POINT, opaque). */
  readonly forgingKey: Uint8Array;
  /** The versions string, printable ASCII without spaces, e.g. "34". */
  readonly versions: string;
  /** Expiration, seconds since the Unix epoch (signed 64-bit). */
  readonly expiration: bigint;
  /** The OTRv3 DSA public key, when the profile carries one. */
  readonly dsaPublicKey?: PublicKeyFields;
  /** The transitional DSA signature r || s (40 bytes), when the profile carries one. */
  readonly transitionalSignature?: Uint8Array;
}

/** A whole Client Profile. */
export interface ClientProfile extends ClientProfileFields {
  /** The profile signature (114 bytes). */
  readonly signature: Uint8Array;
}

/** A decoded Client Profile, with the exact bytes it was read from (what the DAKE hashes into t). */
export interface DecodedClientProfile extends ClientProfile {
  readonly encoded: Uint8Array;
}

/** A versions string: printable ASCII, no space. */
const VERSIONS = /^[\x21-\x7e]*$/;

function readVersions(reader: Reader): string {
  const bytes = reader.data(MAX_VERSIONS_BYTES, 'versions');
  const text = String.fromCharCode(...bytes);
  if (!VERSIONS.test(text)) fail('bad-field', 'versions: not printable ASCII');
  return text;
}

/** Reads a CLIENT-PROF; `source` is the array `reader` reads, so the profile's own bytes can be kept. */
export function readClientProfile(reader: Reader, source: Uint8Array): DecodedClientProfile {
  const start = reader.offset;
  const count = reader.u32('client profile field count');
  if (count === 0) fail('bad-field', 'client profile without fields');
  if (count > MAX_CLIENT_PROFILE_FIELDS) fail('too-long', `client profile field count ${count} exceeds ${MAX_CLIENT_PROFILE_FIELDS}`);
  const seen = new Set<number>();
  let ownerInstanceTag: number | undefined;
  let publicKey: Uint8Array | undefined;
  let forgingKey: Uint8Array | undefined;
  let versions: string | undefined;
  let expiration: bigint | undefined;
  let dsaPublicKey: PublicKeyFields | undefined;
  let transitionalSignature: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    const type = reader.u16('client profile field type');
    if (seen.has(type)) fail('bad-field', `client profile field 0x${type.toString(16)} repeated`);
    seen.add(type);
    switch (type) {
      case CLIENT_PROFILE_FIELD.OWNER_INSTANCE_TAG:
        ownerInstanceTag = reader.u32('owner instance tag');
        if (!isValidSenderTag(ownerInstanceTag)) fail('bad-instance-tag', 'client profile owner instance tag below 0x100');
        break;
      case CLIENT_PROFILE_FIELD.ED448_PUBLIC_KEY:
        publicKey = readEd448Key(reader, PUBKEY_TYPE_ED448, 'Ed448 public key');
        break;
      case CLIENT_PROFILE_FIELD.ED448_FORGING_KEY:
        forgingKey = readEd448Key(reader, PUBKEY_TYPE_ED448_FORGING, 'Ed448 forging key');
        break;
      case CLIENT_PROFILE_FIELD.VERSIONS:
        versions = readVersions(reader);
        break;
      case CLIENT_PROFILE_FIELD.EXPIRATION:
        expiration = readLong(reader, 'expiration');
        break;
      case CLIENT_PROFILE_FIELD.DSA_PUBLIC_KEY:
        dsaPublicKey = readPublicKey(reader);
        break;
      case CLIENT_PROFILE_FIELD.TRANSITIONAL_SIGNATURE:
        transitionalSignature = reader.fixed(DSA_SIGNATURE_BYTES, 'transitional signature');
        break;
      default:
        fail('bad-type', `client profile field type 0x${type.toString(16)}`);
    }
  }
  if (ownerInstanceTag === undefined || publicKey === undefined || forgingKey === undefined || versions === undefined || expiration === undefined) {
    fail('bad-field', 'client profile lacks a required field');
  }
  const signature = reader.fixed(EDDSA_SIGNATURE_BYTES, 'client profile signature');
  return {
    ownerInstanceTag,
    publicKey,
    forgingKey,
    versions,
    expiration,
    ...(dsaPublicKey === undefined ? {} : { dsaPublicKey }),
    ...(transitionalSignature === undefined ? {} : { transitionalSignature }),
    signature,
    encoded: source.subarray(start, reader.offset),
  };
}

/** Decodes bytes that are exactly one CLIENT-PROF. */
export function decodeClientProfile(bytes: Uint8Array): DecodedClientProfile | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const profile = readClientProfile(reader, bytes);
    reader.end('client profile');
    return profile;
  });
}

/** The fields present, in type order: the order we write and the order otr4j signs. */
function presentFields(fields: ClientProfileFields): number[] {
  const types: number[] = [
    CLIENT_PROFILE_FIELD.OWNER_INSTANCE_TAG,
    CLIENT_PROFILE_FIELD.ED448_PUBLIC_KEY,
    CLIENT_PROFILE_FIELD.ED448_FORGING_KEY,
    CLIENT_PROFILE_FIELD.VERSIONS,
    CLIENT_PROFILE_FIELD.EXPIRATION,
  ];
  if (fields.dsaPublicKey !== undefined) types.push(CLIENT_PROFILE_FIELD.DSA_PUBLIC_KEY);
  if (fields.transitionalSignature !== undefined) types.push(CLIENT_PROFILE_FIELD.TRANSITIONAL_SIGNATURE);
  return types;
}

/** Writes one field, its type first. */
function writeField(writer: Writer, fields: ClientProfileFields, type: number): void {
  writer.u16(type);
  switch (type) {
    case CLIENT_PROFILE_FIELD.OWNER_INSTANCE_TAG:
      if (!isValidSenderTag(fields.ownerInstanceTag)) throw new RangeError('the owner instance tag must be >= 0x100');
      writer.u32(fields.ownerInstanceTag);
      return;
    case CLIENT_PROFILE_FIELD.ED448_PUBLIC_KEY:
      writeEd448Key(writer, PUBKEY_TYPE_ED448, fields.publicKey);
      return;
    case CLIENT_PROFILE_FIELD.ED448_FORGING_KEY:
      writeEd448Key(writer, PUBKEY_TYPE_ED448_FORGING, fields.forgingKey);
      return;
    case CLIENT_PROFILE_FIELD.VERSIONS:
      if (!VERSIONS.test(fields.versions) || fields.versions.length > MAX_VERSIONS_BYTES) throw new RangeError('versions: at most 16 printable ASCII characters');
      writer.data(Uint8Array.from(fields.versions, (ch) => ch.charCodeAt(0)));
      return;
    case CLIENT_PROFILE_FIELD.EXPIRATION:
      writeLong(writer, fields.expiration);
      return;
    case CLIENT_PROFILE_FIELD.DSA_PUBLIC_KEY:
      if (fields.dsaPublicKey !== undefined) writePublicKey(writer, fields.dsaPublicKey);
      return;
    case CLIENT_PROFILE_FIELD.TRANSITIONAL_SIGNATURE:
      if (fields.transitionalSignature !== undefined) {
        checkLength(fields.transitionalSignature, DSA_SIGNATURE_BYTES, 'the transitional signature');
        writer.bytes(fields.transitionalSignature);
      }
      return;
    default:
      throw new RangeError(`no client profile field 0x${type.toString(16)}`);
  }
}

/** Writes the fields of `types` in that order, without a count. */
function writeFields(writer: Writer, fields: ClientProfileFields, types: readonly number[]): Writer {
  for (const type of types) writeField(writer, fields, type);
  return writer;
}

/** Writes a CLIENT-PROF: the count, the fields in type order, the signature. */
export function writeClientProfile(writer: Writer, profile: ClientProfile): Writer {
  checkLength(profile.signature, EDDSA_SIGNATURE_BYTES, 'the client profile signature');
  const types = presentFields(profile);
  writer.u32(types.length);
  return writeFields(writer, profile, types).bytes(profile.signature);
}

/** Encodes a CLIENT-PROF. */
export function encodeClientProfile(profile: ClientProfile): Uint8Array {
  return writeClientProfile(new Writer(), profile).finish();
}

/**
 * What the profile signature covers. The spec ("Create a Client Profile
 * Signature") concatenates the fields, owner instance tag through DSA key,
 * and the transitional signature, with nothing said of the 4-byte Number
 * of Fields that comes first in CLIENT-PROF ("Client Profile Data Type");
 * libotr-ng signs the profile as serialized, count included.
 *
 * - `fields-without-count`: the fields (each with its 2-byte type), in type
 *   order, no count. otr4j's ClientProfilePayload.signClientProfile and
 *   .validate (src/main/java/net/java/otr4j/messages/ClientProfilePayload.java)
 *   sign and verify this, re-serializing the fields in type order whatever
 *   order they arrived in.
 * - `fields-with-count`: the INT Number of Fields (transitional signature
 *   included in the count), then the same fields.
 */
export type ClientProfileSignatureInput = 'fields-without-count' | 'fields-with-count';

/**
 * The one compatibility point for the profile signature input: otr4j, the
 * only live OTRv4 peer, signs the fields without the count (see
 * {@link ClientProfileSignatureInput}), so we do too.
 */
export const CLIENT_PROFILE_SIGNATURE_INPUT: ClientProfileSignatureInput = 'fields-without-count';

/**
 * The bytes the Client Profile signature (CLIENT-EDDSA-SIG) is computed over
 * (otrv4.md, "Create a Client Profile Signature"): m, or m || Transitional
 * Signature when the profile carries one. `input` defaults to
 * {@link CLIENT_PROFILE_SIGNATURE_INPUT}; the other reading is kept for tests
 * and for peers that follow it.
 */
export function clientProfileSignedBytes(fields: ClientProfileFields, input: ClientProfileSignatureInput = CLIENT_PROFILE_SIGNATURE_INPUT): Uint8Array {
  const types = presentFields(fields);
  const writer = new Writer();
  if (input === 'fields-with-count') writer.u32(types.length);
  return writeFields(writer, fields, types).finish();
}

/**
 * The bytes the transitional DSA signature (CLIENT-SIG) is computed over:
 * m, the fields 0x0001 to 0x0006 in type order, each with its type, no
 * count (otrv4.md, "Create a Client Profile Signature"; otr4j signs the
 * same bytes).
 */
export function clientProfileTransitionalSignedBytes(fields: ClientProfileFields): Uint8Array {
  const types = presentFields(fields).filter((type) => type !== CLIENT_PROFILE_FIELD.TRANSITIONAL_SIGNATURE);
  return writeFields(new Writer(), fields, types).finish();
}
