/**
 * Keys the store imports or loads are checked completely by @sotto/otr
 * (checkDsaKeyParts): OTR's sizes, p and q prime, q dividing p-1, g and y of
 * order q, y = g^x mod p. A key that fails would import, then make every
 * AKE fail on the peer's side while ours reports `secure`. Each bad key here
 * is consistent in everything the earlier checks looked at (sizes, ranges,
 * y = g^x), so only the full check refuses it.
 */
import { checkPrimeSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dsaPrivateKeyToParts, fingerprint, generateDsaKey, toHex } from '@sotto/otr';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeLibotrPrivateKeys } from '../../src/formats/libotr-private-key.js';
import { importLibotr, openStore } from '../../src/index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const toBigint = (value: Uint8Array): bigint => BigInt('0x' + (Buffer.from(value).toString('hex') || '0'));
const fromBigint = (value: bigint): Uint8Array => {
  const text = value.toString(16);
  return new Uint8Array(Buffer.from(text.length % 2 === 0 ? text : `0${text}`, 'hex'));
};
function pow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  for (let square = base % modulus, rest = exponent; rest > 0n; rest >>= 1n, square = (square * square) % modulus) {
    if (rest & 1n) result = (result * square) % modulus;
  }
  return result;
}

const good = generateDsaKey();
const goodParts = dsaPrivateKeyToParts(good);
const p = toBigint(good.publicKey.p);
const q = toBigint(good.publicKey.q);
const x = toBigint(goodParts.x.expose());

interface BadKey {
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly g: Uint8Array;
  readonly y: Uint8Array;
  readonly x: Uint8Array;
}

/** A 1024-bit composite p with q | p-1, g = 2 and y = g^x mod p. */
function compositeP(): BadKey {
  for (let k = (1n << 864n) + 2n; ; k += 2n) {
    const candidate = q * k + 1n;
    if (!checkPrimeSync(candidate)) return { p: fromBigint(candidate), q: fromBigint(q), g: fromBigint(2n), y: fromBigint(pow(2n, x, candidate)), x: fromBigint(x) };
  }
}

/** The real p and q, a g of order other than q, y = g^x mod p. */
function gOutsideSubgroup(): BadKey {
  let g = 2n;
  while (pow(g, q, p) === 1n) g++;
  return { p: fromBigint(p), q: fromBigint(q), g: fromBigint(g), y: fromBigint(pow(g, x, p)), x: fromBigint(x) };
}

/** The real key with y multiplied by g: in the subgroup, but not g^x. */
function yNotGToX(): BadKey {
  const g = toBigint(good.publicKey.g);
  return { ...good.publicKey, y: fromBigint((toBigint(good.publicKey.y) * g) % p), x: fromBigint(x) };
}

const cases: [string, () => BadKey, RegExp][] = [
  ['a composite p', compositeP, /p is not prime/],
  ['a g outside the subgroup of order q', gOutsideSubgroup, /g is not in the subgroup of order q/],
  ['a y that is not g^x', yNotGToX, /y is not g\^x mod p/],
];

describe('key import accepts inconsistent DSA parameters', () => {
  it.each(cases)('importLibotr refuses a key with %s (bad-import naming the problem), and the store is unchanged', async (_what, make, problem) => {
    const source = join(tempDir(), 'otr.private_key');
    writeFileSync(source, encodeLibotrPrivateKeys([{ account: 'alice@example.org', protocol: 'prpl-jabber', parts: make() }]));
    const dir = tempDir();
    const store = await openStore(dir);
    try {
      const error = await importLibotr(store, { privateKeyFile: source }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'bad-import', file: source });
      expect((error as Error).message).toMatch(/not a usable OTR DSA key/);
      expect((error as Error).message).toMatch(problem);
      expect(store.accounts()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it.each(cases)('a keys.json holding a key with %s is corrupt (named, left as it was)', async (_what, make, problem) => {
    const dir = tempDir();
    const first = await openStore(dir);
    await first.getOrCreateKey('alice');
    await first.close();
    const file = join(dir, 'keys.json');
    const body = JSON.parse(readFileSync(file, 'utf8')) as { accounts: Record<string, Record<string, string>> };
    const bad = make();
    const alice = body.accounts.alice!;
    for (const name of ['p', 'q', 'g', 'y', 'x'] as const) alice[name] = toHex(bad[name]);
    // The recorded fingerprint matches the bad key, so only the key check can refuse it.
    alice.fingerprint = toHex(fingerprint({ p: bad.p, q: bad.q, g: bad.g, y: bad.y }));
    const text = `${JSON.stringify(body, null, 2)}\n`;
    writeFileSync(file, text);
    const error = await openStore(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'corrupt', file });
    expect((error as Error).message).toMatch(problem);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
