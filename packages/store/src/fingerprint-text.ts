/**
 * Fingerprints as text. The store keeps them in lower-case hex: 40 digits
 * for an OTRv3 (and v2) DSA key (libotr's otr.fingerprints form,
 * Protocol-v3 "Public keys, signatures, and fingerprints") and 112 digits for
 * an OTRv4 identity (the 56 bytes of HWC(usage_fingerprint || H || F, 56),
 * otrv4.md "Public keys, Shared Prekeys, Forging keys and Fingerprints").
 * The length tells the kind apart. People and other clients write them in
 * upper case, in groups of eight (libotr's human form: five groups for v3;
 * fourteen for v4), or with colons.
 */
import { formatFingerprint } from '@sotto/otr';
import { StoreError } from './errors.js';
import { escapeUnsafe } from './safe-text.js';

/** Which key a fingerprint belongs to: an OTRv3 DSA key ('v3', also used by v2) or an OTRv4 identity ('v4'). */
export type FingerprintKind = 'v3' | 'v4';

/** Hex digits of a fingerprint of each kind: 20 bytes (SHA-1) for v3, 56 bytes for v4. */
export const FINGERPRINT_HEX_LENGTH: Readonly<Record<FingerprintKind, number>> = { v3: 40, v4: 112 };

/** Hex digits per group in the human form. */
export const FINGERPRINT_GROUP_LENGTH = 8;

const CANONICAL = /^(?:[0-9a-f]{40}|[0-9a-f]{112})$/;

/** Lower-case hex (40 digits for v3, 112 for v4) from any common spelling, or undefined if it is not a fingerprint. */
export function normalizeFingerprint(text: string): string | undefined {
  const compact = text.replace(/[\s:]/g, '').toLowerCase();
  return CANONICAL.test(compact) ? compact : undefined;
}

/** A fingerprint in canonical form, or an 'invalid' StoreError quoting (the start of) the text. */
export function requireFingerprint(text: string): string {
  const fingerprint = normalizeFingerprint(text);
  if (fingerprint === undefined) {
    throw new StoreError('invalid', `not a fingerprint: expected 40 hex digits (OTRv3) or 112 (OTRv4), got "${escapeUnsafe(text.slice(0, 60))}"`);
  }
  return fingerprint;
}

/** True for the store's canonical spelling of either kind. */
export function isCanonicalFingerprint(text: string): boolean {
  return CANONICAL.test(text);
}

/** The kind of a canonical fingerprint, told by its length. */
export function fingerprintKind(canonical: string): FingerprintKind {
  return canonical.length === FINGERPRINT_HEX_LENGTH.v4 ? 'v4' : 'v3';
}

/**
 * The human form, from the canonical spelling: upper-case groups of eight
 * separated by spaces; five groups for v3 (libotr's form, "ABCD1234 ..."),
 * fourteen for v4. With `groupsPerLine`, a long v4 fingerprint is broken
 * into lines (7 gives two lines of seven groups).
 */
export function humanFingerprint(hex: string, groupsPerLine?: number): string {
  if (fingerprintKind(hex) === 'v3' && groupsPerLine === undefined) return formatFingerprint(hexToBytes(hex));
  const groups = hex.toUpperCase().match(new RegExp(`.{1,${FINGERPRINT_GROUP_LENGTH}}`, 'g')) ?? [];
  if (groupsPerLine === undefined || groupsPerLine < 1) return groups.join(' ');
  const lines: string[] = [];
  for (let i = 0; i < groups.length; i += groupsPerLine) lines.push(groups.slice(i, i + groupsPerLine).join(' '));
  return lines.join('\n');
}

/** Groups per line of an OTRv4 fingerprint shown to a person: two lines of seven (the fourteen groups are 126 columns on one line, and wrap in a terminal). */
export const V4_FINGERPRINT_GROUPS_PER_LINE = 7;

/**
 * A fingerprint (hex, any case) for a person to read in a terminal: v3 on
 * one line (libotr's five groups); v4 as two lines of seven groups, the
 * second indented by `indent` spaces so it lines up under the first (give
 * the width of what precedes the fingerprint on its line).
 */
export function displayFingerprint(hex: string, indent = 0): string {
  const canonical = hex.toLowerCase();
  if (fingerprintKind(canonical) === 'v3') return humanFingerprint(canonical);
  return humanFingerprint(canonical, V4_FINGERPRINT_GROUPS_PER_LINE).split('\n').join(`\n${' '.repeat(Math.max(0, indent))}`);
}

/** Bytes of an even-length hex string (the caller has validated it). */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
