/**
 * The echo-network framing (shared/interop/DRIVER.md): a frame is
 * LENGTH_ADDRESS (u32 BE), ADDRESS (UTF-8), LENGTH_CONTENT (u32 BE), CONTENT.
 */

/** One frame: an address and the content bytes. */
export interface Frame {
  readonly address: string;
  readonly content: Buffer;
}

/** Encodes a frame. */
export function encodeFrame(address: string, content: Buffer | string): Buffer {
  const addressBytes = Buffer.from(address, 'utf8');
  const contentBytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const out = Buffer.alloc(8 + addressBytes.length + contentBytes.length);
  out.writeUInt32BE(addressBytes.length, 0);
  addressBytes.copy(out, 4);
  out.writeUInt32BE(contentBytes.length, 4 + addressBytes.length);
  contentBytes.copy(out, 8 + addressBytes.length);
  return out;
}

/** Thrown by {@link FrameDecoder} when a frame announces more than the bound. */
export class FrameTooLarge extends Error {}

/** Incremental decoder over a byte stream, bounded by `maxFrameBytes`. */
export class FrameDecoder {
  #buffer: Buffer = Buffer.alloc(0);
  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds bytes; returns every frame completed by them. */
  push(chunk: Buffer): Frame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      if (this.#buffer.length < 4) break;
      const addressLength = this.#buffer.readUInt32BE(0);
      if (addressLength > 1024) throw new FrameTooLarge('address too long');
      if (this.#buffer.length < 8 + addressLength) break;
      const contentLength = this.#buffer.readUInt32BE(4 + addressLength);
      if (contentLength > this.maxFrameBytes) throw new FrameTooLarge(`frame of ${contentLength} bytes`);
      const end = 8 + addressLength + contentLength;
      if (this.#buffer.length < end) break;
      frames.push({
        address: this.#buffer.subarray(4, 4 + addressLength).toString('utf8'),
        content: Buffer.from(this.#buffer.subarray(8 + addressLength, end)),
      });
      this.#buffer = this.#buffer.subarray(end);
    }
    return frames;
  }
}
