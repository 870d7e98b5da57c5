/**
 * The MSRP fuzz targets: the frame parser on mutated frames, a long-lived
 * session receiving mutated traffic (reassembly, reports, transactions),
 * and the header decoders on arbitrary text. Invariants: nothing throws,
 * and the bytes held stay within the configured bounds.
 */
import fc from 'fast-check';
import {
  FrameParser, MsrpSession, parseByteRange, parseDigestChallenge, parseMsrpUri, parsePath, parseStatus, serializeFrame, type Frame,
} from '../../src/index.js';
import { frame, split } from '../arbitraries.js';
import { enc, seededRandom } from '../helpers.js';
import type { Target } from './engine.js';
import { mutate, mutation, type Mutation } from './mutate.js';

const PARSER_LIMITS = { maxHeaderBytes: 1024, maxBodyBytes: 4096, maxHeaderCount: 16, maxStartLineBytes: 128 };
const PARSER_BOUND = PARSER_LIMITS.maxHeaderBytes + PARSER_LIMITS.maxBodyBytes + 64 * 1024 + 64;

const mutatedStream = fc.record({
  frames: fc.array(frame, { minLength: 1, maxLength: 4 }),
  mutations: fc.array(mutation, { maxLength: 6 }),
  cuts: fc.array(fc.nat(), { maxLength: 10 }),
});

const parserTarget: Target<{ frames: Frame[]; mutations: Mutation[]; cuts: number[] }> = {
  name: 'parser',
  arbitrary: mutatedStream,
  heapBoundBytes: 32 * 1024 * 1024,
  check({ frames, mutations, cuts }) {
    const bytes = mutate(concat(frames.map(serializeFrame)), mutations);
    const parser = new FrameParser(PARSER_LIMITS);
    let inputs = 0;
    for (const piece of split(bytes, cuts)) {
      parser.push(piece);
      inputs++;
      if (parser.bytesHeld > PARSER_BOUND) throw new Error(`parser holds ${parser.bytesHeld} bytes`);
      if (parser.broken) parser.resynchronise();
    }
    return inputs;
  },
};

const ALICE = parseMsrpUri('msrp://alice.example:2855/a1b2c3d4;tcp');
const BOB = parseMsrpUri('msrp://bob.example:2855/b5c6d7e8;tcp');
let bob: MsrpSession | undefined;
let now = 0;
const REASSEMBLY = { maxMessages: 8, maxBytes: 64 * 1024, maxMessageBytes: 32 * 1024 };

const sessionCase = fc.record({
  bodies: fc.array(fc.uint8Array({ minLength: 1, maxLength: 6000 }), { minLength: 1, maxLength: 3 }),
  chunkSize: fc.integer({ min: 1, max: 3000 }),
  mutations: fc.array(mutation, { maxLength: 6 }),
  cuts: fc.array(fc.nat(), { maxLength: 10 }),
  advance: fc.integer({ min: 0, max: 90_000 }),
});

const sessionTarget: Target<{ bodies: Uint8Array[]; chunkSize: number; mutations: Mutation[]; cuts: number[]; advance: number }> = {
  name: 'session',
  arbitrary: sessionCase,
  heapBoundBytes: 48 * 1024 * 1024,
  start() {
    now = 0;
    bob = new MsrpSession({ localPath: [BOB!], remotePath: [ALICE!], now, random: seededRandom(3), parserLimits: PARSER_LIMITS, reassemblyLimits: REASSEMBLY });
  },
  stop() {
    bob = undefined;
  },
  check({ bodies, chunkSize, mutations, cuts, advance }) {
    const session = bob ?? new MsrpSession({ localPath: [BOB!], remotePath: [ALICE!], now, parserLimits: PARSER_LIMITS, reassemblyLimits: REASSEMBLY });
    const alice = new MsrpSession({ localPath: [ALICE!], remotePath: [BOB!], now, chunkSize, random: seededRandom(bodies.length + chunkSize) });
    const wire = concat(bodies.flatMap((b) => alice.sendMessage('text/plain', b, {}, now).write));
    let inputs = 0;
    for (const piece of split(mutate(wire, mutations), cuts)) {
      const out = session.receive(piece, now);
      inputs++;
      for (const w of out.write) alice.receive(w, now);
      if (session.bytesHeld > PARSER_BOUND + REASSEMBLY.maxBytes) throw new Error(`session holds ${session.bytesHeld} bytes`);
    }
    now += advance;
    session.onDeadline(now);
    alice.onDeadline(now);
    return inputs + 1;
  },
};

const decoderTarget: Target<string> = {
  name: 'headers',
  arbitrary: fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.constantFrom('msrp', 'msrps', '://', '[', ']', ':', '/', ';tcp', '@', 'Digest ', 'realm=', '"', ',', 'nonce=', '1-', '*', '/', '000 ', ' '), { maxLength: 30 }).map((p) => p.join(''))),
  heapBoundBytes: 16 * 1024 * 1024,
  check(text) {
    parseMsrpUri(text);
    parsePath(text);
    parseByteRange(text);
    parseStatus(text);
    parseDigestChallenge(text);
    new FrameParser().push(enc(text));
    return 6;
  },
};

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export const targets: readonly Target<never>[] = [parserTarget, sessionTarget, decoderTarget] as unknown as Target<never>[];

/** The target called `name`. */
export function targetNamed(name: string): Target<never> | undefined {
  return targets.find((t) => t.name === name);
}
