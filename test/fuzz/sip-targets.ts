/**
 * Fuzz targets of the SIP side of the chat client and of the web page's
 * protocol: the chat SDP reader (parseChatSdp), the SIP stream framing
 * (SipStreamDecoder) and the validators of the messages between `sotto web`'s
 * page and its server. Per input: only the decoder's own typed error, output
 * and held bytes bounded, round trips where an encoder exists, and the same
 * result whatever the pieces the bytes arrive in.
 */
import fc from 'fast-check';
import { buildChatSdp, parseChatSdp, SDP_LIMITS, SdpError, type ChatSdpInput } from '../../packages/client/src/sip/sdp.js';
import { DEFAULT_SIP_FRAMING_LIMITS, SipFramingError, SipStreamDecoder, type SipFrame } from '../../packages/client/src/sip/framing.js';
import { ProtocolError, parseCommand, parseCommandReply, parseServerMessage } from '../../packages/web/src/protocol/index.js';
import { split } from '../../packages/msrp/test/arbitraries.js';
import type { Target } from '../../packages/msrp/test/fuzz/engine.js';
import { mutateWith, tokenMutation, type Mutation } from '../../packages/msrp/test/fuzz/mutate.js';
import { SDP_LINES, SDP_SEEDS, SIP_SEEDS } from './seeds.js';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const dec = new TextDecoder();

// ---- SDP ----

const SDP_TOKENS = ['\r\n', '\n', '\r', ' ', '\t', '=', ':', ';', '/', '*', 'm=', 'a=', 'c=', 'msrp://', 'msrps://', ';tcp', 'TCP/MSRP', 'TCP/TLS/MSRP', '[', ']', '65536', '0', '\u0000', 'é'].map(enc);
const SDP_CODES = new Set(['too-large', 'malformed', 'no-chat-media', 'unsupported-transport', 'missing-path', 'missing-accept-types']);

/** A line-level (structure-aware) edit of an SDP body: drop, duplicate, move or insert a line. */
type LineEdit = { readonly op: 'drop' | 'dup' | 'swap' | 'insert'; readonly at: number; readonly other: number; readonly times: number };
const lineEdit: fc.Arbitrary<LineEdit> = fc.record({ op: fc.constantFrom('drop' as const, 'dup' as const, 'swap' as const, 'insert' as const), at: fc.nat(), other: fc.nat(), times: fc.integer({ min: 1, max: 40 }) });

function editLines(body: string, edits: readonly LineEdit[]): string {
  const lines = body.split('\r\n');
  for (const e of edits) {
    const at = e.at % (lines.length + 1);
    switch (e.op) {
      case 'drop':
        lines.splice(at, 1);
        break;
      case 'dup':
        lines.splice(at, 0, ...Array.from({ length: e.times }, () => lines[at] ?? ''));
        break;
      case 'swap': {
        const other = e.other % Math.max(1, lines.length);
        [lines[at % Math.max(1, lines.length)], lines[other]] = [lines[other] ?? '', lines[at % Math.max(1, lines.length)] ?? ''];
        break;
      }
      case 'insert':
        lines.splice(at, 0, SDP_LINES[e.other % SDP_LINES.length]!);
        break;
    }
  }
  return lines.join('\r\n');
}

const msrpUri = fc.tuple(fc.constantFrom('msrp', 'msrps'), fc.oneof(fc.ipV4(), fc.constantFrom('[2001:db8::1]', 'relay.example.org', 'h')), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), fc.stringMatching(/^[A-Za-z0-9+=/-]{0,24}$/))
  .map(([scheme, host, port, id]) => `${scheme}://${host}${port === undefined ? '' : `:${port}`}/${id};tcp`);
const mediaType = fc.constantFrom('message/cpim', 'text/*', 'image/*', 'application/im-iscomposing+xml', 'text/plain', '*', 'text/html');
const sdpInput: fc.Arbitrary<ChatSdpInput> = fc.record({
  transport: fc.constantFrom('TCP/MSRP' as const, 'TCP/TLS/MSRP' as const),
  path: fc.array(msrpUri, { minLength: 1, maxLength: 4 }),
  acceptTypes: fc.array(mediaType, { minLength: 1, maxLength: 5 }),
  acceptWrappedTypes: fc.option(fc.array(mediaType, { maxLength: 4 }), { nil: undefined }),
  setup: fc.option(fc.constantFrom('active' as const, 'passive' as const, 'actpass' as const), { nil: undefined }),
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  sessionId: fc.option(fc.stringMatching(/^\d{1,20}$/), { nil: undefined }),
  sessionName: fc.option(fc.stringMatching(/^[A-Za-z0-9 ().-]{1,30}$/), { nil: undefined }),
  direction: fc.option(fc.constantFrom('sendrecv' as const, 'sendonly' as const, 'recvonly' as const, 'inactive' as const), { nil: undefined }),
}, { requiredKeys: ['transport', 'path', 'acceptTypes'] });

