import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MsrpSession, parseMsrpUri, type MsrpEvent } from '../../src/index.js';
import { split } from '../arbitraries.js';
import { seededRandom } from '../helpers.js';

const ALICE = parseMsrpUri('msrp://alice.example:2855/a1b2c3d4;tcp')!;
const BOB = parseMsrpUri('msrps://[2001:db8::2]:7000/x/y+z=;tcp')!;

describe('session properties', () => {
  it('messages chunked at any size and cut into any pieces arrive whole, in order, each delivered once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 3000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4096 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (bodies, chunkSize, cuts) => {
          const alice = new MsrpSession({ localPath: [ALICE], remotePath: [BOB], now: 0, chunkSize, random: seededRandom(11) });
          const bob = new MsrpSession({ localPath: [BOB], remotePath: [ALICE], now: 0, random: seededRandom(12) });
          const sent = bodies.map((body) => alice.sendMessage('application/octet-stream', body, {}, 1));
          const stream = sent.flatMap((s) => s.write);
          const total = new Uint8Array(stream.reduce((n, w) => n + w.length, 0));
          let offset = 0;
          for (const w of stream) {
            total.set(w, offset);
            offset += w.length;
          }
          const bobEvents: MsrpEvent[] = [];
          const back: Uint8Array[] = [];
          for (const piece of split(total, cuts)) {
            const out = bob.receive(piece, 2);
            bobEvents.push(...out.events);
            back.push(...out.write);
          }
          expect(bobEvents.map((e) => (e.kind === 'message' ? e.body : e.kind))).toEqual(bodies);
          const aliceEvents = back.flatMap((w) => alice.receive(w, 3).events);
          expect(aliceEvents.flatMap((e) => (e.kind === 'delivered' ? [e.messageId] : []))).toEqual(sent.map((s) => s.messageId));
          expect(bob.bytesHeld).toBe(0);
        },
      ),
      { seed: 20261206, numRuns: 60 },
    );
  });
});
