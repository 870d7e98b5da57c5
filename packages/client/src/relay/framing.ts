/**
 * The echo-network framing (shared/interop/DRIVER.md): a frame is
 * LENGTH_ADDRESS (u32 BE), ADDRESS (UTF-8), LENGTH_CONTENT (u32 BE), CONTENT.
 */

/** One frame: an address and the content bytes. */
export interface Frame {
  readonly address: string;
  readonly content: Buffer;
}

/**
 * The largest content a decoder may be set to accept. The format allows
 * 4 GiB (u32), but the echo network's clients accept frames up to this size
 * (net/relay-client.ts), so a relay forwarding larger ones would only get its
 * clients disconnected; and a bound keeps one frame's buffer within reason.
 */
export const MAX_FRAME_BYTES_LIMIT = 16 * 1024 * 1024;

/** The largest address accepted: an address is IPv4:PORT (or an IPv6 one), far below this. */
export const MAX_ADDRESS_BYTES = 1024;

/** Encodes the part of a frame before its content, for content of `contentLength` bytes. */
export function encodeFrameHeader(address: string, contentLength: number): Buffer {
  const addressBytes = Buffer.from(address, 'utf8');
  const out = Buffer.alloc(8 + addressBytes.length);
  out.writeUInt32BE(addressBytes.length, 0);
  addressBytes.copy(out, 4);
  out.writeUInt32BE(contentLength, 4 + addressBytes.length);
  return out;
}

/** Encodes a frame. */
export function encodeFrame(address: string, content: Buffer | string): Buffer {
  const contentBytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return Buffer.concat([encodeFrameHeader(address, contentBytes.length), contentBytes]);
}

/** Thrown by {@link FrameDecoder} when a frame announces more than the bound. */
export class FrameTooLarge extends Error {
  override readonly name = 'FrameTooLarge';
}

/**
 * Pieces smaller than this that continue a frame are gathered into one
 * staging buffer rather than listed one by one: a peer trickling a frame a byte at a time would
 * otherwise cost a Buffer object (about 100 bytes of heap) per byte.
 */
const SMALL_PIECE_BYTES = 1024;
/** Size of the staging buffer that gathers small pieces. */
const STAGING_BYTES = 16 * 1024;

/**
 * Incremental decoder over a byte stream, bounded by `maxFrameBytes`. The
 * pieces of an incomplete frame are kept as a list and copied once, when the
 * frame is complete (re-joining them on every piece cost time quadratic in
 * the frame's size).
 */
export class FrameDecoder {
  readonly #maxFrameBytes: number;
  /** Received, not yet decoded bytes, oldest first (the staged bytes follow them). */
  #pieces: Buffer[] = [];
  #piecesLength = 0;
  #staging: Buffer | undefined;
  #stagedLength = 0;
  /** Bytes needed before the next step: 4 (address length), then the header, then the whole frame. */
  #need = 4;
  #addressLength = -1;

  constructor(maxFrameBytes: number) {
    if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 0 || maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
      throw new RangeError(`the largest frame must be a whole number from 0 to ${MAX_FRAME_BYTES_LIMIT}`);
    }
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Bytes of an incomplete frame held (0 between frames). */
  get pendingBytes(): number {
    return this.#piecesLength + this.#stagedLength;
  }

  /** Feeds bytes; returns every frame completed by them. Throws {@link FrameTooLarge} past the bounds. */
  push(chunk: Buffer): Frame[] {
    if (chunk.length === 0) return [];
    // The first piece of a frame is listed as it is: most frames come whole in one.
    if (chunk.length < SMALL_PIECE_BYTES && this.pendingBytes > 0) this.#stage(chunk);
    else {
      this.#unstage();
      this.#pieces.push(chunk);
      this.#piecesLength += chunk.length;
    }
    const frames: Frame[] = [];
    while (this.pendingBytes >= this.#need) {
      if (this.#addressLength < 0) {
        const addressLength = this.#u32At(0);
        if (addressLength > MAX_ADDRESS_BYTES) throw new FrameTooLarge('address too long');
        this.#addressLength = addressLength;
        this.#need = 8 + addressLength;
        continue;
      }
      if (this.#need === 8 + this.#addressLength) {
        const contentLength = this.#u32At(4 + this.#addressLength);
        if (contentLength > this.#maxFrameBytes) throw new FrameTooLarge(`frame of ${contentLength} bytes`);
        this.#need = 8 + this.#addressLength + contentLength;
        if (contentLength > 0) continue;
      }
      const bytes = this.#take(this.#need);
      frames.push({
        address: bytes.toString('utf8', 4, 4 + this.#addressLength),
        content: bytes.subarray(8 + this.#addressLength),
      });
      this.#addressLength = -1;
      this.#need = 4;
    }
    return frames;
  }

  /** Copies a small piece into the staging buffer, listing the staged bytes first when it is full. */
  #stage(chunk: Buffer): void {
    if (this.#staging !== undefined && this.#stagedLength + chunk.length > this.#staging.length) this.#unstage();
    this.#staging ??= Buffer.allocUnsafe(STAGING_BYTES);
    chunk.copy(this.#staging, this.#stagedLength);
    this.#stagedLength += chunk.length;
  }

  /**
   * Moves the staged bytes to the list. A mostly empty staging buffer is not
   * listed itself (it would pin its whole size for a few bytes): its bytes are
   * copied out and it is kept for the next small pieces.
   */
  #unstage(): void {
    if (this.#staging === undefined || this.#stagedLength === 0) return;
    if (this.#stagedLength * 2 >= this.#staging.length) {
      this.#pieces.push(this.#staging.subarray(0, this.#stagedLength));
      this.#staging = undefined;
    } else {
      this.#pieces.push(Buffer.from(this.#staging.subarray(0, this.#stagedLength)));
    }
    this.#piecesLength += this.#stagedLength;
    this.#stagedLength = 0;
  }

  /** The u32 (big-endian) at `offset` of the pending bytes, read across pieces without joining them. */
  #u32At(offset: number): number {
    let value = 0;
    for (let i = 0; i < 4; i++) value = value * 256 + this.#byteAt(offset + i);
    return value;
  }

  #byteAt(offset: number): number {
    let at = offset;
    for (const piece of this.#pieces) {
      if (at < piece.length) return piece.readUInt8(at);
      at -= piece.length;
    }
    // Callers ask only for pending bytes, so the rest are staged.
    return (this.#staging ?? Buffer.alloc(0)).readUInt8(at);
  }

  /** Removes the first `count` pending bytes and returns them in one new buffer. */
  #take(count: number): Buffer {
    this.#unstage();
    const parts: Buffer[] = [];
    let left = count;
    for (let piece = this.#pieces[0]; left > 0 && piece !== undefined; piece = this.#pieces[0]) {
      if (piece.length <= left) {
        parts.push(piece);
        this.#pieces.shift();
        left -= piece.length;
      } else {
        parts.push(piece.subarray(0, left));
        this.#pieces[0] = piece.subarray(left);
        left = 0;
      }
    }
    this.#piecesLength -= count;
    if (this.#piecesLength === 0) this.#staging = undefined;
    // Always a copy: the frame must not share memory with the pieces it came in.
    return Buffer.concat(parts, count);
  }
}