type SdpCase =
  | { readonly from: 'seed'; readonly seed: number; readonly edits: LineEdit[]; readonly mutations: Mutation[] }
  | { readonly from: 'built'; readonly input: ChatSdpInput; readonly edits: LineEdit[]; readonly mutations: Mutation[] }
  | { readonly from: 'string'; readonly text: string };

const sdpMutation = tokenMutation(SDP_TOKENS.length);
const sdpTarget: Target<SdpCase> = {
  name: 'sdp',
  arbitrary: fc.oneof(
    { weight: 4, arbitrary: fc.record({ from: fc.constant('seed' as const), seed: fc.nat(), edits: fc.array(lineEdit, { maxLength: 4 }), mutations: fc.array(sdpMutation, { maxLength: 6 }) }) },
    { weight: 3, arbitrary: fc.record({ from: fc.constant('built' as const), input: sdpInput, edits: fc.array(lineEdit, { maxLength: 2 }), mutations: fc.array(sdpMutation, { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ from: fc.constant('string' as const), text: fc.string({ unit: 'binary', maxLength: 400 }) }) },
  ),
  heapBoundBytes: 16 * 1024 * 1024,
  check(testCase) {
    let text: string;
    if (testCase.from === 'string') text = testCase.text;
    else {
      const base = testCase.from === 'seed' ? SDP_SEEDS[testCase.seed % SDP_SEEDS.length]! : buildChatSdp(testCase.input);
      text = dec.decode(mutateWith(enc(editLines(base, testCase.edits)), testCase.mutations, SDP_TOKENS));
    }
    let sdp;
    try {
      sdp = parseChatSdp(text);
    } catch (error) {
      if (!(error instanceof SdpError) || !SDP_CODES.has(error.code)) throw error;
      if (error.message.length > 200) throw new Error('SdpError message quotes too much of the input');
      if (testCase.from === 'built' && testCase.edits.length === 0 && testCase.mutations.length === 0) throw new Error(`round trip: built SDP refused (${error.code})`);
      return 1;
    }
    const media = sdp.media;
    if (media.path.length > SDP_LIMITS.maxPathUris || media.acceptTypes.length > SDP_LIMITS.maxTypes || media.acceptWrappedTypes.length > SDP_LIMITS.maxTypes) throw new Error('lists over their bounds');
    if (media.otherAttributes.length > SDP_LIMITS.maxLines || sdp.mediaCount > SDP_LIMITS.maxMedia) throw new Error('attributes or media over their bounds');
    if (JSON.stringify(sdp).length > 2 * text.length + 512) throw new Error('result larger than the input');
    if (testCase.from === 'built' && testCase.edits.length === 0 && testCase.mutations.length === 0) {
      const input = testCase.input;
      const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
      if (media.transport !== input.transport || !same(media.path, input.path) || !same(media.acceptTypes, input.acceptTypes) || !same(media.acceptWrappedTypes, input.acceptWrappedTypes ?? [])
        || media.setup !== input.setup || media.direction !== (input.direction ?? 'sendrecv') || (input.port !== undefined && media.port !== input.port)
        || (input.sessionId !== undefined && sdp.origin?.sessionId !== input.sessionId) || sdp.sessionName !== (input.sessionName ?? '-')) {
        throw new Error('round trip: SDP differs');
      }
    }
    return 1;
  },
};

// ---- SIP framing ----

const SIP_TOKENS = ['\r\n', '\r\n\r\n', '\n', '\r', ' ', '\t', ':', 'Content-Length: ', 'l:', 'content-length :', '0', '99999999999', '65537', '-1', '\r\n ', '\u0000', 'SIP/2.0 ', 'INVITE '].map(enc);
const LIMITS = { maxHeaderBytes: 2048, maxBodyBytes: 4096 };
const FRAMING_CODES = new Set(['header-too-large', 'body-too-large', 'missing-content-length', 'bad-content-length', 'malformed']);

/** Frames (and the final error) of pushing `pieces` one after another. */
function decodeAll(pieces: readonly Uint8Array[], limits = LIMITS): { frames: SipFrame[]; error: string | undefined; maxPending: number; pushes: number } {
  const decoder = new SipStreamDecoder(limits);
  const frames: SipFrame[] = [];
  let maxPending = 0;
  let pushes = 0;
  for (const piece of pieces) {
    pushes++;
    try {
      frames.push(...decoder.push(piece));
    } catch (error) {
      if (!(error instanceof SipFramingError) || !FRAMING_CODES.has(error.code)) throw error;
      break;
    }
    maxPending = Math.max(maxPending, decoder.pendingBytes);
  }
  return { frames, error: decoder.error?.code, maxPending, pushes };
}

function frameKey(frame: SipFrame): string {
  return frame.kind === 'message' ? `message:${frame.bytes}:${frame.text}` : frame.kind;
}

const framingTarget: Target<{ seeds: number[]; mutations: Mutation[]; cuts: number[]; trickle: boolean }> = {
  name: 'sip-framing',
  arbitrary: fc.record({
    seeds: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
    mutations: fc.array(tokenMutation(SIP_TOKENS.length), { maxLength: 6 }),
    cuts: fc.array(fc.nat(), { maxLength: 12 }),
    trickle: fc.boolean(),
  }),
  heapBoundBytes: 16 * 1024 * 1024,
  check({ seeds, mutations: m, cuts, trickle }) {
    const stream = mutateWith(enc(seeds.map((s) => SIP_SEEDS[s % SIP_SEEDS.length]!).join('')), m, SIP_TOKENS);
    const whole = decodeAll([stream]);
    // The same bytes in arbitrary pieces, or one byte at a time (a slow sender), give the same frames and the same error.
    const pieces = trickle ? Array.from(stream, (_, i) => stream.subarray(i, i + 1)) : split(stream, cuts);
    const cut = decodeAll(pieces);
    const a = whole.frames.map(frameKey);
    const b = cut.frames.map(frameKey);
    if (a.length !== b.length || a.some((key, i) => key !== b[i]) || whole.error !== cut.error) throw new Error(`pieces change the result: ${a.length}/${String(whole.error)} vs ${b.length}/${String(cut.error)}`);
    for (const run of [whole, cut]) if (run.maxPending > LIMITS.maxHeaderBytes + LIMITS.maxBodyBytes) throw new Error(`decoder holds ${run.maxPending} bytes`);
    // Unmutated messages come back as they were sent.
    if (m.length === 0) {
      const sent = seeds.map((s) => SIP_SEEDS[s % SIP_SEEDS.length]!).join('');
      const back = whole.frames.map((f) => (f.kind === 'message' ? f.text : f.kind === 'ping' ? '\r\n\r\n' : '\r\n')).join('');
      if (whole.error !== undefined || !(sent === back || sent === `${back}\r\n`)) throw new Error('round trip: SIP messages differ');
    }
    return whole.pushes + cut.pushes;
  },
};

/** One message with a large body fed in small pieces (a slow sender), at the default bounds: the runner's time bound watches it. */
const trickleTarget: Target<{ body: number; piece: number; header: boolean }> = {
  name: 'sip-framing-trickle',
  arbitrary: fc.record({ body: fc.integer({ min: 0, max: DEFAULT_SIP_FRAMING_LIMITS.maxBodyBytes }), piece: fc.integer({ min: 1, max: 64 }), header: fc.boolean() }),
  heapBoundBytes: 16 * 1024 * 1024,
  check({ body, piece, header }) {
    const head = header ? `MESSAGE sip:b@h SIP/2.0\r\nX: ${'y'.repeat(DEFAULT_SIP_FRAMING_LIMITS.maxHeaderBytes - 64)}\r\n` : 'MESSAGE sip:b@h SIP/2.0\r\n';
    const bytes = enc(`${head}Content-Length: ${body}\r\n\r\n${'x'.repeat(body)}`);
    const run = decodeAll(split(bytes, Array.from({ length: Math.ceil(bytes.length / piece) }, (_, i) => i * piece)), DEFAULT_SIP_FRAMING_LIMITS);
    if (run.error !== undefined || run.frames.length !== 1) throw new Error(`message lost (${String(run.error)})`);
    return run.pushes;
  },
};

// ---- web page <-> server messages ----

const PEER = fc.constantFrom('sip:bob@example.org', 'sip:carol@example.org;transport=tls', 'sips:ü@h');
const short = fc.string({ maxLength: 20 });
const hexArb = fc.stringMatching(/^[0-9a-f]{40}$/);
const nullableArb = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null });
const time = fc.nat({ max: 2 ** 45 });
const chatMessage = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{1,12}$/), direction: fc.constantFrom('in', 'out', 'system'), text: short, time,
  lock: fc.constantFrom('plaintext', 'encrypted-unverified', 'encrypted-verified'), delivery: fc.constantFrom('pending', 'held', 'delivered', 'failed', 'not-requested'), warning: fc.boolean(),
});
const smp = fc.oneof(fc.record({ phase: fc.constant('asked'), question: nullableArb(short) }), fc.record({ phase: fc.constantFrom('idle', 'in-progress', 'succeeded', 'failed', 'aborted') }));
const infoFields = {
  peer: PEER, session: fc.constantFrom('incoming', 'calling', 'connecting', 'active', 'ended'), direction: fc.constantFrom('in', 'out'), focus: fc.boolean(),
  lock: fc.constantFrom('none', 'unverified', 'verified', 'fingerprint-changed'), otrVersion: nullableArb(fc.constantFrom(2, 3, 4)), theirFingerprint: nullableArb(hexArb),
  composing: fc.boolean(), alwaysOtr: fc.boolean(), unread: fc.nat({ max: 1000 }), smp,
};
const conversationInfo = fc.record(infoFields);
const conversation = fc.record({ ...infoFields, messages: fc.array(chatMessage, { maxLength: 3 }) });
const fingerprints = fc.record({ v3: nullableArb(hexArb), v4: nullableArb(hexArb) });
const accountArb = fc.record({ address: PEER, registration: fc.constantFrom('registering', 'registered', 'unregistered', 'failed'), reason: nullableArb(short), fingerprints });
const serverMessage = fc.oneof(
  fc.record({ type: fc.constant('state'), state: fc.record({ account: accountArb, accounts: fc.array(PEER, { maxLength: 3 }), settings: fc.record({ logging: fc.boolean() }), conversations: fc.array(conversation, { maxLength: 2 }) }) }),
  fc.record({ type: fc.constant('account'), account: accountArb }),
  fc.record({ type: fc.constant('settings'), settings: fc.record({ logging: fc.boolean() }) }),
  fc.record({ type: fc.constant('conversation'), conversation: conversationInfo }),
  fc.record({ type: fc.constant('message'), peer: PEER, message: chatMessage }),
  fc.record({ type: fc.constant('alert'), id: fc.stringMatching(/^[a-z0-9]{1,8}$/), peer: PEER, text: short.filter((s) => s !== '') }),
  fc.record({ type: fc.constant('notice'), text: short.filter((s) => s !== '') }),
);
const historyEntry = fc.record({ peer: PEER, direction: fc.constantFrom('in', 'out'), text: short, time, lock: fc.constantFrom('plaintext', 'encrypted-unverified', 'encrypted-verified'), delivery: fc.constantFrom('pending', 'delivered', 'failed', 'not-requested') });
const reply = fc.oneof(
  fc.record({ ok: fc.constant(false), code: fc.constantFrom('bad-request', 'unauthorized', 'forbidden', 'not-found', 'too-large', 'failed'), message: short.filter((s) => s !== '') }),
  fc.record({ ok: fc.constant(true), history: fc.oneof(fc.record({ logging: fc.constant(false) }), fc.record({ logging: fc.constant(true), entries: fc.array(historyEntry, { maxLength: 3 }), hasOlder: fc.boolean() })), fingerprints }, { requiredKeys: ['ok'] }),
);
const secret = short.filter((s) => s !== '');
const command = fc.oneof(
  fc.record({ type: fc.constantFrom('call', 'accept', 'reject', 'hangup', 'read', 'close', 'start-otr', 'end-otr', 'smp-abort', 'trust'), peer: PEER }),
  fc.record({ type: fc.constant('send'), peer: PEER, text: secret }),
  fc.record({ type: fc.constant('composing'), peer: PEER, active: fc.boolean() }),
  fc.record({ type: fc.constant('always-otr'), peer: PEER, on: fc.boolean() }),
  fc.record({ type: fc.constant('smp-start'), peer: PEER, secret, question: nullableArb(secret) }),
  fc.record({ type: fc.constant('smp-answer'), peer: PEER, secret }),
  fc.record({ type: fc.constant('history'), peer: PEER, search: nullableArb(secret) }),
  fc.record({ type: fc.constant('logging'), on: fc.boolean() }),
  fc.record({ type: fc.constant('regenerate-key'), confirm: fc.constant(true) }),
);

