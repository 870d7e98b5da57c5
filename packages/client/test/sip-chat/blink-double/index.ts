/**
 * A test peer that behaves on the wire like Blink's engine (python3-sipsimple
 * 5.5.0 with python3-msrplib and python3-otr), as notes section 6 of the
 * SIP/MSRP notes describe it and those sources confirm:
 *
 * - SIP: Blink's INVITE headers (Allow, Supported, X-Sylk-ZRTP), 100 / 180 /
 *   200 when called, hang-up = BYE only (no OTR disconnect) and the MSRP
 *   connection closed.
 * - Caller: no relay; offers `a=setup:active` with a path nobody listens on
 *   (`msrp://<unreachableHost>:2855/<id>;tcp`, c= the SIP address), connects
 *   to the callee's first hop from an ephemeral port and binds with an empty
 *   SEND.
 * - Callee (offer `active`): AUTH at the relay (no `uri=`, `nc` quoted),
 *   answers `a=setup:passive` with Use-Path + own URI, m= port = the local
 *   port of the relay connection; 180 and 200 after the AUTH.
 * - MSRP: msrplib's ids, header order, `Byte-Range: 1-*\/N` above 2048,
 *   both report headers, its 200 responses (To-Path/From-Path only) and
 *   REPORTs (only when asked), keep-alive `SEND` with `Keep-Alive: yes`.
 * - CPIM exactly as sipsimple (CRLF CPIM headers, LF inner headers,
 *   DateTime with microseconds, display names only where the INVITE had one).
 * - OTR: the query `?OTRv3?  I would like...` at stream start unless the
 *   peer's query already started a key exchange, no second key exchange
 *   while a session exists (python3-otr's rules, see `otrGate`), OTR's own
 *   messages `text/plain` with reports `no`, every payload through OTR
 *   whatever its type, and python3-otr's old-MAC-keys field (escaped text).
 *
 * The OTR engine is @sotto/otr restricted to version 3 (python3-otr speaks
 * v3 only). Debian's python-potr 1.0.2 speaks OTRv2 only, so it cannot stand
 * in for python3-otr here; the OTR wire quirks of python3-otr that matter to
 * a receiver are reproduced by rewriting our data messages (wire.ts).
 *
 * Everything the double sees that Blink's engine would reject (or handle
 * differently) is recorded in `problems`; tests assert it stays empty.
 */
