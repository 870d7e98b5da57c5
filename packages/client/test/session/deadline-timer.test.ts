/** The library's next deadline drives one timeout (fake timers; nothing here measures time). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineTimer } from '../../src/session/deadline-timer.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeadlineTimer', () => {
  it('fires once the deadline has passed, with the clock at that time, and re-arms for the next one', () => {
    let deadline: number | undefined = 1_500;
    const fired: number[] = [];
    const timer = new DeadlineTimer(
      () => deadline,
      (now) => {
        fired.push(now);
        deadline = deadline === 1_500 ? 3_000 : undefined;
        timer.reschedule();
      },
    );
    timer.reschedule();
    vi.advanceTimersByTime(499);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([1_500]);
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual([1_500, 3_000]);
  });

  it('fires at once for a deadline in the past, never without one, and never after close', () => {
    const fired: number[] = [];
    const next: { deadline?: number } = {};
    const timer = new DeadlineTimer(() => next.deadline, (now) => fired.push(now));
    timer.reschedule();
    vi.advanceTimersByTime(60_000);
    expect(fired).toEqual([]);
    next.deadline = 0;
    timer.reschedule();
    vi.advanceTimersByTime(0);
    expect(fired).toHaveLength(1);
    timer.reschedule();
    timer.close();
    vi.advanceTimersByTime(60_000);
    expect(fired).toHaveLength(1);
  });
});
