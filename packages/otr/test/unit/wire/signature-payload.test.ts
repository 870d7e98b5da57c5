/**
 * X_B and the M_B input (Protocol-v3, "Reveal Signature Message") against
 * bytes python-potr's own AuthKeyExchange serialized
 * (test/vectors/potr/signature_payload.py), and PUBKEY against libotr's
 * serialization (test/vectors/libotr/transcript.json).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DecodeError } from '../../../src/errors.js';
import { decodePublicKey, encodePublicKey } from '../../../src/wire/public-key.js';
import {
  decodeSignatureMacInput,
  decodeSignaturePayload,
  encodeAuthenticatorInput,
  encodeSignatureMacInput,
  encodeSignaturePayload,
} from '../../../src/wire/signature-payload.js';
import { loadTranscript, recordsOf } from '../../vectors/libotr/transcript.js';

interface PotrCase {
  p: string;
  q: string;
  g: string;
  y: string;
  gx: string;
  gy: string;
  keyId: number;
  signature: string;
  macInput: string;
  signaturePayload: string;
}
const cases = JSON.parse(readFileSync(new URL('../../vectors/potr/signature-payload.json', import.meta.url), 'utf8')) as PotrCase[];
const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
const hex = (value: Uint8Array): string => Buffer.from(value).toString('hex');

describe('signature payload X_B (python-potr)', () => {
  for (const [i, c] of cases.entries()) {
    const publicKey = { p: bytes(c.p), q: bytes(c.q), g: bytes(c.g), y: bytes(c.y) };
    it(`case ${i}: encodes to potr's X_B and decodes back`, () => {
      expect(hex(encodeSignaturePayload({ publicKey, keyId: c.keyId, signature: bytes(c.signature) }))).toBe(c.signaturePayload);
      expect(decodeSignaturePayload(bytes(c.signaturePayload))).toEqual({ publicKey, keyId: c.keyId, signature: bytes(c.signature) });
    });
    it(`case ${i}: M_B input is potr's (g^x, g^y, pub, keyid)`, () => {
      const input = { ownDh: bytes(c.gx), otherDh: bytes(c.gy), publicKey, keyId: c.keyId };
      expect(hex(encodeSignatureMacInput(input))).toBe(c.macInput);
      expect(hex(encodeAuthenticatorInput(input.ownDh, input.otherDh, publicKey, c.keyId))).toBe(c.macInput);
      expect(decodeSignatureMacInput(bytes(c.macInput))).toEqual(input);
    });
  }

  it('rejects a short signature, trailing bytes, a non-DSA key type', () => {
    const x = bytes(cases[0]?.signaturePayload ?? '');
    expect((decodeSignaturePayload(x.subarray(0, x.length - 1)) as DecodeError).code).toBe('truncated');
    expect((decodeSignaturePayload(Uint8Array.of(...x, 0)) as DecodeError).code).toBe('trailing-bytes');
    expect((decodeSignaturePayload(Uint8Array.of(0, 1, ...x.subarray(2))) as DecodeError).code).toBe('bad-type');
  });
});

describe('PUBKEY (libotr)', () => {
  it('libotr\'s serialized public keys decode and re-encode byte for byte', () => {
    const accounts = Object.values(loadTranscript().runs).flatMap((records) => recordsOf(records, 'account'));
    expect(accounts.length).toBeGreaterThan(0);
    for (const account of accounts) {
      const key = decodePublicKey(bytes(account.publicKey));
      if (key instanceof DecodeError) throw new Error(key.detail);
      expect(hex(encodePublicKey(key))).toBe(account.publicKey);
    }
  });
});
