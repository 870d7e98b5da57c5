/**
 * Blink's trusted_peers from its python-potr years (BlinkOtrAccount.loadTrusts
 * and saveTrusts): one line per fingerprint,
 *
 *   address TAB fingerprint TAB trust
 *
 * The fingerprint is potr's str(key), five upper-case groups of eight hex
 * digits, as Blink's SMP and manual verification write it; potr's own trust
 * calls use the 40-digit lower-case form, so both are read. Trust is
 * "verified" (or any word: potr treats non-empty as trusted) or empty.
 */
import { fingerprintKind, humanFingerprint, normalizeFingerprint } from '../fingerprint-text.js';
import { parsed, problem, type Parsed } from './result.js';

/** One line of trusted_peers. */
export interface PotrTrustedPeer {
  readonly address: string;
  /** 40 lower-case hex digits. */
  readonly fingerprint: string;
  readonly verified: boolean;
}

/** Reads trusted_peers. Blink splits each line into exactly three fields; so do we, reporting the line otherwise. */
export function parsePotrTrustedPeers(bytes: Uint8Array): Parsed<PotrTrustedPeer[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return problem('the file is not UTF-8 text');
  }
  const out: PotrTrustedPeer[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const fields = line.split('\t');
    const [address = '', fingerprintText = '', trust = ''] = fields;
    if (fields.length !== 3 || address === '') return problem(`line ${index + 1}: expected address, fingerprint and trust separated by tabs`);
    const fingerprint = normalizeFingerprint(fingerprintText);
    // python-potr speaks OTRv3 only: its fingerprints are 40 hex digits, never OTRv4's 112.
    if (fingerprint === undefined || fingerprintKind(fingerprint) !== 'v3') return problem(`line ${index + 1}: the fingerprint is not 40 hex digits`);
    out.push({ address, fingerprint, verified: trust !== '' });
  }
  return parsed(out);
}

/** The text of trusted_peers as Blink writes it (upper-case groups, "verified" or empty). */
export function encodePotrTrustedPeers(peers: readonly PotrTrustedPeer[]): Parsed<string> {
  let out = '';
  for (const peer of peers) {
    if (/[\t\r\n]/.test(peer.address) || peer.address === '') return problem(`${JSON.stringify(peer.address)} cannot be written to trusted_peers`);
    if (fingerprintKind(peer.fingerprint) !== 'v3') return problem('trusted_peers holds OTRv3 fingerprints only');
    out += `${peer.address}\t${humanFingerprint(peer.fingerprint)}\t${peer.verified ? 'verified' : ''}\n`;
  }
  return parsed(out);
}
