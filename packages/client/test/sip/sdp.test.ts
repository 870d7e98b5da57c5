import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  answerSetup, BLINK_ACCEPT_TYPES, BLINK_ACCEPT_WRAPPED_TYPES, buildChatSdp, parseChatSdp, SDP_LIMITS, SdpError,
  type ChatSdpInput, type MsrpSetup,
} from '../../src/sip/sdp.js';
import { BLINK_ANSWER_MEDIA, BLINK_OFFER_MEDIA, blinkSession, sdpBody } from './blink-sdp.js';


function sdpError(run: () => unknown): SdpError {
  try {
    run();
  } catch (error) {
    if (error instanceof SdpError) return error;
    throw new Error(`not an SdpError: ${String(error)}`);
  }
  throw new Error('no error');
}

describe("Blink's chat SDP", () => {
  it("parses Blink's offer", () => {
    const sdp = parseChatSdp(sdpBody([...blinkSession('192.0.2.2'), ...BLINK_OFFER_MEDIA]));
    expect(sdp.media).toEqual({
      transport: 'TCP/MSRP',
      port: 2855,
      connectionAddress: '127.0.0.1',
      path: ['msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp'],
      acceptTypes: [...BLINK_ACCEPT_TYPES],
      acceptWrappedTypes: [...BLINK_ACCEPT_WRAPPED_TYPES],
      setup: 'active',
      direction: 'sendrecv',
      otherAttributes: [],
    });
    expect(sdp.origin).toEqual({ sessionId: '3913454593', sessionVersion: '3913454593', address: '192.0.2.2' });
    expect(sdp.mediaIndex).toBe(0);
  });

  it("parses Blink's answer with a relay in the path", () => {
    const sdp = parseChatSdp(sdpBody([...blinkSession('192.0.2.2'), ...BLINK_ANSWER_MEDIA]));
    expect(sdp.media.path).toEqual(['msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp', 'msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp']);
    expect(sdp.media.setup).toBe('passive');
    expect(sdp.media.port).toBe(49488);
  });

  it("writes Blink's offer media section byte for byte", () => {
    const text = buildChatSdp({
      transport: 'TCP/MSRP', port: 2855, connectionAddress: '127.0.0.1', originAddress: '192.0.2.2',
      path: ['msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp'],
      acceptTypes: BLINK_ACCEPT_TYPES, acceptWrappedTypes: BLINK_ACCEPT_WRAPPED_TYPES, setup: 'active',
    });
    expect(text.endsWith(sdpBody(BLINK_OFFER_MEDIA))).toBe(true);
    expect(text.startsWith('v=0\r\no=- 0 0 IN IP4 192.0.2.2\r\ns=-\r\nt=0 0\r\nm=message')).toBe(true);
  });

  it("writes Blink's answer media section byte for byte", () => {
    const text = buildChatSdp({
      transport: 'TCP/MSRP', port: 49488, connectionAddress: '127.0.0.1',
      path: ['msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp', 'msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp'],
      acceptTypes: BLINK_ACCEPT_TYPES, acceptWrappedTypes: BLINK_ACCEPT_WRAPPED_TYPES, setup: 'passive',
    });
    expect(text.endsWith(sdpBody(BLINK_ANSWER_MEDIA))).toBe(true);
  });

  it('takes m= port and c= host from the last path URI by default, 2855 without a port (as sipsimple)', () => {
    const parsed = parseChatSdp(buildChatSdp({ transport: 'TCP/TLS/MSRP', path: ['msrps://relay.example:2855/a;tcp', 'msrps://10.0.0.7/b;tcp'], acceptTypes: ['text/plain'] }));
    expect(parsed.media.port).toBe(2855);
    expect(parsed.media.connectionAddress).toBe('10.0.0.7');
    expect(parsed.media.transport).toBe('TCP/TLS/MSRP');
    expect(parsed.media.setup).toBeUndefined();
  });

  it('reads the TLS variant (msrps URIs, TCP/TLS/MSRP) and LF line ends', () => {
    const lines = [...blinkSession('192.0.2.2'), ...BLINK_OFFER_MEDIA].map((l) => l.replace('TCP/MSRP', 'TCP/TLS/MSRP').replace('msrp://', 'msrps://'));
    const sdp = parseChatSdp(lines.join('\n'));
    expect(sdp.media.transport).toBe('TCP/TLS/MSRP');
    expect(sdp.media.path[0]?.startsWith('msrps://')).toBe(true);
  });

  it('picks the m=message section among others and keeps its index; session-level c= applies', () => {
    const sdp = parseChatSdp(sdpBody(['v=0', 'o=- 1 1 IN IP4 10.0.0.1', 's=-', 'c=IN IP4 10.0.0.9', 't=0 0', 'm=audio 4000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000',
      'm=message 0 TCP/MSRP *', 'a=path:msrp://h:1/x;tcp', 'a=accept-types:text/plain',
      'm=message 7 TCP/MSRP *', 'a=path:msrp://h:2/y;tcp', 'a=accept-types:*', 'a=chatroom:nickname private-messages', 'a=recvonly']));
    expect(sdp.mediaIndex).toBe(2);
    expect(sdp.mediaCount).toBe(3);
    expect(sdp.media.connectionAddress).toBe('10.0.0.9');
    expect(sdp.media.direction).toBe('recvonly');
    expect(sdp.media.otherAttributes).toEqual([{ name: 'chatroom', value: 'nickname private-messages' }]);
  });

  it('answers setup as sipsimple: active -> passive, actpass/passive -> active, none -> passive', () => {
    const cases: [MsrpSetup | undefined, MsrpSetup][] = [['active', 'passive'], ['actpass', 'active'], ['passive', 'active'], [undefined, 'passive']];
    for (const [offer, answer] of cases) expect(answerSetup(offer)).toBe(answer);
  });
});

