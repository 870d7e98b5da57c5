/**
 * One fuzz target per decoder of wire/ (every decode*, parse* and classify
 * function its index exports, the whole-message codec's decodeOtrMessage
 * among them).
 *
 * A case is a seed (from the corpus, or random bytes or text from
 * fast-check), mutations applied to it, and a variant seed: the case
 * expands into {@link BATCH} inputs, the mutated seed and variants of it and
 * of other seeds with further random mutations (made in place in a scratch
 * buffer), so that fast-check's cost
 * per case is shared by many decoder calls. Each input must give a value or
 * a typed DecodeError, never an exception, within {@link DECODER_BOUND_MS};
 * a DecodeError made by the decoders' catch-all from an unexpected
 * exception counts as a crash too.
 */
import fc from 'fast-check';
import { DecodeError, type DecodeErrorCode } from '../../src/errors.js';
import {
  classifyIncoming,
  decodeBase64,
  decodeCommittedGx,
  decodeDataMessage,
  decodeDataPayload,
  decodeDhCommit,
  decodeDhKey,
  decodeEncoded,
  decodeErrorMessage,
  decodeExtraKeyUse,
  decodeFragment,
  decodeFragmentAt,
  encodeFragments,
  decodeHeader,
  decodeMpiExactly,
  decodeOtrBody,
  decodeOtrMessage,
  decodePublicKey,
  decodeRevealSignature,
  decodeSignature,
  decodeSignatureMacInput,
  decodeSignaturePayload,
  decodeSignedKey,
  decodeSmpPayload,
  decodeTlvs,
  decodeTlvsPrefix,
  encodeBase64,
  findQuery,
  findWhitespaceTag,
  isHeartbeat,
  parseErrorMessage,
  parseQuery,
  parseQueryAt,
  parseWhitespaceTag,
  splitOldMacKeys,
  splitSmpQuestion,
} from '../../src/wire/index.js';
import {
  decodeAuthIMessage,
  decodeAuthRMessage,
  decodeClientProfile,
  decodeExtraSymmetricKeyUse,
  decodeIdentityMessage,
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  decodeV4DataMessage,
  decodeV4ErrorMessage,
  decodeV4Message,
  encodeClientProfile,
  encodeV4Message,
  findWhitespaceTagV4,
  type V4Message,
} from '../../src/wire/v4/index.js';
import { loadCorpus, type Corpus } from './corpus.js';
import { FuzzFailure, timed, type Stats, type Target } from './engine.js';
import { mutateBytes, mutateInPlace, mutateText, mutationsArb, Rng, Scratch, type Mutation } from './mutate.js';

/** Inputs per fast-check case. */
export const BATCH = 64;
/** A decoder call taking longer than this (three times) is a hang. */
export const DECODER_BOUND_MS = 100;
/** Heap growth allowed over a decoder run. */
const DECODER_HEAP_BOUND = 64 * 1024 * 1024;

const DECODE_ERROR_CODES = new Set<DecodeErrorCode>(['truncated', 'trailing-bytes', 'too-long', 'bad-base64', 'bad-version', 'bad-type', 'bad-field', 'bad-fragment', 'bad-instance-tag']);
/** Details of the DecodeErrors that wire/reader.ts's catch-all makes from an exception that is not a decode failure. */
const MASKED_EXCEPTIONS = new Set(['undecodable input', 'value out of range']);

/** Checks a DecodeError is one of the documented ones and not a caught defect. */
export function checkDecodeError(error: DecodeError): void {
  if (!DECODE_ERROR_CODES.has(error.code)) throw new FuzzFailure('invariant', `DecodeError with unknown code ${error.code}`);
  if (MASKED_EXCEPTIONS.has(error.detail)) throw new FuzzFailure('crash', `an exception inside the decoder was caught and returned as DecodeError(${error.code}, "${error.detail}")`);
}

/** Checks a decoder's result: a value (undefined only where documented) or a good DecodeError. */
function checkResult(result: unknown, allowsUndefined: boolean): void {
  if (result instanceof DecodeError) {
    checkDecodeError(result);
    return;
  }
  if (result === null || (result === undefined && !allowsUndefined)) throw new FuzzFailure('invariant', `returned ${String(result)}`);
}

