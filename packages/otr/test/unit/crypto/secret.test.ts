/**
 * Secrets never show their bytes: util.inspect, JSON, String and template
 * literals print a redaction, also when nested in other objects (the AKE and
 * data keys); wiping zeroes the bytes and forbids further use.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deriveAkeKeys, deriveDataKeys, deterministicRandom, dhSharedSecret, generateDhKeyPair, Secret, wipeAll } from '../../../src/crypto/index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Every way a value could reach a log line. */
function renderings(value: unknown): string[] {
  // JSON.stringify gives undefined for some values despite its declared type.
  const json = JSON.stringify(value) as string | undefined;
  return [inspect(value, { depth: 10, showHidden: true }), json ?? '', String(value), `value: ${String(value)}`, JSON.stringify({ nested: value })];
}

describe('Secret', () => {
  const bytes = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
  const secret = new Secret(Uint8Array.from(bytes));

  it('redacts inspect, JSON and string forms', () => {
    for (const shown of renderings(secret)) {
      expect(shown).toContain('redacted');
      expect(shown).not.toContain(hex(bytes).slice(0, 8));
      expect(shown).not.toContain('160'); // first byte in decimal, as a Uint8Array would print
    }
  });

  it('redacts when nested in the AKE and data keys', () => {
    const ours = generateDhKeyPair(deterministicRandom('ours'));
    const theirs = generateDhKeyPair(deterministicRandom('theirs'));
    const shared = dhSharedSecret(ours, theirs.publicKey);
    if (shared === undefined) throw new Error('no shared secret');
    const ake = deriveAkeKeys(shared);
    const data = deriveDataKeys(shared, ours.publicKey, theirs.publicKey);
    const hidden = [shared, ake.c, ake.cPrime, ake.m1, ake.m2, ake.m1Prime, ake.m2Prime, data.sendingAesKey, data.sendingMacKey, data.receivingAesKey, data.receivingMacKey, ours.privateKey];
    for (const shown of [...renderings(ake), ...renderings(data), ...renderings(ours)]) {
      for (const key of hidden) expect(shown).not.toContain(hex(key.expose()).slice(0, 12));
    }
  });

  it('zeroes its bytes on wipe and refuses use afterwards', () => {
    const backing = Uint8Array.from(bytes);
    const wiped = new Secret(backing);
    const clone = wiped.clone();
    wipeAll(wiped, undefined, null);
    expect(backing.every((byte) => byte === 0)).toBe(true);
    expect(wiped.wiped).toBe(true);
    expect(wiped.length).toBe(0);
    expect(() => wiped.expose()).toThrow();
    wiped.wipe();
    expect(hex(clone.expose())).toBe(hex(bytes));
  });
});