/** A JSON-aware edit: at one node of the tree, drop a field, change a value's type, add a field (prototype keys among them), or nest. */
type JsonEdit = { readonly at: number; readonly op: number; readonly value: number };
const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({ at: fc.nat(), op: fc.nat({ max: 3 }), value: fc.nat() });
const REPLACEMENTS: readonly unknown[] = [null, true, 0, -1, 1.5, 1e300, '', 'x'.repeat(70_000), [], {}, [null], { type: 'send' }, '__proto__', 2 ** 53, 'sip:bob@example.org'];
const KEYS = ['__proto__', 'constructor', 'prototype', 'type', 'toString', 'hasOwnProperty', 'peer', 'extra'];

function nodes(value: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (typeof value === 'object' && value !== null) {
    out.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) nodes(child, out);
  }
  return out;
}

function editJson(value: unknown, edits: readonly JsonEdit[]): unknown {
  const root = { root: value };
  for (const e of edits) {
    const all = nodes(root);
    const node = all[e.at % all.length]!;
    const keys = Object.keys(node);
    const key = Array.isArray(node) ? e.value % Math.max(1, node.length) : keys[e.value % Math.max(1, keys.length)];
    const replacement = structuredClone(REPLACEMENTS[e.value % REPLACEMENTS.length]);
    if (key === undefined) continue;
    if (e.op === 0) Reflect.deleteProperty(node, key);
    else if (e.op === 1) (node as Record<string, unknown>)[key] = replacement;
    else if (e.op === 2) Object.defineProperty(node, KEYS[e.value % KEYS.length]!, { value: replacement, enumerable: true, configurable: true, writable: true });
    else (node as Record<string, unknown>)[key] = [(node as Record<string, unknown>)[key]];
  }
  return root.root;
}

