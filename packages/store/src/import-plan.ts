/**
 * Applying an import. Importers (migrate/) first read and check every given
 * file completely and describe the result as an {@link ImportPlan}; only then
 * does the store apply it, so a malformed file changes nothing. This module
 * computes the store's next contents from a plan, as a pure function, and
 * refuses (before anything is written) to replace a different existing key
 * unless the plan says so. Trust is merged, never lowered (trust.ts).
 *
 * Imports are OTRv3 (libotr and Blink have no OTRv4 keys): a replaced DSA
 * key is retired alone, the account's OTRv4 identity stays, and only its
 * client profile is dropped, since it carries the old DSA key and its
 * transitional signature (the library makes a new one).
 */
import type { DsaPrivateKey } from '@sotto/otr';
import { StoreError } from './errors.js';
import { humanFingerprint } from './fingerprint-text.js';
import { keyFingerprint, withoutProfile, type RetiredKey, type StoredKey } from './files/keys-file.js';
import type { TrustTable } from './files/trust-file.js';
import { hasUnsafeCharacter } from './safe-text.js';
import { mergeImported, type FingerprintRecord, type MergeResult, type TrustStatus } from './trust.js';
import type { StoreContents } from './store.js';

/** A fully validated import, ready to apply. */
export interface ImportPlan {
  /** Where the data comes from, recorded in trust history as `import-<source>`. */
  readonly source: 'libotr' | 'blink';
  readonly keys: readonly { readonly account: string; readonly key: DsaPrivateKey }[];
  readonly instanceTags: readonly { readonly account: string; readonly tag: number }[];
  readonly fingerprints: readonly { readonly account: string; readonly contact: string; readonly fingerprint: string; readonly status: TrustStatus }[];
  /** Replace existing different keys (they are retired, not lost) and instance tags. */
  readonly replace: boolean;
  readonly now: Date;
}

/** What an import did, item by item. */
export interface ImportReport {
  readonly keys: { account: string; fingerprint: string; result: 'added' | 'unchanged' | 'replaced' }[];
  readonly instanceTags: { account: string; tag: number; result: 'added' | 'unchanged' | 'replaced' | 'kept' }[];
  readonly fingerprints: { account: string; contact: string; fingerprint: string; result: MergeResult }[];
}

/** The store's contents after `plan`, and the report; throws 'exists' on an unrequested key replacement. */
export function applyImportPlan(contents: StoreContents, plan: ImportPlan): { next: StoreContents; report: ImportReport } {
  const at = plan.now.toISOString();
  const report: ImportReport = { keys: [], instanceTags: [], fingerprints: [] };

  let keys = contents.keys;
  let retired = contents.retired;
  const conflicts: string[] = [];
  for (const { account, key } of plan.keys) {
    const fingerprint = keyFingerprint(key);
    const existing = keys.get(account);
    if (existing !== undefined && keyFingerprint(existing.key) === fingerprint) {
      report.keys.push({ account, fingerprint, result: 'unchanged' });
      continue;
    }
    if (existing !== undefined && !plan.replace) {
      conflicts.push(`${account} (current key ${humanFingerprint(keyFingerprint(existing.key))})`);
      continue;
    }
    if (existing !== undefined) {
      const old: RetiredKey = { key: existing.key, createdAt: existing.createdAt, account, retiredAt: at, reason: 'replaced-by-import' };
      retired = [...retired, old];
    }
    const v4 = existing?.v4;
    const stored: StoredKey = { key, createdAt: at, ...(v4 === undefined ? {} : { v4: withoutProfile(v4) }) };
    keys = new Map(keys).set(account, stored);
    report.keys.push({ account, fingerprint, result: existing === undefined ? 'added' : 'replaced' });
  }
  if (conflicts.length > 0) {
    throw new StoreError(
      'exists',
      `importing would replace the key of ${conflicts.join(', ')} with a different one. Nothing was changed; ask for replacement explicitly to retire the current key (it is kept in retired-keys.json)`,
    );
  }

  let instanceTags = contents.instanceTags;
  for (const { account, tag } of plan.instanceTags) {
    const existing = instanceTags.get(account);
    if (existing === tag) {
      report.instanceTags.push({ account, tag, result: 'unchanged' });
    } else if (existing !== undefined && !plan.replace) {
      report.instanceTags.push({ account, tag: existing, result: 'kept' });
    } else {
      instanceTags = new Map(instanceTags).set(account, tag);
      report.instanceTags.push({ account, tag, result: existing === undefined ? 'added' : 'replaced' });
    }
  }

  let trust: TrustTable = contents.trust;
  const unsafe = plan.fingerprints.filter(({ account, contact }) => hasUnsafeCharacter(account) || hasUnsafeCharacter(contact)).length;
  if (unsafe > 0) {
    throw new StoreError('bad-import', `${unsafe} fingerprint(s) name a contact or account with a control, invisible or reordering character. Nothing was changed`);
  }
  for (const { account, contact, fingerprint, status } of plan.fingerprints) {
    const records: readonly FingerprintRecord[] = trust.get(account)?.get(contact) ?? [];
    const merged = mergeImported(records, fingerprint, status, at, `import-${plan.source}`);
    report.fingerprints.push({ account, contact, fingerprint, result: merged.result });
    if (merged.result === 'kept') continue;
    const contacts = new Map(trust.get(account) ?? []).set(contact, merged.records);
    trust = new Map(trust).set(account, contacts);
  }

  return { next: { ...contents, keys, retired, instanceTags, trust }, report };
}