/** The failure to report for `error`; a crash is run again to capture its stack. */
function describeFailure(error: unknown, where: string, again: () => unknown): FuzzFailure {
  if (error instanceof FuzzFailure) return new FuzzFailure(error.kind, `${error.message}\n  ${where}`);
  let stacked = error;
  try {
    again();
  } catch (second) {
    stacked = second;
  }
  const message = stacked instanceof Error ? `${stacked.name}: ${stacked.message}\n${stacked.stack ?? ''}` : String(stacked);
  return new FuzzFailure('crash', `threw ${message}\n  ${where}`);
}

/** Inputs of one kind: seeds, a fast-check arbitrary of random ones, mutation. */
interface Domain<T> {
  readonly seeds: readonly T[];
  readonly random: fc.Arbitrary<T>;
  randomFrom(rng: Rng): T;
  mutate(input: T, mutation: Mutation): T;
  /** `base` with `count` mutations drawn from `rng`; may be a view that the next call overwrites. */
  variant(base: T, count: number, rng: Rng): T;
  show(input: T): string;
}

function bytesDomain(seeds: readonly Uint8Array[], pool: readonly Uint8Array[]): Domain<Uint8Array> {
  const all = [...seeds, ...pool];
  const scratch = new Scratch();
  return {
    seeds,
    random: fc.uint8Array({ maxLength: 600 }),
    randomFrom: (rng) => rng.bytes(rng.below(400)),
    mutate: (input, mutation) => mutateBytes(input, mutation, all),
    variant: (base, count, rng) => {
      scratch.load(base);
      for (let i = 0; i < count; i++) mutateInPlace(scratch, rng.mutation(), all);
      return scratch.view();
    },
    show: (input) => `hex:${Buffer.from(input).toString('hex')}`,
  };
}

const TEXT_ALPHABET = '?OTR:|,.v0123456789abcdefABCDEF+/= \t\n\0Error';
function textDomain(seeds: readonly string[], pool: readonly string[]): Domain<string> {
  const all = [...seeds, ...pool];
  return {
    seeds,
    random: fc.oneof(fc.string({ maxLength: 300 }), fc.string({ maxLength: 100, unit: 'binary' }), fc.base64String({ maxLength: 300 }).map((s) => `?OTR:${s}.`)),
    randomFrom: (rng) => {
      const length = rng.below(300);
      let text = '';
      for (let i = 0; i < length; i++) {
        const pick = rng.below(16);
        text += pick < 12 ? (TEXT_ALPHABET[rng.below(TEXT_ALPHABET.length)] ?? '') : pick < 14 ? String.fromCharCode(0x20 + rng.below(0x5f)) : String.fromCharCode(rng.below(0x10000));
      }
      return text;
    },
    mutate: (input, mutation) => mutateText(input, mutation, all),
    variant: (base, count, rng) => {
      let text = base;
      for (let i = 0; i < count; i++) text = mutateText(text, rng.mutation(), all);
      return text;
    },
    show: (input) => `text:${JSON.stringify(input)}`,
  };
}

/** A case of a decoder target. */
export interface DecoderCase<T> {
  /** A seed's index (modulo the number of seeds) or a random input. */
  readonly base: number | T;
  readonly mutations: readonly Mutation[];
  /** Seed of the further variants. */
  readonly variants: number;
}

/**
 * Visits the inputs a case stands for: the mutated seed, then BATCH - 1
 * variants (of it, of other seeds, or random) with further mutations.
 * An input may be a view that is overwritten after `visit` returns.
 */
export function forEachInput<T>(domain: Domain<T>, testCase: DecoderCase<T>, visit: (input: T, index: number) => void, batch = BATCH): void {
  const seedAt = (index: number): T => domain.seeds[index % domain.seeds.length] as T;
  let first = typeof testCase.base === 'number' && domain.seeds.length > 0 ? seedAt(testCase.base) : (testCase.base as T);
  if (typeof first === 'number') first = domain.randomFrom(new Rng(first));
  for (const mutation of testCase.mutations) first = domain.mutate(first, mutation);
  visit(first, 0);
  const rng = new Rng(testCase.variants);
  for (let i = 1; i < batch; i++) {
    const pick = rng.below(8);
    const base = pick < 4 ? first : pick < 7 && domain.seeds.length > 0 ? seedAt(rng.next()) : domain.randomFrom(rng);
    visit(domain.variant(base, 1 + rng.below(3), rng), i);
  }
}

interface DecoderSpec<T> {
  readonly name: string;
  readonly domain: (corpus: Corpus) => Domain<T>;
  /** Calls the decoder(s) on one input; `r` is a random number for extra arguments. Returns what to check. */
  readonly decode: (input: T, r: number) => unknown;
  /** The decoder documents `undefined` as a result ("not found"). */
  readonly allowsUndefined?: boolean;
}

