/**
 * AES-128-CTR against NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt) and the
 * counter layout OTR uses (top half given, low half zero).
 */
import { describe, expect, it } from 'vitest';
import { aes128Ctr, aes128CtrBlock, ZERO_COUNTER } from '../../../src/crypto/index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

const NIST_KEY = bytes('2b7e151628aed2a6abf7158809cf4f3c');
const NIST_COUNTER = bytes('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
const NIST_PLAINTEXT = bytes(
  '6bc1bee22e409f96e93d7e117393172a' + 'ae2d8a571e03ac9c9eb76fac45af8e51' + '30c81c46a35ce411e5fbc1191a0a52ef' + 'f69f2445df4f9b17ad2b417be66c3710',
);
const NIST_CIPHERTEXT =
  '874d6191b620e3261bef6864990db6ce' + '9806f66b7970fdff8617187bb9fffdff' + '5ae4df3edbd5d35e5b4f09020db03eab' + '1e031dda2fbe03d1792170a0f3009cee';

describe('AES-128-CTR', () => {
  it('encrypts the NIST SP 800-38A F.5.1 vector (the counter carries across bytes)', () => {
    expect(hex(aes128CtrBlock(NIST_KEY, NIST_COUNTER, NIST_PLAINTEXT))).toBe(NIST_CIPHERTEXT);
  });

  it('decrypts the NIST vector (F.5.2) with the same operation', () => {
    expect(hex(aes128CtrBlock(NIST_KEY, NIST_COUNTER, bytes(NIST_CIPHERTEXT)))).toBe(hex(NIST_PLAINTEXT));
  });

  it('is a stream: a partial last block is the prefix of the full keystream', () => {
    const partial = aes128CtrBlock(NIST_KEY, NIST_COUNTER, NIST_PLAINTEXT.subarray(0, 37));
    expect(hex(partial)).toBe(NIST_CIPHERTEXT.slice(0, 74));
    expect(aes128CtrBlock(NIST_KEY, NIST_COUNTER, new Uint8Array(0)).length).toBe(0);
  });

  it('starts OTR counters at top half || 0^64', () => {
    const top = bytes('0102030405060708');
    const data = new Uint8Array(40).fill(0x5a);
    expect(hex(aes128Ctr(NIST_KEY, top, data))).toBe(hex(aes128CtrBlock(NIST_KEY, bytes('0102030405060708' + '00'.repeat(8)), data)));
    expect(hex(aes128Ctr(NIST_KEY, ZERO_COUNTER, data))).toBe(hex(aes128CtrBlock(NIST_KEY, new Uint8Array(16), data)));
    expect(hex(aes128Ctr(NIST_KEY, top, data))).not.toBe(hex(aes128Ctr(NIST_KEY, ZERO_COUNTER, data)));
  });

  it('has an all-zero AKE counter', () => {
    expect(hex(ZERO_COUNTER)).toBe('00'.repeat(8));
  });

  it('refuses wrong key and counter sizes', () => {
    expect(() => aes128Ctr(new Uint8Array(15), ZERO_COUNTER, new Uint8Array(1))).toThrow(RangeError);
    expect(() => aes128Ctr(NIST_KEY, new Uint8Array(16), new Uint8Array(1))).toThrow(RangeError);
    expect(() => aes128CtrBlock(NIST_KEY, new Uint8Array(8), new Uint8Array(1))).toThrow(RangeError);
  });
});
