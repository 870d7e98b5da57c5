/**
 * OTR v2/v3 key derivation from a DH shared secret s (Protocol-v3,
 * "Computing AES keys, MAC keys, and the secure session id" and "Extra
 * symmetric key"). secbytes is s as a minimal MPI; h1(b) = SHA-1(b || secbytes),
 * h2(b) = SHA-256(b || secbytes).
 */
import { encodeMpi } from '../bigint.js';
import { compareDhPublic } from '../dh.js';
import { sha1, sha256 } from '../hash.js';
import { Secret } from '../secret.js';

/** Keys of the AKE ("Authenticated Key Exchange", step "Computing ..."). */
export interface AkeKeys {
  /** ssid: the first 64 bits of h2(0x00). */
  readonly ssid: Uint8Array;
  /** c: the first 128 bits of h2(0x01) (encrypts the Reveal Signature's X_B). */
  readonly c: Secret;
  /** c': the second 128 bits of h2(0x01) (encrypts the Signature message's X_A). */
  readonly cPrime: Secret;
  /** m1 = h2(0x02), keys the MAC M_B. */
  readonly m1: Secret;
  /** m2 = h2(0x03), keys the MAC of the encrypted signature in Reveal Signature. */
  readonly m2: Secret;
  /** m1' = h2(0x04), keys the MAC M_A. */
  readonly m1Prime: Secret;
  /** m2' = h2(0x05), keys the MAC of the encrypted signature in Signature. */
  readonly m2Prime: Secret;
  /** Wipes every key. */
  wipe(): void;
}

/** Keys of one data-message key pairing (our key id, their key id). */
export interface DataKeys {
  /** First 16 bytes of h1(sendbyte). */
  readonly sendingAesKey: Secret;
  /** SHA-1 of the sending AES key (20 bytes). */
  readonly sendingMacKey: Secret;
  /** First 16 bytes of h1(recvbyte). */
  readonly receivingAesKey: Secret;
  /** SHA-1 of the receiving AES key (20 bytes); revealed once the pairing is retired. */
  readonly receivingMacKey: Secret;
  /** Wipes every key. */
  wipe(): void;
}

/** secbytes = MPI(s). */
const secbytes = (shared: Secret): Uint8Array => encodeMpi(shared.expose());

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

/** Derives ssid, c, c', m1, m2, m1', m2' from the shared secret s (as returned by dhSharedSecret). */
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
 * when our public value is numerically greater: then sendbyte = 0x01 and
 * recvbyte = 0x02, otherwise the reverse. `weAreHigh` may be given when the
 * caller already compared the public values.
 */
export function deriveDataKeys(
  shared: Secret,
  ourPublic: Uint8Array,
  theirPublic: Uint8Array,
  weAreHigh = compareDhPublic(ourPublic, theirPublic) > 0,
): DataKeys {
  return withSecbytes(shared, (secret) => {
    const [sendByte, receiveByte] = weAreHigh ? [0x01, 0x02] : [0x02, 0x01];
    const sendingDigest = h1(sendByte, secret);
    const receivingDigest = h1(receiveByte, secret);
    const sendingAes = sendingDigest.slice(0, 16);
    const receivingAes = receivingDigest.slice(0, 16);
    sendingDigest.fill(0);
    receivingDigest.fill(0);
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

/** The extra symmetric key: h2(0xFF) = SHA-256(0xFF || MPI(s)), 32 bytes. */
export function extraSymmetricKey(shared: Secret): Secret {
  return withSecbytes(shared, (secret) => new Secret(h2(0xff, secret)));
}
