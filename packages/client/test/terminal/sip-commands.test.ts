/** Parsing the SIP terminal's input line. */
import { describe, expect, it } from 'vitest';
import { normalizeSipAddress, parseSipInput } from '../../src/terminal/sip-commands.js';

describe('SIP terminal input parsing', () => {
  it('SIP addresses are normalised as DRIVER.md spells them, anything else refused', () => {
    expect(normalizeSipAddress('sip:bob@example.org')).toBe('sip:bob@example.org');
    expect(normalizeSipAddress('bob@Example.ORG')).toBe('sip:bob@example.org');
    expect(normalizeSipAddress('SIP:Bob@EXAMPLE.org')).toBe('sip:Bob@example.org');
    expect(normalizeSipAddress('sip:bob@[::1]')).toBe('sip:bob@[::1]');
    for (const bad of ['bob', 'sip:bob', 'tel:+123@x.org', 'sip:bob@example.org;transport=tcp', '"Bob" <sip:bob@example.org>', 'sip:bob@exa mple.org', 'sip:b\x1b@x.org', `sip:${'a'.repeat(300)}@x.org`]) {
      expect(normalizeSipAddress(bad), bad).toBeUndefined();
    }
  });

  it('session commands take an optional number or address', () => {
    expect(parseSipInput('/call bob@example.org')).toEqual({ kind: 'call', peer: 'sip:bob@example.org' });
    expect(parseSipInput('/call')).toMatchObject({ kind: 'invalid' });
    expect(parseSipInput('/call not an address')).toMatchObject({ kind: 'invalid' });
    expect(parseSipInput('/accept')).toEqual({ kind: 'accept' });
    expect(parseSipInput('/accept 2')).toEqual({ kind: 'accept', ref: { number: 2 } });
    expect(parseSipInput('/reject sip:bob@example.org')).toEqual({ kind: 'reject', ref: { peer: 'sip:bob@example.org' } });
    expect(parseSipInput('/hangup')).toEqual({ kind: 'hangup' });
    expect(parseSipInput('/hangup 0')).toMatchObject({ kind: 'invalid' });
    expect(parseSipInput('/to 3')).toEqual({ kind: 'to', ref: { number: 3 } });
    expect(parseSipInput('/switch carol@example.org')).toEqual({ kind: 'to', ref: { peer: 'sip:carol@example.org' } });
    expect(parseSipInput('/to')).toEqual({ kind: 'to' });
    expect(parseSipInput('/sessions')).toEqual({ kind: 'sessions' });
  });

  it('OTR, SMP, trust and history commands', () => {
    expect(parseSipInput('/otr')).toEqual({ kind: 'otr-info' });
    expect(parseSipInput('/otr start')).toEqual({ kind: 'otr-start' });
    expect(parseSipInput('/otr END')).toEqual({ kind: 'otr-end' });
    expect(parseSipInput('/otr always')).toEqual({ kind: 'otr-always' });
    expect(parseSipInput('/otr always on')).toEqual({ kind: 'otr-always', on: true });
    expect(parseSipInput('/otr always off')).toEqual({ kind: 'otr-always', on: false });
    expect(parseSipInput('/otr always maybe')).toMatchObject({ kind: 'invalid' });
    expect(parseSipInput('/smp')).toEqual({ kind: 'smp' });
    expect(parseSipInput('/smp Where? Why?')).toEqual({ kind: 'smp', question: 'Where? Why?' });
    expect(parseSipInput('/smp Where? Why? the lake')).toEqual({ kind: 'smp', question: 'Where? Why?', secret: 'the lake' });
    expect(parseSipInput('/smp the lake')).toEqual({ kind: 'smp', secret: 'the lake' });
    expect(parseSipInput('/smp answer')).toEqual({ kind: 'smp-answer' });
    expect(parseSipInput('/smp answer the lake')).toEqual({ kind: 'smp-answer', secret: 'the lake' });
    expect(parseSipInput('/smp abort')).toEqual({ kind: 'smp-abort' });
    expect(parseSipInput('/trust')).toEqual({ kind: 'trust' });
    expect(parseSipInput('/history')).toEqual({ kind: 'history' });
    expect(parseSipInput('/history the lake')).toEqual({ kind: 'history', search: 'the lake' });
  });

  it('plain lines, // and unknown commands', () => {
    expect(parseSipInput('hello')).toEqual({ kind: 'say', text: 'hello' });
    expect(parseSipInput('//etc/passwd')).toEqual({ kind: 'say', text: '/etc/passwd' });
    expect(parseSipInput('/frobnicate')).toMatchObject({ kind: 'invalid' });
    expect(parseSipInput('/quit')).toEqual({ kind: 'quit' });
    expect(parseSipInput('/help')).toEqual({ kind: 'help' });
  });
});