const VALIDATORS = [parseCommand, parseServerMessage, parseCommandReply] as const;
const VALID = [command, serverMessage, reply] as const;

const webTarget: Target<{ which: number; value: unknown; edits: JsonEdit[]; mutations: Mutation[] }> = {
  name: 'web-protocol',
  arbitrary: fc.nat({ max: 2 }).chain((which) => fc.record({
    which: fc.constant(which),
    value: VALID[which]! as fc.Arbitrary<unknown>,
    edits: fc.array(jsonEdit, { maxLength: 3 }),
    mutations: fc.array(tokenMutation(8), { maxLength: 2 }),
  })),
  heapBoundBytes: 16 * 1024 * 1024,
  check({ which, value, edits, mutations: m }) {
    const validate = VALIDATORS[which]!;
    const text = dec.decode(mutateWith(enc(JSON.stringify(editJson(structuredClone(value), edits))), m, ['"', '{', '}', '[', ']', ',', ':', '"__proto__":{"x":1},'].map(enc)));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return 0; // not JSON: the server and the page refuse it before any check
    }
    let out: unknown;
    let refused: unknown;
    try {
      out = validate(parsed);
    } catch (error) {
      refused = error;
    }
    if (Object.keys(Object.prototype).length > 0 || ({} as Record<string, unknown>).x !== undefined) throw new Error('Object.prototype polluted');
    if (refused !== undefined) {
      if (!(refused instanceof ProtocolError)) throw refused instanceof Error ? refused : new Error('a validator threw a non-Error');
      if (refused.message.length > 200) throw new Error('ProtocolError message too long');
      if (edits.length === 0 && m.length === 0) throw new Error(`round trip: a valid message refused (${refused.message})`);
      return 1;
    }
    const again = JSON.stringify(validate(JSON.parse(JSON.stringify(out))));
    if (again !== JSON.stringify(out)) throw new Error('validation is not idempotent');
    if (again.length > 2 * text.length + 256) throw new Error('validated message larger than the input');
    if (edits.length === 0 && m.length === 0 && canonical(out) !== canonical(value)) throw new Error('round trip: valid message changed');
    return 2;
  },
};

/** JSON with every object's keys sorted (the validators write fields in schema order). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

export const sipTargets: readonly Target<never>[] = [sdpTarget, framingTarget, trickleTarget, webTarget] as unknown as Target<never>[];
