/**
 * Which fingerprints are verified for which peer address, for one account of
 * the store (shared/interop/DRIVER.md: "Trust is remembered per peer
 * address"). Answers are synchronous, so the events of one outcome keep their
 * order; writes go to the store in the background and `flush` waits for them.
 *
 * Why a copy in memory: the store updates its own memory only once a write is
 * on disk, so a `trust` followed at once by a new AKE would otherwise read the
 * old answer. The book keeps a copy only of the peers the user verified in
 * this run (loaded from the store at the first verification, then changed
 * here first) and asks the store about every other peer, so a relay handing
 * out new addresses, or a peer showing a new key in every AKE, grows nothing
 * here; the store keeps its own records within its caps.
 *
 * The store refuses to record an address holding a control, invisible or
 * reordering character ('invalid'); such a peer's trust then lives in memory
 * for this run only, and the refusal is reported once, not on every AKE
 * (once per peer among the most recent MAX_REMEMBERED_PEERS such peers).
 */
import { StoreError } from '@sotto/store';
import { RecentMap } from './recent-map.js';

/** How a fingerprint was verified. */
export type VerifiedBy = 'smp' | 'manual';

/** What the book needs from the store (`Store` of @sotto/store has it). */
export interface TrustStorage {
  fingerprints(account: string, contact: string): readonly { readonly fingerprint: string; readonly status: 'unverified' | VerifiedBy }[];
  recordSeen(account: string, contact: string, fingerprintHex: string, now: Date): Promise<unknown>;
  setTrust(account: string, contact: string, fingerprintHex: string, status: VerifiedBy, now: Date): Promise<void>;
}

/** A fingerprint's kind by its length: 40 hex digits for the DSA key (v2, v3), 112 for OTRv4. */
function kindOf(fingerprint: string): 3 | 4 {
  return fingerprint.length === 112 ? 4 : 3;
}

/** Trust decisions for one account; fingerprints are 40 (OTRv3) or 112 (OTRv4) lower-case hex digits, tracked alike. */
export class TrustBook {
  /** Per peer verified in this run: fingerprint -> verified. */
  readonly #peers = new Map<string, Map<string, boolean>>();
  readonly #pending = new Set<Promise<void>>();
  /** Recent peers whose address the store refused to record (bounded: a relay can invent addresses without end; a forgotten one is reported again). */
  readonly #unrecordable = new RecentMap<string, true>();

  constructor(
    private readonly storage: TrustStorage,
    private readonly account: string,
    private readonly onWriteError: (error: unknown) => void,
  ) {}

  #records(peer: string): ReadonlyMap<string, boolean> {
    return this.#peers.get(peer) ?? this.#load(peer);
  }

  #load(peer: string): Map<string, boolean> {
    return new Map(this.storage.fingerprints(this.account, peer).map((record) => [record.fingerprint, record.status !== 'unverified']));
  }

  /** Whether `fingerprint` is verified for `peer`. */
  isVerified(peer: string, fingerprint: string): boolean {
    return this.#records(peer).get(fingerprint) ?? false;
  }

  /** Whether `peer` has any verified fingerprint. */
  hasVerified(peer: string): boolean {
    return [...this.#records(peer).values()].some(Boolean);
  }

  /**
   * Records a fingerprint seen in an AKE. `changed` is true when the peer has
   * verified fingerprints and this is not one of them (the driver's
   * `fingerprint-changed`); `verified` when this one is verified;
   * `crossVersion` when it changed and every verified one is of the other
   * kind (OTRv3 verified, now OTRv4, or back), as the store's recordSeen
   * tells it: the peer moved between versions, its old key need not be gone.
   */
  seen(peer: string, fingerprint: string, now: Date): { changed: boolean; verified: boolean; crossVersion: boolean } {
    const records = this.#records(peer);
    const verified = records.get(fingerprint) ?? false;
    const verifiedKinds = new Set([...records].filter(([, isVerified]) => isVerified).map(([known]) => kindOf(known)));
    const changed = !verified && verifiedKinds.size > 0;
    const crossVersion = changed && !verifiedKinds.has(kindOf(fingerprint));
    this.#track(peer, () => this.storage.recordSeen(this.account, peer, fingerprint, now));
    return { changed, verified, crossVersion };
  }

  /** Marks a fingerprint verified for `peer`. */
  verify(peer: string, fingerprint: string, by: VerifiedBy, now: Date): void {
    const records = this.#peers.get(peer) ?? this.#load(peer);
    this.#peers.set(peer, records.set(fingerprint, true));
    this.#track(peer, () => this.storage.setTrust(this.account, peer, fingerprint, by, now));
  }

  /** Resolves once every write started so far has finished (failures were reported). */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  #track(peer: string, write: () => Promise<unknown>): void {
    if (this.#unrecordable.has(peer)) return;
    const tracked = write().then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof StoreError && error.code === 'invalid') {
          if (this.#unrecordable.has(peer)) return;
          this.#unrecordable.set(peer, true);
        }
        this.onWriteError(error);
      },
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }
}
