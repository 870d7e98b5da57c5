/**
 * Blink's private_key.dsa from its python-potr years (2013-2016): potr's
 * serializePrivateKey(), the OTR public-key encoding (Protocol-v3 "Public
 * keys, signatures, and fingerprints": 2-byte key type 0x0000, then MPIs
 * p, q, g, y) followed by one more MPI, x. An MPI is a 4-byte big-endian
 * length and that many big-endian bytes.
 */
import { MAX_INTEGER_BYTES, type DsaParts } from './dsa-parts.js';
import { parsed, problem, type Parsed } from './result.js';

/** Reads private_key.dsa. Checks the structure; the caller checks the key's consistency. */
export function parsePotrPrivateKey(bytes: Uint8Array): Parsed<DsaParts> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 2) return problem('the file is too short to hold a key');
  const type = view.getUint16(0);
  if (type !== 0) return problem(`key type ${type} is not DSA (0)`);
  let offset = 2;
  const values: Uint8Array[] = [];
  for (const name of ['p', 'q', 'g', 'y', 'x']) {
    if (offset + 4 > bytes.length) return problem(`the file ends before DSA ${name}`);
    const length = view.getUint32(offset);
    offset += 4;
    if (length === 0 || length > MAX_INTEGER_BYTES) return problem(`DSA ${name} has an implausible length (${length} bytes)`);
    if (offset + length > bytes.length) return problem(`the file ends inside DSA ${name}`);
    values.push(bytes.slice(offset, offset + length));
    offset += length;
  }
  if (offset !== bytes.length) return problem(`${bytes.length - offset} unexpected bytes after the key`);
  const [p, q, g, y, x] = values as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  return parsed({ p, q, g, y, x });
}

function mpi(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const body = value.subarray(start);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** The bytes of private_key.dsa. */
export function encodePotrPrivateKey(parts: DsaParts): Uint8Array {
  const pieces = [new Uint8Array(2), ...[parts.p, parts.q, parts.g, parts.y, parts.x].map(mpi)];
  return Buffer.concat(pieces);
}
