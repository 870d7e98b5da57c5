/** Test helpers: text <-> bytes, a deterministic random source, frames from CRLF text. */
import { FrameParser, type Frame, type ParseResult } from '../src/index.js';

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
export const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Lines joined with CRLF (the RFC examples' line ends). */
export const crlf = (...lines: string[]): string => lines.join('\r\n');

/** A seeded xorshift random source (tests must be deterministic). */
export function seededRandom(seed = 1): (length: number) => Uint8Array {
  let state = seed >>> 0 || 1;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out[i] = state & 0xff;
    }
    return out;
  };
}

/** Parses text whole; returns the results. */
export function parseAll(text: string | Uint8Array, parser = new FrameParser()): ParseResult[] {
  return parser.push(typeof text === 'string' ? enc(text) : text);
}

/** The frames of a parse (fails on errors). */
export function framesOf(results: ParseResult[]): Frame[] {
  return results.map((r) => {
    if (r.kind !== 'frame') throw new Error(`unexpected ${r.code}`);
    return r.frame;
  });
}
