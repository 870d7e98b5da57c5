/**
 * A bounded cursor over received bytes (Protocol-v3, "Data Types"): BYTE,
 * SHORT, INT, MPI, DATA, CTR, MAC, PUBKEY. Every length is checked against
 * what remains before anything is allocated; a failure is a {@link DecodeError}
 * thrown only inside wire/ and caught at each decoder's entry point by
 * {@link decodeWith}.
 */
import { DecodeError, type DecodeErrorCode } from '../errors.js';
import { MAX_MPI_BYTES } from '../limits.js';

/** Internal signal; never escapes a decoder (see {@link decodeWith}). */
class ReaderFailure extends Error {
  constructor(readonly decodeError: DecodeError) {
    super(decodeError.detail);
  }
}

/** Raises a decode failure from inside a decoder body. */
export function fail(code: DecodeErrorCode, detail: string): never {
  throw new ReaderFailure(new DecodeError(code, detail));
}

/**
 * Runs a decoder body and turns any failure into a returned DecodeError.
 * Every public decoder in wire/ goes through this, so no exception escapes.
 */
export function decodeWith<T>(body: () => T): T | DecodeError {
  try {
    return body();
  } catch (error) {
    if (error instanceof ReaderFailure) return error.decodeError;
    if (error instanceof RangeError) return new DecodeError('bad-field', 'value out of range');
    return new DecodeError('bad-field', 'undecodable input');
  }
}

/** Big-endian reader over a byte array. */
export class Reader {
  #offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** Bytes not yet read. */
  get remaining(): number {
    return this.bytes.length - this.#offset;
  }

  /** Current position. */
  get offset(): number {
    return this.#offset;
  }

  /** Raw bytes of a fixed length. */
  fixed(length: number, what = 'field'): Uint8Array {
    if (length < 0 || length > this.remaining) fail('truncated', `${what}: needs ${length} bytes`);
    const out = this.bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  /** BYTE. */
  u8(what = 'byte'): number {
    return this.fixed(1, what)[0] ?? 0;
  }

  /** SHORT (16-bit big-endian). */
  u16(what = 'short'): number {
    const b = this.fixed(2, what);
    return ((b[0] ?? 0) << 8) | (b[1] ?? 0);
  }

  /** INT (32-bit big-endian, unsigned: never use `|` on it afterwards). */
  u32(what = 'int'): number {
    const b = this.fixed(4, what);
    return (b[0] ?? 0) * 0x1000000 + (((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0));
  }

  /** DATA: 4-byte length then that many bytes, at most `max`. */
  data(max: number, what = 'data'): Uint8Array {
    const length = this.u32(`${what} length`);
    if (length > max) fail('too-long', `${what}: ${length} bytes exceeds ${max}`);
    return this.fixed(length, what);
  }

  /**
   * MPI: 4-byte length then big-endian magnitude. Returns the minimal
   * magnitude (leading zeros stripped), so callers compare canonical values.
   */
  mpi(max = MAX_MPI_BYTES, what = 'mpi'): Uint8Array {
    const body = this.data(max, what);
    let start = 0;
    while (start < body.length && body[start] === 0) start++;
    return body.subarray(start);
  }

  /** Fails if any byte is left over. */
  end(what = 'message'): void {
    if (this.remaining !== 0) fail('trailing-bytes', `${what}: ${this.remaining} trailing bytes`);
  }

  /** Everything not yet read. */
  rest(): Uint8Array {
    return this.fixed(this.remaining, 'rest');
  }
}
