/**
 * A hand-written SIP user agent over one TCP connection, for what SipAccount
 * never sends: a conference focus's `;isfocus` Contact, offers without chat
 * media. Just enough of RFC 3261 for the tests; no retransmissions (TCP).
 */
import { connect, type Socket } from 'node:net';
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

  close(): void {
    this.socket.destroy();
  }
}
