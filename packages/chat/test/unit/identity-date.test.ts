import { describe, expect, it } from 'vitest';
import { ChatUsageError, containsMimeType, formatDateTime, parseContentType, parseDateTime, parseIdentity, peerKey } from '../../src/index.js';

describe('DateTime as Python isoformat writes it', () => {
  it('microseconds when not zero, none when zero, +00:00', () => {
    expect(formatDateTime(Date.UTC(2026, 11, 6, 3, 43, 13, 172) + 0.345)).toBe('2026-12-06T03:43:13.172345+00:00');
    expect(formatDateTime(Date.UTC(2024, 0, 1, 12))).toBe('2024-01-01T12:00:00+00:00');
    expect(formatDateTime(Date.UTC(2000, 1, 29, 23, 59, 59, 999))).toBe('2000-02-29T23:59:59.999000+00:00');
    expect(formatDateTime(0)).toBe('1970-01-01T00:00:00+00:00');
  });

  it('agrees with the platform clock across years', () => {
    for (let time = 0; time < 4e12; time += 97_654_321_987) {
      expect(formatDateTime(time).slice(0, 19)).toBe(new Date(time).toISOString().slice(0, 19));
    }
  });

  it('refuses a time that is not one', () => {
    expect(() => formatDateTime(Number.NaN)).toThrow(ChatUsageError);
    expect(() => formatDateTime(-1)).toThrow(ChatUsageError);
  });

  it('reads RFC 3339 leniently', () => {
    expect(parseDateTime('2000-12-13T13:40:00-08:00')).toBe(Date.UTC(2000, 11, 13, 21, 40));
    expect(parseDateTime('2003-01-27t10:43:00z')).toBe(Date.UTC(2003, 0, 27, 10, 43));
    expect(parseDateTime('2026-12-06 03:43:13.172345')).toBeCloseTo(Date.UTC(2026, 11, 6, 3, 43, 13, 172) + 0.345, 3);
    expect(parseDateTime('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseDateTime('yesterday')).toBeUndefined();
  });
});

describe('identities and peer keys', () => {
  it('the peer key is the address of record: user and lower-case host', () => {
    expect(peerKey('sip:Bob@Example.ORG:5061;transport=tls')).toBe('sip:Bob@example.org');
    expect(peerKey('sips:bob@example.org')).toBe('sip:bob@example.org');
    expect(peerKey('sip:bob@[::1]:5060')).toBe('sip:bob@[::1]');
  });

  it('parses the forms CPIM uses', () => {
    expect(parseIdentity('alice <sip:alice@127.0.0.1>')).toEqual({ uri: 'sip:alice@127.0.0.1', displayName: 'alice' });
    expect(parseIdentity('<sip:bob@127.0.0.1>')).toEqual({ uri: 'sip:bob@127.0.0.1' });
    expect(parseIdentity('sip:bob@127.0.0.1')).toEqual({ uri: 'sip:bob@127.0.0.1' });
    expect(parseIdentity('no uri here')).toBeUndefined();
  });
});

describe('content types', () => {
  it('parses type and charset, defaulting to text/plain', () => {
    expect(parseContentType('Text/HTML; charset="UTF8"')).toEqual({ type: 'text/html', charset: 'utf8' });
    expect(parseContentType('garbage')).toEqual({ type: 'text/plain' });
  });

  it('matches accept-types patterns as msrplib does', () => {
    const accept = ['message/cpim', 'text/*', 'image/*', 'application/im-iscomposing+xml'];
    expect(containsMimeType(accept, 'text/html; charset=utf-8')).toBe(true);
    expect(containsMimeType(accept, 'application/octet-stream')).toBe(false);
    expect(containsMimeType(['*'], 'anything/else')).toBe(true);
  });
});
