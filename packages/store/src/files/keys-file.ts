/**
 * `keys.json`: the long-term keys of each account, and `retired-keys.json`:
 * every key that `regenerate` or an import replaced, kept so that no identity
 * is ever lost.
 *
 * The OTRv3 DSA key is stored as its hex parts p, q, g, y, x with its
 * fingerprint (Protocol-v3 "Public keys, signatures, and fingerprints") as a
 * check: on reading, the key must be consistent (y = g^x mod p) and match the
 * recorded fingerprint, else the file is reported as damaged.
 *
 * The OTRv4 identity (format version 2, shape.ts), under `"v4"` next to the
 * DSA key (otrv4.md "Public keys, Shared Prekeys, Forging keys and
 * Fingerprints"):
 *   - `identityKey`: the 57-byte symmetric key sym_h (RFC 8032's secret
 *     key), from which H and the secret scalar are derived; it signs the
 *     client profile. `publicKey` is H, kept as a check.
 *   - `forgingPublicKey`: F. `forgingKey`, its 57-byte symmetric key, only
 *     when the user chose to keep it: the spec asks implementations to offer
 *     keeping the forging secret and to make erasing it the default; only F
 *     is needed to run the protocol (it goes into the profile, the ring
 *     signatures and the fingerprint), so by default the secret is erased at
 *     creation and never written.
 *   - `fingerprint`: HWC(usage_fingerprint || H || F, 56), 112 hex, a check.
 *   - `profile`: our current client profile (its CLIENT-PROF bytes and
 *     expiry in ms), replaced whenever the library makes a new one. A
 *     profile is disposable (a new one can always be signed), so a profile
 *     entry that does not have the expected shape is dropped on reading
 *     rather than reported as damage; its content is checked when it is
 *     loaded (Store.clientProfile).
 * On reading, H must derive from sym_h, F must be a valid point (and derive
 * from the forging secret when kept), and the fingerprint must match.
 */
import {
  DsaKeyError,
  ED448_SYMMETRIC_KEY_BYTES,
  Ed448KeyPair,
  Secret,
  decodePoint,
  ed448Fingerprint,
  fingerprint,
  isCryptoRejection,
  makeDsaPrivateKey,
  toHex,
  type DsaPrivateKey,
} from '@sotto/otr';
import { hexToBytes } from '../fingerprint-text.js';
import {
  FORMAT_VERSION,
  ShapeError,
  V4_FORMAT_VERSION,
  array,
  decodeVersioned,
  encodeVersioned,
  entries,
  integer,
  object,
  oneOf,
  sortedObject,
  string,
  timestamp,
} from './shape.js';

/** Our client profile as the store keeps it: its CLIENT-PROF bytes and its expiry (ms since the epoch). */
export interface StoredProfile {
  readonly encoded: Uint8Array;
  readonly expiresAt: number;
}

/** An account's OTRv4 identity. */
export interface StoredV4Key {
  /** H and its symmetric key sym_h. */
  readonly identityKey: Ed448KeyPair;
  /** F, POINT-encoded (57 bytes). */
  readonly forgingPublicKey: Uint8Array;
  /** The forging key pair, only when its secret was kept. */
  readonly forgingKey?: Ed448KeyPair;
  /** 112 lower-case hex digits. */
  readonly fingerprint: string;
  readonly createdAt: string;
  /** Our current client profile, once the library has made one. */
  readonly profile?: StoredProfile;
}

/** An account's keys and when the DSA key was created (or imported). */
export interface StoredKey {
  readonly key: DsaPrivateKey;
  readonly createdAt: string;
  /** The OTRv4 identity, once created (stores written before OTRv4 have none until first use). */
  readonly v4?: StoredV4Key;
}

/** Why a key was retired. */
export type RetireReason = 'regenerated' | 'replaced-by-import';

/** A key that is no longer in use, kept as a backup. */
export interface RetiredKey extends StoredKey {
  readonly account: string;
  readonly retiredAt: string;
  readonly reason: RetireReason;
}

const HEX = /^(?:[0-9a-f]{2})+$/;
const PARTS = ['p', 'q', 'g', 'y', 'x'] as const;
/** A 57-byte value (sym_h, sym_f, H, F) in hex. */
const HEX57 = new RegExp(`^[0-9a-f]{${2 * ED448_SYMMETRIC_KEY_BYTES}}$`);
/** The largest client profile kept (bytes): a profile with the DSA key and both signatures is about 700. */
export const MAX_PROFILE_BYTES = 4096;

