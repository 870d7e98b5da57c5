/**
 * Injected randomness. The library never reaches for a global random source
 * outside this file: hosts pass a {@link RandomSource} at construction, tests
 * pass a deterministic one.
 */
import { randomBytes, createHash } from 'node:crypto';

/** Returns `length` fresh random bytes. */
export type RandomSource = (length: number) => Uint8Array;

/** The operating system's CSPRNG (OpenSSL `RAND_bytes`). */
export const systemRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));

/**
 * A deterministic source for tests and vectors only: SHA-256 in counter mode
 * over a seed. Never use it for real conversations.
 */
export function deterministicRandom(seed: string | Uint8Array): RandomSource {
  const seedBytes = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed;
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const block = createHash('sha256').update(seedBytes).update(String(counter++)).digest();
      const take = Math.min(block.length, length - filled);
      out.set(block.subarray(0, take), filled);
      filled += take;
    }
    return out;
  };
}
