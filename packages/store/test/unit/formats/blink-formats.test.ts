/**
 * Blink's files: private_key.dsa and trusted_peers (potr era) and otr.key
 * (PEM). Parsed fixtures must give the fingerprints potr and
 * python-cryptography computed; malformed input is rejected with a reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dsaPrivateKeyFromParts, fingerprint, toHex } from '@sotto/otr';
import { encodePotrPrivateKey, parsePotrPrivateKey } from '../../../src/formats/potr-private-key.js';
import { encodePotrTrustedPeers, parsePotrTrustedPeers } from '../../../src/formats/potr-trusted-peers.js';
import { encodePemDsaKey, parsePemDsaKey } from '../../../src/formats/pem-dsa.js';
import { encodeElement, encodeUnsigned, readElements, readUnsigned, TAG } from '../../../src/formats/der.js';
import { hexToBytes } from '../../../src/fingerprint-text.js';
import { BLINK_FIXTURES } from '../../helpers/external-tools.js';

interface Expected {
  potr: { fingerprint: string; peers: { address: string; fingerprint: string; trust: string }[] };
  pem: { fingerprint: string; public: { p: string; q: string; g: string; y: string } };
}
const expected = JSON.parse(readFileSync(join(BLINK_FIXTURES, 'expected.json'), 'utf8')) as Expected;
const fixture = (path: string): Uint8Array => new Uint8Array(readFileSync(join(BLINK_FIXTURES, path)));
const unhex = (hex: string): Uint8Array => hexToBytes(hex.length % 2 === 0 ? hex : `0${hex}`);

function ok<T>(result: { ok: true; value: T } | { ok: false; problem: string }): T {
  if (!result.ok) throw new Error(result.problem);
  return result.value;
}

describe('private_key.dsa (potr)', () => {
  it('reads potr\'s serialization with potr\'s fingerprint', () => {
    const parts = ok(parsePotrPrivateKey(fixture('potr/private_key.dsa')));
    const key = dsaPrivateKeyFromParts(parts);
    expect(key && toHex(fingerprint(key.publicKey))).toBe(expected.potr.fingerprint);
  });

  it('writes the same bytes it reads', () => {
    const bytes = fixture('potr/private_key.dsa');
    expect(encodePotrPrivateKey(ok(parsePotrPrivateKey(bytes)))).toEqual(Buffer.from(bytes));
  });

  it('rejects other key types, truncation, trailing bytes and absurd lengths', () => {
    const bytes = fixture('potr/private_key.dsa');
    const withType = Uint8Array.from(bytes);
    withType[1] = 1;
    expect(parsePotrPrivateKey(withType)).toMatchObject({ ok: false, problem: expect.stringMatching(/not DSA/) as string });
    expect(parsePotrPrivateKey(bytes.subarray(0, bytes.length - 1))).toMatchObject({ ok: false, problem: expect.stringMatching(/ends inside DSA x/) as string });
    expect(parsePotrPrivateKey(Buffer.concat([bytes, Uint8Array.of(0)]))).toMatchObject({ ok: false, problem: expect.stringMatching(/unexpected bytes/) as string });
    expect(parsePotrPrivateKey(Uint8Array.of(0, 0, 0xff, 0xff, 0xff, 0xff))).toMatchObject({ ok: false, problem: expect.stringMatching(/implausible/) as string });
    expect(parsePotrPrivateKey(Uint8Array.of(0))).toMatchObject({ ok: false });
  });
});

describe('trusted_peers (Blink, potr era)', () => {
  it('reads both fingerprint spellings and the trust word', () => {
    const peers = ok(parsePotrTrustedPeers(fixture('potr/trusted_peers')));
    expect(peers).toEqual(expected.potr.peers.map((peer) => ({ address: peer.address, fingerprint: peer.fingerprint, verified: peer.trust !== '' })));
  });

  it('writes Blink\'s form: upper-case groups and "verified"', () => {
    const written = ok(encodePotrTrustedPeers([{ address: 'bob@sip2sip.info', fingerprint: '0123456789abcdef0123456789abcdef01234567', verified: true }]));
    expect(written).toBe('bob@sip2sip.info\t01234567 89ABCDEF 01234567 89ABCDEF 01234567\tverified\n');
  });

  it.each([
    ['two fields', 'bob\tverified\n', /line 1: expected/],
    ['four fields', `bob\t${'ab'.repeat(20)}\tverified\textra\n`, /line 1: expected/],
    ['a bad fingerprint', `bob\t${'ab'.repeat(19)}\tverified\n`, /line 1: the fingerprint/],
  ])('rejects %s', (_name, input, message) => {
    const result = parsePotrTrustedPeers(new TextEncoder().encode(input));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(message);
  });
});

describe('otr.key (PEM)', () => {
  const pub = expected.pem.public;

  it('reads PKCS#8 as python-cryptography wrote it: p, q, g and an x matching y', () => {
    const parts = ok(parsePemDsaKey(fixture('pem/otr.key')));
    expect(parts.y).toBeUndefined();
    expect([parts.p, parts.q, parts.g].map(toHex)).toEqual([pub.p, pub.q, pub.g].map((hex) => toHex(unhex(hex))));
    const key = dsaPrivateKeyFromParts({ ...parts, y: unhex(pub.y) });
    expect(key && toHex(fingerprint(key.publicKey))).toBe(expected.pem.fingerprint);
  });

  it('reads OpenSSL\'s older DSA PRIVATE KEY, which carries y', () => {
    const parts = ok(parsePemDsaKey(fixture('pem/otr-traditional.key')));
    expect(parts.y && toHex(parts.y)).toBe(toHex(unhex(pub.y)));
    const key = dsaPrivateKeyFromParts({ ...parts, y: parts.y ?? new Uint8Array() });
    expect(key && toHex(fingerprint(key.publicKey))).toBe(expected.pem.fingerprint);
  });

  it('writes the same PKCS#8 DER that python-cryptography wrote', () => {
    const parts = ok(parsePemDsaKey(fixture('pem/otr.key')));
    expect(encodePemDsaKey({ ...parts, y: unhex(pub.y) })).toBe(readFileSync(join(BLINK_FIXTURES, 'pem/otr.key'), 'utf8'));
  });

  it.each([
    ['no PEM block', 'hello', /no "-----BEGIN/],
    ['an encrypted key', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n', /encrypted/],
    ['an RSA key', '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n', /not a DSA private key/],
    ['mismatched labels', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n', /ends as/],
    ['bad base64', '-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n', /base64/],
    ['garbage DER', '-----BEGIN PRIVATE KEY-----\nMAM=\n-----END PRIVATE KEY-----\n', /DER/],
  ])('rejects %s', (_name, input, message) => {
    const result = parsePemDsaKey(new TextEncoder().encode(input));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(message);
  });

  it('rejects a PKCS#8 key of another algorithm', () => {
    // An RSA PrivateKeyInfo skeleton: OID 1.2.840.113549.1.1.1.
    const rsaOid = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);
    const der = encodeElement(
      TAG.SEQUENCE,
      encodeUnsigned(Uint8Array.of(0)),
      encodeElement(TAG.SEQUENCE, encodeElement(TAG.OID, rsaOid), encodeElement(TAG.NULL)),
      encodeElement(TAG.OCTET_STRING, encodeUnsigned(Uint8Array.of(5))),
    );
    const pem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(der).toString('base64')}\n-----END PRIVATE KEY-----\n`;
    expect(parsePemDsaKey(new TextEncoder().encode(pem))).toMatchObject({ ok: false, problem: expect.stringMatching(/not a DSA key/) as string });
  });
});

describe('DER', () => {
  it('rejects indefinite, non-minimal and overlong lengths, and non-minimal or negative integers', () => {
    expect(readElements(Uint8Array.of(0x30, 0x80, 0, 0)).ok).toBe(false);
    expect(readElements(Uint8Array.of(0x04, 0x81, 0x01, 0)).ok).toBe(false);
    expect(readElements(Uint8Array.of(0x04, 0x82, 0x00, 0x80)).ok).toBe(false);
    expect(readElements(Uint8Array.of(0x04, 0x05, 0)).ok).toBe(false);
    expect(readElements(Uint8Array.of(0x1f, 0x01, 0)).ok).toBe(false);
    expect(readUnsigned({ tag: TAG.INTEGER, content: Uint8Array.of(0, 0x01) }, 'n').ok).toBe(false);
    expect(readUnsigned({ tag: TAG.INTEGER, content: Uint8Array.of(0x80) }, 'n').ok).toBe(false);
    expect(readUnsigned({ tag: TAG.INTEGER, content: new Uint8Array() }, 'n').ok).toBe(false);
  });

  it('encodes integers minimally with a sign byte when needed, and long lengths', () => {
    expect(encodeUnsigned(Uint8Array.of(0, 0, 0x7f))).toEqual(Buffer.from([2, 1, 0x7f]));
    expect(encodeUnsigned(Uint8Array.of(0x80))).toEqual(Buffer.from([2, 2, 0, 0x80]));
    expect(encodeUnsigned(new Uint8Array())).toEqual(Buffer.from([2, 1, 0]));
    expect(encodeElement(TAG.OCTET_STRING, new Uint8Array(300)).subarray(0, 4)).toEqual(Buffer.from([4, 0x82, 0x01, 0x2c]));
  });
});