/** The fingerprint of a key in the store's spelling (40 lower-case hex). */
export function keyFingerprint(key: DsaPrivateKey): string {
  return toHex(fingerprint(key.publicKey));
}

/** The OTRv4 fingerprint of H and F in the store's spelling (112 lower-case hex). */
export function v4Fingerprint(identityKey: Ed448KeyPair, forgingPublicKey: Uint8Array): string {
  const forging = decodePoint(forgingPublicKey);
  if (isCryptoRejection(forging)) throw new ShapeError('the forging key is not a valid Ed448 point');
  return toHex(ed448Fingerprint(identityKey.publicKey, forging));
}

/** The same identity without its profile (for a retired identity, or after the profile's keys changed). */
export function withoutProfile(v4: StoredV4Key): StoredV4Key {
  const { profile: _dropped, ...rest } = v4;
  return rest;
}

/** Wipes the secrets of an OTRv4 identity. */
export function wipeV4Key(v4: StoredV4Key): void {
  v4.identityKey.wipe();
  v4.forgingKey?.wipe();
}

/** Wipes the secrets of an account's keys. */
export function wipeStoredKey(stored: StoredKey): void {
  stored.key.wipe();
  if (stored.v4 !== undefined) wipeV4Key(stored.v4);
}

function encodeV4(v4: StoredV4Key): Record<string, unknown> {
  return {
    createdAt: v4.createdAt,
    fingerprint: v4.fingerprint,
    publicKey: toHex(v4.identityKey.publicKeyBytes()),
    identityKey: toHex(v4.identityKey.exposeSymmetricKey()),
    forgingPublicKey: toHex(v4.forgingPublicKey),
    ...(v4.forgingKey === undefined ? {} : { forgingKey: toHex(v4.forgingKey.exposeSymmetricKey()) }),
    ...(v4.profile === undefined ? {} : { profile: { encoded: toHex(v4.profile.encoded), expiresAt: v4.profile.expiresAt } }),
  };
}

function encodeKey(stored: StoredKey): Record<string, unknown> {
  const { p, q, g, y } = stored.key.publicKey;
  return {
    createdAt: stored.createdAt,
    fingerprint: keyFingerprint(stored.key),
    p: toHex(p),
    q: toHex(q),
    g: toHex(g),
    y: toHex(y),
    x: toHex(stored.key.exposePrivate()),
    ...(stored.v4 === undefined ? {} : { v4: encodeV4(stored.v4) }),
  };
}

