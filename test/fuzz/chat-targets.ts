/**
 * Fuzz targets of @sotto/chat's decoders: CPIM, is-composing, text/html
 * reduced to text, and a chat stream's `receive` (with OTR, and towards a
 * conference focus). Inputs: mutations of Blink's bytes and the RFCs'
 * examples, and of what the encoders write for generated values
 * (structure-aware). Per input: no exception (a failure is a typed
 * DecodeResult), output bounded by the input, the encoder's value read back
 * unchanged, and html text free of tags' `<` and of control characters.
 */
import fc from 'fast-check';
import {
  decodeCpim, decodeIsComposing, encodeCpim, encodeIsComposing, htmlToText, limits, type CpimEncodeInput, type CpimMessage, type DecodeErrorCode, type DecodeResult, type IsComposingInput,
} from '../../packages/chat/src/index.js';
import { Pair } from '../../packages/chat/test/pair/harness.js';
import { Policies } from '@sotto/otr';
import type { Target } from '../../packages/msrp/test/fuzz/engine.js';
import { mutateWith, tokenMutation, type Mutation } from '../../packages/msrp/test/fuzz/mutate.js';
import { CPIM_SEEDS, HTML_SEEDS, IS_COMPOSING_SEEDS } from './seeds.js';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const dec = new TextDecoder();

const CHAT_TOKENS = ['\r\n', '\n', '\r\n\r\n', '\n\n', ':', ' ', '\t', '<', '>', '&', '&#x1b;', '&#0;', '"', "'", 'NS: p <urn:x>', 'p.', 'From: ', 'To: ', 'DateTime: ', 'Content-Type: ',
  'text/html', 'message/cpim', '; charset=', 'utf-16', '<!DOCTYPE', '<![CDATA[', ']]>', '<!--', '-->', '<?', '?>', '</', '/>', '<state>', '</state>', '<a href="', '<script>', '<pre>', '<li>', '<br>',
  '?OTR', '?OTRv3?', '?OTR:AAMD', '?OTR|', '\u0000', '\u001b[2J', '\u009b', 'é', '\uffff', '\ud800'].map(enc);
const chatMutation = tokenMutation(CHAT_TOKENS.length);
const mutations = fc.array(chatMutation, { maxLength: 8 });

const DECODE_CODES: ReadonlySet<DecodeErrorCode> = new Set(['too-large', 'too-many-headers', 'unterminated-headers', 'malformed', 'forbidden-xml', 'too-complex', 'missing-field']);
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** A typed failure: a known code and a short detail that quotes nothing. */
function checkTyped(result: DecodeResult<unknown>): void {
  if (result.ok) return;
  if (!DECODE_CODES.has(result.code)) throw new Error(`untyped failure code ${result.code}`);
  if (typeof result.detail !== 'string' || result.detail.length > 120) throw new Error('failure detail missing or long');
}

/** CRLF and lone CR as LF, byte by byte (what sipsimple's MIME generator writes). */
function lineFeeds(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d) {
      out.push(0x0a);
      if (bytes[i + 1] === 0x0a) i++;
    } else out.push(bytes[i]!);
  }
  return new Uint8Array(out);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/** Seeds pumped: a piece repeated many times (long inputs for the runner's time bound). */
const pump = fc.record({ at: fc.nat(), length: fc.integer({ min: 1, max: 24 }), times: fc.integer({ min: 100, max: 20_000 }) });
function pumped(bytes: Uint8Array, p: { at: number; length: number; times: number }): Uint8Array {
  const at = p.at % (bytes.length + 1);
  const piece = bytes.subarray(at, at + p.length);
  const out = new Uint8Array(bytes.length + piece.length * p.times);
  out.set(bytes.subarray(0, at));
  for (let i = 0; i < p.times; i++) out.set(piece, at + i * piece.length);
  out.set(bytes.subarray(at), at + piece.length * p.times);
  return out;
}

// ---- CPIM ----

