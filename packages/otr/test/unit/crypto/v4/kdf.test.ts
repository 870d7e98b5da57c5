/**
 * SHAKE-256 and OTRv4's KDF/HWC/HCMAC ("Key Derivation Function, Hash
 * Function and MAC Function"): OpenSSL's SHAKE-256 against pycryptodome's own
 * Keccak (test/vectors/pycryptodome/shake256.json), and the usage IDs as the
 * spec lists them.
 */
import { describe, expect, it } from 'vitest';
import { hcmac, hwc, kdf, shake256, USAGE, type UsageId } from '../../../../src/crypto/v4/index.js';
import { fromHex, hex, vectors } from './helpers.js';

interface ShakeVectors {
  plain: { message: string; size: number; output: string }[];
  kdf: { usage: number; values: string[]; size: number; output: string }[];
}
const shakeVectors = vectors('pycryptodome/shake256.json') as ShakeVectors;

describe('SHAKE-256 known answers (pycryptodome)', () => {
  it.each(shakeVectors.plain)('SHAKE-256 of $message.length hex digits to $size bytes', ({ message, size, output }) => {
    expect(hex(shake256(size, fromHex(message)))).toBe(output);
  });

  it('the empty message and "abc" give the published FIPS 202 values', () => {
    // FIPS 202 / NIST CAVP: SHAKE256("") and SHAKE256("abc"), first 32 bytes.
    expect(hex(shake256(32))).toBe('46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f');
    expect(hex(shake256(32, new TextEncoder().encode('abc')))).toBe('483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739');
  });

  it('split input hashes as the concatenation', () => {
    const whole = fromHex(shakeVectors.plain[3]!.message);
    expect(hex(shake256(57, whole.subarray(0, 7), whole.subarray(7)))).toBe(shakeVectors.plain[3]!.output);
  });
});

describe('KDF, HWC and HCMAC', () => {
  it.each(shakeVectors.kdf)('usage $usage: SHAKE-256("OTRv4" || usage_ID || values, $size)', ({ usage, values, size, output }) => {
    const inputs = values.map(fromHex);
    expect(hex(kdf(usage as UsageId, size, ...inputs))).toBe(output);
    expect(hex(hwc(usage as UsageId, size, ...inputs))).toBe(output);
    expect(hex(hcmac(usage as UsageId, size, ...inputs))).toBe(output);
  });

  it('the usage IDs are the spec list, 0x00 to 0x1A in order', () => {
    const spec = [
      'usage_fingerprint', 'usage_third_brace_key', 'usage_brace_key', 'usage_shared_secret', 'usage_SSID',
      'usage_auth_r_bob_client_profile', 'usage_auth_r_alice_client_profile', 'usage_auth_r_phi',
      'usage_auth_i_bob_client_profile', 'usage_auth_i_alice_client_profile', 'usage_auth_i_phi', 'usage_first_root_key',
      'usage_tmp_key', 'usage_auth_MAC_key', 'usage_non_int_auth_bob_client_profile', 'usage_non_int_auth_alice_client_profile',
      'usage_non_int_auth_phi', 'usage_auth_MAC', 'usage_root_key', 'usage_chain_key', 'usage_next_chain_key',
      'usage_message_key', 'usage_MAC_key', 'usage_extra_symm_key', 'usage_authenticator', 'usage_SMP_secret', 'usage_auth',
    ];
    expect(Object.entries(USAGE)).toEqual(spec.map((name, value) => [name, value]));
  });

  it('refuses output sizes that are not small non-negative integers', () => {
    expect(() => shake256(-1)).toThrow(RangeError);
    expect(() => kdf(USAGE.usage_SSID, 1.5)).toThrow(RangeError);
    expect(() => kdf(USAGE.usage_SSID, 1 << 20)).toThrow(RangeError);
  });
});
