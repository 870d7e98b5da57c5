/**
 * SIP message framing on a stream (RFC 3261 section 18.3): a message is its
 * start line and headers up to the first empty line, then exactly
 * Content-Length BYTES of body. CRLFs between messages are keep-alives
 * (RFC 5626 section 4.4.1: a double CRLF "ping" is answered by one CRLF
 * "pong").
 *
 * Pure and incremental: bytes in, whole messages (or a typed error) out.
 * Memory held is bounded by `maxHeaderBytes + maxBodyBytes` (the buffer's
 * capacity by twice that plus the last piece).
 */

export interface SipFramingLimits {
  /** Bytes of start line + headers (up to and including the empty line). */
  readonly maxHeaderBytes: number;
  /** Bytes of a body (the Content-Length value). */
  readonly maxBodyBytes: number;
}

export const DEFAULT_SIP_FRAMING_LIMITS: SipFramingLimits = {
  // Kamailio's own read buffer is 64 KiB for a whole message; a registrar's
  // answer or an INVITE with a chat SDP is a few KiB.
  maxHeaderBytes: 32 * 1024,
  maxBodyBytes: 64 * 1024,
};

export type SipFramingErrorCode =
  | 'header-too-large' // no end of headers within maxHeaderBytes
  | 'body-too-large' // Content-Length above maxBodyBytes
  | 'missing-content-length' // a stream message must carry one (RFC 3261 section 18.3)
  | 'bad-content-length' // not digits, or several different values
  | 'malformed'; // headers that are not text

export class SipFramingError extends Error {
  constructor(readonly code: SipFramingErrorCode, message: string) {
    super(message);
    this.name = 'SipFramingError';
  }
}

export type SipFrame =
  | { readonly kind: 'message'; readonly text: string; readonly bytes: number }
  | { readonly kind: 'ping' } // CRLFCRLF between messages: answer with CRLF
  | { readonly kind: 'pong' }; // a lone CRLF between messages

const CRLF = 0x0d0a;
const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*$/i;

/**
 * Decodes a byte stream into SIP messages. After an error it stays failed.
 * Linear in the bytes fed, however small the pieces: they are appended to a
 * buffer that grows by doubling, the search for the end of the headers
 * resumes where the last one stopped, and a message's headers are read once.
 */
export class SipStreamDecoder {
  /** Bytes held are store[start, end); the capacity beyond end takes what arrives next. */
  private store: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** Bytes of the held region already searched for the end of the headers. */
  private scanned = 0;
  /** The size of the message whose headers have been read, while its body arrives. */
  private expected: number | undefined;
  private failed: SipFramingError | undefined;

  constructor(private readonly limits: SipFramingLimits = DEFAULT_SIP_FRAMING_LIMITS) {}

  /** Bytes held for an incomplete message (0 between messages). */
  get pendingBytes(): number {
    return this.end - this.start;
  }

  /** The error that stopped this decoder, if any. */
  get error(): SipFramingError | undefined {
    return this.failed;
  }

  /**
   * Feeds bytes; returns the frames they complete. Frames completed before
   * bad bytes in the same chunk are returned, and the error is then in
   * `error` (and thrown by the next push); with no frame to return, the
   * error is thrown at once. Throws SipFramingError only.
   */
  push(chunk: Uint8Array): SipFrame[] {
    if (this.failed !== undefined) throw this.failed;
    this.append(chunk);
    const frames: SipFrame[] = [];
    try {
      for (;;) {
        const frame = this.next();
        if (frame === undefined) break;
        frames.push(frame);
      }
    } catch (error) {
      this.reset();
      if (!(error instanceof SipFramingError)) throw error;
      this.failed = error;
      if (frames.length === 0) throw error;
    }
    if (this.start === this.end) this.reset();
    return frames;
  }

  private append(chunk: Uint8Array): void {
    const held = this.end - this.start;
    if (this.end + chunk.length > this.store.length) {
      const store = Buffer.allocUnsafe(Math.max(2 * (held + chunk.length), 4096));
      this.store.copy(store, 0, this.start, this.end);
      this.store = store;
      this.start = 0;
      this.end = held;
    }
    this.store.set(chunk, this.end);
    this.end += chunk.length;
  }

  private reset(): void {
    this.store = Buffer.alloc(0);
    this.start = 0;
    this.end = 0;
    this.scanned = 0;
    this.expected = undefined;
  }

  private consume(bytes: number): void {
    this.start += bytes;
    this.scanned = 0;
    this.expected = undefined;
  }

  private next(): SipFrame | undefined {
    const buffer = this.store.subarray(this.start, this.end);
    if (this.expected === undefined && buffer.length >= 2 && buffer.readUInt16BE(0) === CRLF) {
      if (buffer.length >= 4 && buffer.readUInt16BE(2) === CRLF) {
        this.consume(4);
        return { kind: 'ping' };
      }
      // A pong, or the first half of a ping; CRLF CR may be the first three bytes of a ping.
      if (buffer.length === 2 || (buffer.length === 3 && buffer[2] === 0x0d)) return undefined;
      this.consume(2);
      return { kind: 'pong' };
    }
    if (this.expected === undefined) {
      const end = buffer.indexOf(HEADER_END, Math.max(0, this.scanned - (HEADER_END.length - 1)));
      if (end < 0) {
        this.scanned = buffer.length;
        if (buffer.length > this.limits.maxHeaderBytes) {
          throw new SipFramingError('header-too-large', `SIP headers longer than ${this.limits.maxHeaderBytes} bytes`);
        }
        return undefined;
      }
      const headerBytes = end + HEADER_END.length;
      if (headerBytes > this.limits.maxHeaderBytes) {
        throw new SipFramingError('header-too-large', `SIP headers longer than ${this.limits.maxHeaderBytes} bytes`);
      }
      const head = buffer.subarray(0, end);
      if (head.includes(0)) throw new SipFramingError('malformed', 'SIP headers contain a NUL byte');
      this.expected = headerBytes + this.contentLength(head.toString('latin1'));
    }
    const total = this.expected;
    if (buffer.length < total) return undefined;
    const text = buffer.subarray(0, total).toString('utf8');
    this.consume(total);
    return { kind: 'message', text, bytes: total };
  }

  private contentLength(head: string): number {
    let value: string | undefined;
    // unfold continuation lines first (RFC 3261 section 7.3.1)
    for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n').slice(1)) {
      const match = CONTENT_LENGTH.exec(line);
      if (match === null) continue;
      const raw = match[1] ?? '';
      if (!/^\d{1,10}$/.test(raw)) throw new SipFramingError('bad-content-length', 'Content-Length is not a number');
      if (value !== undefined && Number(value) !== Number(raw)) throw new SipFramingError('bad-content-length', 'several different Content-Length values');
      value = raw;
    }
    if (value === undefined) throw new SipFramingError('missing-content-length', 'a SIP message on a stream needs Content-Length');
    const length = Number(value);
    if (length > this.limits.maxBodyBytes) {
      throw new SipFramingError('body-too-large', `SIP body of ${length} bytes is above the ${this.limits.maxBodyBytes}-byte bound`);
    }
    return length;
  }
}
