/**
 * libotr's otr.fingerprints (privkey.c: otrl_privkey_read_fingerprints and
 * otrl_privkey_write_fingerprints): one line per known fingerprint,
 *
 *   username TAB accountname TAB protocol TAB 40-hex-digits TAB trust
 *
 * where trust is empty (unverified) or any word meaning verified: libotr
 * writes "smp" after a successful SMP and pidgin-otr "verified" for a manual
 * check. libotr reads lines with fgets into 1000 bytes, so longer lines are
 * refused on export.
 */
import { fingerprintKind, normalizeFingerprint } from '../fingerprint-text.js';
import type { TrustStatus } from '../trust.js';
import { parsed, problem, type Parsed } from './result.js';

/** One line of otr.fingerprints. */
export interface LibotrFingerprint {
  readonly contact: string;
  readonly account: string;
  readonly protocol: string;
  /** 40 lower-case hex digits. */
  readonly fingerprint: string;
  readonly status: TrustStatus;
  /** The trust word as written ('' for unverified). */
  readonly trust: string;
}

/** libotr's fgets buffer: a line (with its newline) must fit in 999 bytes. */
const MAX_LINE_BYTES = 998;

/** The store's status for a libotr trust word. */
export function statusFromLibotrTrust(trust: string): TrustStatus {
  if (trust === '') return 'unverified';
  return trust === 'smp' ? 'smp' : 'manual';
}

/** The libotr trust word for a status: "smp" as libotr writes, "verified" as pidgin-otr writes. */
export function libotrTrustFromStatus(status: TrustStatus): string {
  switch (status) {
    case 'unverified':
      return '';
    case 'smp':
      return 'smp';
    case 'manual':
      return 'verified';
  }
}

/** Reads otr.fingerprints; a line that libotr would silently skip is reported instead, with its number. */
export function parseLibotrFingerprints(bytes: Uint8Array): Parsed<LibotrFingerprint[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return problem('the file is not UTF-8 text');
  }
  const out: LibotrFingerprint[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' && index === lines.length - 1) break;
    if (line.trim() === '') continue;
    const fields = line.split('\t');
    if (fields.length < 4) return problem(`line ${index + 1}: expected user, account, protocol, fingerprint and trust separated by tabs`);
    const [contact = '', account = '', protocol = '', hex = ''] = fields;
    // Like libotr, everything after the fourth tab is the trust word.
    const trust = fields.slice(4).join('\t');
    const fingerprint = /^[0-9A-Fa-f]{40}$/.test(hex) ? normalizeFingerprint(hex) : undefined;
    if (fingerprint === undefined) return problem(`line ${index + 1}: the fingerprint is not 40 hex digits`);
    if (contact === '' || account === '' || protocol === '') return problem(`line ${index + 1}: empty user, account or protocol`);
    out.push({ contact, account, protocol, fingerprint, status: statusFromLibotrTrust(trust), trust });
  }
  return parsed(out);
}

/** The text of otr.fingerprints; a problem if some field cannot be written so that libotr reads it back. */
export function encodeLibotrFingerprints(entries: readonly Omit<LibotrFingerprint, 'trust'>[]): Parsed<string> {
  let out = '';
  for (const entry of entries) {
    for (const field of [entry.contact, entry.account, entry.protocol]) {
      if (/[\t\r\n]/.test(field) || field === '') return problem(`${JSON.stringify(field)} cannot be written to otr.fingerprints (empty, or a tab or newline in it)`);
    }
    // libotr speaks OTRv3 only: otr.fingerprints holds 40-digit DSA fingerprints, never OTRv4's 112.
    if (fingerprintKind(entry.fingerprint) !== 'v3') return problem('otr.fingerprints holds OTRv3 fingerprints only');
    const line = `${entry.contact}\t${entry.account}\t${entry.protocol}\t${entry.fingerprint}\t${libotrTrustFromStatus(entry.status)}\n`;
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) return problem(`the line for ${JSON.stringify(entry.contact)} is too long for libotr`);
    out += line;
  }
  return parsed(out);
}
