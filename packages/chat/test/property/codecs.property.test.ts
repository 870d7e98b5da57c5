/**
 * Every decoder of the package: any input gives a value or a typed failure,
 * never an exception; every encoding round-trips through its decoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCpim, decodeIsComposing, encodeCpim, encodeIsComposing, htmlToText, parseContentType, parseDateTime, parseIdentity, type DecodeResult } from '../../src/index.js';

const dec = new TextDecoder();

/** A failure is one of the typed codes with a detail. */
function typed(result: DecodeResult<unknown>): boolean {
  return result.ok || (typeof result.code === 'string' && typeof result.detail === 'string');
}

/** Bytes that look like the format more often than random bytes do. */
const cpimish = fc
  .array(fc.oneof(fc.constantFrom('From: ', 'To: <sip:a@b>', 'NS: p <urn:x>', 'p.X: 1', 'DateTime: 2026-01-01T00:00:00Z', 'Content-Type: text/plain', 'MIME-Version: 1.0', '\r\n', '\n', ':', '<', '>', ' ', 'é'), fc.string()), { maxLength: 40 })
  .map((parts) => new TextEncoder().encode(parts.join('')));

const xmlish = fc
  .array(fc.oneof(fc.constantFrom('<isComposing>', '</isComposing>', '<state>', '</state>', 'active', '<refresh>', '</refresh>', '&amp;', '&#', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE', '<a/>', '"', "'", '='), fc.string()), { maxLength: 40 })
  .map((parts) => new TextEncoder().encode(parts.join('')));

const identity = fc.record(
  {
    uri: fc.stringMatching(/^sip:[a-z0-9._-]{1,12}@[a-z0-9.-]{1,12}$/),
    displayName: fc.stringMatching(/^[A-Za-z0-9 ._'-]{0,16}$/).map((name) => name.trim()).filter((name) => name !== ''),
  },
  { requiredKeys: ['uri'] },
);

describe('decoders never throw', () => {
  it('decodeCpim on arbitrary bytes', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), cpimish), (bytes) => typed(decodeCpim(bytes))), { numRuns: 2000 });
  });

  it('decodeIsComposing on arbitrary bytes', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), xmlish), (bytes) => typed(decodeIsComposing(bytes))), { numRuns: 2000 });
  });

  it('htmlToText, parseContentType, parseDateTime and parseIdentity on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => {
        // eslint-disable-next-line no-control-regex
        expect(htmlToText(text).text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        parseContentType(text);
        parseDateTime(text);
        parseIdentity(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodings round-trip', () => {
  it('CPIM: identities, DateTime to the microsecond, type, charset and body', () => {
    fc.assert(
      fc.property(
        identity,
        fc.array(identity, { maxLength: 3 }),
        fc.integer({ min: 0, max: 4_000_000_000 }).chain((seconds) => fc.integer({ min: 0, max: 999_999 }).map((micros) => seconds * 1000 + micros / 1000)),
        fc.constantFrom('text/plain', 'text/html', 'application/im-iscomposing+xml', 'image/png'),
        fc.option(fc.constantFrom('utf8', 'utf-8'), { nil: undefined }),
        fc.string({ maxLength: 200 }).map((text) => text.replace(/\r/g, '')),
        (from, to, dateTime, contentType, charset, text) => {
          const body = new TextEncoder().encode(text);
          const bytes = encodeCpim({ from, to, dateTime, contentType, ...(charset === undefined ? {} : { charset }), body });
          const result = decodeCpim(bytes);
          if (!result.ok) return false;
          const message = result.value;
          expect(message.from).toEqual(from);
          expect(message.to).toEqual(to);
          expect(message.dateTimeMs).toBeCloseTo(dateTime, 3);
          expect(message.contentType).toBe(contentType);
          expect(message.charset).toBe(charset);
          expect(dec.decode(message.body)).toBe(text);
          return true;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is-composing: state, refresh, lastactive and content type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('active' as const, 'idle' as const),
        fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 4e12 }), { nil: undefined }),
        fc.stringMatching(/^[a-z/&<> +-]{1,20}$/).filter((text) => text.trim() === text),
        (state, refresh, lastActive, contentType) => {
          const result = decodeIsComposing(encodeIsComposing({ state, ...(refresh === undefined ? {} : { refresh }), ...(lastActive === undefined ? {} : { lastActive }), contentType }));
          expect(result).toEqual({
            ok: true,
            value: expect.objectContaining({ state, refresh: refresh ?? 120, contentType, ...(lastActive === undefined ? {} : { lastActiveMs: lastActive }) }),
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