const word = fc.string({ unit: fc.constantFrom(...Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-éü中🙂')), maxLength: 24 }).map((s) => s.trim());
const uri = fc.tuple(fc.constantFrom('sip', 'sips', 'im'), fc.stringMatching(/^[a-z0-9]{1,10}@[a-z0-9.]{1,15}(:\d{1,5})?(;transport=tcp)?$/)).map(([s, r]) => `${s}:${r}`);
const identity = fc.record({ uri, displayName: fc.option(word.filter((w) => w !== ''), { nil: undefined }) }).map(({ uri: u, displayName }) => (displayName === undefined ? { uri: u } : { uri: u, displayName }));
const tokenArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/);
const cpimInput: fc.Arbitrary<CpimEncodeInput> = fc.record({
  from: identity,
  to: fc.array(identity, { maxLength: 2 }),
  cc: fc.array(identity, { maxLength: 2 }),
  subject: word.filter((w) => !w.startsWith(';')),
  dateTime: fc.integer({ min: 0, max: 253402300799 }).map((s) => s * 1000),
  extensions: fc.array(fc.record({ prefix: tokenArb, namespace: fc.constantFrom('urn:x', 'http://example.org/ns', 'mid:MessageFeatures@id.foo.com'), name: tokenArb, value: word }), { maxLength: 3 }),
  contentType: fc.constantFrom('text/plain', 'text/html', 'application/im-iscomposing+xml', 'image/png'),
  charset: fc.constantFrom('utf8', 'utf-8', 'us-ascii'),
  body: fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 200 }).map(enc)),
}, { requiredKeys: ['contentType', 'body'] });

type ChatCase =
  | { readonly from: 'seed'; readonly seed: number; readonly mutations: Mutation[]; readonly pump?: { at: number; length: number; times: number } }
  | { readonly from: 'bytes'; readonly bytes: Uint8Array };

const cpimCase = fc.oneof(
  { weight: 4, arbitrary: fc.record({ from: fc.constant('seed' as const), seed: fc.nat(), mutations }) },
  { weight: 3, arbitrary: fc.record({ from: fc.constant('encoded' as const), input: cpimInput, mutations: fc.array(chatMutation, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ from: fc.constant('seed' as const), seed: fc.nat(), mutations: fc.array(chatMutation, { maxLength: 2 }), pump }) },
  { weight: 1, arbitrary: fc.record({ from: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 2000 }) }) },
);

function headerChars(headers: readonly { name: string; value: string }[]): number {
  return headers.reduce((n, h) => n + h.name.length + h.value.length, 0);
}

const cpimTarget: Target<ChatCase | { readonly from: 'encoded'; readonly input: CpimEncodeInput; readonly mutations: Mutation[] }> = {
  name: 'cpim',
  arbitrary: cpimCase,
  heapBoundBytes: 16 * 1024 * 1024,
  check(testCase) {
    let bytes: Uint8Array;
    let input: CpimEncodeInput | undefined;
    if (testCase.from === 'bytes') bytes = testCase.bytes;
    else if (testCase.from === 'seed') {
      const seed = CPIM_SEEDS[testCase.seed % CPIM_SEEDS.length]!;
      bytes = mutateWith(testCase.pump === undefined ? seed : pumped(seed, testCase.pump), testCase.mutations, CHAT_TOKENS);
    } else {
      bytes = encodeCpim(testCase.input);
      if (testCase.mutations.length === 0) input = testCase.input;
      else bytes = mutateWith(bytes, testCase.mutations, CHAT_TOKENS);
    }
    const result = decodeCpim(bytes);
    checkTyped(result);
    if (result.ok) {
      const m = result.value;
      if (m.body.length > bytes.length) throw new Error('body longer than the input');
      if (m.mimeHeaders.length > limits.MAX_MIME_HEADERS) throw new Error('too many inner headers');
      if (m.to.length + m.cc.length + m.subjects.length + m.extensions.length + m.required.length > limits.MAX_CPIM_HEADERS * 4) throw new Error('too many CPIM headers');
      if (headerChars(m.mimeHeaders) + headerChars(m.extensions) > bytes.length) throw new Error('headers longer than the input');
    }
    if (input !== undefined) roundTrip(input, result);
    return 1;
  },
};

function sameIdentity(a: { uri: string; displayName?: string } | undefined, b: { uri: string; displayName?: string } | undefined): boolean {
  return a?.uri === b?.uri && a?.displayName === b?.displayName;
}

