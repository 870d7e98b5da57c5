/**
 * The store: one state directory holding, per account, the long-term DSA key
 * and our instance tag; per contact, the fingerprints seen and their trust;
 * per contact settings and the global logging switch (see paths.ts for the
 * files). A Store is the one process-wide owner of its directory (lock.ts).
 *
 * Theory of operation: everything is read and checked at open, then kept in
 * memory. Each change builds the next value of one file, writes it
 * atomically (atomic-file.ts) and only then installs it in memory, so memory
 * never runs ahead of the disk. Changes run one at a time through a queue, so
 * two concurrent calls cannot lose each other's update. Keys are created on
 * first use and replaced only by regenerateKey or an import told to replace;
 * a replaced key is first written to retired-keys.json.
 */
import { join } from 'node:path';
import { generateDsaKey, generateInstanceTag, type DsaPrivateKey } from '@sotto/otr';
import { StoreError } from './errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { normalizeFingerprint, requireFingerprint } from './fingerprint-text.js';
import { escapeUnsafe, requireSafeName } from './safe-text.js';
import { FILES } from './paths.js';
import type { DirectoryLock } from './lock.js';
import { encodeKeysFile, encodeRetiredKeysFile, keyFingerprint, type RetireReason, type RetiredKey, type StoredKey } from './files/keys-file.js';
import { encodeInstanceTagsFile } from './files/instance-tags-file.js';
import { encodeTrustFile, type TrustTable } from './files/trust-file.js';
import { encodeSettingsFile, type ContactSettings, type Settings } from './files/settings-file.js';
import { applySeen, applyTrust, isVerifiedStatus, placeContact, type FingerprintRecord, type TrustStatus } from './trust.js';
import { applyImportPlan, type ImportPlan, type ImportReport } from './import-plan.js';

/** Everything a store holds, as loaded from its files. */
export interface StoreContents {
  keys: Map<string, StoredKey>;
  retired: RetiredKey[];
  instanceTags: Map<string, number>;
  trust: TrustTable;
  settings: Settings;
}

/** Public facts about a key: never the private part. */
export interface KeyInfo {
  readonly account: string;
  /** 40 lower-case hex digits. */
  readonly fingerprint: string;
  readonly createdAt: string;
}

/** A key that regenerate or an import replaced; kept in retired-keys.json. */
export interface RetiredKeyInfo extends KeyInfo {
  readonly retiredAt: string;
  readonly reason: RetireReason;
}

/** Refuses trust records for names that could deceive whoever reads them later (safe-text.ts). */
function requireSafeNames(account: string, contact: string): void {
  requireSafeName('account', account);
  requireSafeName('contact', contact);
}

/** The identity and trust store of one state directory. Obtain one with `openStore`. */
export class Store {
  #contents: StoreContents;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** @internal Use `openStore`. */
  constructor(
    /** The state directory. */
    readonly dir: string,
    private readonly lock: DirectoryLock,
    contents: StoreContents,
  ) {
    this.#contents = contents;
  }

