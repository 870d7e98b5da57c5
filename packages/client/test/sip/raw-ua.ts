/**
 * A hand-written SIP user agent over one TCP connection, for what SipAccount
 * never sends: a conference focus's `;isfocus` Contact, offers without chat
 * media. Just enough of RFC 3261 for the tests; no retransmissions (TCP).
 * `RawMsrpPeer` is its MSRP side (one chat stream over @sotto/msrp), which
 * keeps every byte it receives.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { MsrpSession, newSessionId, parseMsrpUri, parsePath, serializeRequest, systemRandom, type MsrpEvent, type MsrpUri, type Outcome } from '@sotto/msrp';
import { SipStreamDecoder } from '../../src/sip/framing.js';

export interface RawMessage {
  readonly text: string;
  readonly startLine: string;
  readonly body: string;
  header(name: string): string | undefined;
  headers(name: string): string[];
}

export function parseRaw(text: string): RawMessage {
  const split = text.indexOf('\r\n\r\n');
  const lines = text.slice(0, split).split('\r\n');
  const startLine = lines[0] ?? '';
  const all = lines.slice(1).map((line) => {
    const colon = line.indexOf(':');
    return { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() };
  });
  const headers = (name: string) => all.filter((h) => h.name === name.toLowerCase()).map((h) => h.value);
  return { text, startLine, body: text.slice(split + 4), headers, header: (name) => headers(name)[0] };
}

export class RawUa {
  private readonly decoder = new SipStreamDecoder();
  private readonly waiting: { accept: (m: RawMessage) => boolean; resolve: (m: RawMessage) => void }[] = [];
  private readonly received: RawMessage[] = [];
  private counter = 0;

  private constructor(readonly socket: Socket, readonly user: string, readonly domain: string) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        if (frame.kind !== 'message') continue;
        const message = parseRaw(frame.text);
        const index = this.waiting.findIndex((w) => w.accept(message));
        if (index < 0) {
          this.received.push(message);
          continue;
        }
        const [waiter] = this.waiting.splice(index, 1);
        waiter?.resolve(message);
      }
    });
  }

  static async connect(host: string, port: number, user: string, domain: string): Promise<RawUa> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawUa(socket, user, domain);
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  contact(params = ''): string {
    return `<sip:${this.user}@127.0.0.1:${this.localPort};transport=tcp>${params}`;
  }

  token(): string {
    this.counter += 1;
    return `${this.user}${this.counter}x${process.pid}`;
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** The next message (already received or still to come) that `accept` takes. */
  next(accept: (m: RawMessage) => boolean): Promise<RawMessage> {
    const index = this.received.findIndex(accept);
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0] as RawMessage);
    return new Promise((resolve) => this.waiting.push({ accept, resolve }));
  }

  request(method: string, uri: string, headers: string[], body = ''): { branch: string; callId: string; fromTag: string } {
    const branch = `z9hG4bK${this.token()}`;
    const callId = this.token();
    const fromTag = this.token();
    this.send([
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/TCP 127.0.0.1:${this.localPort};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:${this.user}@${this.domain}>;tag=${fromTag}`,
      `Call-ID: ${callId}`,
      ...headers,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'));
    return { branch, callId, fromTag };
  }

  async register(): Promise<RawMessage> {
    const { callId } = this.request('REGISTER', `sip:${this.domain}`, [`To: <sip:${this.user}@${this.domain}>`, 'CSeq: 1 REGISTER', `Contact: ${this.contact()}`, 'Expires: 600']);
    return this.next((m) => m.header('call-id') === callId && /^SIP\/2.0 [2-6]/.test(m.startLine));
  }

  /** A response to `request`, echoing its Via, Record-Route, From, To (+ tag), Call-ID and CSeq. */
  respond(request: RawMessage, status: string, headers: string[] = [], body = '', toTag = 'focus-tag'): void {
    const to = request.header('to') ?? '';
    this.send([
      `SIP/2.0 ${status}`,
      ...request.headers('via').map((v) => `Via: ${v}`),
      ...request.headers('record-route').map((v) => `Record-Route: ${v}`),
      `From: ${request.header('from') ?? ''}`,
      `To: ${/;tag=/.test(to) ? to : `${to};tag=${toTag}`}`,
      `Call-ID: ${request.header('call-id') ?? ''}`,
      `CSeq: ${request.header('cseq') ?? ''}`,
      ...headers,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'));
  }

  /**
   * The ACK for a 2xx to an INVITE sent with `request`: to the 2xx's
   * Contact, routed by its Record-Route (reversed), in the same dialog.
   */
  ack(invite: { callId: string; fromTag: string }, ok: RawMessage): void {
    const contact = /<([^>]+)>/.exec(ok.header('contact') ?? '')?.[1] ?? '';
    const routes = ok.headers('record-route').flatMap((v) => v.split(/,(?=\s*<)/)).map((v) => v.trim()).reverse();
    this.send([
      `ACK ${contact} SIP/2.0`,
      `Via: SIP/2.0/TCP 127.0.0.1:${this.localPort};branch=z9hG4bK${this.token()};rport`,
      'Max-Forwards: 70',
      ...routes.map((r) => `Route: ${r}`),
      `From: <sip:${this.user}@${this.domain}>;tag=${invite.fromTag}`,
      `To: ${ok.header('to') ?? ''}`,
      `Call-ID: ${invite.callId}`,
      `CSeq: ${/^(\d+)/.exec(ok.header('cseq') ?? '1')?.[1] ?? '1'} ACK`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The `a=path` URIs of an SDP body. */
export function sdpPath(sdp: string): MsrpUri[] {
  const line = /^a=path:(.*)$/m.exec(sdp)?.[1]?.trim() ?? '';
  return parsePath(line) ?? [];
}

/**
 * The MSRP side of a test user agent: listens on 127.0.0.1 for the one
 * connection of its chat stream (the other side is active), runs an
 * MsrpSession on it, and keeps every byte received and every event.
 */
export class RawMsrpPeer {
  readonly received: Buffer[] = [];
  readonly events: MsrpEvent[] = [];
  readonly uri: MsrpUri;
  session: MsrpSession | undefined;
  remotePath: readonly MsrpUri[] = [];
  socket: Socket | undefined;
  readonly connected: Promise<Socket>;
  #waiting: { accept: (e: MsrpEvent) => boolean; resolve: (e: MsrpEvent) => void }[] = [];

  private constructor(private readonly server: Server, port: number) {
    const uri = parseMsrpUri(`msrp://127.0.0.1:${port}/${newSessionId(systemRandom)};tcp`);
    if (uri === undefined) throw new Error('bad URI');
    this.uri = uri;
    this.connected = new Promise((resolve) => {
      server.on('connection', (socket) => {
        if (this.socket !== undefined) {
          socket.destroy();
          return;
        }
        this.socket = socket;
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          this.received.push(Buffer.from(chunk));
          if (this.session !== undefined) this.#apply(this.session.receive(chunk, Date.now()));
        });
        resolve(socket);
      });
    });
  }

  static listen(): Promise<RawMsrpPeer> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true });
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        const address = server.address();
        resolve(new RawMsrpPeer(server, typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
  }

  /** The session, once the other side's path is known (before it connects). */
  start(remotePath: readonly MsrpUri[]): void {
    this.remotePath = remotePath;
    this.session = new MsrpSession({ localPath: [this.uri], remotePath, now: Date.now() });
  }

  /** Every byte received so far, as text. */
  text(): string {
    return Buffer.concat(this.received).toString('latin1');
  }

  send(contentType: string, text: string): string {
    if (this.session === undefined) throw new Error('no session');
    const { messageId, ...outcome } = this.session.sendMessage(contentType, new TextEncoder().encode(text), { reports: { success: 'yes', failure: 'yes' } }, Date.now());
    this.#apply(outcome);
    return messageId;
  }

  /** An empty SEND with `Keep-Alive: yes` (msrplib's keep-alive) with transaction id `tid`. */
  keepAlive(tid: string, messageId: string): void {
    const remotePath = this.remotePath;
    this.socket?.write(serializeRequest({
      transactionId: tid,
      method: 'SEND',
      toPath: remotePath,
      fromPath: [this.uri],
      headers: [{ name: 'Message-ID', value: messageId }, { name: 'Byte-Range', value: '1-0/0' }, { name: 'Keep-Alive', value: 'yes' }],
    }));
  }

  next(accept: (event: MsrpEvent) => boolean): Promise<MsrpEvent> {
    const found = this.events.find(accept);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiting.push({ accept, resolve }));
  }

  close(): Promise<void> {
    this.socket?.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  #apply(outcome: Outcome): void {
    for (const frame of outcome.write) this.socket?.write(frame);
    for (const event of outcome.events) {
      this.events.push(event);
      const index = this.#waiting.findIndex((w) => w.accept(event));
      if (index >= 0) this.#waiting.splice(index, 1)[0]?.resolve(event);
    }
  }
}
