/**
 * User messages sent and awaiting their delivery report (sipsimple's
 * `sent_messages`): a success REPORT delivers, a failure REPORT or a
 * non-200 transaction response does not, and at the stream's end every one
 * still pending is not delivered. Bounded: beyond the cap the oldest is given
 * up as not delivered.
 */
import { MAX_PENDING_DELIVERIES } from '../limits.js';
import type { ChatEvent } from './types.js';

export class Deliveries {
  readonly #pending = new Set<string>();

  constructor(private readonly cap: number = MAX_PENDING_DELIVERIES) {}

  get size(): number {
    return this.#pending.size;
  }

  /** Starts waiting for `id`; returns the event for one given up to make room, if any. */
  add(id: string): ChatEvent[] {
    const events: ChatEvent[] = [];
    if (this.#pending.size >= this.cap) {
      const oldest = this.#pending.values().next().value;
      if (oldest !== undefined) {
        this.#pending.delete(oldest);
        events.push({ kind: 'not-delivered', id: oldest, code: 0, reason: 'no delivery report: too many messages pending' });
      }
    }
    this.#pending.add(id);
    return events;
  }

  /** A REPORT arrived for `id`. */
  report(id: string, code: number, comment: string): ChatEvent[] {
    if (!this.#pending.delete(id)) return [];
    return code === 200 ? [{ kind: 'delivered', id }] : [{ kind: 'not-delivered', id, code, reason: comment }];
  }

  /** The transaction response for `id` arrived: only a failure ends the wait (delivery needs the REPORT). */
  response(id: string, code: number, comment: string): ChatEvent[] {
    if (code === 200 || !this.#pending.has(id)) return [];
    this.#pending.delete(id);
    return [{ kind: 'not-delivered', id, code, reason: comment }];
  }

  /** The stream ended: every pending message is not delivered. */
  end(reason: string): ChatEvent[] {
    const events: ChatEvent[] = [...this.#pending].map((id) => ({ kind: 'not-delivered', id, code: 0, reason }));
    this.#pending.clear();
    return events;
  }
}
