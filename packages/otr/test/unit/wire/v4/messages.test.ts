/**
 * Known encodings of wire/v4, written by hand from otrv4.md (each hex
 * string names its section), and every class of malformed input.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, type DecodeErrorCode } from '../../../../src/errors.js';
import {
  clientProfileSignedBytes,
  clientProfileTransitionalSignedBytes,
  decodeAuthIMessage,
  decodeAuthRMessage,
  decodeClientProfile,
  decodeExtraSymmetricKeyUse,
  decodeIdentityMessage,
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  decodeV4DataMessage,
  decodeV4Header,
  decodeV4Message,
  encodeClientProfile,
  encodeExtraSymmetricKeyUse,
  encodeV4DataMacInput,
  encodeV4Message,
  splitRevealedMacKeys,
  type ClientProfile,
} from '../../../../src/wire/v4/index.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fill = (byte: string, count: number): string => byte.repeat(count);

function ok<T>(value: T | DecodeError): T {
  if (value instanceof DecodeError) throw new Error(`${value.code}: ${value.detail}`);
  return value;
}
function errorCode(value: unknown): DecodeErrorCode | undefined {
  return value instanceof DecodeError ? value.code : undefined;
}

// "Client Profile Data Type": Number of Fields, then each field with its
// 2-byte big-endian type; ED448-PUBKEY / ED448-FORGING-KEY carry their
// pubkey type LITTLE-endian ("Public keys, Shared Prekeys, Forging keys and
// Fingerprints"): 0x0010 is written 10 00, 0x0012 is 12 00. CLIENT-PROF-EXP
// is 8 bytes signed big-endian; the signature is 114 bytes.
const H = fill('aa', 57);
const F = fill('bb', 57);
const PROFILE_FIELDS_HEX =
  '0001 00000100' + // owner instance tag 0x100
  '0002 1000' + H + // Ed448 public key, type 0x0010 LE
  '0003 1200' + F + // forging key, type 0x0012 LE
  '0004 00000001 34' + // versions "4"
  '0005 0000000065000000'; // expiration 0x65000000 seconds
const PROFILE_HEX = '00000005' + PROFILE_FIELDS_HEX + fill('cc', 114);

const SIGMA_HEX = fill('01', 57) + fill('02', 57) + fill('03', 57) + fill('04', 57) + fill('05', 57) + fill('06', 57);
const DH_HEX = '00000003 010203';

describe('wire/v4 known encodings from the spec text', () => {
  it('client profile (Client Profile Data Type) decodes field by field', () => {
    const profile = ok(decodeClientProfile(hex(PROFILE_HEX)));
    expect(profile.ownerInstanceTag).toBe(0x100);
    expect(toHex(profile.publicKey)).toBe(H);
    expect(toHex(profile.forgingKey)).toBe(F);
    expect(profile.versions).toBe('4');
    expect(profile.expiration).toBe(0x65000000n);
    expect(profile.dsaPublicKey).toBeUndefined();
    expect(toHex(encodeClientProfile(profile))).toBe(PROFILE_HEX.replace(/\s+/g, ''));
  });

  it('client profile signature input (Create a Client Profile Signature) is the fields without the count by default, as otr4j signs', () => {
    const profile = ok(decodeClientProfile(hex(PROFILE_HEX)));
    expect(toHex(clientProfileSignedBytes(profile))).toBe(PROFILE_FIELDS_HEX.replace(/\s+/g, ''));
    expect(toHex(clientProfileSignedBytes(profile, 'fields-with-count'))).toBe(('00000005' + PROFILE_FIELDS_HEX).replace(/\s+/g, ''));
  });

  it('transitional signature input covers fields 0x0001..0x0006 only', () => {
    const dsa = { p: hex('07'), q: hex('05'), g: hex('02'), y: hex('03') };
    const fields: ClientProfile = { ...ok(decodeClientProfile(hex(PROFILE_HEX))), dsaPublicKey: dsa, transitionalSignature: hex(fill('99', 40)) };
    const dsaField = '0006 0000 00000001 07 00000001 05 00000001 02 00000001 03';
    expect(toHex(clientProfileTransitionalSignedBytes(fields))).toBe((PROFILE_FIELDS_HEX + dsaField).replace(/\s+/g, ''));
    expect(toHex(clientProfileSignedBytes(fields))).toBe((PROFILE_FIELDS_HEX + dsaField + '0007' + fill('99', 40)).replace(/\s+/g, ''));
  });

  it('Identity message (Identity Message): header 0004 35, profile, Y, B, our_ecdh_first, our_dh_first', () => {
    const text = '0004 35 00000100 00000000' + PROFILE_HEX + fill('d1', 57) + DH_HEX + fill('d2', 57) + '00000001 09';
    const message = ok(decodeV4Message(hex(text)));
    expect(message.kind).toBe('identity');
    if (message.kind !== 'identity') return;
    expect([message.senderTag, message.receiverTag]).toEqual([0x100, 0]);
    expect(toHex(message.body.profile.encoded)).toBe(PROFILE_HEX.replace(/\s+/g, ''));
    expect(toHex(message.body.ecdh)).toBe(fill('d1', 57));
    expect(toHex(message.body.dh)).toBe('010203');
    expect(toHex(message.body.firstDh)).toBe('09');
    expect(toHex(encodeV4Message(message, { kind: 'identity', body: message.body }))).toBe(text.replace(/\s+/g, ''));
  });

  it('Auth-R message (Auth-R Message): header 0004 36, profile, X, A, sigma, our_ecdh_first, our_dh_first', () => {
    const text = '0004 36 00000101 00000100' + PROFILE_HEX + fill('e1', 57) + DH_HEX + SIGMA_HEX + fill('e2', 57) + DH_HEX;
    const message = ok(decodeV4Message(hex(text)));
    expect(message.kind).toBe('auth-r');
    if (message.kind !== 'auth-r') return;
    expect(toHex(message.body.sigma.c1)).toBe(fill('01', 57));
    expect(toHex(message.body.sigma.r3)).toBe(fill('06', 57));
    expect(toHex(encodeV4Message(message, { kind: 'auth-r', body: message.body }))).toBe(text.replace(/\s+/g, ''));
  });

  it('Auth-I message (Auth-I Message): header 0004 37 and sigma (RING-SIG: c1 r1 c2 r2 c3 r3)', () => {
    const text = '0004 37 00000100 00000101' + SIGMA_HEX;
    const message = ok(decodeV4Message(hex(text)));
    expect(message.kind).toBe('auth-i');
    if (message.kind !== 'auth-i') return;
    expect(toHex(message.body.sigma.c2)).toBe(fill('03', 57));
    expect(toHex(encodeV4Message(message, message))).toBe(text.replace(/\s+/g, ''));
  });

  it('data message (Data Message Format): flags, pn, i, j, ECDH, empty DH, ciphertext, 64-byte MAC, revealed keys', () => {
    const covered = '0004 03 00000100 00000101 01 00000002 00000003 00000004' + fill('dd', 57) + '00000000' + '00000003 414243';
    const text = covered + fill('ee', 64) + '00000080' + fill('f1', 64) + fill('f2', 64);
    const message = ok(decodeV4Message(hex(text)));
    expect(message.kind).toBe('data');
    if (message.kind !== 'data') return;
    const body = message.body;
    expect([body.flags, body.previousChainLength, body.ratchetId, body.messageId]).toEqual([1, 2, 3, 4]);
    expect(body.dh).toBeUndefined();
    expect(toHex(body.encryptedMessage)).toBe('414243');
    expect(toHex(message.macInput)).toBe(covered.replace(/\s+/g, ''));
    expect(toHex(encodeV4DataMacInput(message, body))).toBe(covered.replace(/\s+/g, ''));
    expect(ok(splitRevealedMacKeys(body.revealedMacKeys)).map(toHex)).toEqual([fill('f1', 64), fill('f2', 64)]);
    expect(toHex(encodeV4Message(message, { kind: 'data', body }))).toBe(text.replace(/\s+/g, ''));
  });

  it('extra symmetric key TLV 7 value (TLV Record Types; Extra Symmetric Key): 4-byte context, then data', () => {
    const use = ok(decodeExtraSymmetricKeyUse(hex('00000042 6669 6c65')));
    expect(use.context).toBe(0x42);
    expect(toHex(use.data)).toBe('66696c65');
    expect(toHex(encodeExtraSymmetricKeyUse(use))).toBe('0000004266696c65');
  });

  it('SMP messages 1..4 (SMP Message 1 .. SMP Message 4): question DATA, then POINTs and SCALARs of 57 bytes', () => {
    const p = (b: string) => fill(b, 57);
    const smp1 = ok(decodeSmpMessage1(hex('00000003 3f3f3f' + p('11') + p('12') + p('13') + p('14') + p('15') + p('16'))));
    expect(Buffer.from(smp1.question).toString()).toBe('???');
    expect(toHex(smp1.d3)).toBe(p('16'));
    const smp2 = ok(decodeSmpMessage2(hex(['21', '22', '23', '24', '25', '26', '27', '28', '29', '2a', '2b'].map(p).join(''))));
    expect(toHex(smp2.qb)).toBe(p('28'));
    const smp3 = ok(decodeSmpMessage3(hex(['31', '32', '33', '34', '35', '36', '37', '38'].map(p).join(''))));
    expect(toHex(smp3.ra)).toBe(p('36'));
    const smp4 = ok(decodeSmpMessage4(hex(p('41') + p('42') + p('43'))));
    expect(toHex(smp4.d7)).toBe(p('43'));
  });
});

describe('wire/v4 decoders refuse malformed input', () => {
  const auth = hex('0004 37 00000100 00000101' + SIGMA_HEX);

  it('every truncation of a message is a DecodeError', () => {
    const identity = hex('0004 35 00000100 00000000' + PROFILE_HEX + fill('d1', 57) + DH_HEX + fill('d2', 57) + DH_HEX);
    for (const whole of [auth, identity]) {
      for (let length = 0; length < whole.length; length++) expect(errorCode(decodeV4Message(whole.subarray(0, length)))).toBeDefined();
    }
    const profile = hex(PROFILE_HEX);
    for (let length = 0; length < profile.length; length++) expect(errorCode(decodeClientProfile(profile.subarray(0, length)))).toBe('truncated');
  });

  it('trailing bytes after a message, a profile or an SMP value are refused', () => {
    expect(errorCode(decodeV4Message(Uint8Array.of(...auth, 0)))).toBe('trailing-bytes');
    expect(errorCode(decodeClientProfile(hex(PROFILE_HEX + '00')))).toBe('trailing-bytes');
    expect(errorCode(decodeAuthIMessage(hex(SIGMA_HEX + '00')))).toBe('trailing-bytes');
    expect(errorCode(decodeSmpMessage4(hex(fill('41', 57 * 3 + 1))))).toBe('trailing-bytes');
  });

  it('bad versions, message types and reserved instance tags in the header', () => {
    expect(errorCode(decodeV4Header(hex('0003 37 00000100 00000101')))).toBe('bad-version');
    expect(errorCode(decodeV4Message(hex('0004 02 00000100 00000101')))).toBe('bad-type');
    expect(errorCode(decodeV4Message(hex('0004 37 000000ff 00000101' + SIGMA_HEX)))).toBe('bad-instance-tag');
    expect(errorCode(decodeV4Message(hex('0004 37 00000100 00000001' + SIGMA_HEX)))).toBe('bad-instance-tag');
  });

  it('pubkey types written big-endian (as libotr-ng does) are bad-type', () => {
    expect(errorCode(decodeClientProfile(hex(PROFILE_HEX.replace('0002 1000', '0002 0010'))))).toBe('bad-type');
    expect(errorCode(decodeClientProfile(hex(PROFILE_HEX.replace('0003 1200', '0003 0012'))))).toBe('bad-type');
    expect(errorCode(decodeClientProfile(hex(PROFILE_HEX.replace('0003 1200', '0003 1000'))))).toBe('bad-type');
  });

  it('client profile field count too large, zero, or not matching the fields', () => {
    expect(errorCode(decodeClientProfile(hex('00000008' + PROFILE_FIELDS_HEX + fill('cc', 114))))).toBe('too-long');
    expect(errorCode(decodeClientProfile(hex('ffffffff' + PROFILE_FIELDS_HEX)))).toBe('too-long');
    expect(errorCode(decodeClientProfile(hex('00000000' + fill('cc', 114))))).toBe('bad-field');
    expect(errorCode(decodeClientProfile(hex('00000004' + PROFILE_FIELDS_HEX + fill('cc', 114))))).toBeDefined();
    expect(errorCode(decodeClientProfile(hex('00000006' + PROFILE_FIELDS_HEX + fill('cc', 114))))).toBeDefined();
  });

  it('client profile with an unknown field type, a repeated field, a missing field or a reserved owner tag', () => {
    expect(errorCode(decodeClientProfile(hex('00000006' + PROFILE_FIELDS_HEX + '0008 00' + fill('cc', 114))))).toBe('bad-type');
    expect(errorCode(decodeClientProfile(hex('00000006' + PROFILE_FIELDS_HEX + '0001 00000100' + fill('cc', 114))))).toBe('bad-field');
    expect(errorCode(decodeClientProfile(hex('00000004' + PROFILE_FIELDS_HEX.replace('0004 00000001 34', '') + fill('cc', 114))))).toBe('bad-field');
    expect(errorCode(decodeClientProfile(hex(PROFILE_HEX.replace('0001 00000100', '0001 000000ff'))))).toBe('bad-instance-tag');
  });

  it('client profile versions too long or not printable', () => {
    expect(errorCode(decodeClientProfile(hex(PROFILE_HEX.replace('0004 00000001 34', '0004 00000011' + fill('34', 17)))))).toBe('too-long');
    expect(errorCode(decodeClientProfile(hex(PROFILE_HEX.replace('0004 00000001 34', '0004 00000001 20'))))).toBe('bad-field');
  });

  it('bad lengths: DH MPI over 384 bytes, an MPI with a leading zero, a huge ciphertext length', () => {
    const identity = (dh: string) => hex(PROFILE_HEX + fill('d1', 57) + dh + fill('d2', 57) + DH_HEX);
    expect(errorCode(decodeIdentityMessage(identity('00000181' + fill('01', 385))))).toBe('too-long');
    expect(errorCode(decodeIdentityMessage(identity('00000002 0001')))).toBe('bad-field');
    const data = (tail: string) => hex('00 00000000 00000000 00000000' + fill('dd', 57) + tail);
    expect(errorCode(decodeV4DataMessage(data('00000001 00 00000000' + fill('ee', 64) + '00000000')))).toBe('bad-field');
    expect(errorCode(decodeV4DataMessage(data('00000000 ffffffff')))).toBe('too-long');
    expect(errorCode(decodeAuthRMessage(hex(PROFILE_HEX + fill('e1', 57) + DH_HEX + SIGMA_HEX.slice(2))))).toBeDefined();
  });

  it('revealed MAC keys that are not 64-byte keys, and a short extra key TLV', () => {
    expect(errorCode(splitRevealedMacKeys(new Uint8Array(65)))).toBe('bad-field');
    expect(errorCode(decodeExtraSymmetricKeyUse(hex('000000')))).toBe('truncated');
    expect(errorCode(decodeSmpMessage1(hex('00000005 3f')))).toBe('truncated');
  });
});
