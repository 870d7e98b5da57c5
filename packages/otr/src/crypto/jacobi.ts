/**
 * The Jacobi symbol (a/n), which for a prime n is the Legendre symbol: 1 when
 * a is a non-zero square mod n, -1 when it is not, 0 when n divides a.
 *
 * For the MODP group's safe prime p = 2q + 1 the squares are exactly the
 * order-q subgroup that g = 2 generates, so (x/p) = 1 tells membership as
 * Euler's criterion x^q = 1 does, at a quarter of the cost of that 1535-bit
 * exponentiation. The inputs are public (received group elements): the
 * running time depends on them, and may.
 */

/** (a/n) for an odd n >= 3, by the binary algorithm with quadratic reciprocity. */
export function jacobiSymbol(a: bigint, n: bigint): -1 | 0 | 1 {
  if (n < 3n || (n & 1n) === 0n) throw new RangeError('the Jacobi symbol needs an odd modulus >= 3');
  let top = ((a % n) + n) % n;
  let bottom = n;
  let sign: -1 | 1 = 1;
  while (top !== 0n) {
    // Take out the factors of two: (2/n) = -1 exactly when n = 3 or 5 mod 8.
    let low = Number(top & 0xffffffffn);
    while (low === 0) {
      top >>= 32n;
      low = Number(top & 0xffffffffn);
    }
    const twos = 31 - Math.clz32(low & -low);
    if (twos > 0) {
      top >>= BigInt(twos);
      const residue = Number(bottom & 7n);
      if ((twos & 1) === 1 && (residue === 3 || residue === 5)) sign = sign === 1 ? -1 : 1;
    }
    // Reciprocity: swapping flips the sign when both are 3 mod 4.
    if ((top & 3n) === 3n && (bottom & 3n) === 3n) sign = sign === 1 ? -1 : 1;
    [top, bottom] = [bottom % top, top];
  }
  return bottom === 1n ? sign : 0;
}
