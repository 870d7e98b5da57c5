/**
 * `keys.json`: the long-term DSA key of each account, and `retired-keys.json`:
 * every key that `regenerate` or an import replaced, kept so that no identity
 * is ever lost. Each key is stored as its hex parts p, q, g, y, x with its
 * fingerprint (Protocol-v3 "Public keys, signatures, and fingerprints") as a
 * check: on reading, the key must be consistent (y = g^x mod p) and match the
 * recorded fingerprint, else the file is reported as damaged.
 */
import { DsaKeyError, fingerprint, makeDsaPrivateKey, toHex, type DsaPrivateKey } from '@sotto/otr';
import { hexToBytes } from '../fingerprint-text.js';
import { ShapeError, array, decodeVersioned, encodeVersioned, entries, object, oneOf, sortedObject, string, timestamp } from './shape.js';

/** An account's key and when it was created (or imported). */
export interface StoredKey {
  readonly key: DsaPrivateKey;
  readonly createdAt: string;
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

/** The fingerprint of a key in the store's spelling (40 lower-case hex). */
export function keyFingerprint(key: DsaPrivateKey): string {
  return toHex(fingerprint(key.publicKey));
}

function encodeKey(stored: StoredKey): Record<string, string> {
  const { p, q, g, y } = stored.key.publicKey;
  return {
    createdAt: stored.createdAt,
    fingerprint: keyFingerprint(stored.key),
    p: toHex(p),
    q: toHex(q),
    g: toHex(g),
    y: toHex(y),
    x: toHex(stored.key.exposePrivate()),
  };
}

function decodeKey(value: unknown, where: string): StoredKey {
  const body = object(value, where);
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
  return { key, createdAt: timestamp(body.createdAt, `${where}.createdAt`) };
}

/** Reads `keys.json`; throws a 'corrupt' StoreError naming `path`. */
export function decodeKeysFile(bytes: Uint8Array, path: string): Map<string, StoredKey> {
  return decodeVersioned(bytes, path, (body) => {
    const keys = new Map<string, StoredKey>();
    for (const [account, value] of entries(body.accounts, 'accounts')) keys.set(account, decodeKey(value, `accounts[${JSON.stringify(account)}]`));
    return keys;
  });
}

/** The text of `keys.json`. */
export function encodeKeysFile(keys: ReadonlyMap<string, StoredKey>): string {
  return encodeVersioned({ accounts: sortedObject(keys, encodeKey) });
}

/** Reads `retired-keys.json`; throws a 'corrupt' StoreError naming `path`. */
export function decodeRetiredKeysFile(bytes: Uint8Array, path: string): RetiredKey[] {
  return decodeVersioned(bytes, path, (body) =>
    array(body.retired, 'retired').map((value, index) => {
      const where = `retired[${index}]`;
      const entry = object(value, where);
      return {
        ...decodeKey(entry, where),
        account: string(entry.account, `${where}.account`),
        retiredAt: timestamp(entry.retiredAt, `${where}.retiredAt`),
        reason: oneOf<RetireReason>(entry.reason, `${where}.reason`, ['regenerated', 'replaced-by-import']),
      };
    }),
  );
}

/** The text of `retired-keys.json`. */
export function encodeRetiredKeysFile(retired: readonly RetiredKey[]): string {
  return encodeVersioned({
    retired: retired.map((entry) => ({ account: entry.account, retiredAt: entry.retiredAt, reason: entry.reason, ...encodeKey(entry) })),
  });
}