describe('bad chat SDP gives typed errors', () => {
  const good = [...blinkSession('192.0.2.2'), ...BLINK_OFFER_MEDIA];
  it.each([
    ['no-chat-media', ['v=0', 'm=audio 4000 RTP/AVP 0']],
    ['unsupported-transport', good.map((l) => l.replace('TCP/MSRP', 'UDP/MSRP'))],
    ['missing-path', good.filter((l) => !l.startsWith('a=path'))],
    ['missing-accept-types', good.filter((l) => !l.startsWith('a=accept-types'))],
    ['malformed', good.map((l) => l.replace('msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp', 'http://x/'))],
    ['malformed', good.map((l) => l.replace('a=setup:active', 'a=setup:sideways'))],
    ['malformed', [...good, 'garbage']],
    ['malformed', good.map((l) => l.replace('m=message 2855', 'm=message 99999'))],
  ] as const)('%s', (code, lines) => {
    expect(sdpError(() => parseChatSdp(sdpBody([...lines]))).code).toBe(code);
  });

  it('a body over the size bound is refused before it is split', () => {
    expect(sdpError(() => parseChatSdp('a'.repeat(SDP_LIMITS.maxLength + 1))).code).toBe('too-large');
  });

  it('too many lines, path URIs, types or media sections are refused', () => {
    expect(sdpError(() => parseChatSdp('v=0\r\n'.repeat(SDP_LIMITS.maxLines + 1))).code).toBe('too-large');
    const manyUris = Array.from({ length: SDP_LIMITS.maxPathUris + 1 }, (_, i) => `msrp://h:${i + 1}/s;tcp`).join(' ');
    expect(sdpError(() => parseChatSdp(sdpBody(good.map((l) => (l.startsWith('a=path') ? `a=path:${manyUris}` : l))))).code).toBe('too-large');
    const manyTypes = Array.from({ length: SDP_LIMITS.maxTypes + 1 }, (_, i) => `text/t${i}`).join(' ');
    expect(sdpError(() => parseChatSdp(sdpBody(good.map((l) => (l.startsWith('a=accept-types') ? `a=accept-types:${manyTypes}` : l))))).code).toBe('too-large');
    expect(sdpError(() => parseChatSdp(sdpBody(Array.from({ length: SDP_LIMITS.maxMedia + 1 }, () => 'm=audio 1 RTP/AVP 0')))).code).toBe('too-large');
  });

  it('building refuses what it could not write correctly', () => {
    const base: ChatSdpInput = { transport: 'TCP/MSRP', path: ['msrp://h:1/s;tcp'], acceptTypes: ['text/plain'] };
    expect(sdpError(() => buildChatSdp({ ...base, path: [] })).code).toBe('missing-path');
    expect(sdpError(() => buildChatSdp({ ...base, path: ['msrp://h:1/s;tcp\r\na=evil'] })).code).toBe('malformed');
    expect(sdpError(() => buildChatSdp({ ...base, acceptTypes: ['text/plain\r\nx'] })).code).toBe('malformed');
    expect(sdpError(() => buildChatSdp({ ...base, acceptTypes: [] })).code).toBe('missing-accept-types');
    expect(sdpError(() => buildChatSdp({ ...base, sessionName: 'a\r\nb' })).code).toBe('malformed');
  });
});

