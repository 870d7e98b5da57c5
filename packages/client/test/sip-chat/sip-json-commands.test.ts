/** The driver protocol's SIP-mode commands (DRIVER.md, "SIP mode"): parsed, or an `error` event; `x-` events never printed. */
import { describe, expect, it } from 'vitest';
import { formatSipEvent, parseSipDriverCommand } from '../../src/sip-chat/sip-json-driver.js';

describe('SIP-mode driver commands', () => {
  it('parses call, accept, reject, hangup, composing and send with id and content_type', () => {
    expect(parseSipDriverCommand('{"cmd":"call","to":"sip:bob@example.org"}')).toEqual({ ok: true, command: { cmd: 'call', to: 'sip:bob@example.org' } });
    expect(parseSipDriverCommand('{"cmd":"accept","peer":"sip:bob@example.org"}')).toEqual({ ok: true, command: { cmd: 'accept', peer: 'sip:bob@example.org' } });
    expect(parseSipDriverCommand('{"cmd":"reject","peer":"sip:bob@example.org"}')).toEqual({ ok: true, command: { cmd: 'reject', peer: 'sip:bob@example.org' } });
    expect(parseSipDriverCommand('{"cmd":"hangup","to":"sip:bob@example.org"}')).toEqual({ ok: true, command: { cmd: 'hangup', to: 'sip:bob@example.org' } });
    expect(parseSipDriverCommand('{"cmd":"composing","to":"sip:b@x","state":"idle"}')).toEqual({ ok: true, command: { cmd: 'composing', to: 'sip:b@x', state: 'idle' } });
    expect(parseSipDriverCommand('{"cmd":"send","to":"sip:b@x","text":"hi","id":"m1","content_type":"text/html"}')).toEqual({
      ok: true,
      command: { cmd: 'send', to: 'sip:b@x', text: 'hi', id: 'm1', contentType: 'text/html' },
    });
    expect(parseSipDriverCommand('{"cmd":"smp","to":"sip:b@x","secret":"s"}')).toEqual({ ok: true, command: { cmd: 'smp', to: 'sip:b@x', secret: 's' } });
  });

  it('answers malformed commands with an error event', () => {
    for (const line of ['{"cmd":"accept"}', '{"cmd":"composing","to":"sip:b@x","state":"typing"}', '{"cmd":"send","to":"sip:b@x","text":"x","id":7}', '{"cmd":"call"}', 'nope', '{"cmd":"dance","to":"x"}']) {
      const parsed = parseSipDriverCommand(line);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.event).toBe('error');
    }
  });

  it('prints the driver events and none of the terminal\'s own', () => {
    expect(formatSipEvent({ event: 'x-lock', peer: 'sip:b@x', lock: 'verified' })).toBeUndefined();
    expect(formatSipEvent({ event: 'delivered', peer: 'sip:b@x', id: 'm1' })).toBe('{"event":"delivered","peer":"sip:b@x","id":"m1"}\n');
    expect(formatSipEvent({ event: 'fingerprint-changed', peer: 'sip:b@x', fingerprint: 'ab', crossVersion: true })).toBe('{"event":"fingerprint-changed","peer":"sip:b@x","fingerprint":"ab"}\n');
    expect(formatSipEvent({ event: 'message', from: 'sip:b@x', text: 'a\u2028b', encrypted: true, content_type: 'text/plain' })).toBe('{"event":"message","from":"sip:b@x","text":"a\\u2028b","encrypted":true,"content_type":"text/plain"}\n');
  });
});