/** What encodeCpim wrote is read back: identities, subject, time, extensions, type, charset, body (newlines as sipsimple writes them). */
function roundTrip(input: CpimEncodeInput, result: DecodeResult<CpimMessage>): void {
  if (!result.ok) throw new Error(`round trip: encoder output refused (${result.code})`);
  const m = result.value;
  const fail = (what: string): never => {
    throw new Error(`round trip: ${what} differs`);
  };
  if (!sameIdentity(m.from, input.from)) fail('From');
  if (m.to.length !== (input.to ?? []).length || !m.to.every((t, i) => sameIdentity(t, input.to?.[i]))) fail('To');
  if (m.cc.length !== (input.cc ?? []).length || !m.cc.every((t, i) => sameIdentity(t, input.cc?.[i]))) fail('cc');
  if ((m.subjects[0]?.text ?? undefined) !== (input.subject === undefined ? undefined : input.subject.trim())) fail('Subject');
  if (input.dateTime !== undefined && m.dateTimeMs !== input.dateTime) fail('DateTime');
  const ext = input.extensions ?? [];
  const sameExtension = (e: (typeof m.extensions)[number], i: number): boolean => {
    const x = ext[i];
    return x !== undefined && e.name === x.name && e.prefix === x.prefix && e.namespace === x.namespace && e.value === x.value.trim();
  };
  if (m.extensions.length !== ext.length || !m.extensions.every(sameExtension)) fail('extensions');
  if (m.contentType !== input.contentType || m.charset !== input.charset) fail('content type');
  if (!equalBytes(m.body, lineFeeds(input.body))) fail('body');
}

// ---- is-composing ----