describe('chat SDP properties', () => {
  const token = fc.stringMatching(/^[a-z0-9][a-z0-9.+-]{0,11}$/);
  const sessionId = fc.stringMatching(/^[A-Za-z0-9+=/_-]{1,24}$/);
  const host = fc.oneof(fc.ipV4(), fc.domain());
  const uri = fc.record({ scheme: fc.constantFrom('msrp', 'msrps'), host, port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), id: sessionId })
    .map(({ scheme, host: h, port, id }) => `${scheme}://${h}${port === undefined ? '' : `:${port}`}/${id};tcp`);
  const mediaType = fc.oneof(fc.constant('*'), fc.tuple(token, fc.oneof(token, fc.constant('*'))).map(([a, b]) => `${a}/${b}`));
  const input = fc.record({
    transport: fc.constantFrom('TCP/MSRP' as const, 'TCP/TLS/MSRP' as const),
    path: fc.array(uri, { minLength: 1, maxLength: SDP_LIMITS.maxPathUris }),
    acceptTypes: fc.array(mediaType, { minLength: 1, maxLength: 8 }),
    acceptWrappedTypes: fc.array(mediaType, { maxLength: 8 }),
    setup: fc.option(fc.constantFrom('active' as const, 'passive' as const, 'actpass' as const), { nil: undefined }),
    direction: fc.constantFrom('sendrecv' as const, 'sendonly' as const, 'recvonly' as const, 'inactive' as const),
  });

  it('what buildChatSdp writes, parseChatSdp reads back', () => {
    fc.assert(fc.property(input, (i) => {
      const parsed = parseChatSdp(buildChatSdp(i)).media;
      expect(parsed.transport).toBe(i.transport);
      expect(parsed.path).toEqual(i.path);
      expect(parsed.acceptTypes).toEqual(i.acceptTypes);
      expect(parsed.acceptWrappedTypes).toEqual(i.acceptWrappedTypes);
      expect(parsed.setup).toBe(i.setup);
      expect(parsed.direction).toBe(i.direction);
    }));
  });

  it('any text gives a ChatSdp or an SdpError, nothing else', () => {
    const line = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom(...BLINK_OFFER_MEDIA, 'a=path:', 'a=setup:', 'm=message', 'c=IN IP4', 'o=- 1'));
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom('\r\n', '\n'), (lines, eol) => {
      try {
        parseChatSdp(lines.join(eol));
      } catch (error) {
        expect(error).toBeInstanceOf(SdpError);
      }
    }), { numRuns: 2000 });
  });
});
