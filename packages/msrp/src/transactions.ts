/**
 * Outgoing transactions (RFC 4975 section 7.1.1). A request that expects a
 * response waits here with a deadline; the first response ends it, later
 * ones (a second 200 from msrplib, a relay's hop-by-hop 200 and the end's
 * own) are duplicates and ignored. When the deadline passes the owner makes
 * a local 408; a response after that is late and ignored. An error after
 * a 200 (a relay forwarding a downstream failure under the same id) still
 * reaches its message while the answered id is remembered (bounded).
 */
import { MAX_ANSWERED_TRANSACTIONS, MAX_PENDING_TRANSACTIONS } from './limits.js';

/** What a pending request is for. */
export type TransactionPurpose =
  | { readonly kind: 'chunk'; readonly messageId: string }
  | { readonly kind: 'keep-alive' }
  /** The binding empty SEND of the active side: its answer needs no action. */
  | { readonly kind: 'bind' };

interface Pending {
  readonly purpose: TransactionPurpose;
  readonly deadline: number;
}

/** What a response means for its transaction. */
export type ResponseMatch =
  | { readonly kind: 'first'; readonly purpose: TransactionPurpose }
  | { readonly kind: 'error-after-200'; readonly purpose: TransactionPurpose }
  | { readonly kind: 'ignored' };

/** The table of pending and recently answered transactions of one session. */
export class Transactions {
  private readonly pending = new Map<string, Pending>();
  private readonly answered = new Map<string, TransactionPurpose>();

  /** Requests awaiting a response. */
  get size(): number {
    return this.pending.size;
  }

  /** True when another request may be added. */
  hasRoom(): boolean {
    return this.pending.size < MAX_PENDING_TRANSACTIONS;
  }

  /** Records a request that awaits a response until `deadline`. */
  add(transactionId: string, purpose: TransactionPurpose, deadline: number): void {
    this.pending.set(transactionId, { purpose, deadline });
  }

  /**
   * Records a request that gets only error responses (Failure-Report:
   * partial): no deadline, kept among the bounded answered ids, so it
   * never fills the pending table.
   */
  addErrorsOnly(transactionId: string, purpose: TransactionPurpose): void {
    this.remember(transactionId, purpose);
  }

  /** Matches a response with `status` to its transaction. */
  match(transactionId: string, status: number): ResponseMatch {
    const pending = this.pending.get(transactionId);
    if (pending !== undefined) {
      this.pending.delete(transactionId);
      if (status === 200) this.remember(transactionId, pending.purpose);
      return { kind: 'first', purpose: pending.purpose };
    }
    const answered = this.answered.get(transactionId);
    if (answered !== undefined && status !== 200) {
      this.answered.delete(transactionId);
      return { kind: 'error-after-200', purpose: answered };
    }
    return { kind: 'ignored' };
  }

  /** The earliest deadline, if any. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const { deadline } of this.pending.values()) if (next === undefined || deadline < next) next = deadline;
    return next;
  }

  /** Removes and returns the transactions whose deadline is at or before `now`. */
  expire(now: number): TransactionPurpose[] {
    const expired: TransactionPurpose[] = [];
    for (const [id, { purpose, deadline }] of this.pending) {
      if (deadline <= now) {
        this.pending.delete(id);
        expired.push(purpose);
      }
    }
    return expired;
  }

  /** Forgets everything (the session ended). */
  clear(): void {
    this.pending.clear();
    this.answered.clear();
  }

  private remember(transactionId: string, purpose: TransactionPurpose): void {
    this.answered.set(transactionId, purpose);
    if (this.answered.size > MAX_ANSWERED_TRANSACTIONS) {
      const oldest = this.answered.keys().next().value;
      if (oldest !== undefined) this.answered.delete(oldest);
    }
  }
}
