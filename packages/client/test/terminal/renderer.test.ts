import { describe, expect, it } from 'vitest';
import { formatFingerprint } from '@sotto/otr';
import { humanFingerprint, lockLabel, palette, renderEvent, wantsColour } from '../../src/terminal/renderer.js';
import { sanitize } from '../../src/terminal/sanitize.js';
import type { DriverEvent } from '../../src/session/driver-events.js';

const ESC = '\x1b';
const FP = '0123456789abcdef0123456789abcdef01234567';

describe('terminal rendering', () => {
  it('uses colour only on a terminal without NO_COLOR (https://no-color.org)', () => {
    expect(wantsColour({}, true)).toBe(true);
    expect(wantsColour({ NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColour({ NO_COLOR: '' }, true)).toBe(true);
    expect(wantsColour({ TERM: 'dumb' }, true)).toBe(false);
    expect(wantsColour({}, false)).toBe(false);
  });

  it('shows a fingerprint change in red with a request to verify again', () => {
    const line = renderEvent({ event: 'fingerprint-changed', peer: '127.0.0.1:1', fingerprint: FP }, palette(true)) ?? '';
    expect(line.startsWith(`${ESC}[1;31m`)).toBe(true);
    expect(line).toMatch(/verify them again/i);
    expect(lockLabel('fingerprint-changed', palette(true))).toContain(`${ESC}[1;31m`);
  });

  it('writes no escape codes at all without colour', () => {
    const events: DriverEvent[] = [
      { event: 'message', from: 'a', text: 'hi', encrypted: true },
      { event: 'secure', peer: 'a', version: 3, fingerprint: FP, ssid: '00'.repeat(8), trusted: false },
      { event: 'fingerprint-changed', peer: 'a', fingerprint: FP },
      { event: 'smp-request', peer: 'a', question: 'q?' },
      { event: 'smp-result', peer: 'a', success: false },
      { event: 'error', peer: null, message: 'bad' },
    ];
    for (const event of events) expect(renderEvent(event, palette(false))).not.toContain(ESC);
    for (const state of ['plaintext', 'encrypted-unverified', 'encrypted-verified', 'fingerprint-changed', 'finished'] as const) {
      expect(lockLabel(state, palette(false))).not.toContain(ESC);
    }
  });

  it('strips control characters a peer could use to repaint the terminal', () => {
    const line = renderEvent({ event: 'message', from: 'a', text: `x${ESC}[2Jy\r\u202ez\x07`, encrypted: true }, palette(false)) ?? '';
    // Only newline (a carriage return becomes one, indented) and tab survive.
    expect(Array.from(line).filter((c) => (c < ' ' && c !== '\t' && c !== '\n') || c === '\x7f' || c === '\u202e')).toEqual([]);
    expect(line).toContain('<U+001B>[2Jy');
    expect(sanitize('two\nlines\ttab')).toBe('two\n    lines\ttab');
  });

  it('formats fingerprints as the library does (libotr: five groups of eight upper-case digits)', () => {
    expect(humanFingerprint(FP)).toBe('01234567 89ABCDEF 01234567 89ABCDEF 01234567');
    expect(humanFingerprint(FP)).toBe(formatFingerprint(Uint8Array.from(Buffer.from(FP, 'hex'))));
  });

  it('shows the version in the lock label of an encrypted conversation ("encrypted (v4), unverified")', () => {
    const p = palette(false);
    expect(lockLabel('encrypted-unverified', p, 4)).toBe('encrypted (v4), unverified');
    expect(lockLabel('encrypted-verified', p, 3)).toBe('encrypted (v3), verified');
    expect(lockLabel('plaintext', p, 4)).toBe('plaintext');
    expect(lockLabel('encrypted-unverified', p)).toBe('encrypted, unverified');
  });

  it('a fingerprint change across versions says the peer now uses OTRv4, not verified yet, rather than that its key changed', () => {
    const V4 = 'ab'.repeat(56);
    const line = renderEvent({ event: 'fingerprint-changed', peer: '127.0.0.1:1', fingerprint: V4, crossVersion: true }, palette(false)) ?? '';
    expect(line).toContain('127.0.0.1:1 now uses OTRv4, not verified yet');
    expect(line).toContain(humanFingerprint(V4, 2));
    expect(humanFingerprint(V4).split(/\s+/)).toHaveLength(14);
    expect(line).not.toMatch(/different key|intercepting/);
    const trusted = renderEvent({ event: 'trusted', peer: '127.0.0.1:1', fingerprint: V4 }, palette(false)) ?? '';
    expect(trusted).toContain('OTRv4 fingerprint');
  });

  it('v4 fingerprints are printed as two lines of seven groups of eight, not one line that wraps', () => {
    const V4 = '0123456789abcdef'.repeat(7);
    const half1 = '01234567 89ABCDEF '.repeat(4).slice(0, 62);
    const half2 = '89ABCDEF 01234567 '.repeat(4).slice(0, 62);
    expect(humanFingerprint(V4)).toBe(`${half1}\n${half2}`);
    expect(humanFingerprint(V4, 4)).toBe(`${half1}\n    ${half2}`);
    const p = palette(false);
    const events: DriverEvent[] = [
      { event: 'secure', peer: '127.0.0.1:1', version: 4, fingerprint: V4, ssid: '00'.repeat(8), trusted: false },
      { event: 'secure', peer: '127.0.0.1:1', version: 4, fingerprint: V4, ssid: '00'.repeat(8), trusted: true },
      { event: 'fingerprint-changed', peer: '127.0.0.1:1', fingerprint: V4 },
      { event: 'fingerprint-changed', peer: '127.0.0.1:1', fingerprint: V4, crossVersion: true },
      { event: 'trusted', peer: '127.0.0.1:1', fingerprint: V4 },
    ];
    for (const event of events) {
      const lines = (renderEvent(event, p) ?? '').split('\n');
      // The fingerprint's two lines, each of seven groups, indented by two spaces, and nothing else on them.
      const groups = lines.map((line) => line.match(/\b[0-9A-F]{8}\b/g)?.length ?? 0);
      expect(groups.filter((count) => count > 0)).toEqual([7, 7]);
      expect(lines.filter((line) => /\b[0-9A-F]{8}\b/.test(line))).toEqual([`  ${half1}`, `  ${half2}`]);
    }
    // v3 stays on one line, as libotr shows it.
    expect(renderEvent({ event: 'secure', peer: 'a', version: 3, fingerprint: FP, ssid: '00'.repeat(8), trusted: false }, p)).toContain(
      `Their fingerprint: ${humanFingerprint(FP)} (unverified`,
    );
  });
});
