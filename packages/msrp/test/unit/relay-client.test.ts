import { describe, expect, it } from 'vitest';
import { digestAuthorization, digestResponse, headerValue, parseDigestChallenge, parseMsrpUri, RelayClient, type MsrpUri, type RequestFrame } from '../../src/index.js';
import { crlf, enc, framesOf, parseAll, seededRandom } from '../helpers.js';

const uri = (text: string): MsrpUri => parseMsrpUri(text)!;
const request = (bytes: Uint8Array): RequestFrame => framesOf(parseAll(bytes))[0] as RequestFrame;

describe('HTTP digest for AUTH', () => {
  it('computes the RFC 2617 section 3.5 response (qop=auth)', () => {
    const challenge = parseDigestChallenge('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')!;
    expect(challenge).toMatchObject({ realm: 'testrealm@host.com', qop: ['auth', 'auth-int'], opaque: '5ccc069c403ebaf9f0171e9517f40e41' });
    expect(digestResponse(challenge, { username: 'Mufasa', password: 'Circle Of Life', uri: '/dir/index.html', method: 'GET', cnonce: '0a4f113b', nonceCount: 1 })).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('refuses what is not an MD5 digest challenge', () => {
    expect(parseDigestChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="x"')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="x", nonce="y", algorithm=SHA-256')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="x", nonce="y" garbage')).toBeUndefined();
  });

  it('writes Blink\'s form without uri (notes section 6) and Kamailio\'s with it (notes Appendix A)', () => {
    const challenge = parseDigestChallenge('Digest realm="127.0.0.1", nonce="abc", qop="auth", opaque="00"')!;
    const base = { username: 'bob', password: 'secret', uri: 'msrp://127.0.0.1:2855;tcp', method: 'AUTH', cnonce: '0a4f113b', nonceCount: 1 };
    const response = digestResponse(challenge, base);
    expect(digestAuthorization(challenge, { ...base, includeUri: false })).toBe(
      `Digest username="bob", realm="127.0.0.1", nonce="abc", qop="auth", nc="00000001", cnonce="0a4f113b", response="${response}", opaque="00"`,
    );
    expect(digestAuthorization(challenge, { ...base, includeUri: true })).toBe(
      `Digest username="bob", realm="127.0.0.1", nonce="abc", uri="msrp://127.0.0.1:2855;tcp", response="${response}", qop=auth, nc=00000001, cnonce="0a4f113b", opaque="00"`,
    );
  });
});

describe('relay client (RFC 4976)', () => {
  const options = {
    relayUri: uri('msrps://alice@intra.example.com;tcp'),
    localUri: uri('msrps://alice.example.com:9892/98cjs;tcp'),
    username: 'Alice',
    password: 'secret',
    random: seededRandom(7),
  };

  it('runs the AUTH exchange of RFC 4976 section 7: AUTH, 401, AUTH with Authorization, 200 with Use-Path and Expires', () => {
    const client = new RelayClient(options);
    const first = request(client.start(0).write[0]!);
    expect(first.method).toBe('AUTH');
    expect(headerValue(first, 'To-Path')).toBe('msrps://alice@intra.example.com;tcp');
    expect(headerValue(first, 'From-Path')).toBe('msrps://alice.example.com:9892/98cjs;tcp');
    expect(headerValue(first, 'Authorization')).toBeUndefined();
    const challenged = client.receive(enc(crlf(
      `MSRP ${first.transactionId} 401 Unauthorized`,
      'To-Path: msrps://alice.example.com:9892/98cjs;tcp',
      'From-Path: msrps://alice@intra.example.com;tcp',
      'WWW-Authenticate: Digest realm="intra.example.com", qop="auth", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"',
      `-------${first.transactionId}$`,
      '',
    )), 10);
    const second = request(challenged.write[0]!);
    expect(second.transactionId).not.toBe(first.transactionId);
    const authorization = headerValue(second, 'Authorization')!;
    expect(authorization).toMatch(/^Digest username="Alice", realm="intra.example.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", qop="auth", nc="00000001", cnonce="[0-9a-f]{16}", response="[0-9a-f]{32}"$/);
    expect(authorization).not.toContain('uri=');
    const ok = client.receive(enc(crlf(
      `MSRP ${second.transactionId} 200 OK`,
      'To-Path: msrps://alice.example.com:9892/98cjs;tcp',
      'From-Path: msrps://alice@intra.example.com;tcp',
      'Use-Path: msrps://relay.example.com:2855/hjdhfds;tcp',
      'Expires: 1800',
      `-------${second.transactionId}$`,
      '',
    )), 20);
    expect(ok.events).toEqual([{ kind: 'relay-ready', path: [uri('msrps://relay.example.com:2855/hjdhfds;tcp'), options.localUri], expiresAt: 20 + 1_800_000 }]);
    expect(client.path).toEqual([uri('msrps://relay.example.com:2855/hjdhfds;tcp'), options.localUri]);
    // Refresh before Expires, as a deadline.
    const refreshAt = client.nextDeadline()!;
    expect(refreshAt).toBeLessThan(20 + 1_800_000);
    expect(client.onDeadline(refreshAt - 1).write).toEqual([]);
    expect(request(client.onDeadline(refreshAt).write[0]!).method).toBe('AUTH');
  });

  it('sends uri= only when the relay option asks for it (Kamailio)', () => {
    const client = new RelayClient({ ...options, relayUri: uri('msrp://127.0.0.1:2855;tcp'), sendDigestUri: true });
    const first = request(client.start(0).write[0]!);
    const second = request(client.receive(enc(`MSRP ${first.transactionId} 401 Unauthorized\r\nWWW-Authenticate: Digest realm="127.0.0.1", nonce="n", qop="auth", opaque="00"\r\n-------${first.transactionId}$\r\n`), 1).write[0]!);
    expect(headerValue(second, 'Authorization')).toContain('uri="msrp://127.0.0.1:2855;tcp"');
    expect(headerValue(second, 'Authorization')).toContain('opaque="00"');
  });

  it('retries a 423 Interval Out-of-Bounds with Min-Expires, and gives up on repeated 401s', () => {
    const client = new RelayClient({ ...options, expires: 10 });
    const first = request(client.start(0).write[0]!);
    const retry = request(client.receive(enc(`MSRP ${first.transactionId} 423 Interval Out-of-Bounds\r\nMin-Expires: 60\r\n-------${first.transactionId}$\r\n`), 1).write[0]!);
    expect(headerValue(retry, 'Expires')).toBe('60');
    let tid = retry.transactionId;
    let last;
    for (let i = 0; i < 4; i++) {
      last = client.receive(enc(`MSRP ${tid} 401 Unauthorized\r\nWWW-Authenticate: Digest realm="r", nonce="n${i}", qop="auth"\r\n-------${tid}$\r\n`), 2);
      if (last.write[0] === undefined) break;
      tid = request(last.write[0]).transactionId;
    }
    expect(last?.events).toEqual([{ kind: 'relay-failed', status: 401, reason: 'unauthorized' }]);
  });

  it('times out an unanswered AUTH and ignores responses to other transactions', () => {
    const client = new RelayClient(options);
    client.start(0);
    expect(client.receive(enc('MSRP zzzz9999 200 OK\r\n-------zzzz9999$\r\n'), 1).events).toEqual([]);
    expect(client.onDeadline(client.nextDeadline()!).events).toEqual([{ kind: 'relay-failed', status: 408, reason: 'timeout' }]);
  });
});

describe('relay client: endless challenges', () => {
  it('a relay answering stale=true forever does not keep us AUTHing forever', () => {
    const client = new RelayClient({ relayUri: uri('msrp://127.0.0.1:2855;tcp'), localUri: uri('msrp://127.0.0.1:9/abcd1234;tcp'), username: 'u', password: 'p', random: seededRandom(3) });
    let tid = request(client.start(0).write[0]!).transactionId;
    let auths = 1;
    for (let i = 0; i < 20; i++) {
      const out = client.receive(enc(`MSRP ${tid} 401 Unauthorized\r\nWWW-Authenticate: Digest realm="r", nonce="n${i}", qop="auth", stale=true\r\n-------${tid}$\r\n`), i);
      if (out.write[0] === undefined) break;
      tid = request(out.write[0]).transactionId;
      auths++;
    }
    expect(auths).toBeLessThanOrEqual(3);
  });
});
