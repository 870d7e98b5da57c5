/**
 * OTR v2/v3 key derivation from a DH shared secret s (Protocol-v3,
 * "Computing AES keys, MAC keys, and the secure session id" and "Extra
 * symmetric key"). secbytes is s as a minimal MPI; h1(b) = SHA-1(b || secbytes),
 * h2(b) = SHA-256(b || secbytes).
 */
import { sha1, sha256 } from './hash.js';
import { Secret } from './secret.js';

/** Keys of the AKE. */
export interface AkeKeys {
  /** First 64 bits of h2(0x00). */
  readonly ssid: Uint8Array;
  readonly c: Secret;
  readonly cPrime: Secret;
  readonly m1: Secret;
  readonly m2: Secret;
  readonly m1Prime: Secret;
  readonly m2Prime: Secret;
  /** Wipes every key. */
  wipe(): void;
}

/** Keys of one data-message key pairing. */
export interface DataKeys {
  readonly sendingAesKey: Secret;
  readonly sendingMacKey: Secret;
  readonly receivingAesKey: Secret;
  readonly receivingMacKey: Secret;
  /** Wipes every key. */
  wipe(): void;
}

function secbytes(shared: Secret): Uint8Array {
  const s = shared.expose();
  const out = new Uint8Array(4 + s.length);
  new DataView(out.buffer).setUint32(0, s.length);
  out.set(s, 4);
  return out;
}

function withSecbytes<T>(shared: Secret, body: (secret: Uint8Array) => T): T {
  const bytes = secbytes(shared);
  try {
    return body(bytes);
  } finally {
    bytes.fill(0);
  }
}

const h1 = (b: number, secret: Uint8Array): Uint8Array => sha1(Uint8Array.of(b), secret);
const h2 = (b: number, secret: Uint8Array): Uint8Array => sha256(Uint8Array.of(b), secret);

/** Derives ssid, c, c', m1, m2, m1', m2' from s. */
export function deriveAkeKeys(shared: Secret): AkeKeys {
  return withSecbytes(shared, (secret) => {
    const h01 = h2(0x01, secret);
    const keys = {
      ssid: h2(0x00, secret).slice(0, 8),
      c: new Secret(h01.slice(0, 16)),
      cPrime: new Secret(h01.slice(16, 32)),
      m1: new Secret(h2(0x02, secret)),
      m2: new Secret(h2(0x03, secret)),
      m1Prime: new Secret(h2(0x04, secret)),
      m2Prime: new Secret(h2(0x05, secret)),
    };
    h01.fill(0);
    return {
      ...keys,
      wipe() {
        for (const key of [keys.c, keys.cPrime, keys.m1, keys.m2, keys.m1Prime, keys.m2Prime]) key.wipe();
      },
    };
  });
}

/**
 * Derives the sending and receiving keys of a pairing. We are the "high" end
 * when our public value is numerically greater: then we send with h1(0x01)
 * and receive with h1(0x02).
 */
export function deriveDataKeys(shared: Secret, ourPublic: Uint8Array, theirPublic: Uint8Array, weAreHigh = isHigher(ourPublic, theirPublic)): DataKeys {
  return withSecbytes(shared, (secret) => {
    const [sendByte, receiveByte] = weAreHigh ? [0x01, 0x02] : [0x02, 0x01];
    const sendingAes = h1(sendByte, secret).slice(0, 16);
    const receivingAes = h1(receiveByte, secret).slice(0, 16);
    const keys = {
      sendingAesKey: new Secret(sendingAes),
      sendingMacKey: new Secret(sha1(sendingAes)),
      receivingAesKey: new Secret(receivingAes),
      receivingMacKey: new Secret(sha1(receivingAes)),
    };
    return {
      ...keys,
      wipe() {
        for (const key of Object.values(keys)) key.wipe();
      },
    };
  });
}

/** The extra symmetric key h2(0xFF). */
export function extraSymmetricKey(shared: Secret): Secret {
  return withSecbytes(shared, (secret) => new Secret(h2(0xff, secret)));
}

/** Numeric comparison of two minimal big-endian public values. */
function isHigher(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return a.length > b.length;
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff > 0;
  }
  return false;
}
