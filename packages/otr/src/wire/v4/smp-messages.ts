/**
 * SMP message values of OTRv4 (otrv4.md, "SMP Message 1" .. "SMP Message
 * 4"), carried in TLVs 2..5 (tlv.ts). Points and scalars are opaque here;
 * crypto/ checks curve membership and that scalars are below q.
 *
 * | SMP 1 | Question (DATA), G2a c2 d2, G3a c3 d3                 |
 * | SMP 2 | G2b c2 d2, G3b c3 d3, Pb Qb, cp d5 d6                 |
 * | SMP 3 | Pa Qa, cp d5 d6, Ra, cr d7                            |
 * | SMP 4 | Rb, cr d7                                             |
 *
 * (capital letters: POINT; lower case: SCALAR). The question is the user's
 * text as UTF-8, empty when there is none; it is bounded by the TLV's
 * 65535-byte length. Trailing bytes are rejected.
 */
import type { DecodeError } from '../../errors.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { readPoint, readScalar, writePoint, writeScalar } from './data-types.js';

/** SMP message 1. */
export interface SmpMessage1 {
  /** The question as UTF-8 bytes; empty for none. */
  readonly question: Uint8Array;
  readonly g2a: Uint8Array;
  readonly c2: Uint8Array;
  readonly d2: Uint8Array;
  readonly g3a: Uint8Array;
  readonly c3: Uint8Array;
  readonly d3: Uint8Array;
}

/** SMP message 2. */
export interface SmpMessage2 {
  readonly g2b: Uint8Array;
  readonly c2: Uint8Array;
  readonly d2: Uint8Array;
  readonly g3b: Uint8Array;
  readonly c3: Uint8Array;
  readonly d3: Uint8Array;
  readonly pb: Uint8Array;
  readonly qb: Uint8Array;
  readonly cp: Uint8Array;
  readonly d5: Uint8Array;
  readonly d6: Uint8Array;
}

/** SMP message 3. */
export interface SmpMessage3 {
  readonly pa: Uint8Array;
  readonly qa: Uint8Array;
  readonly cp: Uint8Array;
  readonly d5: Uint8Array;
  readonly d6: Uint8Array;
  readonly ra: Uint8Array;
  readonly cr: Uint8Array;
  readonly d7: Uint8Array;
}

/** SMP message 4. */
export interface SmpMessage4 {
  readonly rb: Uint8Array;
  readonly cr: Uint8Array;
  readonly d7: Uint8Array;
}

/** The most a TLV value can hold, so the most a question can be. */
const MAX_TLV_VALUE_BYTES = 0xffff;

type Kind = 'point' | 'scalar';

/** Field layout of each message, in wire order. */
const LAYOUT = {
  1: [['g2a', 'point'], ['c2', 'scalar'], ['d2', 'scalar'], ['g3a', 'point'], ['c3', 'scalar'], ['d3', 'scalar']],
  2: [['g2b', 'point'], ['c2', 'scalar'], ['d2', 'scalar'], ['g3b', 'point'], ['c3', 'scalar'], ['d3', 'scalar'], ['pb', 'point'], ['qb', 'point'], ['cp', 'scalar'], ['d5', 'scalar'], ['d6', 'scalar']],
  3: [['pa', 'point'], ['qa', 'point'], ['cp', 'scalar'], ['d5', 'scalar'], ['d6', 'scalar'], ['ra', 'point'], ['cr', 'scalar'], ['d7', 'scalar']],
  4: [['rb', 'point'], ['cr', 'scalar'], ['d7', 'scalar']],
} as const satisfies Record<1 | 2 | 3 | 4, readonly (readonly [string, Kind])[]>;

function readFields(reader: Reader, layout: readonly (readonly [string, Kind])[]): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [name, kind] of layout) out[name] = kind === 'point' ? readPoint(reader, name) : readScalar(reader, name);
  return out;
}

function writeFields(writer: Writer, layout: readonly (readonly [string, Kind])[], values: object): Writer {
  const record = values as Record<string, Uint8Array>;
  for (const [name, kind] of layout) {
    const value = record[name];
    if (value === undefined) throw new RangeError(`SMP field ${name} missing`);
    if (kind === 'point') writePoint(writer, value);
    else writeScalar(writer, value);
  }
  return writer;
}

/** Decodes the value of TLV 2 (SMP message 1). */
export function decodeSmpMessage1(value: Uint8Array): SmpMessage1 | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(value);
    const question = reader.data(MAX_TLV_VALUE_BYTES, 'question');
    const fields = readFields(reader, LAYOUT[1]);
    reader.end('SMP message 1');
    return { question, ...fields } as unknown as SmpMessage1;
  });
}

/** Decodes the value of TLV 3 (SMP message 2). */
export function decodeSmpMessage2(value: Uint8Array): SmpMessage2 | DecodeError {
  return decodeFixed(value, 2) as SmpMessage2 | DecodeError;
}

/** Decodes the value of TLV 4 (SMP message 3). */
export function decodeSmpMessage3(value: Uint8Array): SmpMessage3 | DecodeError {
  return decodeFixed(value, 3) as SmpMessage3 | DecodeError;
}

/** Decodes the value of TLV 5 (SMP message 4). */
export function decodeSmpMessage4(value: Uint8Array): SmpMessage4 | DecodeError {
  return decodeFixed(value, 4) as SmpMessage4 | DecodeError;
}

function decodeFixed(value: Uint8Array, step: 2 | 3 | 4): Record<string, Uint8Array> | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(value);
    const fields = readFields(reader, LAYOUT[step]);
    reader.end(`SMP message ${step}`);
    return fields;
  });
}

/** Encodes the value of TLV 2 (SMP message 1). */
export function encodeSmpMessage1(message: SmpMessage1): Uint8Array {
  return writeFields(new Writer().data(message.question), LAYOUT[1], message).finish();
}

/** Encodes the value of TLV 3 (SMP message 2). */
export function encodeSmpMessage2(message: SmpMessage2): Uint8Array {
  return writeFields(new Writer(), LAYOUT[2], message).finish();
}

/** Encodes the value of TLV 4 (SMP message 3). */
export function encodeSmpMessage3(message: SmpMessage3): Uint8Array {
  return writeFields(new Writer(), LAYOUT[3], message).finish();
}

/** Encodes the value of TLV 5 (SMP message 4). */
export function encodeSmpMessage4(message: SmpMessage4): Uint8Array {
  return writeFields(new Writer(), LAYOUT[4], message).finish();
}
