/**
 * Key derivation (Protocol-v3 "Computing AES keys, MAC keys, and the secure
 * session id", "Extra symmetric key") against libotr itself
 * (test/vectors/libotr/dh.json: otrl_dh_compute_v2_auth_keys and
 * otrl_dh_session, with the AES keys seen through libgcrypt keystreams and
 * the MAC keys through HMACs), including a shared secret whose MPI is one
 * byte short; and the pairing rule that one end's sending keys are the
 * other's receiving keys. Data keys are also checked against otr_sesskeys in
 * test/vectors/kdf.vectors.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  aes128Ctr,
  compareDhPublic,
  deriveAkeKeys,
  deriveDataKeys,
  deterministicRandom,
  dhSharedSecret,
  extraSymmetricKey,
  generateDhKeyPair,
  hmacSha256,
  Secret,
  sha1,
  ZERO_COUNTER,
} from '../../../src/crypto/index.js';

interface DhCase {
  note: string;
  ourPrivate: string;
  theirPublic: string;
  message: string;
  counterTop: string;
  accepted: boolean;
  ourPublic: string;
  ssid?: string;
  cKeystream?: string;
  cPrimeKeystream?: string;
  m1Mac?: string;
  m2Mac?: string;
  m1PrimeMac?: string;
  m2PrimeMac?: string;
  sendingKeystream?: string;
  receivingKeystream?: string;
  sendingMacKey?: string;
  receivingMacKey?: string;
  extraKey?: string;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
interface SessKeys {
  note?: string;
  ourPrivate: string;
  theirPublic: string;
  high: boolean;
  ourPublic: string;
  sessionId: string;
  sendingAesKey: string;
  receivingAesKey: string;
}

const load = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const { cases } = load('../../vectors/libotr/dh.json') as { cases: DhCase[] };
const sesskeys = load('../../vectors/libotr5-bin/sesskeys.json') as SessKeys[];
const ZEROS = new Uint8Array(32);

describe('key derivation against libotr (dh.json)', () => {
  it('includes a shared secret with a leading zero byte', () => {
    const short = cases.find((c) => c.note.includes('leading zero'));
    expect(short).toBeDefined();
    const ours = generateDhKeyPair(() => bytes(short?.ourPrivate ?? ''));
    expect(dhSharedSecret(ours, bytes(short?.theirPublic ?? ''))?.length).toBe(191);
  });

  for (const c of cases.filter((entry) => entry.accepted)) {
    it(c.note, () => {
      const ours = generateDhKeyPair(() => bytes(c.ourPrivate));
      expect(hex(ours.publicKey)).toBe(c.ourPublic);
      const shared = dhSharedSecret(ours, bytes(c.theirPublic));
      if (shared === undefined) throw new Error('refused a value libotr accepted');
      const message = bytes(c.message);

      const ake = deriveAkeKeys(shared);
      expect(hex(ake.ssid)).toBe(c.ssid);
      expect(hex(aes128Ctr(ake.c.expose(), ZERO_COUNTER, ZEROS))).toBe(c.cKeystream);
      expect(hex(aes128Ctr(ake.cPrime.expose(), ZERO_COUNTER, ZEROS))).toBe(c.cPrimeKeystream);
      expect(hex(hmacSha256(ake.m1.expose(), message))).toBe(c.m1Mac);
      expect(hex(hmacSha256(ake.m2.expose(), message))).toBe(c.m2Mac);
      expect(hex(hmacSha256(ake.m1Prime.expose(), message))).toBe(c.m1PrimeMac);
      expect(hex(hmacSha256(ake.m2Prime.expose(), message))).toBe(c.m2PrimeMac);

      const data = deriveDataKeys(shared, ours.publicKey, bytes(c.theirPublic));
      const top = bytes(c.counterTop);
      expect(hex(aes128Ctr(data.sendingAesKey.expose(), top, ZEROS))).toBe(c.sendingKeystream);
      expect(hex(aes128Ctr(data.receivingAesKey.expose(), top, ZEROS))).toBe(c.receivingKeystream);
      expect(hex(data.sendingMacKey.expose())).toBe(c.sendingMacKey);
      expect(hex(data.receivingMacKey.expose())).toBe(c.receivingMacKey);
      expect(hex(extraSymmetricKey(shared).expose())).toBe(c.extraKey);
    });
  }
});

describe('shared secret and key direction against otr_sesskeys (libotr5-bin/sesskeys.json)', () => {
  it('covers a 191-byte shared secret and a 191-byte public value', () => {
    expect(sesskeys.filter((c) => c.note?.includes('leading zero')).length).toBe(2);
  });

  for (const [index, c] of sesskeys.entries()) {
    it(c.note ?? `case ${String(index)}`, () => {
      const ours = generateDhKeyPair(() => bytes(c.ourPrivate));
      expect(hex(ours.publicKey)).toBe(c.ourPublic);
      // otr_sesskeys prints the v1 session id SHA-1(0x00 || MPI(s)): it pins s and its minimal MPI.
      const shared = dhSharedSecret(ours, bytes(c.theirPublic))?.expose() ?? new Uint8Array(0);
      const mpi = Uint8Array.from([0, 0, shared.length >> 8, shared.length & 0xff, ...shared]);
      expect(hex(sha1(Uint8Array.of(0), mpi))).toBe(c.sessionId);
      expect(compareDhPublic(ours.publicKey, bytes(c.theirPublic)) > 0).toBe(c.high);
    });
  }
});

describe('key shapes and pairing', () => {
  const alice = generateDhKeyPair(deterministicRandom('alice'));
  const bob = generateDhKeyPair(deterministicRandom('bob'));
  const atAlice = dhSharedSecret(alice, bob.publicKey) ?? new Secret(new Uint8Array(1));
  const atBob = dhSharedSecret(bob, alice.publicKey) ?? new Secret(new Uint8Array(1));

  it('gives the AKE keys their sizes', () => {
    const keys = deriveAkeKeys(atAlice);
    expect(keys.ssid.length).toBe(8);
    expect([keys.c, keys.cPrime].map((k) => k.length)).toEqual([16, 16]);
    expect([keys.m1, keys.m2, keys.m1Prime, keys.m2Prime].map((k) => k.length)).toEqual([32, 32, 32, 32]);
    expect(extraSymmetricKey(atAlice).length).toBe(32);
  });

  it("makes one end's sending keys the other's receiving keys", () => {
    const a = deriveDataKeys(atAlice, alice.publicKey, bob.publicKey);
    const b = deriveDataKeys(atBob, bob.publicKey, alice.publicKey);
    expect(hex(a.sendingAesKey.expose())).toBe(hex(b.receivingAesKey.expose()));
    expect(hex(a.sendingMacKey.expose())).toBe(hex(b.receivingMacKey.expose()));
    expect(hex(a.receivingAesKey.expose())).toBe(hex(b.sendingAesKey.expose()));
    expect(hex(a.sendingAesKey.expose())).not.toBe(hex(a.receivingAesKey.expose()));
    expect(a.sendingAesKey.length).toBe(16);
    expect(a.sendingMacKey.length).toBe(20);
  });

  it('derives the same keys from a shared secret given with a leading zero byte', () => {
    const padded = new Secret(Uint8Array.from([0, ...atAlice.expose()]));
    expect(hex(deriveAkeKeys(padded).ssid)).toBe(hex(deriveAkeKeys(atAlice).ssid));
    expect(hex(extraSymmetricKey(padded).expose())).toBe(hex(extraSymmetricKey(atAlice).expose()));
  });

  it('wipes every key', () => {
    const ake = deriveAkeKeys(atAlice);
    const data = deriveDataKeys(atAlice, alice.publicKey, bob.publicKey);
    ake.wipe();
    data.wipe();
    for (const key of [ake.c, ake.cPrime, ake.m1, ake.m2, ake.m1Prime, ake.m2Prime, data.sendingAesKey, data.sendingMacKey, data.receivingAesKey, data.receivingMacKey]) {
      expect(key.wiped).toBe(true);
    }
    expect(atAlice.wiped).toBe(false);
  });
});
