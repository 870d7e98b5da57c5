/**
 * The SIP side of the Blink double: one TCP connection to the proxy
 * (Kamailio), REGISTER, an outgoing INVITE with Blink's headers, an incoming
 * INVITE answered 100 / 180 / 200, ACK and BYE. Just enough RFC 3261 for the
 * tests (TCP: no retransmissions).
 */
import { connect, type Socket } from 'node:net';
import { SipStreamDecoder } from '../../../src/sip/framing.js';
import { parseRaw, type RawMessage } from '../../sip/raw-ua.js';
import { msrplibId } from './wire.js';

export type { RawMessage };

/** python3-sipsimple's INVITE headers beside the usual ones (notes section 6). */
export const BLINK_ALLOW = 'SUBSCRIBE, NOTIFY, INVITE, ACK, BYE, CANCEL, UPDATE, MESSAGE, REFER';
export const BLINK_ALLOW_ANSWER = 'SUBSCRIBE, NOTIFY, PRACK, INVITE, ACK, BYE, CANCEL, UPDATE, MESSAGE, REFER';
export const BLINK_SUPPORTED = 'replaces, norefersub, gruu';
export const BLINK_SUPPORTED_ANSWER = '100rel, replaces, norefersub, gruu';
export const BLINK_ZRTP = 'v=3; suites=AES-128-GCM';
export const BLINK_USER_AGENT = 'Blink 6.0.6 (Linux)';

/** The display name and URI of a From/To/Contact value. */
export function nameAddr(value: string): { display: string | undefined; uri: string } {
  const match = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))\s*<([^>]*)>/.exec(value);
  if (match === null) return { display: undefined, uri: value.split(';')[0]?.trim() ?? value };
  const display = match[1] ?? match[2]?.trim();
  return { display: display === '' ? undefined : display, uri: match[3] ?? '' };
}

export interface Dialog {
  readonly callId: string;
  readonly localTag: string;
  remoteTag: string;
  /** Our From/To value in this dialog (with tag) and the peer's. */
  local: string;
  remote: string;
  remoteTarget: string;
  routeSet: string[];
  cseq: number;
}

export class SipConnection {
  private readonly decoder = new SipStreamDecoder();
  private readonly waiting: { accept: (m: RawMessage) => boolean; resolve: (m: RawMessage) => void }[] = [];
  private readonly received: RawMessage[] = [];
  private counter = 0;
  /** Requests nobody waits for (BYE etc.) go here. */
  onRequest: ((m: RawMessage) => void) | undefined;

