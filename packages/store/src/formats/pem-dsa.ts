/**
 * Blink's otr.key since 2016 (python3-otr, through python-cryptography):
 * a DSA private key in PEM ("-----BEGIN PRIVATE KEY-----", RFC 7468) holding
 * PKCS#8 PrivateKeyInfo (RFC 5208) with the DSA parameters of RFC 3279:
 *
 *   SEQUENCE { INTEGER 0,
 *              SEQUENCE { OID 1.2.840.10040.4.1, SEQUENCE { p, q, g } },
 *              OCTET STRING { INTEGER x } }
 *
 * PKCS#8 carries no y: the caller derives it (y = g^x mod p) in crypto.
 * OpenSSL's older "-----BEGIN DSA PRIVATE KEY-----" form,
 * SEQUENCE { 0, p, q, g, y, x }, is read too. Encoding only, no crypto.
 */
import { MAX_INTEGER_BYTES, type DsaParts } from './dsa-parts.js';
import { TAG, encodeElement, encodeUnsigned, readChildren, readElements, readUnsigned, type DerElement } from './der.js';
import { parsed, problem, type Parsed } from './result.js';

/** A DSA private key read from PEM; y is absent in PKCS#8. */
export type PemDsaParts = Omit<DsaParts, 'y'> & { readonly y?: Uint8Array };

/** DER of the OID 1.2.840.10040.4.1 (id-dsa, RFC 3279). */
const ID_DSA = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function integers(elements: readonly (DerElement | undefined)[], names: readonly string[]): Parsed<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const [i, name] of names.entries()) {
    const value = readUnsigned(elements[i], `DSA ${name}`);
    if (!value.ok) return value;
    if (value.value.length > MAX_INTEGER_BYTES) return problem(`DSA ${name} is implausibly large`);
    out.push(value.value);
  }
  return parsed(out);
}

function readPkcs8(der: Uint8Array): Parsed<PemDsaParts> {
  const outer = readElements(der);
  if (!outer.ok) return outer;
  if (outer.value.length !== 1) return problem('DER: expected one PrivateKeyInfo');
  const top = readChildren(outer.value[0], TAG.SEQUENCE, 'a PrivateKeyInfo SEQUENCE');
  if (!top.ok) return top;
  const [version, algorithm, privateKey] = top.value;
  const versionValue = readUnsigned(version, 'the version');
  if (!versionValue.ok || versionValue.value.length !== 1 || (versionValue.value[0] ?? 9) > 1) return problem('unsupported PKCS#8 version');
  const algorithmParts = readChildren(algorithm, TAG.SEQUENCE, 'an AlgorithmIdentifier');
  if (!algorithmParts.ok) return algorithmParts;
  const [oid, params] = algorithmParts.value;
  if (oid?.tag !== TAG.OID || !sameBytes(oid.content, ID_DSA)) return problem('the key is not a DSA key (OTR keys are DSA)');
  const pqgElements = readChildren(params, TAG.SEQUENCE, 'DSA parameters');
  if (!pqgElements.ok) return pqgElements;
  if (pqgElements.value.length !== 3) return problem('DSA parameters should be p, q and g');
  const pqg = integers(pqgElements.value, ['p', 'q', 'g']);
  if (!pqg.ok) return pqg;
  if (privateKey?.tag !== TAG.OCTET_STRING) return problem('DER: expected the private key OCTET STRING');
  const inner = readElements(privateKey.content);
  if (!inner.ok) return inner;
  if (inner.value.length !== 1) return problem('DER: expected one INTEGER in the private key');
  const x = readUnsigned(inner.value[0], 'DSA x');
  if (!x.ok) return x;
  const [p, q, g] = pqg.value as [Uint8Array, Uint8Array, Uint8Array];
  return parsed({ p, q, g, x: x.value });
}

function readTraditional(der: Uint8Array): Parsed<PemDsaParts> {
  const outer = readElements(der);
  if (!outer.ok) return outer;
  if (outer.value.length !== 1) return problem('DER: expected one DSA private key');
  const top = readChildren(outer.value[0], TAG.SEQUENCE, 'a DSA private key SEQUENCE');
  if (!top.ok) return top;
  if (top.value.length !== 6) return problem('a DSA private key should hold version, p, q, g, y and x');
  const values = integers(top.value, ['version', 'p', 'q', 'g', 'y', 'x']);
  if (!values.ok) return values;
  const [version, p, q, g, y, x] = values.value as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  if (version.length !== 1 || version[0] !== 0) return problem('unsupported DSA private key version');
  return parsed({ p, q, g, y, x });
}

/** Reads a PEM file holding one unencrypted DSA private key. */
export function parsePemDsaKey(bytes: Uint8Array): Parsed<PemDsaParts> {
  const text = Buffer.from(bytes).toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g)];
  if (blocks.length === 0) return problem('no "-----BEGIN PRIVATE KEY-----" block found');
  if (blocks.length > 1) return problem('more than one PEM block; expected a single key');
  const [, label = '', body = '', endLabel = ''] = blocks[0] ?? [];
  if (label !== endLabel) return problem(`the PEM block begins as ${label} but ends as ${endLabel}`);
  if (label === 'ENCRYPTED PRIVATE KEY' || body.includes('ENCRYPTED')) {
    return problem('the key is encrypted with a passphrase; decrypt it first (openssl pkey -in otr.key -out plain.key) and import that');
  }
  const base64 = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return problem('the PEM body is not base64');
  const der = Uint8Array.from(Buffer.from(base64, 'base64'));
  switch (label) {
    case 'PRIVATE KEY':
      return readPkcs8(der);
    case 'DSA PRIVATE KEY':
      return readTraditional(der);
    default:
      return problem(`a PEM "${label}" is not a DSA private key`);
  }
}

/** PEM PKCS#8 text for a DSA private key, as python-cryptography writes it for Blink. */
export function encodePemDsaKey(parts: DsaParts): string {
  const der = encodeElement(
    TAG.SEQUENCE,
    encodeUnsigned(Uint8Array.of(0)),
    encodeElement(TAG.SEQUENCE, encodeElement(TAG.OID, ID_DSA), encodeElement(TAG.SEQUENCE, encodeUnsigned(parts.p), encodeUnsigned(parts.q), encodeUnsigned(parts.g))),
    encodeElement(TAG.OCTET_STRING, encodeUnsigned(parts.x)),
  );
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}
