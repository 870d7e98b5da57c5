/**
 * A peer's long-term DSA key in the AKE (Protocol-v3, "Public keys,
 * signatures, and fingerprints": OTR v2/v3 DSA keys are 1024-bit p, 160-bit
 * q). A key of another size is refused with the typed `unsupported-key`
 * before any work on its modulus, and verifying a peer's signature never
 * prepares an OpenSSL DH object for the peer's modulus (making one tests it
 * for primality: about 1.2 s of blocked event loop for 3072 bits). The
 * preparation is counted by wrapping node:crypto's createDiffieHellman.
 */
import { describe, expect, it, vi } from 'vitest';

const prepared = vi.hoisted(() => ({ moduli: [] as string[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  const counted = (prime: unknown, ...rest: unknown[]): unknown => {
    if (prime instanceof Uint8Array) prepared.moduli.push(Buffer.from(prime).toString('hex'));
    return (actual.createDiffieHellman as (...args: unknown[]) => unknown)(prime, ...rest);
  };
  return { ...actual, default: { ...actual, createDiffieHellman: counted }, createDiffieHellman: counted };
});

import { startAke, type AkeMessage } from '../../src/v3/ake/ake.js';
import { bigintToBytes, stripLeadingZeros } from '../../src/crypto/bigint.js';
import { aes128Ctr, dhSharedSecret, deriveAkeKeys, hmacSha256_160, ZERO_COUNTER, type DhKeyPair, type DsaPublicKey } from '../../src/crypto/index.js';
import { encodeSignedKey } from '../../src/wire/index.js';
import { Writer } from '../../src/wire/writer.js';
import { eventsOf, expectProtocolError, Scene } from './evil-peer.js';

const hex = (bytes: Uint8Array): string => Buffer.from(stripLeadingZeros(bytes)).toString('hex');

/** A public key of `pBits`-bit p and `qBits`-bit q that passes every cheap structural check (odd p and q, q | p-1, g and y in range). */
function largeKey(pBits: number, qBits: number): DsaPublicKey {
  const q = (1n << BigInt(qBits - 1)) + 1n;
  const p = q * (1n << BigInt(pBits - qBits)) + 1n;
  return { p: bigintToBytes(p), q: bigintToBytes(q), g: bigintToBytes(2n), y: bigintToBytes(3n) };
}

describe('a peer-chosen DSA modulus costs the victim CPU', () => {
  for (const [pBits, qBits] of [
    [2048, 256],
    [3072, 256],
    [2048, 160],
  ] as const) {
    it(`a Reveal Signature with a ${pBits}/${qBits}-bit DSA key is refused (unsupported-key) without preparing its modulus`, () => {
      const scene = new Scene(`dsa-modulus-${pBits}-${qBits}`);
      const start = startAke(3, scene.akeContext);
      const dhKey = scene.read(scene.toVictim(scene.akeText(start.reply!, 0))).ake[0]! as AkeMessage & { type: 'dh-key' };
      const state = start.next as { ourDh: DhKeyPair; revealKey: { expose(): Uint8Array } };
      const keys = deriveAkeKeys(dhSharedSecret(state.ourDh, dhKey.body.gy)!);
      // X = (pub, keyid, sig) with the large key; the signature's value does not matter, it is never reached.
      const publicKey = largeKey(pBits, qBits);
      const plain = encodeSignedKey({ publicKey, keyId: 1, signature: new Uint8Array((2 * qBits) / 8).fill(7) });
      const encryptedSignature = aes128Ctr(keys.c.expose(), ZERO_COUNTER, plain);
      const mac = hmacSha256_160(keys.m2.expose(), new Writer().data(encryptedSignature).finish());
      const reveal: AkeMessage = { type: 'reveal-signature', version: 3, body: { revealedKey: Uint8Array.from(state.revealKey.expose()), encryptedSignature, mac } };

      prepared.moduli.length = 0;
      const outcome = scene.toVictim(scene.akeText(reveal));
      expectProtocolError(outcome, 'unsupported-key');
      expect(eventsOf(outcome, 'secure')).toEqual([]);
      expect(outcome.send).toEqual([]);
      expect(scene.status().messageState).toBe('plaintext');
      expect(prepared.moduli).not.toContain(hex(publicKey.p));
    });
  }

  it('an honest AKE verifies the peer\'s 1024-bit key without preparing its modulus', () => {
    const scene = new Scene('dsa-modulus-honest');
    prepared.moduli.length = 0;
    scene.runAke();
    expect(scene.status().messageState).toBe('encrypted');
    expect(prepared.moduli).not.toContain(hex(scene.evilKey.publicKey.p));
  });
});
