/**
 * The ring signature (signature of knowledge) of OTRv4's DAKEs (OTRv4,
 * "Ring Signature Authentication", "Serializing the Ring Signature Proof of
 * Authentication", "HashToScalar"): sigma = RSig(A_i, a_i, {A1, A2, A3}, m)
 * proves knowledge of the secret of one of three public keys, and
 * RVrf({A1, A2, A3}, sigma, m) checks it.
 *
 * For the known position i and the two others j, k:
 *   T_i = G * t_i,  T_j = G * r_j + A_j * c_j,  T_k = G * r_k + A_k * c_k
 *   c   = HashToScalar(usage_auth || G || q || A1 || A2 || A3 || T1 || T2 || T3 || m)
 *   c_i = c - c_j - c_k (mod q),  r_i = t_i - c_i * a_i (mod q)
 * and the verifier recomputes every T from (c, r) and checks
 * c = c1 + c2 + c3 (mod q). Signing costs 3 base-point and 2 variable-point
 * multiplications, verifying 3 and 3, the spec's minimum.
 *
 * The order of everything hashed and sent is fixed (A1, A2, A3), whatever
 * position the signer holds. The arithmetic for the signer's position
 * differs from the others' (one multiplication less), so a local observer
 * timing the signing could tell the position; the signature cannot.
 */
import { UsageError } from '../../errors.js';
import { constantTimeEqual } from '../constant-time.js';
import type { RandomSource } from '../random.js';
import { Ed448Point, hashToScalar, multiplyBaseAndAddPublic, multiplyPoint, randomScalar, randomScalarAndBasePoint } from './ed448.js';
import { USAGE } from './kdf.js';
import { CryptoRejection, isCryptoRejection } from './rejection.js';
import { decodeScalar, ORDER_BYTES, SCALAR_BYTES, scalarAdd, scalarMul, scalarSub } from './scalar.js';

/** Bytes of a RING-SIG: c1, r1, c2, r2, c3, r3, each a SCALAR. */
export const RING_SIGNATURE_BYTES = 6 * SCALAR_BYTES;

/**
 * Compatibility point (otr4j). The spec hashes `... || T3 || m`; otr4j
 * (OtrCryptoEngine4.ringSign and ringVerify, `encoder.writeData(m)`) hashes
 * m as DATA, a 4-byte big-endian length and then m. Interoperating with
 * otr4j wins (issue 14), so m is length-prefixed; false gives the spec text.
 */
export const RING_SIGNATURE_MESSAGE_AS_DATA: boolean = true;

/** sigma = (c1, r1, c2, r2, c3, r3), each a canonical SCALAR encoding. */
export interface RingSignature {
  readonly c1: Uint8Array;
  readonly r1: Uint8Array;
  readonly c2: Uint8Array;
  readonly r2: Uint8Array;
  readonly c3: Uint8Array;
  readonly r3: Uint8Array;
}

/** The three public keys {A1, A2, A3}, in the order the protocol gives them. */
export type Ring = readonly [Ed448Point, Ed448Point, Ed448Point];

/** What signs: a secret scalar a_i and its public key A_i = G * a_i (an Ed448KeyPair). */
export interface RingSigner {
  readonly publicKey: Ed448Point;
  exposeSecretScalar(): Uint8Array;
}

/** The RING-SIG encoding (342 bytes). */
export function encodeRingSignature(sigma: RingSignature): Uint8Array {
  const out = new Uint8Array(RING_SIGNATURE_BYTES);
  [sigma.c1, sigma.r1, sigma.c2, sigma.r2, sigma.c3, sigma.r3].forEach((scalar, i) => out.set(scalar, i * SCALAR_BYTES));
  return out;
}

/** A received RING-SIG: 342 bytes, each of the six scalars < q. */
export function decodeRingSignature(bytes: Uint8Array): RingSignature | CryptoRejection {
  if (bytes.length !== RING_SIGNATURE_BYTES) return new CryptoRejection('bad-length');
  const scalars: Uint8Array[] = [];
  for (let i = 0; i < 6; i++) {
    const scalar = decodeScalar(bytes.subarray(i * SCALAR_BYTES, (i + 1) * SCALAR_BYTES));
    if (isCryptoRejection(scalar)) return scalar;
    scalars.push(scalar);
  }
  const [c1, r1, c2, r2, c3, r3] = scalars as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  return { c1, r1, c2, r2, c3, r3 };
}

