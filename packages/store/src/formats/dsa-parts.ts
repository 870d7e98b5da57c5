/** The parts of a DSA private key as other clients store them: big-endian unsigned integers. */
export interface DsaParts {
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly g: Uint8Array;
  readonly y: Uint8Array;
  readonly x: Uint8Array;
}

/** Any single integer larger than this many bytes is refused (OTR's DSA p is 128 bytes; 3072-bit keys 384). */
export const MAX_INTEGER_BYTES = 1024;