  /** Runs changes one at a time, in call order, even when the caller does not await. */
  #serialize<T>(change: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreError('invalid', `the store of ${this.dir} is closed`, this.dir));
    const run = this.#queue.then(change);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('invalid', `the store of ${this.dir} is closed`, this.dir);
  }

  async #write(file: string, text: string): Promise<void> {
    await writeFileAtomic(join(this.dir, file), text);
  }

  /** Writes and installs the next keys (and retired keys, first, when some were retired). */
  async #commitKeys(keys: Map<string, StoredKey>, retired?: RetiredKey[]): Promise<void> {
    if (retired !== undefined) {
      await this.#write(FILES.retiredKeys, encodeRetiredKeysFile(retired));
      this.#contents.retired = retired;
    }
    await this.#write(FILES.keys, encodeKeysFile(keys));
    this.#contents.keys = keys;
  }

  async #commitTags(tags: Map<string, number>): Promise<void> {
    await this.#write(FILES.instanceTags, encodeInstanceTagsFile(tags));
    this.#contents.instanceTags = tags;
  }

  async #commitTrust(trust: TrustTable): Promise<void> {
    await this.#write(FILES.trust, encodeTrustFile(trust));
    this.#contents.trust = trust;
  }

  async #commitSettings(settings: Settings): Promise<void> {
    await this.#write(FILES.settings, encodeSettingsFile(settings));
    this.#contents.settings = settings;
  }

  /** The account's key, created (and saved) on first use; never replaced here. The store owns it: do not wipe it. */
  getOrCreateKey(account: string): Promise<DsaPrivateKey> {
    return this.#serialize(async () => {
      const existing = this.#contents.keys.get(account);
      if (existing !== undefined) return existing.key;
      const created: StoredKey = { key: generateDsaKey(), createdAt: new Date().toISOString() };
      await this.#commitKeys(new Map(this.#contents.keys).set(account, created));
      return created.key;
    });
  }

  /** Replaces the account's key with a new one, keeping the old one in retired-keys.json. */
  regenerateKey(account: string): Promise<DsaPrivateKey> {
    return this.#serialize(async () => {
      const now = new Date().toISOString();
      const old = this.#contents.keys.get(account);
      const created: StoredKey = { key: generateDsaKey(), createdAt: now };
      const retired = old === undefined ? undefined : [...this.#contents.retired, { ...old, account, retiredAt: now, reason: 'regenerated' as const }];
      await this.#commitKeys(new Map(this.#contents.keys).set(account, created), retired);
      return created.key;
    });
  }

  /** The account's key if it has one; never creates. */
  existingKey(account: string): DsaPrivateKey | undefined {
    this.#assertOpen();
    return this.#contents.keys.get(account)?.key;
  }

  /** Fingerprints and dates of the accounts' keys (all accounts, or one). */
  keys(account?: string): KeyInfo[] {
    this.#assertOpen();
    return [...this.#contents.keys]
      .filter(([name]) => account === undefined || name === account)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, stored]) => ({ account: name, fingerprint: keyFingerprint(stored.key), createdAt: stored.createdAt }));
  }

  /** Keys that were replaced, oldest first (all accounts, or one). */
  retiredKeys(account?: string): RetiredKeyInfo[] {
    this.#assertOpen();
    return this.#contents.retired
      .filter((entry) => account === undefined || entry.account === account)
      .map((entry) => ({ account: entry.account, fingerprint: keyFingerprint(entry.key), createdAt: entry.createdAt, retiredAt: entry.retiredAt, reason: entry.reason }));
  }

  /** Every account with a key, an instance tag, trust or settings, sorted. */
  accounts(): string[] {
    this.#assertOpen();
    const { keys, instanceTags, trust, settings } = this.#contents;
    return [...new Set([...keys.keys(), ...instanceTags.keys(), ...trust.keys(), ...settings.contacts.keys()])].sort();
  }

  /** The account's instance tag, created (and saved) on first use. */
  getOrCreateInstanceTag(account: string): Promise<number> {
    return this.#serialize(async () => {
      const existing = this.#contents.instanceTags.get(account);
      if (existing !== undefined) return existing;
      const tag = generateInstanceTag();
      await this.#commitTags(new Map(this.#contents.instanceTags).set(account, tag));
      return tag;
    });
  }

  /** The account's instance tag if it has one; never creates. */
  instanceTag(account: string): number | undefined {
    this.#assertOpen();
    return this.#contents.instanceTags.get(account);
  }

  /** The contact's fingerprint records (copies), in the order first recorded. */
  fingerprints(account: string, contact: string): FingerprintRecord[] {
    this.#assertOpen();
    return (this.#contents.trust.get(account)?.get(contact) ?? []).map((record) => ({ ...record, history: [...record.history] }));
  }

  /** Contacts of the account with at least one fingerprint, sorted. */
  contacts(account: string): string[] {
    this.#assertOpen();
    return [...(this.#contents.trust.get(account)?.keys() ?? [])].sort();
  }

  /** The trust table with the contact's records replaced, within the caps of trust.ts; undefined when there is no room for it. */
  #withContact(account: string, contact: string, records: readonly FingerprintRecord[]): TrustTable | undefined {
    const trust = new Map(this.#contents.trust);
    const contacts = placeContact(trust.get(account) ?? new Map<string, readonly FingerprintRecord[]>(), contact, records);
    if (contacts === undefined) return undefined;
    if (contacts.size === 0) trust.delete(account);
    else trust.set(account, contacts);
    return trust;
  }

  /** Writes the contact's records unless they are the ones already held (nothing changed) or find no room. */
  async #commitContact(account: string, contact: string, before: readonly FingerprintRecord[], records: readonly FingerprintRecord[]): Promise<void> {
    if (records === before) return;
    const trust = this.#withContact(account, contact, records);
    if (trust !== undefined) await this.#commitTrust(trust);
  }

  /**
   * Records that the contact used this fingerprint now. `changed` is true when
   * the contact has a verified fingerprint and this is not one of them: the
   * client must then show the fingerprint-changed warning. A contact or
   * account name holding a control, invisible or reordering character
   * (safe-text.ts) is refused with an 'invalid' StoreError.
   */
  recordSeen(account: string, contact: string, fingerprintHex: string, now: Date): Promise<{ changed: boolean; verified: boolean }> {
    return this.#serialize(async () => {
      requireSafeNames(account, contact);
      const fingerprint = requireFingerprint(fingerprintHex);
      const before = this.#contents.trust.get(account)?.get(contact) ?? [];
      const seen = applySeen(before, fingerprint, now.toISOString());
      await this.#commitContact(account, contact, before, seen.records);
      return { changed: seen.changed, verified: seen.verified };
    });
  }

  /** Sets a fingerprint's status (recording it if it was never seen); the change is kept in its history. Names are checked as by recordSeen. */
  setTrust(account: string, contact: string, fingerprintHex: string, status: TrustStatus, now: Date, via = status === 'smp' ? 'smp' : 'user'): Promise<void> {
    return this.#serialize(async () => {
      requireSafeNames(account, contact);
      const fingerprint = requireFingerprint(fingerprintHex);
      const before = this.#contents.trust.get(account)?.get(contact) ?? [];
      await this.#commitContact(account, contact, before, applyTrust(before, fingerprint, status, now.toISOString(), via));
    });
  }

  /** True when this fingerprint of the contact is verified (by SMP or by hand). */
  isVerified(account: string, contact: string, fingerprintHex: string): boolean {
    this.#assertOpen();
    const fingerprint = normalizeFingerprint(fingerprintHex);
    const record = this.#contents.trust.get(account)?.get(contact)?.find((r) => r.fingerprint === fingerprint);
    return record !== undefined && isVerifiedStatus(record.status);
  }

  /** Removes one fingerprint of the contact, or all of them; 'not-found' if there is nothing to remove. */
  forget(account: string, contact: string, fingerprintHex?: string): Promise<void> {
    return this.#serialize(async () => {
      const fingerprint = fingerprintHex === undefined ? undefined : requireFingerprint(fingerprintHex);
      const records = this.#contents.trust.get(account)?.get(contact) ?? [];
      const kept = fingerprint === undefined ? [] : records.filter((record) => record.fingerprint !== fingerprint);
      if (kept.length === records.length) {
        const what = fingerprint === undefined ? 'no fingerprints' : `no fingerprint ${fingerprint}`;
        throw new StoreError('not-found', `${escapeUnsafe(account)} has ${what} recorded for ${escapeUnsafe(contact)}`);
      }
      await this.#commitContact(account, contact, records, kept);
    });
  }

  /** The contact's settings (defaults when none were set). */
  contactSettings(account: string, contact: string): { requireEncryption: boolean } {
    this.#assertOpen();
    return { requireEncryption: this.#contents.settings.contacts.get(account)?.get(contact)?.requireEncryption ?? false };
  }

  /** Saves the contact's settings. */
  setContactSettings(account: string, contact: string, settings: ContactSettings): Promise<void> {
    return this.#serialize(async () => {
      const current = this.#contents.settings;
      const contacts = new Map(current.contacts);
      contacts.set(account, new Map(contacts.get(account) ?? []).set(contact, { requireEncryption: settings.requireEncryption }));
      await this.#commitSettings({ ...current, contacts });
    });
  }

  /** Whether the client may write chat logs (off by default). */
  loggingEnabled(): boolean {
    this.#assertOpen();
    return this.#contents.settings.logging;
  }

  /** Turns chat logging on or off. */
  setLogging(on: boolean): Promise<void> {
    return this.#serialize(() => this.#commitSettings({ ...this.#contents.settings, logging: on }));
  }

  /**
   * Applies an import that has already been read and validated in full. If it
   * would replace a different key and `plan.replace` is not set, it throws
   * 'exists' before writing anything.
   */
  applyImport(plan: ImportPlan): Promise<ImportReport> {
    return this.#serialize(async () => {
      const { next, report } = applyImportPlan(this.#contents, plan);
      if (next.keys !== this.#contents.keys) await this.#commitKeys(next.keys, next.retired === this.#contents.retired ? undefined : next.retired);
      if (next.instanceTags !== this.#contents.instanceTags) await this.#commitTags(next.instanceTags);
      if (next.trust !== this.#contents.trust) await this.#commitTrust(next.trust);
      return report;
    });
  }

  /** Waits for pending changes, wipes the keys from memory and releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue;
    this.#closed = true;
    for (const stored of this.#contents.keys.values()) stored.key.wipe();
    for (const stored of this.#contents.retired) stored.key.wipe();
    await this.lock.release();
  }
}