  private constructor(readonly socket: Socket, readonly user: string, readonly domain: string, readonly displayName: string | undefined) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        if (frame.kind !== 'message') continue;
        const message = parseRaw(frame.text);
        const index = this.waiting.findIndex((w) => w.accept(message));
        if (index >= 0) {
          const [waiter] = this.waiting.splice(index, 1);
          waiter?.resolve(message);
        } else if (!message.startLine.startsWith('SIP/2.0') && this.onRequest !== undefined) {
          this.onRequest(message);
        } else {
          this.received.push(message);
          if (this.received.length > 256) this.received.shift();
        }
      }
    });
    socket.on('error', () => undefined);
  }

  static async open(host: string, port: number, user: string, domain: string, displayName: string | undefined): Promise<SipConnection> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new SipConnection(socket, user, domain, displayName);
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  get aor(): string {
    return `sip:${this.user}@${this.domain}`;
  }

  contact(): string {
    return `<sip:${this.user}@127.0.0.1:${this.localPort};transport=tcp>`;
  }

  token(): string {
    this.counter += 1;
    return `${msrplibId()}${this.counter}`;
  }

  next(accept: (m: RawMessage) => boolean): Promise<RawMessage> {
    const index = this.received.findIndex(accept);
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0] as RawMessage);
    return new Promise((resolve) => this.waiting.push({ accept, resolve }));
  }

  send(lines: readonly string[], body = ''): void {
    this.socket.write([...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
  }

  via(branch: string): string {
    return `Via: SIP/2.0/TCP 127.0.0.1:${this.localPort};rport;branch=${branch}`;
  }

  async register(): Promise<RawMessage> {
    const callId = this.token();
    this.send([
      `REGISTER sip:${this.domain} SIP/2.0`, this.via(`z9hG4bK${this.token()}`), 'Max-Forwards: 70',
      `From: <${this.aor}>;tag=${this.token()}`, `To: <${this.aor}>`, `Call-ID: ${callId}`, 'CSeq: 1 REGISTER',
      `Contact: ${this.contact()}`, 'Expires: 600', `User-Agent: ${BLINK_USER_AGENT}`,
    ]);
    return this.next((m) => m.header('call-id') === callId && /^SIP\/2.0 [2-6]/.test(m.startLine));
  }

  /** Sends Blink's INVITE; resolves with the final response (ACKed when 2xx) and the dialog. */
  async invite(target: string, sdp: string, onProvisional?: (m: RawMessage) => void): Promise<{ response: RawMessage; dialog: Dialog | undefined }> {
    const callId = this.token();
    const localTag = this.token();
    const from = `${this.displayName === undefined ? '' : `"${this.displayName}" `}<${this.aor}>;tag=${localTag}`;
    const to = `<${target}>`;
    this.send([
      `INVITE ${target} SIP/2.0`, this.via(`z9hG4bK${this.token()}`), 'Max-Forwards: 70',
      `From: ${from}`, `To: ${to}`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE', `Contact: ${this.contact()}`,
      `User-Agent: ${BLINK_USER_AGENT}`, `Allow: ${BLINK_ALLOW}`, `Supported: ${BLINK_SUPPORTED}`,
      `X-Sylk-ZRTP: ${BLINK_ZRTP}`, 'Content-Type: application/sdp',
    ], sdp);
    for (;;) {
      const response = await this.next((m) => m.header('call-id') === callId && m.startLine.startsWith('SIP/2.0') && /INVITE/.test(m.header('cseq') ?? ''));
      const code = Number(response.startLine.split(' ')[1]);
      if (code < 200) {
        onProvisional?.(response);
        continue;
      }
      if (code >= 300) return { response, dialog: undefined };
      const toHeader = response.header('to') ?? '';
      const dialog: Dialog = {
        callId, localTag, remoteTag: /;tag=([^;>\s]+)/.exec(toHeader)?.[1] ?? '',
        local: from, remote: toHeader, remoteTarget: nameAddr(response.header('contact') ?? '').uri,
        routeSet: response.headers('record-route').flatMap((v) => v.split(',').map((s) => s.trim())).reverse(), cseq: 1,
      };
      this.send([
        `ACK ${dialog.remoteTarget} SIP/2.0`, this.via(`z9hG4bK${this.token()}`), 'Max-Forwards: 70',
        ...dialog.routeSet.map((r) => `Route: ${r}`), `From: ${from}`, `To: ${toHeader}`, `Call-ID: ${callId}`, 'CSeq: 1 ACK',
      ]);
      return { response, dialog };
    }
  }

  /** A response to `request`; `toTag` is added to To when it has none. */
  respond(request: RawMessage, status: string, toTag: string | undefined, headers: readonly string[] = [], body = ''): void {
    const to = request.header('to') ?? '';
    this.send([
      `SIP/2.0 ${status}`, ...request.headers('via').map((v) => `Via: ${v}`), ...request.headers('record-route').map((v) => `Record-Route: ${v}`),
      `From: ${request.header('from') ?? ''}`, `To: ${toTag === undefined || /;tag=/.test(to) ? to : `${to};tag=${toTag}`}`,
      `Call-ID: ${request.header('call-id') ?? ''}`, `CSeq: ${request.header('cseq') ?? ''}`, ...headers,
    ], body);
  }

  /** The dialog of an incoming INVITE we answer with `localTag`. */
  static dialogOf(invite: RawMessage, localTag: string): Dialog {
    const from = invite.header('from') ?? '';
    return {
      callId: invite.header('call-id') ?? '', localTag, remoteTag: /;tag=([^;>\s]+)/.exec(from)?.[1] ?? '',
      local: `${invite.header('to') ?? ''};tag=${localTag}`, remote: from,
      remoteTarget: nameAddr(invite.header('contact') ?? '').uri,
      routeSet: invite.headers('record-route').flatMap((v) => v.split(',').map((s) => s.trim())), cseq: 0,
    };
  }

  /** BYE in `dialog`; resolves with its final response. */
  async bye(dialog: Dialog): Promise<RawMessage> {
    dialog.cseq += 1;
    const cseq = `${dialog.cseq} BYE`;
    this.send([
      `BYE ${dialog.remoteTarget} SIP/2.0`, this.via(`z9hG4bK${this.token()}`), 'Max-Forwards: 70',
      ...dialog.routeSet.map((r) => `Route: ${r}`), `From: ${dialog.local}`, `To: ${dialog.remote}`, `Call-ID: ${dialog.callId}`,
      `CSeq: ${cseq}`, `User-Agent: ${BLINK_USER_AGENT}`,
    ]);
    return this.next((m) => m.header('call-id') === dialog.callId && m.startLine.startsWith('SIP/2.0') && m.header('cseq') === cseq && !/^SIP\/2.0 1/.test(m.startLine));
  }

  close(): void {
    this.socket.destroy();
  }
}
