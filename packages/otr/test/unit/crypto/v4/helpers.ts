/** Shared helpers of the OTRv4 crypto tests: hex, vectors, bigint references. */
import { readFileSync } from 'node:fs';

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** A vector file under test/vectors/. */
export function vectors(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../vectors/${path}`, import.meta.url), 'utf8'));
}

/** The Ed448 prime order, written out from the spec independently of src/. */
export const Q = (1n << 446n) - 13818066809895115352007386748515426880336692474882178609894547503885n;
/** The Ed448 field prime 2^448 - 2^224 - 1. */
export const P = (1n << 448n) - (1n << 224n) - 1n;

export function le(value: bigint, width = 57): Uint8Array {
  const out = new Uint8Array(width);
  for (let i = 0, rest = value; i < width; i++, rest >>= 8n) out[i] = Number(rest & 0xffn);
  return out;
}

export function fromLe(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}
