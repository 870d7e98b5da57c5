/**
 * Just enough DER to read the DSA parameters and private value out of the
 * PKCS#8 encoding that OpenSSL produces for a freshly generated key
 * (RFC 5958 PrivateKeyInfo with RFC 3279 Dss-Parms). Encoding only; no crypto.
 */

/** A DER element: tag, and where its content lies. */
interface Element {
  readonly tag: number;
  readonly content: Uint8Array;
  readonly end: number;
}

function readElement(bytes: Uint8Array, offset: number): Element {
  const tag = bytes[offset];
  let lengthByte = bytes[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new RangeError('truncated DER');
  let cursor = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = bytes[cursor++];
      if (lengthByte === undefined) throw new RangeError('truncated DER');
      length = length * 256 + lengthByte;
    }
  }
  const end = cursor + length;
  if (end > bytes.length) throw new RangeError('truncated DER');
  return { tag, content: bytes.subarray(cursor, end), end };
}

/** The children of a constructed element's content. */
function children(content: Uint8Array): Element[] {
  const out: Element[] = [];
  let offset = 0;
  while (offset < content.length) {
    const element = readElement(content, offset);
    out.push(element);
    offset = element.end;
  }
  return out;
}

function expectTag(element: Element | undefined, tag: number): Element {
  if (element?.tag !== tag) throw new RangeError('unexpected DER structure');
  return element;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;

/** Reads p, q, g and x from a PKCS#8 DSA private key (throws RangeError when malformed). */
export function readDsaPkcs8(der: Uint8Array): { p: Uint8Array; q: Uint8Array; g: Uint8Array; x: Uint8Array } {
  const top = children(expectTag(readElement(der, 0), SEQUENCE).content);
  const algorithm = children(expectTag(top[1], SEQUENCE).content);
  const params = children(expectTag(algorithm[1], SEQUENCE).content);
  const [p, q, g] = [0, 1, 2].map((i) => expectTag(params[i], INTEGER).content);
  const inner = expectTag(top[2], OCTET_STRING).content;
  const x = expectTag(readElement(inner, 0), INTEGER).content;
  if (p === undefined || q === undefined || g === undefined) throw new RangeError('unexpected DER structure');
  return { p, q, g, x };
}
