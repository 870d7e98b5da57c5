import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_SIP_FRAMING_LIMITS, SipFramingError, SipStreamDecoder, type SipFrame } from '../../src/sip/framing.js';
import { SipStreamTransport, SipTransportError, normalizeFingerprint, type SipTransportOptions } from '../../src/sip/transport.js';
import { SipAccount } from '../../src/sip/account.js';
import { parseRaw } from './raw-ua.js';

const LIMITS = { maxHeaderBytes: 4096, maxBodyBytes: 8192 };

function framingError(run: () => unknown): SipFramingError {
  try {
    run();
  } catch (error) {
    if (error instanceof SipFramingError) return error;
    throw new Error(`not a SipFramingError: ${String(error)}`);
  }
  throw new Error('no error');
}

function message(body: string, extra = ''): string {
  return `SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP x.invalid;branch=z9hG4bK1\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('SIP stream framing', () => {
  it('Content-Length counts bytes, not characters: a UTF-8 body split anywhere comes out whole', () => {
    const body = 'héllo wörld ✓ 😀 end';
    const wire = Buffer.from(message(body) + message('second'));
    for (let cut = 1; cut < wire.length; cut++) {
      const decoder = new SipStreamDecoder(LIMITS);
      const frames = [...decoder.push(wire.subarray(0, cut)), ...decoder.push(wire.subarray(cut))];
      expect(frames.map((f) => (f.kind === 'message' ? f.text : f.kind))).toEqual([message(body), message('second')]);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('CRLFCRLF between messages is a ping, a lone CRLF a pong; compact "l:" is Content-Length', () => {
    const decoder = new SipStreamDecoder(LIMITS);
    const frames: SipFrame[] = decoder.push(Buffer.from(`\r\n\r\n\r\nSIP/2.0 200 OK\r\nl: 2\r\n\r\nok`));
    expect(frames.map((f) => f.kind)).toEqual(['ping', 'pong', 'message']);
  });

  it('endless headers: refused once past the bound, never holding more than bound + one chunk', () => {
    const decoder = new SipStreamDecoder(LIMITS);
    const chunk = Buffer.alloc(1000, 'a');
    decoder.push(Buffer.from('SIP/2.0 200 OK\r\nX-Long: '));
    let fed = 0;
    const error = framingError(() => {
      for (;;) {
        decoder.push(chunk);
        fed += chunk.length;
        expect(decoder.pendingBytes).toBeLessThanOrEqual(LIMITS.maxHeaderBytes + chunk.length);
        if (fed > 10 * 1024 * 1024) throw new Error('never refused');
      }
    });
    expect(error.code).toBe('header-too-large');
    expect(decoder.pendingBytes).toBe(0);
    expect(framingError(() => decoder.push(Buffer.from('\r\n'))).code).toBe('header-too-large');
  });

  it('messages framed before bad bytes in the same read are still delivered, then the error', () => {
    const decoder = new SipStreamDecoder(LIMITS);
    const frames = decoder.push(Buffer.from(`${message('first')}SIP/2.0 200 OK\r\nContent-Length: 10485760\r\n\r\n`));
    expect(frames.map((f) => (f.kind === 'message' ? f.text : f.kind))).toEqual([message('first')]);
    expect(decoder.error?.code).toBe('body-too-large');
    expect(framingError(() => decoder.push(Buffer.from(message('x')))).code).toBe('body-too-large');
  });

  it('a huge Content-Length is refused before any body arrives', () => {
    const decoder = new SipStreamDecoder(LIMITS);
    expect(framingError(() => decoder.push(Buffer.from('INVITE sip:a@b SIP/2.0\r\nContent-Length: 10485760\r\n\r\n'))).code).toBe('body-too-large');
  });

  it.each([
    ['missing-content-length', 'SIP/2.0 200 OK\r\nVia: x\r\n\r\n'],
    ['bad-content-length', 'SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['bad-content-length', 'SIP/2.0 200 OK\r\nContent-Length: 1\r\nl: 2\r\n\r\nab'],
    ['bad-content-length', 'SIP/2.0 200 OK\r\nContent-Length: 99999999999\r\n\r\n'],
    ['malformed', 'SIP/2.0 200 OK\r\nX: \0\r\nContent-Length: 0\r\n\r\n'],
  ] as const)('%s', (code, wire) => {
    expect(framingError(() => new SipStreamDecoder(LIMITS).push(Buffer.from(wire))).code).toBe(code);
  });

  it('any bytes give frames or a SipFramingError, and the held bytes stay bounded', () => {
    const piece = fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.constantFrom(...['\r\n', '\r\n\r\n', 'Content-Length: 5', 'l:0', message('x')].map((t) => Buffer.from(t))));
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
      const decoder = new SipStreamDecoder(LIMITS);
      try {
        for (const p of pieces) {
          decoder.push(p);
          expect(decoder.pendingBytes).toBeLessThanOrEqual(LIMITS.maxHeaderBytes + LIMITS.maxBodyBytes + 600);
        }
      } catch (error) {
        expect(error).toBeInstanceOf(SipFramingError);
      }
    }), { numRuns: 1000 });
  });

  it('the default bounds are explicit', () => {
    expect(DEFAULT_SIP_FRAMING_LIMITS).toEqual({ maxHeaderBytes: 32 * 1024, maxBodyBytes: 64 * 1024 });
  });
});

describe('hostile SIP server against the transport', () => {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    server = undefined;
  });

  async function connected(onSocket: (socket: Socket) => void, options: Partial<SipTransportOptions> = {}) {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      onSocket(socket);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const errors: SipTransportError[] = [];
    const messages: string[] = [];
    const transport = new SipStreamTransport(undefined, { kind: 'tcp', host: '127.0.0.1', port, limits: LIMITS, keepAliveIntervalMs: 0, ...options, onError: (e) => errors.push(e) });
    const disconnected = new Promise<Error | undefined>((resolve) => { transport.onDisconnect = resolve; });
    transport.onMessage = (m) => messages.push(m);
    await transport.connect();
    return { transport, errors, messages, disconnected };
  }

  it('endless headers close the connection with framing:header-too-large', async () => {
    const { transport, errors, disconnected } = await connected((socket) => {
      socket.write('SIP/2.0 200 OK\r\nX-Endless: ');
      const pump = () => { if (!socket.destroyed && socket.write(Buffer.alloc(16 * 1024, 'a'))) setImmediate(pump); };
      pump();
      socket.on('drain', pump);
    });
    const error = await disconnected;
    expect(error).toBeInstanceOf(SipTransportError);
    expect((error as SipTransportError).code).toBe('framing:header-too-large');
    expect(errors.map((e) => e.code)).toEqual(['framing:header-too-large']);
    expect(transport.isConnected()).toBe(false);
  });

  it('a 10 MiB Content-Length closes the connection with framing:body-too-large', async () => {
    const { errors, disconnected } = await connected((socket) => socket.write('SIP/2.0 200 OK\r\nContent-Length: 10485760\r\n\r\nxxxx'));
    await disconnected;
    expect(errors.map((e) => e.code)).toEqual(['framing:body-too-large']);
  });

  it('a half-sent message that never ends is an incomplete-message error', async () => {
    const { errors, messages, disconnected } = await connected((socket) => socket.write(message('whole') + message('0123456789').slice(0, -5)), { incompleteMessageTimeoutMs: 100 });
    await disconnected;
    expect(messages).toEqual([message('whole')]);
    expect(errors.map((e) => e.code)).toEqual(['incomplete-message']);
  });

  it('a connection closed mid-message is truncated, not a message', async () => {
    const { errors, messages, disconnected } = await connected((socket) => socket.end(message('0123456789').slice(0, -3)));
    await disconnected;
    expect(messages).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['truncated']);
  });

  it('a CRLFCRLF ping is answered with CRLF', async () => {
    let got = '';
    const pong = new Promise<void>((resolve) => {
      void connected((socket) => {
        socket.on('data', (d: Buffer) => { got += d.toString('latin1'); if (got === '\r\n') resolve(); });
        socket.write('\r\n\r\n');
      });
    });
    await pong;
    expect(got).toBe('\r\n');
  });

  it('sending while not connected is a typed error', async () => {
    const transport = new SipStreamTransport(undefined, { kind: 'tcp', host: '127.0.0.1', port: 9 });
    await expect(transport.send('x')).rejects.toBeInstanceOf(SipTransportError);
  });

  it('a refused connection is a typed connect-failed error', async () => {
    const transport = new SipStreamTransport(undefined, { kind: 'tcp', host: '127.0.0.1', port: 9 });
    await expect(transport.connect()).rejects.toMatchObject({ code: 'connect-failed' });
  });

  it('fingerprints are normalized and checked for shape', () => {
    expect(normalizeFingerprint('ab'.repeat(32))).toBe(Array.from({ length: 32 }, () => 'AB').join(':'));
    expect(() => normalizeFingerprint('abc')).toThrow(SipTransportError);
  });

  /** A registrar on a bare socket: answers REGISTER with 200; `hostile(n, socket)` may misbehave on connection n. */
  async function registrar(hostile: (connection: number, socket: Socket, answered: number) => boolean): Promise<number> {
    let connections = 0;
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      connections += 1;
      const connection = connections;
      let answered = 0;
      if (hostile(connection, socket, answered)) return;
      const decoder = new SipStreamDecoder();
      socket.on('data', (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) {
          if (frame.kind !== 'message' || !frame.text.startsWith('REGISTER ')) continue;
          const request = parseRaw(frame.text);
          socket.write([
            'SIP/2.0 200 OK',
            ...request.headers('via').map((v) => `Via: ${v}`),
            `From: ${request.header('from') ?? ''}`,
            `To: ${request.header('to') ?? ''};tag=reg`,
            `Call-ID: ${request.header('call-id') ?? ''}`,
            `CSeq: ${request.header('cseq') ?? ''}`,
            `Contact: ${request.header('contact') ?? ''};expires=600`,
            'Content-Length: 0', '', '',
          ].join('\r\n'));
          answered += 1;
          hostile(connection, socket, answered);
        }
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  it('a 200 OK in the same read as a 10 MiB Content-Length still registers; the account reports the typed error, reconnects and registers again', async () => {
    const port = await registrar((connection, socket, answered) => {
      if (connection === 1 && answered === 1) socket.write('SIP/2.0 200 OK\r\nContent-Length: 10485760\r\n\r\n');
      return false;
    });
    const sip = new SipAccount({ aor: 'sip:alice@sotto.test', proxy: { host: '127.0.0.1', port, transport: 'tcp' }, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
    const errors: string[] = [];
    const states: string[] = [];
    sip.on('error', (e) => errors.push(e.code));
    const again = new Promise<void>((resolve) => sip.on('registration', (r) => {
      states.push(r.state);
      if (r.state === 'registered' && states.includes('unregistered')) resolve();
    }));
    try {
      await sip.start();
      await again;
      expect(errors).toContain('framing:body-too-large');
      expect(sip.registrationState).toBe('registered');
    } finally {
      await sip.stop();
    }
  });

  it('a first REGISTER whose connection dies unanswered makes start() fail with a typed error instead of waiting forever', async () => {
    const port = await registrar((_connection, socket) => {
      socket.on('data', () => socket.write('SIP/2.0 200 OK\r\nContent-Length: 10485760\r\n\r\n'));
      return true;
    });
    const sip = new SipAccount({ aor: 'sip:alice@sotto.test', proxy: { host: '127.0.0.1', port, transport: 'tcp' } });
    await expect(sip.start()).rejects.toBeInstanceOf(SipTransportError);
    expect(sip.registrationState).toBe('unregistered');
  });
});