const composingInput: fc.Arbitrary<IsComposingInput> = fc.record({
  state: fc.constantFrom('active' as const, 'idle' as const),
  refresh: fc.integer({ min: 1, max: 999_999_999 }),
  lastActive: fc.integer({ min: 0, max: 253402300799 }).map((s) => s * 1000),
  contentType: fc.string({ unit: fc.constantFrom(...'text/plain &<>"\'éa'.split('')), minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
}, { requiredKeys: ['state'] });

const composingTarget: Target<{ from: 'seed'; seed: number; mutations: Mutation[] } | { from: 'encoded'; input: IsComposingInput; mutations: Mutation[] } | { from: 'bytes'; bytes: Uint8Array }> = {
  name: 'is-composing',
  arbitrary: fc.oneof(
    { weight: 4, arbitrary: fc.record({ from: fc.constant('seed' as const), seed: fc.nat(), mutations }) },
    { weight: 3, arbitrary: fc.record({ from: fc.constant('encoded' as const), input: composingInput, mutations: fc.array(chatMutation, { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ from: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 1000 }) }) },
  ),
  heapBoundBytes: 16 * 1024 * 1024,
  check(testCase) {
    let bytes: Uint8Array;
    if (testCase.from === 'bytes') bytes = testCase.bytes;
    else if (testCase.from === 'seed') bytes = mutateWith(IS_COMPOSING_SEEDS[testCase.seed % IS_COMPOSING_SEEDS.length]!, testCase.mutations, CHAT_TOKENS);
    else bytes = mutateWith(encodeIsComposing(testCase.input), testCase.mutations, CHAT_TOKENS);
    const result = decodeIsComposing(bytes);
    checkTyped(result);
    if (result.ok && (result.value.lastActive?.length ?? 0) + (result.value.contentType?.length ?? 0) > bytes.length) throw new Error('fields longer than the input');
    if (testCase.from === 'encoded' && testCase.mutations.length === 0) {
      const { input } = testCase;
      if (!result.ok) throw new Error(`round trip: encoder output refused (${result.code})`);
      const v = result.value;
      if (v.state !== input.state || v.refresh !== (input.refresh ?? 120) || v.lastActiveMs !== input.lastActive || v.contentType !== (input.contentType ?? 'text').trim()) {
        throw new Error('round trip: is-composing differs');
      }
    }
    return 1;
  },
};

// ---- text/html ----

/** Text and attribute values without `<`, `>` or `&`: what a tag could not have produced in the output. */
const plain = fc.string({ unit: fc.constantFrom(...Array.from('abc xyz\n\t.,;:!?"\'/=-_é中🙂')), maxLength: 16 });
const attrValue = fc.string({ unit: fc.constantFrom(...'abcxyz:/._-= '.split('')), maxLength: 12 });
const tagName = fc.constantFrom('p', 'b', 'i', 'span', 'div', 'a', 'br', 'li', 'ul', 'ol', 'pre', 'td', 'tr', 'table', 'img', 'h1', 'script', 'style', 'head', 'title', 'textarea', 'svg', 'font', 'x-y', 'P', 'A', 'SCRIPT');
const attribute = fc.tuple(fc.constantFrom('href', 'alt', 'style', 'title', 'class', 'HREF', 'src'), attrValue, fc.constantFrom('"', "'", ''), fc.boolean()).map(([name, value, quote, gtInside]) => {
  const v = quote === '' ? value.replace(/[\s"'=]/g, '') || 'x' : `${value}${gtInside && name !== 'href' && name !== 'alt' && name !== 'HREF' ? '>' : ''}`;
  return ` ${name}=${quote}${v}${quote}`;
});
const { html: htmlTree } = fc.letrec<{ html: string; node: string }>((tie) => ({
  html: fc.array(tie('node'), { maxLength: 6 }).map((nodes) => nodes.join('')),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    plain,
    fc.tuple(tagName, fc.array(attribute, { maxLength: 2 }), tie('html'), fc.constantFrom('close', 'open', 'self')).map(([name, attrs, inner, form]) =>
      form === 'self' ? `<${name}${attrs.join('')}/>${inner}` : `<${name}${attrs.join('')}>${inner}${form === 'close' ? `</${name}>` : ''}`),
    fc.constantFrom('<!-- note -->', '<!DOCTYPE html>', '<?xml version="1.0"?>', '</>', '<br>', '<hr/>', '<p/>', '</ b>'),
  ),
}));

/** `<` or `>` in the output other than a link's address shown after its text (`<href>`, the href as the markup gave it). */
function tagLeak(html: string, text: string): boolean {
  let rest = text;
  for (const match of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) rest = rest.split(`<${(match[1] ?? match[2] ?? match[3] ?? '').trim()}>`).join('');
  return /[<>]/.test(rest);
}

const htmlTarget: Target<{ from: 'tree'; html: string } | { from: 'seed'; seed: number; mutations: Mutation[]; pump?: { at: number; length: number; times: number } } | { from: 'string'; html: string }> = {
  name: 'html',
  arbitrary: fc.oneof(
    { weight: 3, arbitrary: fc.record({ from: fc.constant('tree' as const), html: htmlTree }) },
    { weight: 3, arbitrary: fc.record({ from: fc.constant('seed' as const), seed: fc.nat(), mutations }) },
    { weight: 1, arbitrary: fc.record({ from: fc.constant('seed' as const), seed: fc.nat(), mutations: fc.array(chatMutation, { maxLength: 2 }), pump }) },
    { weight: 1, arbitrary: fc.record({ from: fc.constant('string' as const), html: fc.string({ unit: 'binary', maxLength: 500 }) }) },
  ),
  heapBoundBytes: 32 * 1024 * 1024,
  check(testCase) {
    let html: string;
    if (testCase.from === 'seed') {
      const seed = enc(HTML_SEEDS[testCase.seed % HTML_SEEDS.length]!);
      html = dec.decode(mutateWith(testCase.pump === undefined ? seed : pumped(seed, testCase.pump), testCase.mutations, CHAT_TOKENS));
    } else html = testCase.html;
    const { text, truncated } = htmlToText(html);
    if (CONTROLS.test(text)) throw new Error('control character in the text');
    if (truncated !== html.length > limits.MAX_HTML_LENGTH) throw new Error('truncated flag wrong');
    if (text.length > 2 * Math.min(html.length, limits.MAX_HTML_LENGTH) + 8) throw new Error(`text of ${text.length} characters from ${html.length}`);
    // Generated markup has no `<`, `>` or `&` in its text or in the shown attributes: any in the output came from a tag.
    if (testCase.from === 'tree' && tagLeak(html, text)) throw new Error(`markup reached the text: ${JSON.stringify(text.slice(0, 200))}`);
    return 1;
  },
};

// ---- ChatStream.receive ----

const TYPES = ['message/cpim', 'text/plain', 'text/html; charset=utf-8', 'text/plain; charset=utf-16', 'application/im-iscomposing+xml', 'image/png', 'application/x-unknown', 'MESSAGE/CPIM;x', ''];
let pairs: Pair[] = [];
/** Payloads a real pair exchanged (OTR queries, AKE, data messages, is-composing, in CPIM): the structure-aware seeds. */
let recorded: { contentType: string; body: Uint8Array }[] = [];
const STATUS = new Set([200, 400, 413]);
const EVENT_KINDS = new Set(['message', 'composing', 'otr-state', 'otr', 'delivered', 'not-delivered', 'notice', 'receive-error']);

function recordTraffic(): { contentType: string; body: Uint8Array }[] {
  const pair = new Pair();
  pair.startBoth();
  pair.apply(pair.bob, pair.bob.stream.sendMessage('hello <b>alice</b>', pair.tick(), { contentType: 'text/html' }));
  pair.apply(pair.bob, pair.bob.stream.sendComposing('active', pair.tick()));
  pair.deliver();
  const plainPair = new Pair({ bobPolicy: Policies.NEVER });
  plainPair.apply(plainPair.bob, plainPair.bob.stream.sendMessage('plain héllo', plainPair.tick()));
  plainPair.apply(plainPair.bob, plainPair.bob.stream.sendComposing('active', plainPair.tick()));
  return [...pair.bob.sent, ...plainPair.bob.sent, ...CPIM_SEEDS.map((body) => ({ contentType: 'message/cpim', body }))].map((p) => ({ contentType: p.contentType, body: p.body }));
}

const streamTarget: Target<{ pair: number; seed: number; type: number | undefined; mutations: Mutation[] }> = {
  name: 'chat-stream',
  arbitrary: fc.record({ pair: fc.nat(), seed: fc.nat(), type: fc.option(fc.nat(), { nil: undefined }), mutations }),
  heapBoundBytes: 48 * 1024 * 1024,
  start() {
    if (recorded.length === 0) recorded = recordTraffic();
    // Long-lived streams (what they keep from one input shows as heap growth): OTR opportunistic, OTR required, and towards a focus.
    pairs = [new Pair(), new Pair({ alicePolicy: Policies.ALWAYS }), new Pair({ aliceFocus: true, alicePolicy: Policies.ALWAYS })];
    for (const pair of pairs) pair.apply(pair.alice, pair.alice.stream.start(pair.tick()));
  },
  stop() {
    pairs = [];
  },
  check({ pair: which, seed, type, mutations: m }) {
    const pair = pairs[which % pairs.length]!;
    const source = recorded[seed % recorded.length]!;
    const body = mutateWith(source.body, m, CHAT_TOKENS);
    const contentType = type === undefined ? source.contentType : TYPES[type % TYPES.length]!;
    const outcome = pair.alice.stream.receive({ contentType, body }, pair.tick());
    if (!STATUS.has(outcome.status.code)) throw new Error(`status ${outcome.status.code}`);
    for (const event of outcome.events) {
      if (!EVENT_KINDS.has(event.kind)) throw new Error(`unknown event ${event.kind}`);
      if (event.kind === 'message' && event.text.length > 2 * body.length + 64) throw new Error('message text longer than the payload');
      if (event.kind === 'message' && event.contentType === 'text/html' && CONTROLS.test(event.text)) throw new Error('control character in html text');
    }
    let sent = 0;
    for (const payload of outcome.send) {
      sent += payload.body.length;
      if (pair.alice.stream.focus && dec.decode(payload.body).includes('?OTR')) throw new Error('OTR towards a focus');
    }
    if (outcome.send.length > 8 || sent > 64 * 1024) throw new Error(`answered ${outcome.send.length} payloads, ${sent} bytes`);
    return 1;
  },
};

export const chatTargets: readonly Target<never>[] = [cpimTarget, composingTarget, htmlTarget, streamTarget] as unknown as Target<never>[];
