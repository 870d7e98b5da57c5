/**
 * Trust in contacts' fingerprints, as pure functions over a contact's list of
 * records; the store persists their results. A fingerprint is "verified" when
 * its status is 'smp' (a successful Socialist Millionaires' Protocol run,
 * Protocol-v3 "The Socialist Millionaires' Protocol") or 'manual' (compared by
 * hand). Records are never rewritten in place: every status change appends to
 * the record's history, so an old verification stays visible after a key
 * change or a downgrade.
 *
 * Bounds (a peer can show a new key in every AKE, and a relay can hand out
 * a new address for every connection): a contact keeps at most
 * {@link MAX_FINGERPRINTS_PER_CONTACT} records, an account at most
 * {@link MAX_CONTACTS_PER_ACCOUNT} contacts, a record at most
 * {@link MAX_HISTORY_PER_RECORD} status changes. Verified records are never
 * evicted to make room for an unverified one: the oldest unverified record
 * (or contact with no verified record) goes first, by last use; when only
 * verified ones are left, a new unverified fingerprint is not recorded (its
 * warning is still given). `lastSeen` moves only when at least
 * {@link LAST_SEEN_RESOLUTION_MS} have passed, so a known fingerprint's
 * repeated AKEs do not rewrite the file.
 *
 * Two kinds of fingerprint live side by side in a contact's list: OTRv3's
 * (of the DSA key, also used by v2) and OTRv4's (of the Ed448 identity and
 * forging keys); see fingerprint-text.ts. They are tracked, trusted, capped
 * (one cap for both) and evicted alike. A fingerprint is "changed" when the
 * contact has a verified fingerprint of EITHER kind and this one is not
 * verified: see {@link applySeen} for why a version change warns too.
 */
import { fingerprintKind, type FingerprintKind } from './fingerprint-text.js';

/** Fingerprints kept per contact: enough for every device and key change a person has, not for a key per AKE. */
export const MAX_FINGERPRINTS_PER_CONTACT = 16;
/** Contacts kept per account; echo-network addresses change with every connection, so old unverified ones are dropped. */
export const MAX_CONTACTS_PER_ACCOUNT = 1024;
/** Status changes kept per record (the latest ones); changes come only from the user and SMP. */
export const MAX_HISTORY_PER_RECORD = 16;
/** How stale `lastSeen` may get before a new AKE updates it (and the file is written): one hour. */
export const LAST_SEEN_RESOLUTION_MS = 60 * 60 * 1000;

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
  /** 'v3' (a DSA key, used by OTR v2 and v3) or 'v4' (an OTRv4 identity). */
  readonly kind: FingerprintKind;
  /** Lower-case hex: 40 digits for v3, 112 for v4. */
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

/** The index of the record used longest ago among those `eligible`, or -1. */
function oldest(records: readonly FingerprintRecord[], eligible: (record: FingerprintRecord) => boolean): number {
  let found = -1;
  for (const [index, record] of records.entries()) {
    if (!eligible(record)) continue;
    const current = records[found];
    if (current === undefined || Date.parse(record.lastSeen) < Date.parse(current.lastSeen)) found = index;
  }
  return found;
}

/**
 * `records` after adding the record of `added`, within {@link MAX_FINGERPRINTS_PER_CONTACT}:
 * evicts the oldest unverified other record; with none, an unverified `added`
 * is left out (`records` is returned as it was). Verified records are never
 * evicted: only the user verifies a key, so they stay bounded by the user's own
 * actions and a verified `added` may exceed the cap.
 */
function withinCap(before: readonly FingerprintRecord[], records: FingerprintRecord[], added: string): readonly FingerprintRecord[] {
  const out = records;
  while (out.length > MAX_FINGERPRINTS_PER_CONTACT) {
    const victim = oldest(out, (record) => record.fingerprint !== added && !isVerifiedStatus(record.status));
    if (victim < 0) {
      const addedRecord = out.find((record) => record.fingerprint === added);
      return addedRecord !== undefined && isVerifiedStatus(addedRecord.status) ? out : before;
    }
    out.splice(victim, 1);
  }
  return out;
}

/** The outcome of a contact presenting a fingerprint in a conversation. */
export interface SeenResult {
  /** The contact's records after it: the very array given when nothing changed (nothing to write). */
  readonly records: readonly FingerprintRecord[];
  /** The contact has at least one verified fingerprint and this is not one of them. */
  readonly changed: boolean;
  /** This fingerprint is verified. */
  readonly verified: boolean;
  /**
   * `changed`, and every verified fingerprint of the contact is of the other
   * kind: the contact moved between OTRv3 and OTRv4 (an upgraded client, or
   * a session that fell back to v3) rather than to a new key of the same
   * kind. The warning stands; the client may word it accordingly.
   */
  readonly crossVersion: boolean;
}

/** A new record for `fingerprint`, its kind told by its length. */
function newRecord(fingerprint: string, status: TrustStatus, at: string, via: string): FingerprintRecord {
  return { kind: fingerprintKind(fingerprint), fingerprint, status, firstSeen: at, lastSeen: at, history: [{ status, at, via }] };
}

