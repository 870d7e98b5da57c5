/**
 * Fingerprints as text. The store keeps them as 40 lower-case hex digits
 * (libotr's otr.fingerprints form); people and other clients write them in
 * upper case, in five groups of eight (libotr's human form, Protocol-v3
 * "Public keys, signatures, and fingerprints"), or with colons.
 */
import { formatFingerprint } from '@sotto/otr';
import { StoreError } from './errors.js';
import { escapeUnsafe } from './safe-text.js';

const HEX40 = /^[0-9a-f]{40}$/;

/** 40 lower-case hex digits from any common spelling, or undefined if it is not a fingerprint. */
export function normalizeFingerprint(text: string): string | undefined {
  const compact = text.replace(/[\s:]/g, '').toLowerCase();
  return HEX40.test(compact) ? compact : undefined;
}

/** A fingerprint in canonical form, or an 'invalid' StoreError quoting (the start of) the text. */
export function requireFingerprint(text: string): string {
  const fingerprint = normalizeFingerprint(text);
  if (fingerprint === undefined) throw new StoreError('invalid', `not a fingerprint: expected 40 hex digits, got "${escapeUnsafe(text.slice(0, 60))}"`);
  return fingerprint;
}

/** True for the store's canonical spelling. */
export function isCanonicalFingerprint(text: string): boolean {
  return HEX40.test(text);
}

/** libotr's human form ("ABCD1234 ..."), from the canonical spelling. */
export function humanFingerprint(hex: string): string {
  return formatFingerprint(hexToBytes(hex));
}

/** Bytes of an even-length hex string (the caller has validated it). */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
