/**
 * Fuzz smoke run with a fixed seed: byte mutations (flips, insertions,
 * deletions, splices of format tokens, truncations) of valid CPIM,
 * is-composing and HTML inputs, fed to each decoder and to a chat stream's
 * `receive` (with OTR on, and towards a focus). Nothing may throw; every
 * failure is typed; every status is one Blink answers with.
 */
import { Policies } from '@sotto/otr';
import { describe, expect, it } from 'vitest';
import { decodeCpim, decodeIsComposing, encodeIsComposing, htmlToText, type DecodeResult } from '../../src/index.js';
import { Pair } from '../pair/harness.js';
import { BLINK_IS_COMPOSING, BLINK_OTR_QUERY, BLINK_USER_MESSAGE_HEAD, SIPSIMPLE_NON_ASCII } from '../vectors/blink.js';

const SEED = 20261206;
const enc = new TextEncoder();

/** mulberry32: a small seeded generator, enough for a reproducible smoke run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['\r\n', '\n', '\r\n\r\n', ':', '<', '>', '&', '&#x1b;', '"', 'NS: ', '.', '<!DOCTYPE', '<![CDATA[', '?OTR', '?OTR:AAMD', '\u0000', 'é', '\uffff'].map((token) => enc.encode(token));

function mutate(seed: Uint8Array, random: () => number): Uint8Array {
  let bytes = Uint8Array.from(seed);
  const steps = 1 + Math.floor(random() * 4);
  for (let step = 0; step < steps; step++) {
    const at = Math.floor(random() * (bytes.length + 1));
    switch (Math.floor(random() * 5)) {
      case 0:
        if (bytes.length > 0) {
          const index = Math.min(at, bytes.length - 1);
          bytes[index] = (bytes[index] ?? 0) ^ (1 << Math.floor(random() * 8));
        }
        break;
      case 1: {
        const token = TOKENS[Math.floor(random() * TOKENS.length)]!;
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...token, ...bytes.subarray(at)]);
        break;
      }
      case 2:
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(Math.min(bytes.length, at + 1 + Math.floor(random() * 8)))]);
        break;
      case 3:
        bytes = bytes.subarray(0, at);
        break;
      default: {
        const from = Math.floor(random() * bytes.length);
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(from, from + 16), ...bytes.subarray(at)]);
      }
    }
  }
  return bytes;
}

const SEEDS = {
  cpim: [BLINK_OTR_QUERY, `${BLINK_USER_MESSAGE_HEAD}?OTR:AAMD.`, SIPSIMPLE_NON_ASCII].map((text) => enc.encode(text)),
  isComposing: [enc.encode(BLINK_IS_COMPOSING), encodeIsComposing({ state: 'idle', refresh: 60, lastActive: 0 })],
  html: ['<p>hi <b>x</b> &amp; <a href="u">l</a></p><script>s</script>', '<ul><li>a<li>b</ul><pre>x\n y</pre>'].map((text) => enc.encode(text)),
};

function typed(result: DecodeResult<unknown>): void {
  if (!result.ok) expect(typeof result.code).toBe('string');
}

describe('fuzz smoke', () => {
  it('decodeCpim', () => {
    const random = generator(SEED);
    for (let run = 0; run < 3000; run++) typed(decodeCpim(mutate(SEEDS.cpim[run % SEEDS.cpim.length]!, random)));
  });

  it('decodeIsComposing', () => {
    const random = generator(SEED + 1);
    for (let run = 0; run < 3000; run++) typed(decodeIsComposing(mutate(SEEDS.isComposing[run % SEEDS.isComposing.length]!, random)));
  });

  it('htmlToText', () => {
    const random = generator(SEED + 2);
    const decoder = new TextDecoder();
    for (let run = 0; run < 3000; run++) {
      // eslint-disable-next-line no-control-regex
      expect(htmlToText(decoder.decode(mutate(SEEDS.html[run % SEEDS.html.length]!, random))).text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it('ChatStream.receive, with OTR and towards a focus', () => {
    const random = generator(SEED + 3);
    const pairs = [new Pair(), new Pair({ aliceFocus: true, alicePolicy: Policies.ALWAYS })];
    const types = ['message/cpim', 'text/plain', 'text/html; charset=utf-8', 'application/im-iscomposing+xml', 'image/png', 'application/x-unknown', 'MESSAGE/CPIM;x'];
    const seeds = [...SEEDS.cpim, ...SEEDS.isComposing, ...SEEDS.html];
    for (let run = 0; run < 1500; run++) {
      const pair = pairs[run % pairs.length]!;
      const outcome = pair.alice.stream.receive({ contentType: types[Math.floor(random() * types.length)]!, body: mutate(seeds[run % seeds.length]!, random) }, pair.tick());
      expect([200, 400, 413]).toContain(outcome.status.code);
      if (pair.alice.stream.focus) {
        for (const payload of outcome.send) expect(new TextDecoder().decode(payload.body)).not.toContain('?OTR');
      }
    }
  });
});
