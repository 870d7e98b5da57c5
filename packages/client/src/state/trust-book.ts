/**
 * The client's view of trust for one account of the store: synchronous
 * answers from the store's in-memory state (so events keep their order) and
 * writes queued to the store, awaited before the client exits.
 */
import type { Store } from '@sotto/store';

/** How a fingerprint was verified. */
export type VerifiedBy = 'smp' | 'manual';

/** Trust decisions for one account. */
export class TrustBook {
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly account: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Whether `fingerprint` (40 lowercase hex) is verified for `peer`. */
  isVerified(peer: string, fingerprint: string): boolean {
    return this.store.isVerified(this.account, peer, fingerprint);
  }

  /**
   * Records a fingerprint seen in an AKE. `changed` is true when the peer has
   * verified fingerprints and this is not one of them.
   */
  seen(peer: string, fingerprint: string): { changed: boolean; verified: boolean } {
    const verified = this.isVerified(peer, fingerprint);
    const changed = !verified && this.store.fingerprints(this.account, peer).some((record) => record.status !== 'unverified');
    this.#track(this.store.recordSeen(this.account, peer, fingerprint, new Date()).then(() => undefined));
    return { changed, verified };
  }

  /** Marks a fingerprint verified. */
  verify(peer: string, fingerprint: string, by: VerifiedBy): void {
    this.#track(this.store.setTrust(this.account, peer, fingerprint, by, new Date()));
  }

  /** Waits for every queued write. */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  #track(write: Promise<void>): void {
    const tracked = write.catch((error: unknown) => {
      this.log(`could not save trust: ${(error as Error).message}`);
    });
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }
}
