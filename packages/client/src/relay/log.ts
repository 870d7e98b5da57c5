/**
 * The relay's log, which peers can reach: every peer-controlled string in a
 * line is escaped so that it cannot drive the terminal showing the log, and
 * repeated lines of one kind are collapsed into a count so that a peer cannot
 * flood it.
 */

/** How many characters of a peer-controlled string a log line shows. */
const SHOWN_CHARS = 64;

/**
 * `text` as printable ASCII: a backslash is doubled, any other character
 * outside U+0020..U+007E (control, format, bidi, invisible, and all
 * non-ASCII) becomes `\xNN` or `\u{...}`. Longer texts are cut after
 * {@link SHOWN_CHARS} characters, with the count of those left out.
 */
export function escapeForLog(text: string): string {
  let out = '';
  let shown = 0;
  let total = 0;
  for (const char of text) {
    total++;
    if (shown >= SHOWN_CHARS) continue;
    shown++;
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (code >= 0x20 && code <= 0x7e) out += char;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += `\\u{${code.toString(16)}}`;
  }
  return total > shown ? `${out}...(${total - shown} more characters)` : out;
}

/** Rate-limiting settings. */
export interface RateLimit {
  /** Lines of one kind written per window; the rest are counted. */
  readonly burst: number;
  readonly windowMs: number;
  readonly now?: () => number;
}

/** Lines of one kind per window by default: enough to see what happens, too few to flood a terminal. */
export const LOG_BURST = 10;
export const LOG_WINDOW_MS = 10_000;

interface KindState {
  windowStart: number;
  written: number;
  suppressed: number;
}

/**
 * A log that writes at most `burst` lines of each kind per window, and then
 * one line saying how many more were suppressed. Kinds are fixed words chosen
 * by the relay, never text from a peer, so there are few of them.
 */
export class RateLimitedLog {
  readonly #kinds = new Map<string, KindState>();
  readonly #now: () => number;

  constructor(
    private readonly sink: (line: string) => void,
    private readonly limit: RateLimit = { burst: LOG_BURST, windowMs: LOG_WINDOW_MS },
  ) {
    this.#now = limit.now ?? Date.now;
  }

  /** Writes `line` (already escaped) unless `kind` has used its burst in this window. */
  line(kind: string, line: string): void {
    const now = this.#now();
    let state = this.#kinds.get(kind);
    if (state === undefined) {
      state = { windowStart: now, written: 0, suppressed: 0 };
      this.#kinds.set(kind, state);
    } else if (now - state.windowStart >= this.limit.windowMs) {
      this.#summarise(kind, state);
      state.windowStart = now;
      state.written = 0;
    }
    if (state.written < this.limit.burst) {
      state.written++;
      this.sink(line);
    } else {
      state.suppressed++;
    }
  }

  /** Writes the count of each kind whose window has passed with lines suppressed (call it now and then). */
  tick(): void {
    const now = this.#now();
    for (const [kind, state] of this.#kinds) {
      if (now - state.windowStart < this.limit.windowMs) continue;
      this.#summarise(kind, state);
      this.#kinds.delete(kind);
    }
  }

  /** Writes every pending count (on close). */
  flush(): void {
    for (const [kind, state] of this.#kinds) this.#summarise(kind, state);
    this.#kinds.clear();
  }

  #summarise(kind: string, state: KindState): void {
    if (state.suppressed === 0) return;
    this.sink(`... ${state.suppressed} more "${kind}" lines suppressed`);
    state.suppressed = 0;
  }
}
