/**
 * SMP payloads (wire/smp-payload.ts): any bytes give MPI bodies or a typed
 * DecodeError, never an exception; encodings round-trip; and message 1Q
 * splits back into the question and payload it was built from.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import {
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  decodeSmpPayload,
  encodeSmpPayload,
  joinSmpQuestion,
  splitSmpQuestion,
} from '../../src/wire/smp-payload.js';

const runs = { numRuns: 500 };
const stripped = (value: Uint8Array): Uint8Array => {
  let start = 0;
  while (start < value.length && value[start] === 0) start++;
  return value.subarray(start);
};
const mpiBody = fc.uint8Array({ maxLength: 192 });
const utf8RoundTrips = (text: string): boolean => new TextDecoder().decode(new TextEncoder().encode(text)) === text;

describe('SMP payload decoding (property)', () => {
  it('any bytes and any expected count: MPI bodies of at most 192 bytes, or a DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 800 }), fc.integer({ min: 0, max: 12 }), (input, expected) => {
        const result = decodeSmpPayload(input, expected);
        if (result instanceof DecodeError) return;
        expect(result).toHaveLength(expected);
        for (const value of result) {
          expect(value.length).toBeLessThanOrEqual(192);
          expect(value[0]).not.toBe(0);
        }
      }),
      runs,
    );
  });

  it('payloads that start like SMP messages: a value or a DecodeError', () => {
    const decoders = [decodeSmpMessage1, decodeSmpMessage2, decodeSmpMessage3, decodeSmpMessage4];
    fc.assert(
      fc.property(fc.constantFrom(3, 6, 8, 11), fc.array(fc.oneof(mpiBody, fc.uint8Array({ minLength: 190, maxLength: 200 })), { maxLength: 12 }), fc.uint8Array({ maxLength: 8 }), (count, values, tail) => {
        const body = encodeSmpPayload(values);
        body.set([0, 0, 0, count]);
        const input = new Uint8Array([...body, ...tail]);
        for (const decode of decoders) {
          const result = decode(input);
          expect(result instanceof DecodeError || Array.isArray(result)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('encode then decode gives the values back, without leading zeros', () => {
    fc.assert(
      fc.property(fc.array(mpiBody, { maxLength: 12 }), (values) => {
        expect(decodeSmpPayload(encodeSmpPayload(values), values.length)).toEqual(values.map(stripped));
      }),
      runs,
    );
  });
});

describe('SMP message 1Q (property)', () => {
  it('any bytes: a question and payload, or a DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
        const result = splitSmpQuestion(input);
        if (result instanceof DecodeError) expect(input.includes(0)).toBe(false);
        else expect(result.payload.length).toBeLessThan(input.length);
      }),
      runs,
    );
  });

  it('join then split gives the question and payload back', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }).filter((text) => !text.includes('\0') && utf8RoundTrips(text)),
        fc.uint8Array({ maxLength: 100 }),
        (question, payload) => {
          expect(splitSmpQuestion(joinSmpQuestion(question, payload))).toEqual({ question, payload });
        },
      ),
      runs,
    );
  });
});
