/** The single-deadline helper: one host timer for the account's next deadline, on a virtual clock. */
import { describe, expect, it } from 'vitest';
import { DeadlineTimer, UsageError } from '../../../src/index.js';

/** A virtual clock with setTimeout/clearTimeout, as a host would hand in. */
class VirtualTimers {
  now = 1_000;
  readonly #timers = new Map<number, { at: number; run: () => void }>();
  #next = 1;
  armed = 0;

  setTimeout = (run: () => void, delay: number): number => {
    this.armed++;
    const handle = this.#next++;
    this.#timers.set(handle, { at: this.now + delay, run });
    return handle;
  };

  clearTimeout = (handle: number): void => {
    this.#timers.delete(handle);
  };

  get pending(): number {
    return this.#timers.size;
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.#timers.delete(due[0]);
      this.now = Math.max(this.now, due[1].at);
      due[1].run();
    }
    this.now = end;
  }
}

function timerFor(clock: VirtualTimers, next: { deadline: number | undefined }, fired: number[]): DeadlineTimer<number> {
  const timer: DeadlineTimer<number> = new DeadlineTimer({
    nextDeadline: () => next.deadline,
    onDeadline: (now) => {
      fired.push(now);
      next.deadline = next.deadline === 1_500 ? 3_000 : undefined;
      timer.reschedule();
    },
    now: () => clock.now,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
  });
  return timer;
}

describe('the library exports one helper for the single-deadline pattern', () => {
  it('fires once the deadline has passed, with the clock at that time, and re-arms for the next one', () => {
    const clock = new VirtualTimers();
    const fired: number[] = [];
    const timer = timerFor(clock, { deadline: 1_500 }, fired);
    timer.reschedule();
    clock.advance(499);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([1_500]);
    clock.advance(10_000);
    expect(fired).toEqual([1_500, 3_000]);
    expect(clock.pending).toBe(0);
  });

  it('keeps one timer however often it is rescheduled: no timer per outcome', () => {
    const clock = new VirtualTimers();
    const next = { deadline: 5_000 as number | undefined };
    const timer = timerFor(clock, next, []);
    for (let i = 0; i < 100; i++) timer.reschedule();
    expect(clock.armed).toBe(1);
    expect(clock.pending).toBe(1);
    expect(timer.armedFor).toBe(5_000);
    next.deadline = 2_000;
    timer.reschedule();
    expect(clock.pending).toBe(1);
    expect(timer.armedFor).toBe(2_000);
    next.deadline = undefined;
    timer.reschedule();
    expect(clock.pending).toBe(0);
  });

  it('fires at once for a deadline in the past, never without one, and never after close', () => {
    const clock = new VirtualTimers();
    const next = { deadline: undefined as number | undefined };
    const fired: number[] = [];
    const timer = timerFor(clock, next, fired);
    timer.reschedule();
    clock.advance(60_000);
    expect(fired).toEqual([]);
    next.deadline = 0;
    timer.reschedule();
    clock.advance(0);
    expect(fired).toHaveLength(1);
    next.deadline = clock.now + 10;
    timer.reschedule();
    timer.close();
    timer.reschedule();
    clock.advance(60_000);
    expect(fired).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('clamps a far deadline to the largest timer delay and re-arms when that fires', () => {
    const clock = new VirtualTimers();
    const fired: number[] = [];
    const far = clock.now + 2 ** 32;
    const timer: DeadlineTimer<number> = new DeadlineTimer({
      nextDeadline: () => far,
      onDeadline: (now) => {
        fired.push(now);
        timer.reschedule();
      },
      now: () => clock.now,
      setTimeout: (run, delay) => {
        expect(delay).toBeLessThanOrEqual(2 ** 31 - 1);
        return clock.setTimeout(run, delay);
      },
      clearTimeout: clock.clearTimeout,
    });
    timer.reschedule();
    clock.advance(2 ** 31);
    expect(fired).toHaveLength(1);
    expect(clock.pending).toBe(1);
    timer.close();
  });

  it('a missing host function is a UsageError', () => {
    expect(() => new DeadlineTimer({ nextDeadline: () => undefined, onDeadline: () => undefined, now: () => 0 } as never)).toThrow(UsageError);
  });
});