function decoderTarget<T>(spec: DecoderSpec<T>): Target<DecoderCase<T>> {
  let domain: Domain<T> | undefined;
  const getDomain = (): Domain<T> => (domain ??= spec.domain(loadCorpus()));
  const allowsUndefined = spec.allowsUndefined === true;
  return {
    name: spec.name,
    kind: 'decoder',
    get arbitrary() {
      const d = getDomain();
      return fc.record({
        base: fc.oneof({ weight: 5, arbitrary: fc.nat() }, { weight: 1, arbitrary: d.random }),
        mutations: mutationsArb,
        variants: fc.nat(),
      }) as fc.Arbitrary<DecoderCase<T>>;
    },
    check(testCase: DecoderCase<T>, stats: Stats): void {
      const d = getDomain();
      const rng = new Rng(testCase.variants ^ 0x5bd1e995);
      // The decoders signal failures internally with exceptions (caught at
      // their entry points); capturing a stack trace for each costs more
      // than the decoding. Stacks come back for the report of a failure.
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        forEachInput(d, testCase, (input, i) => {
          const r = rng.next();
          stats.inputs++;
          try {
            checkResult(
              timed(DECODER_BOUND_MS, () => `${spec.name} on input ${i}`, () => spec.decode(input, r)),
              allowsUndefined,
            );
          } catch (error) {
            Error.stackTraceLimit = stackTraceLimit;
            throw describeFailure(error, `${spec.name}: input ${i} of the case (r=${r}): ${d.show(input).slice(0, 20_000)}`, () => spec.decode(input, r));
          }
        });
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
    },
    describe(testCase: DecoderCase<T>): string {
      const d = getDomain();
      const base = typeof testCase.base === 'number' ? `seed #${testCase.base % Math.max(d.seeds.length, 1)}` : d.show(testCase.base);
      return JSON.stringify({ base, mutations: testCase.mutations, variants: testCase.variants });
    },
    heapBoundBytes: DECODER_HEAP_BOUND,
  };
}

/** Checks each of several results (for targets that call related functions together). */
function all(...results: unknown[]): unknown {
  for (const result of results) if (result instanceof DecodeError) checkDecodeError(result);
  return results[0];
}

/** A start index for the *At parsers: mostly an occurrence of "?OTR", sometimes anywhere (or past the end). */
function startIndex(text: string, r: number): number {
  if (r % 4 === 0) return r % (text.length + 2);
  let at = text.indexOf('?OTR');
  for (let skip = (r >>> 2) % 4; skip > 0 && at >= 0; skip--) {
    const next = text.indexOf('?OTR', at + 1);
    if (next < 0) break;
    at = next;
  }
  return at < 0 ? 0 : at;
}

const SMP_COUNTS = [6, 11, 8, 3, 0, 1, 12];

const bytes = (seeds: (c: Corpus) => readonly Uint8Array[]) => (c: Corpus) => bytesDomain(seeds(c), c.messages);
const texts = (seeds: (c: Corpus) => readonly string[]) => (c: Corpus) => textDomain(seeds(c), c.texts);

/** OTRv4 seeds made by our encoders (the recorded corpus predates v4): the four messages, their bodies, and fragments of them. */
function v4Seeds(): { readonly messages: Uint8Array[]; readonly bodies: Uint8Array[]; readonly profiles: Uint8Array[]; readonly texts: string[] } {
  const b = (byte: number, length: number) => new Uint8Array(length).fill(byte);
  const sigma = { c1: b(1, 57), r1: b(2, 57), c2: b(3, 57), r2: b(4, 57), c3: b(5, 57), r3: b(6, 57) };
  const profile = {
    ownerInstanceTag: 0x100,
    publicKey: b(0xaa, 57),
    forgingKey: b(0xbb, 57),
    versions: '34',
    expiration: 0x65000000n,
    dsaPublicKey: { p: b(7, 128), q: b(5, 20), g: b(2, 128), y: b(3, 128) },
    transitionalSignature: b(9, 40),
    signature: b(0xcc, 114),
  };
  const messages: V4Message[] = [
    { kind: 'identity', body: { profile, ecdh: b(0xd1, 57), dh: b(0x11, 384), firstEcdh: b(0xd2, 57), firstDh: b(0x12, 384) } },
    { kind: 'auth-r', body: { profile, ecdh: b(0xe1, 57), dh: b(0x21, 384), sigma, firstEcdh: b(0xe2, 57), firstDh: b(0x22, 384) } },
    { kind: 'auth-i', body: { sigma } },
    {
      kind: 'data',
      body: { flags: 1, previousChainLength: 2, ratchetId: 3, messageId: 4, ecdh: b(0xdd, 57), dh: undefined, encryptedMessage: b(0x41, 40), authenticator: b(0xee, 64), revealedMacKeys: b(0xf1, 128) },
    },
  ];
  const encoded = messages.map((m) => encodeV4Message({ senderTag: 0x100, receiverTag: 0x101 }, m));
  const texts = encoded.flatMap((bytes) => encodeFragments(`?OTR:${encodeBase64(bytes)}.`, 140, 4, 0x100, 0x101, 0x3c5b5f03));
  texts.push('?OTR Error: ERROR_1: Unreadable message', '?OTR Error: ERROR_2: Not in private state message');
  return { messages: encoded, bodies: encoded.map((bytes) => bytes.subarray(11)), profiles: [encodeClientProfile(profile)], texts };
}
let v4SeedCache: ReturnType<typeof v4Seeds> | undefined;
const v4 = (): ReturnType<typeof v4Seeds> => (v4SeedCache ??= v4Seeds());

