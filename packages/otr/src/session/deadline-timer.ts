/**
 * The single-deadline pattern of a sans-I/O host: after every call the host
 * asks the account for `nextDeadline()` and keeps exactly one timer armed for
 * it; when the timer fires, the host calls `onDeadline(now)` (heartbeats, AKE
 * timeouts, session expiry, stale fragments) and applies the outcome, which
 * re-arms the timer in turn.
 *
 * The library keeps no timers of its own: the host hands in its clock and its
 * timer functions (Node's `setTimeout`/`clearTimeout`, a test's virtual
 * clock, an event loop's), so this stays free of I/O.
 */
import { UsageError } from '../errors.js';

/** setTimeout's largest delay (2^31 - 1 ms); a later deadline is re-armed when this one fires. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** What a {@link DeadlineTimer} needs from its host. */
export interface DeadlineTimerOptions<Handle> {
  /** The account's next deadline (host clock, ms), or undefined for none: usually `() => account.nextDeadline()`. */
  readonly nextDeadline: () => number | undefined;
  /** Runs the due work, usually `(now) => apply(account.onDeadline(now))`; apply calls `reschedule()`. */
  readonly onDeadline: (now: number) => void;
  /** The host clock in ms, the same one passed to the account's calls (e.g. `Date.now`). */
  readonly now: () => number;
  /** Arms a one-shot timer (e.g. Node's `setTimeout`, or `(run, ms) => setTimeout(run, ms).unref()`). */
  readonly setTimeout: (run: () => void, delayMs: number) => Handle;
  /** Cancels a timer armed by `setTimeout`. */
  readonly clearTimeout: (handle: Handle) => void;
}

/** One re-armable timer for an account's next deadline. */
export class DeadlineTimer<Handle = unknown> {
  readonly #options: DeadlineTimerOptions<Handle>;
  #armed: { readonly handle: Handle; readonly at: number } | undefined;
  #closed = false;

  constructor(options: DeadlineTimerOptions<Handle>) {
    for (const name of ['nextDeadline', 'onDeadline', 'now', 'setTimeout', 'clearTimeout'] as const) {
      if (typeof (options as Partial<DeadlineTimerOptions<Handle>> | undefined)?.[name] !== 'function') {
        throw new UsageError('bad-argument', `DeadlineTimer needs a function "${name}"`);
      }
    }
    this.#options = options;
  }

  /** Arms the timer for the current next deadline (call it after applying every outcome); keeps a timer already armed for it. */
  reschedule(): void {
    if (this.#closed) return;
    const deadline = this.#options.nextDeadline();
    if (this.#armed !== undefined && this.#armed.at === deadline) return;
    this.#cancel();
    if (deadline === undefined) return;
    const delay = Math.min(Math.max(0, deadline - this.#options.now()), MAX_TIMER_DELAY_MS);
    const handle = this.#options.setTimeout(() => {
      this.#armed = undefined;
      if (!this.#closed) this.#options.onDeadline(this.#options.now());
    }, delay);
    this.#armed = { handle, at: deadline };
  }

  /** Whether a timer is armed, and for which deadline (for display and tests). */
  get armedFor(): number | undefined {
    return this.#armed?.at;
  }

  /** Cancels the timer for good; later `reschedule` calls do nothing. */
  close(): void {
    this.#closed = true;
    this.#cancel();
  }

  #cancel(): void {
    if (this.#armed === undefined) return;
    this.#options.clearTimeout(this.#armed.handle);
    this.#armed = undefined;
  }
}