import { connect, type Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import { Account, toHex, type Outcome, type OtrEvent, type Policy } from '@sotto/otr';
import { generateDsaKey, generateInstanceTag } from '@sotto/otr';
import { FrameParser, headerValue, parseByteRange, parseDigestChallenge, digestResponse, type Frame, type RequestFrame } from '@sotto/msrp';
import { parseChatSdp } from '../../../src/sip/sdp.js';
import type { Kamailio } from '../../sip/kamailio/harness.js';
import { SipConnection, SipConnection as Sip, BLINK_SUPPORTED_ANSWER, BLINK_ALLOW_ANSWER, BLINK_USER_AGENT, nameAddr, type Dialog, type RawMessage } from './sip.js';
import { BLINK_OTR_QUERY, cpimDecode, cpimEncode, cpimIdentity, isComposingXml, msrplibByteRange, msrplibFrame, msrplibId, msrplibSessionId, withPythonOldMacs } from './wire.js';

export { BLINK_OTR_QUERY } from './wire.js';

const ACCEPT_TYPES = ['message/cpim', 'text/*', 'image/*', 'application/im-iscomposing+xml'];
const ACCEPT_WRAPPED_TYPES = ['text/*', 'image/*', 'application/im-iscomposing+xml'];
const IS_COMPOSING = 'application/im-iscomposing+xml';

/** python3-otr: OTRSession(supported_versions={3}); answers a query with an AKE, no whitespace tags. */
const BLINK_OTR_POLICY: Policy = { versions: new Set([3]), requireEncryption: false, sendWhitespaceTag: false, whitespaceStartAke: true, errorStartAke: false };

/** sipsimple's `contains_mime_type`. */
function containsMimeType(list: readonly string[], type: string): boolean {
  const lower = type.toLowerCase();
  return list.some((entry) => entry === lower || entry === '*' || (entry.endsWith('/*') && lower.startsWith(entry.slice(0, -1))));
}

export type DoubleEvent =
  | { kind: 'incoming'; from: string }
  | { kind: 'stream-started' }
  | { kind: 'message'; content: string; contentType: string; encrypted: boolean; cpimFrom: string | undefined; cpimTo: string | undefined }
  | { kind: 'composing'; state: string; encrypted: boolean }
  | { kind: 'delivered'; messageId: string }
  | { kind: 'not-delivered'; messageId: string; code: number }
  | { kind: 'otr'; event: OtrEvent }
  /** python3-otr's IgnoreMessage for a query or D-H Commit that would start a second key exchange. */
  | { kind: 'otr-ignored'; message: 'query' | 'dh-commit' }
  | { kind: 'ended'; by: 'local' | 'remote' }
  | { kind: 'msrp-closed' };

export interface BlinkDoubleOptions {
  /** The account's display name (sipsimple puts it in the INVITE's From). Default: the user name. */
  readonly displayName?: string;
  /** The host in the MSRP path (sipsimple: the default-route address). Default 192.0.2.2 (TEST-NET-1: nothing answers). */
  readonly pathHost?: string;
  /**
   * Callee: the stream starts (MediaStreamDidStart, and with it OTR's
   * `start()`) only once the peer's first OTR payload has been read, as when
   * sipsimple starts it late: python3-otr then already has a protocol.
   */
  readonly startAfterPeerQuery?: boolean;
}

interface Stream {
  socket: Socket;
  parser: FrameParser;
  localUri: string;
  localSessionId: string;
  /** Relay Use-Path (callee) or nothing (caller). */
  localPath: string[];
  /** The peer's full path from its SDP. */
  remotePath: string[];
  /** Identities as CPIM writes them. */
  cpimLocal: string;
  cpimRemote: string;
  peer: string;
  dialog: Dialog | undefined;
  bound: boolean;
  /** active: we bound with an empty SEND (caller); passive: the peer's first SEND binds (callee). */
  role: 'active' | 'passive';
  pending: Map<string, (frame: Frame) => void>;
  sentMessages: Set<string>;
  incoming: Map<string, string[]>;
}

export class BlinkDouble {
  readonly otr: Account;
  readonly fingerprint: string;
  readonly problems: string[] = [];
  readonly events: DoubleEvent[] = [];
  /** Every MSRP frame received (parsed), in order. */
  readonly framesIn: Frame[] = [];
  /** Every MSRP frame written (exact bytes), in order. */
  readonly framesOut: Buffer[] = [];
  /** Data messages whose old-MAC-keys field was written as python3-otr writes it. */
  readonly oldMacs = { revealed: 0 };
  private stream: Stream | undefined;
  private readonly waiters: { accept: (e: DoubleEvent) => boolean; from: number; resolve: (e: DoubleEvent) => void }[] = [];
  private pendingInvite: RawMessage | undefined;
  private readonly pathHost: string;
  private readonly startAfterPeerQuery: boolean;
  /** The callee's stream start waits for the peer's first OTR payload. */
  private startPending = false;
  /** python3-otr's `OTRSession.protocol is not None` (see `otrGate`). */
  private otrProtocol = false;
  /** python3-otr's `OTRSession.sent_query`. */
  private otrSentQuery = false;

  private constructor(readonly sip: SipConnection, readonly kam: Kamailio, options: BlinkDoubleOptions) {
    this.pathHost = options.pathHost ?? '192.0.2.2';
    this.startAfterPeerQuery = options.startAfterPeerQuery ?? false;
    this.otr = new Account({ privateKey: generateDsaKey(), instanceTag: generateInstanceTag(), policy: BLINK_OTR_POLICY });
    this.fingerprint = toHex(this.otr.ourFingerprint);
    sip.onRequest = (request) => this.onSipRequest(request);
  }

  static async start(kam: Kamailio, user: string, options: BlinkDoubleOptions = {}): Promise<BlinkDouble> {
    const sip = await SipConnection.open(kam.sipTcp.host, kam.sipTcp.port, user, kam.domain, options.displayName ?? user);
    const registered = await sip.register();
    if (!registered.startLine.startsWith('SIP/2.0 200')) throw new Error(`the Blink double could not register: ${registered.startLine}`);
    return new BlinkDouble(sip, kam, options);
  }

  get address(): string {
    return this.sip.aor;
  }

  /** The MSRP URI this double advertised (nothing listens there). */
  get localUri(): string | undefined {
    return this.stream?.localUri;
  }

  mark(): number {
    return this.events.length;
  }

  /** The next event of `kind` at or after `mark` that `match` takes. */
  next<K extends DoubleEvent['kind']>(kind: K, mark = 0, match: (e: Extract<DoubleEvent, { kind: K }>) => boolean = () => true, timeoutMs = 20_000): Promise<Extract<DoubleEvent, { kind: K }>> {
    const accept = (e: DoubleEvent): boolean => e.kind === kind && match(e as Extract<DoubleEvent, { kind: K }>);
    const found = this.events.slice(mark).find(accept);
    if (found !== undefined) return Promise.resolve(found as Extract<DoubleEvent, { kind: K }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Blink double: no ${kind} within ${timeoutMs} ms; events ${JSON.stringify(this.events.map((e) => e.kind))}; problems ${JSON.stringify(this.problems)}`)), timeoutMs);
      this.waiters.push({ accept, from: mark, resolve: (e) => { clearTimeout(timer); resolve(e as Extract<DoubleEvent, { kind: K }>); } });
    });
  }

  /** The next OTR event of `kind`. */
  async nextOtr<K extends OtrEvent['kind']>(kind: K, mark = 0): Promise<Extract<OtrEvent, { kind: K }>> {
    const event = await this.next('otr', mark, (e) => e.event.kind === kind);
    return event.event as Extract<OtrEvent, { kind: K }>;
  }

  private emit(event: DoubleEvent): void {
    this.events.push(event);
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i];
      if (waiter !== undefined && waiter.accept(event)) {
        this.waiters.splice(i, 1);
        waiter.resolve(event);
      }
    }
  }

  private problem(text: string): void {
    this.problems.push(text);
  }

  // ---- SIP -------------------------------------------------------------

  /** Calls `target` as Blink does; resolves once the MSRP stream is bound and started. */
  async call(target: string): Promise<void> {
    const sessionId = msrplibSessionId();
    const localUri = `msrp://${this.pathHost}:2855/${sessionId};tcp`;
    const sdp = this.sdp(2855, [localUri], 'active');
    const { response, dialog } = await this.sip.invite(target, sdp);
    if (dialog === undefined) throw new Error(`call failed: ${response.startLine}`);
    const answer = parseChatSdp(response.body);
    this.checkRemoteSdp(answer.media, 'answer');
    const peer = nameAddr(response.header('to') ?? '');
    const socket = await this.connectTo(answer.media.path[0] ?? '');
    const stream = this.newStream(socket, localUri, sessionId, [], [...answer.media.path], dialog, {
      local: cpimIdentity(this.sip.aor, this.sip.displayName),
      remote: cpimIdentity(peer.uri, peer.display),
      peer: peer.uri,
    });
    await this.bind(stream);
    this.startStream();
  }

  /** Waits for an incoming INVITE (announced as `incoming`) and accepts it as Blink's callee does. */
  async accept(): Promise<void> {
    const mark = this.mark();
    const invite = this.pendingInvite ?? await new Promise<RawMessage>((resolve) => {
      const check = setInterval(() => {
        if (this.pendingInvite !== undefined) {
          clearInterval(check);
          resolve(this.pendingInvite);
        }
      }, 10);
    });
    this.pendingInvite = undefined;
    const offer = parseChatSdp(invite.body);
    this.checkRemoteSdp(offer.media, 'offer');
    const localTag = this.sip.token();
    if (offer.media.setup !== 'active' && offer.media.setup !== undefined) throw new Error('the double answers only active offers (as Blink with a relay)');
    // RelayConnection: AUTH first, then 180 and 200 (notes section 6)
    const relay = await this.relayAuth();
    const localUri = `msrp://${this.pathHost}:${relay.localPort}/${relay.sessionId};tcp`;
    this.sip.respond(invite, '180 Ringing', localTag, [`Contact: ${this.sip.contact()}`, `Supported: ${BLINK_SUPPORTED_ANSWER}`]);
    const dialog = Sip.dialogOf(invite, localTag);
    const from = nameAddr(invite.header('from') ?? '');
    const to = nameAddr(invite.header('to') ?? '');
    this.newStream(relay.socket, localUri, relay.sessionId, relay.usePath, [...offer.media.path], dialog, {
      local: cpimIdentity(to.uri, to.display),
      remote: cpimIdentity(from.uri, from.display),
      peer: from.uri,
    });
    this.sip.respond(invite, '200 OK', localTag, [
      `Contact: ${this.sip.contact()}`, `User-Agent: ${BLINK_USER_AGENT}`, `Allow: ${BLINK_ALLOW_ANSWER}`, `Supported: ${BLINK_SUPPORTED_ANSWER}`,
      'Content-Type: application/sdp',
    ], this.sdp(relay.localPort, [...relay.usePath, localUri], 'passive'));
    await this.sip.next((m) => m.startLine.startsWith('ACK ') && m.header('call-id') === dialog.callId);
    // accept_binding: the first chunk must be a SEND (the peer's bind); onSend starts the stream
    await this.next('stream-started', mark);
  }

  private onSipRequest(request: RawMessage): void {
    const method = request.startLine.split(' ')[0];
    if (method === 'INVITE') {
      this.sip.respond(request, '100 Trying', undefined);
      this.pendingInvite = request;
      this.emit({ kind: 'incoming', from: nameAddr(request.header('from') ?? '').uri });
    } else if (method === 'BYE') {
      this.sip.respond(request, '200 OK', undefined);
      this.endStream();
      this.emit({ kind: 'ended', by: 'remote' });
    } else if (method !== 'ACK') {
      this.sip.respond(request, '200 OK', undefined);
    }
  }

  /** Blink's hang-up: a BYE only (no OTR disconnect first), then msrplib closes the connection. */
  async hangup(): Promise<void> {
    const dialog = this.stream?.dialog;
    if (dialog === undefined) throw new Error('no session');
    const response = this.sip.bye(dialog);
    this.endStream();
    const final = await response;
    if (!final.startLine.startsWith('SIP/2.0 200')) this.problem(`BYE answered ${final.startLine}`);
    this.emit({ kind: 'ended', by: 'local' });
  }

  private sdp(port: number, path: readonly string[], setup: 'active' | 'passive'): string {
    const id = String(randomInt(1, 2 ** 47));
    return [
      'v=0', `o=- ${id} ${id} IN IP4 127.0.0.1`, `s=${BLINK_USER_AGENT}`, 'c=IN IP4 127.0.0.1', 't=0 0',
      `m=message ${port} TCP/MSRP *`, 'c=IN IP4 127.0.0.1', `a=path:${path.join(' ')}`,
      `a=accept-types:${ACCEPT_TYPES.join(' ')}`, `a=accept-wrapped-types:${ACCEPT_WRAPPED_TYPES.join(' ')}`, `a=setup:${setup}`, '',
    ].join('\r\n');
  }

  /** `ChatStream.new_from_sdp` / the answer checks. */
  private checkRemoteSdp(media: ReturnType<typeof parseChatSdp>['media'], what: string): void {
    if (media.transport !== 'TCP/MSRP') this.problem(`${what}: transport ${media.transport} is not the account's TCP/MSRP`);
    if (media.direction !== 'sendrecv') this.problem(`${what}: direction ${media.direction}`);
    if (media.acceptTypes.length === 0 || !media.acceptTypes.some((type) => ACCEPT_TYPES.some((ours) => containsMimeType([ours], type) || containsMimeType([type], ours)))) this.problem(`${what}: accept-types ${media.acceptTypes.join(' ')}`);
    if (!media.acceptTypes.includes('message/cpim')) this.problem(`${what}: no message/cpim: CPIM would be off`);
    if (media.path.length === 0) this.problem(`${what}: no path`);
  }

  // ---- MSRP ------------------------------------------------------------

  private connectTo(uri: string): Promise<Socket> {
    const match = /^msrp:\/\/([^:/;]+):(\d+)/.exec(uri);
    if (match === null) throw new Error(`bad first hop ${uri}`);
    const socket = connect(Number(match[2]), match[1] ?? '');
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  /** msrplib `RelayConnection._relay_connect`: AUTH, 401, AUTH with Authorization (no uri=, nc quoted). */
  private async relayAuth(): Promise<{ socket: Socket; localPort: number; sessionId: string; usePath: string[] }> {
    const relay = this.kam.msrpRelay;
    const socket = await this.connectTo(`msrp://${relay.host}:${relay.port}`);
    const localPort = socket.localPort ?? 0;
    const sessionId = msrplibSessionId();
    const relayUri = `msrp://${relay.host}:${relay.port};tcp`;
    const fromPath = `msrp://${this.pathHost}:${localPort}/${sessionId};tcp`;
    const parser = new FrameParser();
    const responses: Frame[] = [];
    let wake: (() => void) | undefined;
    const onData = (chunk: Buffer) => {
      for (const result of parser.push(chunk)) if (result.kind === 'frame') responses.push(result.frame);
      wake?.();
    };
    socket.on('data', onData);
    const exchange = async (extra: (readonly [string, string])[]): Promise<Frame> => {
      const tid = msrplibId();
      const frame = msrplibFrame(`MSRP ${tid} AUTH`, tid, [['To-Path', relayUri], ['From-Path', fromPath], ...extra]);
      this.framesOut.push(frame);
      socket.write(frame);
      for (;;) {
        const found = responses.find((r) => r.transactionId === tid);
        if (found !== undefined) return found;
        await new Promise<void>((resolve) => { wake = resolve; });
      }
    };
    let response = await exchange([]);
    if (response.type === 'response' && response.status === 401) {
      const challenge = parseDigestChallenge(headerValue(response, 'WWW-Authenticate') ?? '');
      if (challenge === undefined) throw new Error('relay: bad challenge');
      // digest.py get_random_data(16).encode().hex(): 16 code points 0..255 as UTF-8, in hex
      const cnonce = Buffer.from(Array.from({ length: 16 }, () => String.fromCharCode(randomInt(0, 256))).join(''), 'utf8').toString('hex');
      const user = this.sip.user;
      const password = 'any';
      const response2 = digestResponse(challenge, { username: user, password, uri: relayUri, method: 'AUTH', cnonce, nonceCount: 1 });
      const authorization = `Digest username="${user}", realm="${challenge.realm}", nonce="${challenge.nonce}", qop="auth", nc="00000001", cnonce="${cnonce}", response="${response2}", opaque="${challenge.opaque ?? ''}"`;
      response = await exchange([['Authorization', authorization]]);
    }
    socket.off('data', onData);
    if (response.type !== 'response' || response.status !== 200) throw new Error(`relay AUTH failed: ${response.type === 'response' ? response.status : 'request'}`);
    const usePath = (headerValue(response, 'Use-Path') ?? '').split(' ').filter((s) => s !== '');
    return { socket, localPort, sessionId, usePath };
  }

  private newStream(socket: Socket, localUri: string, localSessionId: string, localPath: string[], remotePath: string[], dialog: Dialog, ids: { local: string; remote: string; peer: string }): Stream {
    const stream: Stream = {
      socket, parser: new FrameParser(), localUri, localSessionId, localPath, remotePath, cpimLocal: ids.local, cpimRemote: ids.remote,
      peer: ids.peer, dialog, bound: false, role: localPath.length === 0 ? 'active' : 'passive', pending: new Map(), sentMessages: new Set(), incoming: new Map(),
    };
    this.stream = stream;
    socket.on('data', (chunk: Buffer) => {
      for (const result of stream.parser.push(chunk)) {
        if (result.kind !== 'frame') {
          this.problem(`MSRP framing error from the peer: ${result.code}`);
          continue;
        }
        this.framesIn.push(result.frame);
        this.onFrame(stream, result.frame);
      }
    });
    socket.on('close', () => {
      if (this.stream === stream) this.stream = undefined;
      this.emit({ kind: 'msrp-closed' });
    });
    socket.on('error', () => undefined);
    return stream;
  }

  private write(stream: Stream, frame: Buffer): void {
    this.framesOut.push(frame);
    stream.socket.write(frame);
  }

  private toPath(stream: Stream): string {
    return [...stream.localPath, ...stream.remotePath].join(' ');
  }

  /** msrplib `bind()`: empty SEND, then a 200 (an empty SEND from the peer meanwhile gets 200; anything else is fatal). */
  private async bind(stream: Stream): Promise<void> {
    const tid = msrplibId();
    const done = new Promise<Frame>((resolve) => stream.pending.set(tid, (frame) => {
      // bound at once: a SEND in the same read as the 200 is a message, not a binding error
      stream.bound = frame.type === 'response' && frame.status === 200;
      resolve(frame);
    }));
    this.write(stream, msrplibFrame(`MSRP ${tid} SEND`, tid, [['To-Path', this.toPath(stream)], ['From-Path', stream.localUri], ['Byte-Range', '1-0/0'], ['Message-ID', msrplibId()]]));
    const response = await done;
    if (response.type !== 'response' || response.status !== 200) {
      this.problem(`bind answered ${response.type === 'response' ? response.status : 'request'}`);
      stream.socket.destroy();
      throw new Error('bind failed');
    }
    stream.bound = true;
  }

  private startStream(): void {
    this.emit({ kind: 'stream-started' });
    // OTREncryption._NH_MediaStreamDidStart: otr_session.start()
    this.otrStart();
  }

  /**
   * `OTRSession.start()` (also Blink's "Enable OTR"): the query as an OTR
   * internal message, only while no protocol exists. Once the peer's query
   * has started a key exchange it sends nothing ("never restart the AKE").
   */
  otrStart(): void {
    if (this.stream === undefined) throw new Error('no stream');
    if (this.otrProtocol) return;
    this.sendPayload(BLINK_OTR_QUERY, 'text/plain', false, false);
    this.otrSentQuery = true;
  }

  /**
   * `OTRSession.stop()` (Blink's "Disable OTR"): a disconnect TLV if
   * encrypted, a finished session back to plaintext; the protocol is
   * dropped, so the next query (ours or the peer's) starts a new exchange.
   */
  otrStop(): void {
    const peer = this.stream?.peer;
    if (peer === undefined) throw new Error('no stream');
    if (this.otr.status(peer).messageState !== 'plaintext') this.applyOtr(this.otr.endOtr(peer, Date.now()));
    this.otrProtocol = false;
    this.otrSentQuery = false;
  }

  /**
   * What python3-otr (0a950d2) does with an incoming payload before its
   * protocol sees it, where the v3 engine alone would follow the spec and
   * start another key exchange:
   *
   * - `OTRSession.handle_input` (otr/__init__.py): a query creates the
   *   protocol (which sends a D-H Commit) only if none exists; otherwise it
   *   is ignored, even after the session has ended ("never restart the AKE
   *   as it creates a security risk"). A D-H Commit creates the protocol
   *   only after our own query; any other OTR message without a protocol is
   *   handed to the user as text.
   * - `_MH_DHCommitMessage` (otr/protocol.py) acts only in Plaintext (or to
   *   resend its own commit in AwaitingDHKey): a D-H Commit while Encrypted
   *   or Finished is ignored.
   *
   * So python3-otr runs one key exchange per protocol object: a second one
   * needs `stop()` first.
   */
  private otrGate(peer: string, content: string): 'pass' | 'ignore-query' | 'ignore-commit' | 'text' {
    // QueryMessage: ?OTR? (v1), ?OTRv23?, ?OTR?v23?
    const query = /^\?OTR(?:\?v(\d*)\?|v(\d*)\?|\?)/.exec(content);
    if (query !== null) {
      if (this.otrProtocol) return 'ignore-query';
      if ((query[1] ?? query[2] ?? '').includes('3')) this.otrProtocol = true;
      return 'pass';
    }
    if (!content.startsWith('?OTR:')) return 'pass';
    const commit = content.startsWith('?OTR:AAMC');
    if (!this.otrProtocol) {
      if (!commit || !this.otrSentQuery) return 'text';
      this.otrProtocol = true;
      return 'pass';
    }
    if (commit && this.otr.status(peer).messageState !== 'plaintext') return 'ignore-commit';
    return 'pass';
  }

  private endStream(): void {
    const stream = this.stream;
    this.stream = undefined;
    stream?.socket.end();
  }

  /** `_message_queue_handler`: one chunk, CPIM-wrapped, reports yes for user messages. Returns the Message-ID. */
  private sendPayload(content: string, contentType: string, charset: boolean, user: boolean): string {
    const stream = this.stream;
    if (stream === undefined) throw new Error('no stream');
    const body = cpimEncode({ from: stream.cpimLocal, to: stream.cpimRemote, contentType, charset, content });
    const tid = msrplibId();
    const messageId = msrplibId();
    const report = user ? 'yes' : 'no';
    if (user) {
      stream.sentMessages.add(messageId);
      stream.pending.set(tid, (frame) => {
        if (frame.type === 'response' && frame.status !== 200 && stream.sentMessages.delete(messageId)) this.emit({ kind: 'not-delivered', messageId, code: frame.status });
      });
    }
    this.write(stream, msrplibFrame(`MSRP ${tid} SEND`, tid, [
      ['To-Path', this.toPath(stream)], ['From-Path', stream.localUri], ['Byte-Range', msrplibByteRange(body)], ['Message-ID', messageId],
      ['Content-Type', 'message/cpim'], ['Failure-Report', report], ['Success-Report', report],
    ], body));
    return messageId;
  }

  /** Sends OTR's own messages from an outcome (text/plain, reports no) and handles its events. */
  private applyOtr(outcome: Outcome): void {
    for (const { text } of outcome.send) this.sendPayload(withPythonOldMacs(text, this.oldMacs), 'text/plain', false, false);
    for (const event of outcome.events) this.emit({ kind: 'otr', event });
  }

  /** A user message (Blink's chat window sends text/html); returns its Message-ID. */
  sendMessage(text: string, contentType = 'text/html'): string {
    const stream = this.stream;
    if (stream === undefined) throw new Error('no stream');
    return this.sendOutput(stream, text, contentType, true, true);
  }

  /** `handle_output` on the inner payload, whatever its type, then CPIM. */
  private sendOutput(stream: Stream, text: string, contentType: string, charset: boolean, user: boolean): string {
    const outcome = this.otr.send(stream.peer, text, Date.now());
    let id = '';
    for (const { text: out } of outcome.send) id = this.sendPayload(withPythonOldMacs(out, this.oldMacs), contentType, charset, user);
    for (const event of outcome.events) this.emit({ kind: 'otr', event });
    return id;
  }

  /** `send_composing_indication`: the XML (bytes: no charset), reports no, through OTR. */
  composing(state: 'active' | 'idle'): void {
    const stream = this.stream;
    if (stream === undefined) throw new Error('no stream');
    this.sendOutput(stream, isComposingXml(state), IS_COMPOSING, false, false);
  }

  startSmp(secret: string, question?: string): void {
    if (this.stream === undefined) throw new Error('no stream');
    this.applyOtr(this.otr.startSmp(this.stream.peer, secret, question, Date.now()));
  }

  answerSmp(secret: string): void {
    if (this.stream === undefined) throw new Error('no stream');
    this.applyOtr(this.otr.answerSmp(this.stream.peer, secret, Date.now()));
  }

  /** msrplib's `_keepalive`: an empty SEND with Keep-Alive: yes; resolves with the response status. */
  keepAlive(): Promise<number> {
    const stream = this.stream;
    if (stream === undefined) throw new Error('no stream');
    const tid = msrplibId();
    const done = new Promise<number>((resolve) => stream.pending.set(tid, (frame) => resolve(frame.type === 'response' ? frame.status : 0)));
    this.write(stream, msrplibFrame(`MSRP ${tid} SEND`, tid, [['To-Path', this.toPath(stream)], ['From-Path', stream.localUri], ['Byte-Range', '1-0/0'], ['Message-ID', msrplibId()], ['Keep-Alive', 'yes']]));
    return done;
  }

  private onFrame(stream: Stream, frame: Frame): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9.+%=-]{3,31}$/.test(frame.transactionId)) this.problem(`transaction id ${frame.transactionId} fails msrplib's first-line pattern`);
    if (frame.type === 'response') {
      const handler = stream.pending.get(frame.transactionId);
      stream.pending.delete(frame.transactionId);
      handler?.(frame);
      return;
    }
    if (frame.method === 'REPORT') {
      const messageId = headerValue(frame, 'Message-ID') ?? '';
      const status = /^000 (\d{3})/.exec(headerValue(frame, 'Status') ?? '');
      if (status === null) this.problem(`REPORT with bad Status ${headerValue(frame, 'Status') ?? ''}`);
      if (stream.sentMessages.delete(messageId)) {
        if (status?.[1] === '200') this.emit({ kind: 'delivered', messageId });
        else this.emit({ kind: 'not-delivered', messageId, code: Number(status?.[1] ?? 0) });
      } else {
        this.problem(`REPORT for unknown Message-ID ${messageId}`);
      }
      return;
    }
    if (frame.method !== 'SEND') {
      this.problem(`unexpected ${frame.method}`);
      return;
    }
    this.onSend(stream, frame);
  }

  private onSend(stream: Stream, frame: RequestFrame): void {
    if (!stream.bound && stream.role === 'active' && (frame.body?.length ?? 0) > 0) {
      // msrplib bind(): 'Chunk received while binding session' closes the connection
      this.problem('a SEND with data arrived before the bind was answered');
      stream.socket.destroy();
      return;
    }
    const failure = headerValue(frame, 'Failure-Report') ?? 'yes';
    const success = headerValue(frame, 'Success-Report') ?? 'no';
    if (!['yes', 'no', 'partial'].includes(failure)) this.problem(`Failure-Report ${failure}`);
    if (!['yes', 'no'].includes(success)) this.problem(`Success-Report ${success}`);
    const toPath = (headerValue(frame, 'To-Path') ?? '').split(' ');
    const fromPath = (headerValue(frame, 'From-Path') ?? '').split(' ');
    const sessionOf = (uri: string | undefined) => /\/\/[^/]+\/([^;]+)/.exec(uri ?? '')?.[1];
    const expectedFrom = [...stream.localPath, ...stream.remotePath][0];
    let code = 200;
    let comment = 'OK';
    if (sessionOf(toPath[0]) !== stream.localSessionId) {
      code = 481; comment = 'Invalid To-Path';
    } else if (sessionOf(fromPath[0]) !== sessionOf(expectedFrom)) {
      code = 481; comment = 'Invalid From-Path';
    }
    if (code !== 200) this.problem(`SEND failed session matching: ${comment} (To-Path ${toPath.join(' ')}, From-Path ${fromPath.join(' ')})`);
    // make_response: none when Failure-Report no, or partial with 200
    if (!(failure === 'no' || (failure === 'partial' && code === 200))) {
      this.write(stream, msrplibFrame(`MSRP ${frame.transactionId} ${code} ${comment}`, frame.transactionId, [['To-Path', fromPath[0] ?? ''], ['From-Path', toPath[0] ?? '']]));
    }
    if (!stream.bound && stream.role === 'passive') {
      // accept_binding: the peer's first chunk binds the session; the stream
      // starts (and OTR's start() with it) before any later chunk is read
      stream.bound = code === 200;
      if (stream.bound) {
        if (this.startAfterPeerQuery) this.startPending = true;
        else this.startStream();
      }
      if (frame.body === undefined || frame.body.length === 0) return;
    }
    if (code !== 200) return;
    const report = (status: number, reason: string) => {
      if (!(success === 'yes' || ((failure === 'yes' || failure === 'partial') && status !== 200))) return;
      const range = parseByteRange(headerValue(frame, 'Byte-Range') ?? '1-*/*');
      const size = frame.body?.length ?? 0;
      const start = range?.start ?? 1;
      const total = range?.total ?? size;
      const tid = msrplibId();
      this.write(stream, msrplibFrame(`MSRP ${tid} REPORT`, tid, [
        ['To-Path', fromPath.join(' ')], ['From-Path', toPath[0] ?? ''], ['Status', `000 ${status} ${reason}`],
        ['Message-ID', headerValue(frame, 'Message-ID') ?? ''], ['Byte-Range', `${start}-${start + size - 1}/${String(total)}`],
      ]));
    };
    const size = frame.body?.length ?? 0;
    if (size === 0) { // keep-alive
      report(200, 'OK');
      return;
    }
    const contentType = (headerValue(frame, 'Content-Type') ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    if (!containsMimeType(ACCEPT_TYPES, contentType)) {
      this.problem(`SEND of unwanted type ${contentType}`);
      report(413, 'Unwanted Message');
      return;
    }
    const messageId = headerValue(frame, 'Message-ID') ?? '';
    if (frame.flag === '#') {
      stream.incoming.delete(messageId);
      report(200, 'OK');
      return;
    }
    const piece = Buffer.from(frame.body ?? new Uint8Array()).toString('utf8');
    if (frame.flag === '+') {
      stream.incoming.set(messageId, [...(stream.incoming.get(messageId) ?? []), piece]);
      report(200, 'OK');
      return;
    }
    const data = [...(stream.incoming.get(messageId) ?? []), piece].join('');
    stream.incoming.delete(messageId);
    let content: string;
    let innerType: string;
    let cpimFrom: string | undefined;
    let cpimTo: string | undefined;
    if (contentType === 'message/cpim') {
      const payload = cpimDecode(data);
      if (payload === undefined) {
        this.problem('CPIM Parser Error');
        report(400, 'CPIM Parser Error');
        return;
      }
      if (!containsMimeType(ACCEPT_WRAPPED_TYPES, payload.contentType)) {
        this.problem(`CPIM-wrapped unwanted type ${payload.contentType}`);
        report(413, 'Unwanted Message');
        return;
      }
      if (payload.dateTime === undefined) this.problem('CPIM without DateTime');
      content = payload.content;
      innerType = payload.contentType;
      cpimFrom = payload.from;
      cpimTo = payload.to;
    } else {
      this.problem(`a payload without CPIM (${contentType}) although both sides accept message/cpim`);
      content = data;
      innerType = contentType;
    }
    // every payload through OTR, python3-otr's way
    const gate = this.otrGate(stream.peer, content);
    if (gate === 'ignore-query' || gate === 'ignore-commit') {
      report(200, 'OK'); // IgnoreMessage
      this.emit({ kind: 'otr-ignored', message: gate === 'ignore-query' ? 'query' : 'dh-commit' });
      return;
    }
    if (gate === 'text') {
      this.problem(`an OTR message without a key exchange python3-otr would show as text: ${content.slice(0, 12)}`);
      report(200, 'OK');
      this.emit({ kind: 'message', content, contentType: innerType, encrypted: false, cpimFrom, cpimTo });
      return;
    }
    // a whitespace tag creates the protocol (with a D-H Commit) only while none exists, and only in text/*
    this.otr.setPolicy({ ...BLINK_OTR_POLICY, whitespaceStartAke: !this.otrProtocol && innerType.startsWith('text/') });
    const outcome = this.otr.receive(stream.peer, content, Date.now());
    if (outcome.send.some((m) => m.text.startsWith('?OTR:AAMC'))) this.otrProtocol = true;
    this.applyOtr({ ...outcome, show: [] });
    if (this.startPending) {
      this.startPending = false;
      this.startStream();
    }
    const shown = outcome.show[0];
    if (shown === undefined) {
      // python3-otr: EncryptedMessageError (an unreadable data message) -> REPORT 400; IgnoreMessage -> 200
      const unreadable = outcome.events.some((e) => e.kind === 'protocol-error');
      if (unreadable) report(400, 'Unreadable encrypted message');
      else report(200, 'OK');
      return;
    }
    report(200, 'OK');
    if (innerType === IS_COMPOSING) {
      const state = /<state>([^<]*)<\/state>/.exec(shown.text)?.[1];
      if (state === undefined) this.problem('is-composing without a state');
      this.emit({ kind: 'composing', state: state ?? '', encrypted: shown.encrypted });
      return;
    }
    this.emit({ kind: 'message', content: shown.text, contentType: innerType, encrypted: shown.encrypted, cpimFrom, cpimTo });
  }

  stop(): Promise<void> {
    this.stream?.socket.destroy();
    this.sip.close();
    this.otr.wipe();
    return Promise.resolve();
  }
}
