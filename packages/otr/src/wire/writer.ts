/** A growable big-endian writer for OTR data types (Protocol-v3, "Data Types"). */

/** Accumulates encoded fields and returns one byte array. */
export class Writer {
  #chunks: Uint8Array[] = [];
  #length = 0;

  /** Raw bytes. */
  bytes(data: Uint8Array): this {
    this.#chunks.push(data);
    this.#length += data.length;
    return this;
  }

  /** BYTE. */
  u8(value: number): this {
    return this.bytes(Uint8Array.of(value & 0xff));
  }

  /** SHORT. */
  u16(value: number): this {
    return this.bytes(Uint8Array.of((value >>> 8) & 0xff, value & 0xff));
  }

  /** INT (unsigned 32-bit; `>>>` keeps values >= 2^31 correct). */
  u32(value: number): this {
    return this.bytes(Uint8Array.of((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff));
  }

  /** DATA: 4-byte length and the bytes. */
  data(data: Uint8Array): this {
    return this.u32(data.length).bytes(data);
  }

  /** MPI: 4-byte length and the minimal big-endian magnitude (leading zeros stripped). */
  mpi(magnitude: Uint8Array): this {
    let start = 0;
    while (start < magnitude.length && magnitude[start] === 0) start++;
    return this.data(magnitude.subarray(start));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** The bytes written so far, as one array, followed by `room` zero bytes for the caller to fill. */
  finish(room = 0): Uint8Array {
    const out = new Uint8Array(this.#length + room);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
