import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameParser, serializeFrame, type ParseResult } from '../../src/index.js';
import { frame, split } from '../arbitraries.js';
import { enc } from '../helpers.js';

const SEED = 20261206;

describe('frame properties', () => {
  it('serialize then parse gives the same frames, whatever the pieces', () => {
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const wire = frames.map(serializeFrame);
        const all = new Uint8Array(wire.reduce((n, w) => n + w.length, 0));
        let offset = 0;
        for (const w of wire) {
          all.set(w, offset);
          offset += w.length;
        }
        const parser = new FrameParser();
        const results: ParseResult[] = [];
        for (const piece of split(all, cuts)) results.push(...parser.push(piece));
        expect(results).toEqual(frames.map((f) => ({ kind: 'frame', frame: f })));
        expect(parser.bytesHeld).toBe(0);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('the parser never throws on arbitrary bytes and holds no more than its bounds', () => {
    const limits = { maxStartLineBytes: 64, maxHeaderBytes: 256, maxHeaderCount: 8, maxBodyBytes: 512 };
    const msrpish = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc.array(fc.constantFrom('MSRP ', 'abcd1234', ' SEND', ' 200 OK', '\r\n', '-------', 'abcd1234$', '+', '#', 'To-Path: ', 'x', ':', '\r'), { maxLength: 200 }).map((parts) => enc(parts.join(''))),
    );
    fc.assert(
      fc.property(fc.array(msrpish, { maxLength: 8 }), fc.boolean(), (pieces, resync) => {
        const parser = new FrameParser(limits);
        for (const piece of pieces) {
          const results = parser.push(piece);
          for (const r of results) expect(['frame', 'frame-error']).toContain(r.kind);
          expect(parser.bytesHeld).toBeLessThanOrEqual(limits.maxHeaderBytes + limits.maxBodyBytes + 64 * 1024 + 64);
          if (resync && parser.broken) parser.resynchronise();
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