/** c = HashToScalar(usage_auth || G || q || A1 || A2 || A3 || T1 || T2 || T3 || m). */
function challenge(ring: Ring, commitments: Ring, message: Uint8Array): Uint8Array {
  const parts = [Ed448Point.BASE.encode(), ORDER_BYTES, ...ring.map((a) => a.encode()), ...commitments.map((t) => t.encode())];
  if (RING_SIGNATURE_MESSAGE_AS_DATA) {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, message.length);
    parts.push(length);
  }
  parts.push(message);
  return hashToScalar(USAGE.usage_auth, ...parts);
}

/** The ring is usable: no identity among the keys (they are checked points otherwise, by their type). */
function ringIsUsable(ring: Ring): boolean {
  return ring.every((key) => !key.isIdentity());
}

/**
 * RSig(A_i, a_i, {A1, A2, A3}, m). The signer's public key must be exactly
 * one of the three distinct ring keys (misuse otherwise: UsageError). The
 * randoms are drawn as "Considerations while working with elliptic curve
 * parameters" says (ed448.ts, randomScalar) and t_i is wiped.
 */
export function ringSign(random: RandomSource, signer: RingSigner, ring: Ring, message: Uint8Array): RingSignature {
  if (!ringIsUsable(ring)) throw new UsageError('bad-argument', 'a ring key is the identity point');
  if (ring[0].equals(ring[1]) || ring[0].equals(ring[2]) || ring[1].equals(ring[2])) {
    throw new UsageError('bad-argument', 'the ring keys must be distinct');
  }
  const position = ring.findIndex((key) => key.equals(signer.publicKey));
  if (position < 0) throw new UsageError('bad-argument', 'the signing key is not in the ring');
  const drawnT = drawScalarAndBasePoint(random);
  const t = drawnT.scalar;
  const c: Uint8Array[] = [];
  const r: Uint8Array[] = [];
  const commitments: Ed448Point[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const key = ring[i] as Ed448Point;
      if (i === position) {
        c.push(new Uint8Array(SCALAR_BYTES));
        r.push(new Uint8Array(SCALAR_BYTES));
        commitments.push(drawnT.point);
      } else {
        const ci = drawScalar(random);
        const ri = drawScalarAndBasePoint(random);
        c.push(ci);
        r.push(ri.scalar);
        commitments.push(ri.point.add(multiplyPoint(key, ci)));
      }
    }
    const [t1, t2, t3] = commitments as [Ed448Point, Ed448Point, Ed448Point];
    const total = challenge(ring, [t1, t2, t3], message);
    const others = c.filter((_, i) => i !== position) as [Uint8Array, Uint8Array];
    const ci = scalarSub(scalarSub(total, others[0]), others[1]);
    c[position] = ci;
    r[position] = scalarSub(t, scalarMul(ci, signer.exposeSecretScalar()));
  } finally {
    t.fill(0);
  }
  const [c1, c2, c3] = c as [Uint8Array, Uint8Array, Uint8Array];
  const [r1, r2, r3] = r as [Uint8Array, Uint8Array, Uint8Array];
  return { c1, r1, c2, r2, c3, r3 };
}

/** A random scalar in Z_q, hashed and pruned; a plain array (the caller wipes what must be wiped). */
function drawScalar(random: RandomSource): Uint8Array {
  const secret = randomScalar(random);
  const copy = Uint8Array.from(secret.expose());
  secret.wipe();
  return copy;
}

/** A random scalar and G times it (in OpenSSL: ed448.ts, randomScalarAndBasePoint); a plain array (the caller wipes it). */
function drawScalarAndBasePoint(random: RandomSource): { scalar: Uint8Array; point: Ed448Point } {
  const { scalar, point } = randomScalarAndBasePoint(random);
  const copy = Uint8Array.from(scalar.expose());
  scalar.wipe();
  return { scalar: copy, point };
}

/**
 * RVrf({A1, A2, A3}, sigma, m): recompute T_i = G * r_i + A_i * c_i, then
 * c = HashToScalar(...) and accept when c = c1 + c2 + c3 (mod q), compared
 * in constant time. Scalars come from {@link decodeRingSignature} (so < q);
 * a ring containing the identity is refused.
 */
export function ringVerify(ring: Ring, sigma: RingSignature, message: Uint8Array): boolean {
  if (!ringIsUsable(ring)) return false;
  const commitments: Ring = [
    multiplyBaseAndAddPublic(sigma.r1, ring[0], sigma.c1),
    multiplyBaseAndAddPublic(sigma.r2, ring[1], sigma.c2),
    multiplyBaseAndAddPublic(sigma.r3, ring[2], sigma.c3),
  ];
  const expected = challenge(ring, commitments, message);
  const sum = scalarAdd(scalarAdd(sigma.c1, sigma.c2), sigma.c3);
  return constantTimeEqual(expected, sum);
}
