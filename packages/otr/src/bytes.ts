/** Small helpers over public byte strings (not for secrets: nothing here is constant-time). */

/**
 * Compares two big-endian unsigned numbers given as bytes (leading zeros
 * ignored): negative if a < b, 0 if equal, positive if a > b.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  let j = 0;
  while (i < a.length && a[i] === 0) i++;
  while (j < b.length && b[j] === 0) j++;
  const lengthA = a.length - i;
  const lengthB = b.length - j;
  if (lengthA !== lengthB) return lengthA - lengthB;
  for (; i < a.length; i++, j++) {
    const diff = (a[i] ?? 0) - (b[j] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Byte-for-byte equality of public values. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Lower-case hex of public bytes (fingerprints, SSIDs). */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
