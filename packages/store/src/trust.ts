/**
 * Trust in contacts' fingerprints, as pure functions over a contact's list of
 * records; the store persists their results. A fingerprint is "verified" when
 * its status is 'smp' (a successful Socialist Millionaires' Protocol run,
 * Protocol-v3 "The Socialist Millionaires' Protocol") or 'manual' (compared by
 * hand). Records are never rewritten in place: every status change appends to
 * the record's history, so an old verification stays visible after a key
 * change or a downgrade.
 */

/** How far a fingerprint is trusted. */
export type TrustStatus = 'unverified' | 'smp' | 'manual';

/** One status change in a record's history. */
export interface TrustChange {
  readonly status: TrustStatus;
  /** ISO 8601 time of the change. */
  readonly at: string;
  /** What made the change: 'first-seen', 'user', 'smp', 'import-libotr', 'import-blink'. */
  readonly via?: string;
}

/** A fingerprint a contact has used (or that was imported or verified out of band). */
export interface FingerprintRecord {
  /** 40 lower-case hex digits. */
  readonly fingerprint: string;
  readonly status: TrustStatus;
  /** ISO time it was first recorded. */
  readonly firstSeen: string;
  /** ISO time it was last used in a conversation (or first recorded). */
  readonly lastSeen: string;
  readonly history: readonly TrustChange[];
}

/** True for 'smp' and 'manual'. */
export function isVerifiedStatus(status: TrustStatus): boolean {
  return status !== 'unverified';
}

function replace(records: readonly FingerprintRecord[], next: FingerprintRecord): FingerprintRecord[] {
  const index = records.findIndex((record) => record.fingerprint === next.fingerprint);
  return index < 0 ? [...records, next] : records.map((record, i) => (i === index ? next : record));
}

/** The outcome of a contact presenting a fingerprint in a conversation. */
export interface SeenResult {
  readonly records: FingerprintRecord[];
  /** The contact has at least one verified fingerprint and this is not one of them. */
  readonly changed: boolean;
  /** This fingerprint is verified. */
  readonly verified: boolean;
}

/** Records that `fingerprint` was used at `at`: new ones start unverified; known ones get a new lastSeen. */
export function applySeen(records: readonly FingerprintRecord[], fingerprint: string, at: string): SeenResult {
  const existing = records.find((record) => record.fingerprint === fingerprint);
  const next: FingerprintRecord =
    existing === undefined
      ? { fingerprint, status: 'unverified', firstSeen: at, lastSeen: at, history: [{ status: 'unverified', at, via: 'first-seen' }] }
      : { ...existing, lastSeen: at };
  const verified = isVerifiedStatus(next.status);
  const anyVerified = records.some((record) => isVerifiedStatus(record.status));
  return { records: replace(records, next), changed: anyVerified && !verified, verified };
}

/** Sets a fingerprint's status, creating its record if needed; a change is appended to the history. */
export function applyTrust(
  records: readonly FingerprintRecord[],
  fingerprint: string,
  status: TrustStatus,
  at: string,
  via: string,
): FingerprintRecord[] {
  const existing = records.find((record) => record.fingerprint === fingerprint);
  if (existing === undefined) {
    return [...records, { fingerprint, status, firstSeen: at, lastSeen: at, history: [{ status, at, via }] }];
  }
  if (existing.status === status) return [...records];
  return replace(records, { ...existing, status, history: [...existing.history, { status, at, via }] });
}

/** What merging an imported fingerprint did. */
export type MergeResult = 'added' | 'upgraded' | 'kept';

/**
 * Merges a fingerprint from another client's files: unknown ones are added
 * with the imported status; an imported verification upgrades an unverified
 * record; nothing ever lowers or overrides trust already recorded here.
 */
export function mergeImported(
  records: readonly FingerprintRecord[],
  fingerprint: string,
  status: TrustStatus,
  at: string,
  via: string,
): { records: FingerprintRecord[]; result: MergeResult } {
  const existing = records.find((record) => record.fingerprint === fingerprint);
  if (existing === undefined) return { records: applyTrust(records, fingerprint, status, at, via), result: 'added' };
  if (!isVerifiedStatus(existing.status) && isVerifiedStatus(status)) {
    return { records: applyTrust(records, fingerprint, status, at, via), result: 'upgraded' };
  }
  return { records: [...records], result: 'kept' };
}
