/**
 * Drives the library's timers: after every call the host asks the account for
 * `nextDeadline()` and keeps one timeout armed for it; when it fires the host
 * calls `onDeadline(now)` (heartbeats, AKE timeouts, stale fragments).
 */

/** One re-armable timeout for the account's next deadline. */
export class DeadlineTimer {
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    /** The account's next deadline (host clock, ms) or undefined. */
    private readonly nextDeadline: () => number | undefined,
    /** Called once the deadline has passed. */
    private readonly fire: (now: number) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Re-arms the timeout for the current next deadline. */
  reschedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#closed) return;
    const deadline = this.nextDeadline();
    if (deadline === undefined) return;
    // setTimeout takes at most 2^31-1 ms; a later deadline is simply re-armed then.
    const delay = Math.min(Math.max(0, deadline - this.clock()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.fire(this.clock());
    }, delay);
    // Pending protocol timers alone must not keep the process alive.
    this.#timer.unref();
  }

  /** Stops for good. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