/** Bytes from a 57-byte hex field. */
function bytes57(value: unknown, where: string): Uint8Array {
  return hexToBytes(string(value, where, HEX57));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The stored profile, or undefined when there is none or it does not have the expected shape (it is then made anew). */
function decodeProfile(value: unknown): StoredProfile | undefined {
  if (value === undefined) return undefined;
  try {
    const body = object(value, 'profile');
    const encoded = string(body.encoded, 'profile.encoded', HEX);
    if (encoded.length > 2 * MAX_PROFILE_BYTES) return undefined;
    return { encoded: hexToBytes(encoded), expiresAt: integer(body.expiresAt, 'profile.expiresAt', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) };
  } catch (error) {
    if (error instanceof ShapeError) return undefined;
    throw error;
  }
}

/** A key pair from a stored symmetric key, or a ShapeError naming `where`. */
function keyPairFrom(value: unknown, where: string): Ed448KeyPair {
  return Ed448KeyPair.fromSymmetricKey(new Secret(bytes57(value, where)));
}

function decodeV4(value: unknown, where: string): StoredV4Key {
  const body = object(value, where);
  const createdAt = timestamp(body.createdAt, `${where}.createdAt`);
  const recordedFingerprint = string(body.fingerprint, `${where}.fingerprint`);
  const publicKey = bytes57(body.publicKey, `${where}.publicKey`);
  const forgingPublicKey = bytes57(body.forgingPublicKey, `${where}.forgingPublicKey`);
  const identityKey = keyPairFrom(body.identityKey, `${where}.identityKey`);
  let forgingKey: Ed448KeyPair | undefined;
  try {
    if (!sameBytes(identityKey.publicKeyBytes(), publicKey)) throw new ShapeError(`${where}.identityKey does not match its public key`);
    if (body.forgingKey !== undefined) {
      forgingKey = keyPairFrom(body.forgingKey, `${where}.forgingKey`);
      if (!sameBytes(forgingKey.publicKeyBytes(), forgingPublicKey)) throw new ShapeError(`${where}.forgingKey does not match the forging public key`);
    }
    if (v4Fingerprint(identityKey, forgingPublicKey) !== recordedFingerprint) throw new ShapeError(`${where} does not match its recorded fingerprint`);
  } catch (error) {
    identityKey.wipe();
    forgingKey?.wipe();
    throw error;
  }
  const profile = decodeProfile(body.profile);
  return {
    identityKey,
    forgingPublicKey,
    ...(forgingKey === undefined ? {} : { forgingKey }),
    fingerprint: recordedFingerprint,
    createdAt,
    ...(profile === undefined ? {} : { profile }),
  };
}

function decodeKey(value: unknown, where: string, version: number): StoredKey {
  const body = object(value, where);
  if (version === FORMAT_VERSION && body.v4 !== undefined) throw new ShapeError(`${where}.v4 appears in a version ${FORMAT_VERSION} file`);
  const [p, q, g, y, x] = PARTS.map((name) => hexToBytes(string(body[name], `${where}.${name}`, HEX))) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  let key: DsaPrivateKey;
  try {
    // Checked as every key we load is: OTR's sizes, p and q prime, g and y of order q, y = g^x mod p.
    key = makeDsaPrivateKey({ p, q, g, y, x });
  } catch (error) {
    if (error instanceof DsaKeyError) throw new ShapeError(`${where} is not a consistent DSA key (${error.detail})`);
    throw error;
  } finally {
    x.fill(0);
  }
  if (keyFingerprint(key) !== string(body.fingerprint, `${where}.fingerprint`)) {
    key.wipe();
    throw new ShapeError(`${where} does not match its recorded fingerprint`);
  }
  let v4: StoredV4Key | undefined;
  let createdAt: string;
  try {
    createdAt = timestamp(body.createdAt, `${where}.createdAt`);
    if (body.v4 !== undefined) v4 = decodeV4(body.v4, `${where}.v4`);
  } catch (error) {
    key.wipe();
    throw error;
  }
  return { key, createdAt, ...(v4 === undefined ? {} : { v4 }) };
}

/** Format version 2 once any key has an OTRv4 identity, else 1 (exactly as before OTRv4). */
function versionFor(keys: Iterable<StoredKey>): number {
  for (const stored of keys) if (stored.v4 !== undefined) return V4_FORMAT_VERSION;
  return FORMAT_VERSION;
}

/** Reads `keys.json` (format version 1 or 2); throws a 'corrupt' StoreError naming `path`. */
export function decodeKeysFile(bytes: Uint8Array, path: string): Map<string, StoredKey> {
  return decodeVersioned(
    bytes,
    path,
    (body, version) => {
      const keys = new Map<string, StoredKey>();
      try {
        for (const [account, value] of entries(body.accounts, 'accounts')) keys.set(account, decodeKey(value, `accounts[${JSON.stringify(account)}]`, version));
      } catch (error) {
        for (const stored of keys.values()) wipeStoredKey(stored);
        throw error;
      }
      return keys;
    },
    V4_FORMAT_VERSION,
  );
}

/** The text of `keys.json`. */
export function encodeKeysFile(keys: ReadonlyMap<string, StoredKey>): string {
  return encodeVersioned({ accounts: sortedObject(keys, encodeKey) }, versionFor(keys.values()));
}

/** Reads `retired-keys.json` (format version 1 or 2); throws a 'corrupt' StoreError naming `path`. */
export function decodeRetiredKeysFile(bytes: Uint8Array, path: string): RetiredKey[] {
  return decodeVersioned(
    bytes,
    path,
    (body, version) => {
      const retired: RetiredKey[] = [];
      try {
        for (const [index, value] of array(body.retired, 'retired').entries()) {
          const where = `retired[${index}]`;
          const entry = object(value, where);
          const account = string(entry.account, `${where}.account`);
          const retiredAt = timestamp(entry.retiredAt, `${where}.retiredAt`);
          const reason = oneOf<RetireReason>(entry.reason, `${where}.reason`, ['regenerated', 'replaced-by-import']);
          retired.push({ ...decodeKey(entry, where, version), account, retiredAt, reason });
        }
      } catch (error) {
        for (const stored of retired) wipeStoredKey(stored);
        throw error;
      }
      return retired;
    },
    V4_FORMAT_VERSION,
  );
}

/** The text of `retired-keys.json`. */
export function encodeRetiredKeysFile(retired: readonly RetiredKey[]): string {
  return encodeVersioned(
    { retired: retired.map((entry) => ({ account: entry.account, retiredAt: entry.retiredAt, reason: entry.reason, ...encodeKey(entry) })) },
    versionFor(retired),
  );
}
