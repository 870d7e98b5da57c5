/**
 * Byte mutations of valid inputs: flips, insertions of format tokens,
 * deletions, truncation, duplication. The MSRP targets use MSRP's tokens;
 * the other SIP/MSRP chat targets pass their own (`tokenMutation`, `mutateWith`).
 */
import fc from 'fast-check';
import { enc } from '../helpers.js';

const TOKENS = ['\r\n', '-------', '$', '+', '#', 'MSRP ', ' SEND', ' 200 OK', ':', 'Byte-Range: 1-*/*', 'Message-ID: ', '\u0000', 'ÿ'].map(enc);

/** One mutation. */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly value: number }
  | { readonly kind: 'insert'; readonly at: number; readonly token: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number; readonly times: number };

/** A mutation over a table of `tokens` insertable tokens. */
export function tokenMutation(tokens: number): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.nat({ max: tokens - 1 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 2, max: 50 }) }),
  );
}

export const mutation: fc.Arbitrary<Mutation> = tokenMutation(TOKENS.length);

/** `bytes` with `mutations` applied (MSRP's tokens). */
export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  return mutateWith(bytes, mutations, TOKENS);
}

/** `bytes` with `mutations` applied, inserting from `tokens`. */
export function mutateWith(bytes: Uint8Array, mutations: readonly Mutation[], tokens: readonly Uint8Array[]): Uint8Array {
  let out = Array.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    switch (m.kind) {
      case 'flip':
        if (at < out.length) out[at] = m.value;
        break;
      case 'insert':
        out.splice(at, 0, ...(tokens[m.token % Math.max(1, tokens.length)] ?? []));
        break;
      case 'delete':
        out.splice(at, m.length);
        break;
      case 'truncate':
        out = out.slice(0, at);
        break;
      case 'repeat': {
        const piece = out.slice(at, at + m.length);
        out.splice(at, 0, ...Array.from({ length: m.times - 1 }, () => piece).flat());
        break;
      }
    }
  }
  return new Uint8Array(out);
}

