/**
 * Encodings written by otr4j (see README.md for provenance): a Client
 * Profile with all seven fields and a version 4 data message.
 */
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import {
  clientProfileSignedBytes,
  decodeClientProfile,
  decodeV4Message,
  encodeClientProfile,
  encodeV4Message,
  type DecodedClientProfile,
} from '../../../src/wire/v4/index.js';

interface Vector {
  readonly name: string;
  readonly hex: string;
}
const { vectors } = JSON.parse(readFileSync(new URL('./otr4j.json', import.meta.url), 'utf8')) as { vectors: Vector[] };
const bytesOf = (name: string): Uint8Array => Buffer.from(vectors.find((v) => v.name === name)?.hex ?? '', 'hex');

function ok<T>(value: T | DecodeError): T {
  if (value instanceof DecodeError) throw new Error(`${value.code}: ${value.detail}`);
  return value;
}

/** Verifies a plain Ed448 signature (RFC 8032, empty context) with OpenSSL: test-side check of the fixture only. */
function ed448Verifies(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed448', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
  return verify(null, message, key, signature);
}

describe('otr4j vectors', () => {
  const profileBytes = bytesOf('client-profile-7-fields');

  it('decodes otr4j\'s seven-field client profile and encodes it back byte for byte', () => {
    const profile: DecodedClientProfile = ok(decodeClientProfile(profileBytes));
    expect(profile.ownerInstanceTag).toBe(0xd7ba32d8);
    expect(profile.versions).toBe('34');
    expect(profile.dsaPublicKey?.q.length).toBe(20);
    expect(profile.transitionalSignature?.length).toBe(40);
    expect(profile.expiration > 1_700_000_000n).toBe(true);
    expect(Buffer.from(profile.encoded).equals(Buffer.from(profileBytes))).toBe(true);
    expect(Buffer.from(encodeClientProfile(profile)).equals(Buffer.from(profileBytes))).toBe(true);
  });

  it('otr4j signs the client profile over the fields without the 4-byte field count', () => {
    const profile = ok(decodeClientProfile(profileBytes));
    expect(ed448Verifies(profile.publicKey, clientProfileSignedBytes(profile), profile.signature)).toBe(true);
    expect(ed448Verifies(profile.publicKey, clientProfileSignedBytes(profile, 'fields-without-count'), profile.signature)).toBe(true);
    expect(ed448Verifies(profile.publicKey, clientProfileSignedBytes(profile, 'fields-with-count'), profile.signature)).toBe(false);
  });

  it('decodes otr4j\'s version 4 data message and encodes it back byte for byte', () => {
    const bytes = bytesOf('data-message-4');
    const message = ok(decodeV4Message(bytes));
    expect(message.kind).toBe('data');
    if (message.kind !== 'data') return;
    expect(message.senderTag).toBe(0x100);
    expect(message.receiverTag).toBe(0xffffffff);
    const body = message.body;
    expect([body.flags, body.previousChainLength, body.ratchetId, body.messageId]).toEqual([0, 0, 0, 0]);
    expect(body.ecdh.length).toBe(57);
    expect(body.dh?.length).toBe(384);
    expect(body.authenticator.length).toBe(64);
    expect(body.revealedMacKeys.length).toBe(0);
    expect(message.macInput.length).toBe(bytes.length - 64 - 4);
    expect(Buffer.from(encodeV4Message(message, { kind: 'data', body })).equals(Buffer.from(bytes))).toBe(true);
  });
});
