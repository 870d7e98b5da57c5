/** Key derivation checked against libotr's otr_sesskeys/otr_mackey and python-potr. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { deriveAkeKeys, deriveDataKeys, dhSharedSecret, extraSymmetricKey, generateDhKeyPair, sha1 } from '../../src/crypto/index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.length % 2 ? '0' + text : text, 'hex'));
const load = <T>(path: string): T[] => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T[];

interface SessKeys {
  ourPrivate: string;
  theirPublic: string;
  ourPublic: string;
  sendingAesKey: string;
  sendingMacKey: string;
  receivingAesKey: string;
  receivingMacKey: string;
  otrMackeyOfSendingAesKey: string;
}
interface AkeKeysVector {
  ourPrivate: string;
  theirPublic: string;
  ssid: string;
  c: string;
  cPrime: string;
  m1: string;
  m2: string;
  m1Prime: string;
  m2Prime: string;
  extraKey: string;
}

function keyPairFromPrivate(privateHex: string) {
  return generateDhKeyPair(() => bytes(privateHex));
}

describe('data-message keys (libotr5-bin otr_sesskeys)', () => {
  for (const [index, vector] of load<SessKeys>('./libotr5-bin/sesskeys.json').entries()) {
    it(`case ${index}`, () => {
      const ours = keyPairFromPrivate(vector.ourPrivate);
      expect(hex(ours.publicKey)).toBe(vector.ourPublic);
      const shared = dhSharedSecret(ours, bytes(vector.theirPublic));
      expect(shared).toBeDefined();
      const keys = deriveDataKeys(shared!, ours.publicKey, bytes(vector.theirPublic));
      expect(hex(keys.sendingAesKey.expose())).toBe(vector.sendingAesKey);
      expect(hex(keys.sendingMacKey.expose())).toBe(vector.sendingMacKey);
      expect(hex(keys.receivingAesKey.expose())).toBe(vector.receivingAesKey);
      expect(hex(keys.receivingMacKey.expose())).toBe(vector.receivingMacKey);
      expect(hex(sha1(bytes(vector.sendingAesKey)))).toBe(vector.otrMackeyOfSendingAesKey);
    });
  }
});

describe('AKE keys (python-potr createAuthKeys)', () => {
  for (const [index, vector] of load<AkeKeysVector>('./potr/akekeys.json').entries()) {
    it(`case ${index}`, () => {
      const ours = keyPairFromPrivate(vector.ourPrivate.padStart(80, '0'));
      const shared = dhSharedSecret(ours, bytes(vector.theirPublic))!;
      const keys = deriveAkeKeys(shared);
      expect(hex(keys.ssid)).toBe(vector.ssid);
      expect(hex(keys.c.expose())).toBe(vector.c);
      expect(hex(keys.cPrime.expose())).toBe(vector.cPrime);
      expect(hex(keys.m1.expose())).toBe(vector.m1);
      expect(hex(keys.m2.expose())).toBe(vector.m2);
      expect(hex(keys.m1Prime.expose())).toBe(vector.m1Prime);
      expect(hex(keys.m2Prime.expose())).toBe(vector.m2Prime);
      expect(hex(extraSymmetricKey(shared).expose())).toBe(vector.extraKey);
    });
  }
});