/** Every decoder target. */
export const decoderTargets: Target<DecoderCase<unknown>>[] = [
  decoderTarget({ name: 'header', domain: bytes((c) => c.messages), decode: (input) => decodeHeader(input) }),
  decoderTarget({
    name: 'otr-message',
    domain: bytes((c) => c.messages),
    decode: (input) => {
      // The production path too: the body decoded after the header alone.
      const header = decodeHeader(input);
      return all(decodeOtrMessage(input), header instanceof DecodeError ? header : decodeOtrBody(header, input));
    },
  }),
  decoderTarget({ name: 'dh-commit', domain: bytes((c) => c.bodies.dhCommit), decode: (input) => decodeDhCommit(input) }),
  decoderTarget({ name: 'committed-gx', domain: bytes((c) => c.mpis), decode: (input) => decodeCommittedGx(input) }),
  decoderTarget({ name: 'mpi-exactly', domain: bytes((c) => c.mpis), decode: (input) => decodeMpiExactly(input), allowsUndefined: true }),
  decoderTarget({ name: 'dh-key', domain: bytes((c) => c.bodies.dhKey), decode: (input) => decodeDhKey(input) }),
  decoderTarget({ name: 'reveal-signature', domain: bytes((c) => c.bodies.revealSignature), decode: (input) => decodeRevealSignature(input) }),
  decoderTarget({ name: 'signature', domain: bytes((c) => c.bodies.signature), decode: (input) => decodeSignature(input) }),
  decoderTarget({
    name: 'data-message',
    domain: bytes((c) => c.bodies.data),
    decode: (input) => {
      const decoded = decodeDataMessage(input);
      return decoded instanceof DecodeError ? decoded : all(decoded, splitOldMacKeys(decoded.oldMacKeys));
    },
  }),
  decoderTarget({ name: 'old-mac-keys', domain: bytes((c) => c.oldMacKeys), decode: (input) => splitOldMacKeys(input) }),
  decoderTarget({ name: 'public-key', domain: bytes((c) => c.publicKeys), decode: (input) => decodePublicKey(input) }),
  decoderTarget({ name: 'signature-payload', domain: bytes((c) => c.signaturePayloads), decode: (input) => all(decodeSignaturePayload(input), decodeSignedKey(input)) }),
  decoderTarget({ name: 'signature-mac-input', domain: bytes((c) => c.macInputs), decode: (input) => decodeSignatureMacInput(input) }),
  decoderTarget({ name: 'tlvs', domain: bytes((c) => c.tlvs), decode: (input) => decodeTlvs(input) }),
  decoderTarget({ name: 'tlvs-prefix', domain: bytes((c) => c.tlvs), decode: (input) => decodeTlvsPrefix(input) }),
  decoderTarget({ name: 'extra-key-use', domain: bytes((c) => c.extraKeyValues), decode: (input) => decodeExtraKeyUse(input) }),
  decoderTarget({
    name: 'data-payload',
    domain: bytes((c) => c.payloads),
    decode: (input) => {
      const payload = decodeDataPayload(input);
      isHeartbeat(payload);
      for (const tlv of payload.tlvs) if (tlv.type === 8) all(decodeExtraKeyUse(tlv.value));
      return payload;
    },
  }),
  decoderTarget({
    name: 'smp-payload',
    domain: bytes((c) => c.smpValues),
    decode: (input, r) => {
      const split = splitSmpQuestion(input);
      const expected = SMP_COUNTS[r % SMP_COUNTS.length] ?? 6;
      return all(decodeSmpPayload(input, expected), split, split instanceof DecodeError ? split : decodeSmpPayload(split.payload, 6));
    },
  }),
  decoderTarget({ name: 'classify', domain: texts((c) => c.texts), decode: (input) => {
    const incoming = classifyIncoming(input);
    return incoming.kind === 'malformed' ? all(incoming, incoming.error) : incoming;
  } }),
  decoderTarget({
    name: 'base64',
    domain: (c) => textDomain(c.base64, c.texts),
    decode: (input) => {
      const decoded = decodeBase64(input);
      if (!(decoded instanceof DecodeError) && encodeBase64(decoded) !== input) throw new FuzzFailure('invariant', 'accepted base64 that is not canonical');
      return decoded;
    },
  }),
  decoderTarget({ name: 'envelope', domain: texts((c) => c.texts.filter((t) => t.startsWith('?OTR:'))), decode: (input) => decodeEncoded(input) }),
  decoderTarget({ name: 'fragment', domain: texts((c) => c.texts.filter((t) => t.startsWith('?OTR|') || t.startsWith('?OTR,'))), decode: (input) => decodeFragment(input) }),
  decoderTarget({ name: 'fragment-at', domain: texts((c) => c.texts), decode: (input, r) => decodeFragmentAt(input, startIndex(input, r)) }),
  decoderTarget({ name: 'error-message', domain: texts((c) => c.texts), decode: (input) => decodeErrorMessage(input), allowsUndefined: true }),
  decoderTarget({ name: 'parse-error-message', domain: texts((c) => c.texts), decode: (input) => parseErrorMessage(input), allowsUndefined: true }),
  decoderTarget({ name: 'query', domain: texts((c) => c.texts), decode: (input) => parseQuery(input) ?? findQuery(input), allowsUndefined: true }),
  decoderTarget({ name: 'query-at', domain: texts((c) => c.texts), decode: (input, r) => parseQueryAt(input, startIndex(input, r)), allowsUndefined: true }),
  decoderTarget({ name: 'whitespace-tag', domain: texts((c) => c.texts), decode: (input) => findWhitespaceTag(input) ?? parseWhitespaceTag(input) }),
  decoderTarget({ name: 'v4-message', domain: bytes(() => v4().messages), decode: (input) => decodeV4Message(input) }),
  decoderTarget({ name: 'v4-client-profile', domain: bytes(() => v4().profiles), decode: (input) => decodeClientProfile(input) }),
  decoderTarget({ name: 'v4-identity', domain: bytes(() => v4().bodies), decode: (input) => decodeIdentityMessage(input) }),
  decoderTarget({ name: 'v4-auth-r', domain: bytes(() => v4().bodies), decode: (input) => decodeAuthRMessage(input) }),
  decoderTarget({ name: 'v4-auth-i', domain: bytes(() => v4().bodies), decode: (input) => decodeAuthIMessage(input) }),
  decoderTarget({ name: 'v4-data-message', domain: bytes(() => v4().bodies), decode: (input) => decodeV4DataMessage(input) }),
  decoderTarget({
    name: 'v4-smp-messages',
    domain: bytes(() => v4().bodies),
    decode: (input) => all(decodeSmpMessage1(input), decodeSmpMessage2(input), decodeSmpMessage3(input), decodeSmpMessage4(input)),
  }),
  decoderTarget({ name: 'v4-extra-symmetric-key', domain: bytes((c) => c.extraKeyValues), decode: (input) => decodeExtraSymmetricKeyUse(input) }),
  decoderTarget({ name: 'v4-fragment', domain: texts(() => v4().texts), decode: (input) => decodeFragment(input) }),
  decoderTarget({ name: 'v4-fragment-at', domain: texts(() => v4().texts), decode: (input, r) => decodeFragmentAt(input, startIndex(input, r)) }),
  decoderTarget({ name: 'v4-error-message', domain: texts(() => v4().texts), decode: (input) => decodeV4ErrorMessage(input), allowsUndefined: true }),
  decoderTarget({ name: 'v4-whitespace-tag', domain: texts((c) => c.texts), decode: (input) => findWhitespaceTagV4(input), allowsUndefined: true }),
] as Target<DecoderCase<unknown>>[];
