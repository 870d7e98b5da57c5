import { describe, expect, it } from 'vitest';
import { effectivePort, formatMsrpUri, msrpUriEquals, parseMsrpUri, parsePath } from '../../src/index.js';

const uri = (text: string) => {
  const parsed = parseMsrpUri(text);
  if (parsed === undefined) throw new Error(`not a URI: ${text}`);
  return parsed;
};

describe('MSRP URIs (RFC 4975 section 6)', () => {
  it('parses names, IPv4, bracketed IPv6, ports, session ids with "/", "+", "=" and the transport', () => {
    expect(uri('msrp://bob.example.com:8888/9di4eae923wzd;tcp')).toEqual({ scheme: 'msrp', host: 'bob.example.com', port: 8888, sessionId: '9di4eae923wzd', transport: 'tcp', params: [] });
    expect(uri('msrps://192.0.2.2:2855/ab/c+d=;tcp')).toMatchObject({ scheme: 'msrps', host: '192.0.2.2', sessionId: 'ab/c+d=' });
    expect(uri('msrp://[2001:db8::1]:2855/x1;tcp;foo=bar')).toMatchObject({ host: '2001:db8::1', port: 2855, params: ['foo=bar'] });
    expect(uri('msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp').sessionId).toBe('srid-6b14d9cf-1e3e-1');
  });

  it('parses relay URIs without a session id, with userinfo (RFC 4976 section 7)', () => {
    expect(uri('msrp://127.0.0.1:2855;tcp')).toEqual({ scheme: 'msrp', host: '127.0.0.1', port: 2855, transport: 'tcp', params: [] });
    expect(uri('msrps://alice@intra.example.com;tcp')).toMatchObject({ user: 'alice', host: 'intra.example.com' });
  });

  it('formats back to the same text', () => {
    for (const text of ['msrp://bob.example.com:8888/9di4eae923wzd;tcp', 'msrps://[::1]/a/b+c=;tcp', 'msrps://alice@intra.example.com;tcp', 'msrp://h;tcp;x=1;y']) {
      expect(formatMsrpUri(uri(text))).toBe(text);
    }
  });

  it('refuses what is not an MSRP URI', () => {
    for (const text of ['sip:bob@example.com', 'msrp://host/abc', 'msrp://host/;tcp', 'msrp://host:99999/a;tcp', 'msrp://[::1/a;tcp', 'msrp://ho st/a;tcp', 'msrp://host/a b;tcp', 'http://host/a;tcp', '']) {
      expect(parseMsrpUri(text)).toBeUndefined();
    }
  });

  it('the default port is 2855', () => {
    expect(effectivePort(uri('msrp://h/a;tcp'))).toBe(2855);
    expect(effectivePort(uri('msrp://h:9/a;tcp'))).toBe(9);
  });

  it('compares as section 6.1 says', () => {
    expect(msrpUriEquals(uri('MSRP://Bob.Example.COM:8888/abc;TCP'), uri('msrp://bob.example.com:8888/abc;tcp'))).toBe(true);
    expect(msrpUriEquals(uri('msrp://h:1/abc;tcp'), uri('msrp://h:1/ABC;tcp'))).toBe(false);
    expect(msrpUriEquals(uri('msrp://h/abc;tcp'), uri('msrp://h:2855/abc;tcp'))).toBe(false);
    expect(msrpUriEquals(uri('msrp://h:1;tcp'), uri('msrp://h:1/a;tcp'))).toBe(false);
    expect(msrpUriEquals(uri('msrps://h:1/a;tcp'), uri('msrp://h:1/a;tcp'))).toBe(false);
    expect(msrpUriEquals(uri('msrp://u@h:1/a;tcp;x=1'), uri('msrp://h:1/a;tcp'))).toBe(true);
  });

  it('parses paths and bounds their length', () => {
    expect(parsePath('msrp://127.0.0.1:2855/srid-1;tcp msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp')).toHaveLength(2);
    expect(parsePath('msrp://a/b;tcp junk')).toBeUndefined();
    expect(parsePath(Array.from({ length: 17 }, () => 'msrp://a/b;tcp').join(' '))).toBeUndefined();
  });
});
