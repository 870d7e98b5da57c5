/**
 * A growable byte buffer for the frame parser: bytes are appended at the
 * end and consumed from the front; the live region is moved to the front
 * before growing, so capacity stays near the bytes actually held.
 */
export class ByteQueue {
  private buffer = new Uint8Array(4096);
  private head = 0;
  private tail = 0;

  /** Bytes held. */
  get length(): number {
    return this.tail - this.head;
  }

  /** Appends a copy of `bytes`. */
  append(bytes: Uint8Array): void {
    if (this.tail + bytes.length > this.buffer.length) {
      const live = this.tail - this.head;
      if (live + bytes.length > this.buffer.length) {
        let capacity = this.buffer.length;
        while (capacity < live + bytes.length) capacity *= 2;
        const grown = new Uint8Array(capacity);
        grown.set(this.buffer.subarray(this.head, this.tail));
        this.buffer = grown;
      } else {
        this.buffer.copyWithin(0, this.head, this.tail);
      }
      this.head = 0;
      this.tail = live;
    }
    this.buffer.set(bytes, this.tail);
    this.tail += bytes.length;
  }

  /** The byte at `index` (0 = the oldest held). */
  at(index: number): number | undefined {
    return index < this.length ? this.buffer[this.head + index] : undefined;
  }

  /** A view of the held bytes (valid until the next append or consume). */
  view(): Uint8Array {
    return this.buffer.subarray(this.head, this.tail);
  }

  /** Drops the `count` oldest bytes; releases a large buffer once empty. */
  consume(count: number): void {
    this.head += Math.min(count, this.length);
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
      if (this.buffer.length > 65536) this.buffer = new Uint8Array(4096);
    }
  }

  /** Index of the first occurrence of `pattern` at or after `from`, or -1. */
  indexOf(pattern: Uint8Array, from: number): number {
    const view = this.view();
    const first = pattern[0];
    if (first === undefined) return from;
    for (let i = view.indexOf(first, from); i >= 0 && i + pattern.length <= view.length; i = view.indexOf(first, i + 1)) {
      let j = 1;
      while (j < pattern.length && view[i + j] === pattern[j]) j++;
      if (j === pattern.length) return i;
    }
    return -1;
  }
}