/**
 * Records that `fingerprint` was used at `at`: new ones start unverified
 * (within the cap); known ones get a new lastSeen once it is
 * {@link LAST_SEEN_RESOLUTION_MS} old.
 *
 * Across versions: a contact verified only by its OTRv3 fingerprint who now
 * shows an unverified OTRv4 fingerprint is `changed` (and likewise from v4
 * back to v3), unless that fingerprint is verified too. What the user
 * verified is a key; the v4 identity is a different key (Ed448, unrelated to
 * the DSA key), and a verification says nothing about a key that was not
 * compared. Staying quiet would let whoever can run a DAKE as the contact
 * inherit the trust given to the old key, which is what the warning exists
 * to prevent. So the user sees the warning once per new key, verifies the
 * v4 fingerprint (by SMP or by hand), and from then on both the old v3 key
 * and the new v4 key are quiet: verifying one kind never removes the other.
 * `crossVersion` lets the client say "now uses OTRv4, not verified yet"
 * rather than suggest the contact's key was replaced.
 */
export function applySeen(records: readonly FingerprintRecord[], fingerprint: string, at: string): SeenResult {
  const existing = records.find((record) => record.fingerprint === fingerprint);
  const verifiedKinds = new Set(records.filter((record) => isVerifiedStatus(record.status)).map((record) => record.kind));
  const otherKindOnly = verifiedKinds.size > 0 && !verifiedKinds.has(fingerprintKind(fingerprint));
  if (existing !== undefined) {
    const verified = isVerifiedStatus(existing.status);
    const stale = Date.parse(at) - Date.parse(existing.lastSeen) >= LAST_SEEN_RESOLUTION_MS;
    const changed = verifiedKinds.size > 0 && !verified;
    return { records: stale ? replace(records, { ...existing, lastSeen: at }) : records, changed, verified, crossVersion: changed && otherKindOnly };
  }
  const added = newRecord(fingerprint, 'unverified', at, 'first-seen');
  const changed = verifiedKinds.size > 0;
  return { records: withinCap(records, [...records, added], fingerprint), changed, verified: false, crossVersion: changed && otherKindOnly };
}

/** Sets a fingerprint's status, creating its record if needed (within the cap); a change is appended to the history. The very array given when nothing changed. */
export function applyTrust(
  records: readonly FingerprintRecord[],
  fingerprint: string,
  status: TrustStatus,
  at: string,
  via: string,
): readonly FingerprintRecord[] {
  const existing = records.find((record) => record.fingerprint === fingerprint);
  if (existing === undefined) {
    return withinCap(records, [...records, newRecord(fingerprint, status, at, via)], fingerprint);
  }
  if (existing.status === status) return records;
  return replace(records, { ...existing, status, history: [...existing.history, { status, at, via }].slice(-MAX_HISTORY_PER_RECORD) });
}

/** When the contact last used any of its fingerprints (ISO strings compare as times here: all are toISOString()). */
function lastUse(records: readonly FingerprintRecord[]): number {
  return Math.max(...records.map((record) => Date.parse(record.lastSeen)));
}

/**
 * An account's contacts with `contact`'s records set to `records` (removed
 * when empty), within {@link MAX_CONTACTS_PER_ACCOUNT}: contacts without a
 * verified fingerprint are evicted, used longest ago first. Undefined when a
 * new contact without a verified fingerprint finds no room (every other
 * contact has a verified one): it is then not recorded. Contacts with a
 * verified fingerprint are never evicted and may exceed the cap: only the
 * user's own verifications (by hand or by answering SMP) make them.
 */
export function placeContact(
  contacts: ReadonlyMap<string, readonly FingerprintRecord[]>,
  contact: string,
  records: readonly FingerprintRecord[],
): Map<string, readonly FingerprintRecord[]> | undefined {
  const next = new Map(contacts);
  if (records.length === 0) {
    next.delete(contact);
    return next;
  }
  next.set(contact, records);
  while (next.size > MAX_CONTACTS_PER_ACCOUNT) {
    let victim: string | undefined;
    let victimUse = Infinity;
    for (const [name, list] of next) {
      if (name === contact || list.some((record) => isVerifiedStatus(record.status))) continue;
      const use = lastUse(list);
      if (victim === undefined || use < victimUse) {
        victim = name;
        victimUse = use;
      }
    }
    if (victim === undefined) return contacts.has(contact) || records.some((record) => isVerifiedStatus(record.status)) ? next : undefined;
    next.delete(victim);
  }
  return next;
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
): { records: readonly FingerprintRecord[]; result: MergeResult } {
  const existing = records.find((record) => record.fingerprint === fingerprint);
  if (existing === undefined) return { records: applyTrust(records, fingerprint, status, at, via), result: 'added' };
  if (!isVerifiedStatus(existing.status) && isVerifiedStatus(status)) {
    return { records: applyTrust(records, fingerprint, status, at, via), result: 'upgraded' };
  }
  return { records, result: 'kept' };
}
