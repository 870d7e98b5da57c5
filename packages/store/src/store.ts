/**
 * The store: one state directory holding, per account, the long-term DSA key,
 * the OTRv4 identity (Ed448 identity and forging keys, and our current
 * client profile: files/keys-file.ts) and our instance tag; per contact, the fingerprints seen and their trust;
 * per contact settings and the global logging switch (see paths.ts for the
 * files). A Store is the one process-wide owner of its directory (lock.ts).
 *
 * Theory of operation: everything is read and checked at open, then kept in
 * memory. Each change builds the next value of one file, writes it
 * atomically (atomic-file.ts) and only then installs it in memory, so memory
 * never runs ahead of the disk. Changes run one at a time through a queue, so
 * two concurrent calls cannot lose each other's update. Keys are created on
 * first use and replaced only by regenerateKey or an import told to replace;
 * a replaced key is first written to retired-keys.json. A store written
 * before OTRv4 (DSA keys only) is read as it is and gains the OTRv4 identity
 * of an account on its first use (getOrCreateV4Identity), nothing else
 * changing.
 */
import { join } from 'node:path';
import {
  Ed448KeyPair,
  fingerprint as dsaFingerprint,
  generateDsaKey,
  generateInstanceTag,
  loadOwnClientProfile,
  systemRandom,
  toHex,
  type DsaPrivateKey,
  type StoredProfileProblem,
} from '@sotto/otr';
import { StoreError } from './errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { normalizeFingerprint, requireFingerprint } from './fingerprint-text.js';
import { escapeUnsafe, requireSafeName } from './safe-text.js';
import { FILES } from './paths.js';
import type { DirectoryLock } from './lock.js';
import {
  MAX_PROFILE_BYTES,
  encodeKeysFile,
  encodeRetiredKeysFile,
  keyFingerprint,
  v4Fingerprint,
  wipeStoredKey,
  wipeV4Key,
  withoutProfile,
  type RetireReason,
  type RetiredKey,
  type StoredKey,
  type StoredV4Key,
} from './files/keys-file.js';
import { encodeInstanceTagsFile } from './files/instance-tags-file.js';
import { encodeTrustFile, type TrustTable } from './files/trust-file.js';
import { encodeSettingsFile, type ContactSettings, type Settings } from './files/settings-file.js';
import { MAX_CONTACTS_PER_ACCOUNT, applySeen, applyTrust, isVerifiedStatus, placeContact, type FingerprintRecord, type TrustStatus } from './trust.js';
import { applyImportPlan, type ImportPlan, type ImportReport } from './import-plan.js';

/** Everything a store holds, as loaded from its files. */
export interface StoreContents {
  keys: Map<string, StoredKey>;
  retired: RetiredKey[];
  instanceTags: Map<string, number>;
  trust: TrustTable;
  settings: Settings;
}

/** Public facts about an account's OTRv4 identity. */
export interface V4KeyInfo {
  /** 112 lower-case hex digits. */
  readonly fingerprint: string;
  readonly createdAt: string;
  /** Whether the forging key's secret was kept (by default it is erased at creation). */
  readonly forgingSecretKept: boolean;
}

/** Public facts about a key: never the private part. */
export interface KeyInfo {
  readonly account: string;
  /** The DSA key's fingerprint (OTR v2 and v3): 40 lower-case hex digits. */
  readonly fingerprint: string;
  readonly createdAt: string;
  /** The OTRv4 identity, once the account has one. */
  readonly v4?: V4KeyInfo;
}

/** How a new OTRv4 identity is made. */
export interface V4IdentityOptions {
  /**
   * Keep the forging key's secret (default false: it is erased as soon as
   * F is computed). The spec ("Public keys, Shared Prekeys, Forging keys and
   * Fingerprints", "Forger Keys") asks clients to offer keeping it, for
   * online forgery, with erasure as the default; the protocol needs only F.
   */
  readonly keepForgingSecret?: boolean;
}

/**
 * An account's OTRv4 identity, as the library needs it. The key pairs are
 * the store's (as the DSA key is): do not wipe them; `close()` does.
 */
export interface V4Identity {
  /** The Ed448 identity key pair: H, and the 57-byte symmetric key sym_h that signs our client profile. */
  readonly identityKey: Ed448KeyPair;
  /** F, the public forging key (POINT encoding, 57 bytes; a copy). */
  readonly forgingPublicKey: Uint8Array;
  /** The forging key pair, only when its secret was kept. */
  readonly forgingKey?: Ed448KeyPair;
  /** 112 lower-case hex digits. */
  readonly fingerprint: string;
  readonly createdAt: string;
}

/** Why there is no usable stored client profile: a new one must be made (and saved). */
export type ClientProfileProblem =
  /** The account has no OTRv4 identity yet (getOrCreateV4Identity makes it). */
  | 'no-identity'
  /** The account has no instance tag yet (getOrCreateInstanceTag makes it). */
  | 'no-instance-tag'
  /** No profile was saved yet (or the identity was regenerated or the DSA key replaced since). */
  | 'none'
  /** The stored expiry is not the profile's own. */
  | 'expiry-mismatch'
  /** The profile carries an OTRv3 DSA key that is not the account's, or another forging key. */
  | 'not-ours-anymore'
  /** The library's own checks (StoredProfileProblem): 'malformed', 'expired', 'not-ours', 'instance-tag-mismatch', ... */
  | StoredProfileProblem;

/** The stored client profile, or why a new one is needed. */
export type StoredClientProfile =
  | {
      readonly status: 'ok';
      /** The CLIENT-PROF bytes (a copy). */
      readonly encoded: Uint8Array;
      /** The expiry, ms since the epoch. */
      readonly expiresAt: number;
      /** When the library should make the next one (a day before expiresAt). */
      readonly refreshAt: number;
    }
  | { readonly status: 'needs-new'; readonly reason: ClientProfileProblem };

/** Makes a new OTRv4 identity: a fresh identity key pair and forging key (whose secret is erased unless kept). */
function createV4Identity(keepForgingSecret: boolean, createdAt: string): StoredV4Key {
  const identityKey = Ed448KeyPair.generate(systemRandom);
  const forging = Ed448KeyPair.generate(systemRandom);
  const forgingPublicKey = forging.publicKeyBytes();
  if (!keepForgingSecret) forging.wipe();
  return {
    identityKey,
    forgingPublicKey,
    ...(keepForgingSecret ? { forgingKey: forging } : {}),
    fingerprint: v4Fingerprint(identityKey, forgingPublicKey),
    createdAt,
  };
}

function v4Info(v4: StoredV4Key): V4KeyInfo {
  return { fingerprint: v4.fingerprint, createdAt: v4.createdAt, forgingSecretKept: v4.forgingKey !== undefined };
}

function v4View(v4: StoredV4Key): V4Identity {
  return {
    identityKey: v4.identityKey,
    forgingPublicKey: Uint8Array.from(v4.forgingPublicKey),
    ...(v4.forgingKey === undefined ? {} : { forgingKey: v4.forgingKey }),
    fingerprint: v4.fingerprint,
    createdAt: v4.createdAt,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Checks that `encoded` is a valid client profile of this account at `now`
 * (ms): it parses and passes the library's validation (signature, owner
 * instance tag, expiry, points, transitional signature), H and F are the
 * account's, and an OTRv3 DSA key in it is the account's. Never throws.
 */
function checkOwnProfile(
  stored: StoredKey & { readonly v4: StoredV4Key },
  tag: number,
  encoded: Uint8Array,
  now: number,
): { readonly expiresAt: number; readonly refreshAt: number } | { readonly problem: ClientProfileProblem } {
  if (encoded.length > MAX_PROFILE_BYTES) return { problem: 'malformed' };
  try {
    const loaded = loadOwnClientProfile(encoded, tag, stored.v4.identityKey, now);
    if ('problem' in loaded) return { problem: loaded.problem };
    if (!sameBytes(loaded.forgingKey.encode(), stored.v4.forgingPublicKey)) return { problem: 'not-ours-anymore' };
    const dsa = loaded.profile.dsaPublicKey;
    if (dsa !== undefined && toHex(dsaFingerprint(dsa)) !== keyFingerprint(stored.key)) return { problem: 'not-ours-anymore' };
    return { expiresAt: loaded.expiresAt, refreshAt: loaded.refreshAt };
  } catch {
    // The library returns its verdicts as values; this is for the unforeseen, so a bad profile is replaced, never fatal.
    return { problem: 'malformed' };
  }
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

  /** True once `close()` has begun: everything kept beside the store (history, SIP accounts) refuses to work then. */
  get closed(): boolean {
    return this.#closed;
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

  /**
   * Replaces the account's identity with a new one: a new DSA key and a new
   * OTRv4 identity (identity and forging keys; the forging secret is kept
   * if `options` say so, else if the old one was kept). The old keys are
   * kept in retired-keys.json; the client profile, signed by the old key, is
   * dropped (clientProfile then says 'none').
   */
  regenerateKey(account: string, options: V4IdentityOptions = {}): Promise<DsaPrivateKey> {
    return this.#serialize(async () => {
      const now = new Date().toISOString();
      const old = this.#contents.keys.get(account);
      const keep = options.keepForgingSecret ?? old?.v4?.forgingKey !== undefined;
      const created: StoredKey = { key: generateDsaKey(), createdAt: now, v4: createV4Identity(keep, now) };
      const retired =
        old === undefined
          ? undefined
          : [
              ...this.#contents.retired,
              {
                key: old.key,
                createdAt: old.createdAt,
                ...(old.v4 === undefined ? {} : { v4: withoutProfile(old.v4) }),
                account,
                retiredAt: now,
                reason: 'regenerated' as const,
              },
            ];
      try {
        await this.#commitKeys(new Map(this.#contents.keys).set(account, created), retired);
      } catch (error) {
        wipeStoredKey(created);
        throw error;
      }
      return created.key;
    });
  }

  /**
   * The account's OTRv4 identity, created (and saved) on first use, with
   * the account's DSA key if it has none yet; never replaced here. The
   * options apply only when it is created. The store owns the key pairs:
   * do not wipe them.
   */
  getOrCreateV4Identity(account: string, options: V4IdentityOptions = {}): Promise<V4Identity> {
    return this.#serialize(async () => {
      const existing = this.#contents.keys.get(account);
      if (existing?.v4 !== undefined) return v4View(existing.v4);
      const now = new Date().toISOString();
      const v4 = createV4Identity(options.keepForgingSecret ?? false, now);
      const next: StoredKey = existing === undefined ? { key: generateDsaKey(), createdAt: now, v4 } : { ...existing, v4 };
      try {
        await this.#commitKeys(new Map(this.#contents.keys).set(account, next));
      } catch (error) {
        // Only what was made here: an existing DSA key stays in use.
        if (existing === undefined) wipeStoredKey(next);
        else wipeV4Key(v4);
        throw error;
      }
      return v4View(v4);
    });
  }

  /** The account's OTRv4 identity if it has one; never creates. */
  existingV4Identity(account: string): V4Identity | undefined {
    this.#assertOpen();
    const v4 = this.#contents.keys.get(account)?.v4;
    return v4 === undefined ? undefined : v4View(v4);
  }

  /** Erases a kept forging secret from the store (F stays: the fingerprint does not change). 'not-found' if the account has no OTRv4 identity. */
  forgetForgingSecret(account: string): Promise<void> {
    return this.#serialize(async () => {
      const stored = this.#contents.keys.get(account);
      if (stored?.v4 === undefined) throw new StoreError('not-found', `${escapeUnsafe(account)} has no OTRv4 identity in ${this.dir}`);
      const { forgingKey, ...v4 } = stored.v4;
      if (forgingKey === undefined) return;
      await this.#commitKeys(new Map(this.#contents.keys).set(account, { ...stored, v4 }));
      forgingKey.wipe();
    });
  }

  /**
   * Our stored client profile, checked at `now` as the library would check
   * it (it parses, its signature verifies, it has not expired, it carries
   * the account's keys and instance tag), or 'needs-new' with the reason:
   * the library then makes a new one and the host saves it with
   * saveClientProfile. Never throws for a bad stored profile.
   */
  clientProfile(account: string, now: Date): StoredClientProfile {
    this.#assertOpen();
    const stored = this.#contents.keys.get(account);
    const v4 = stored?.v4;
    if (stored === undefined || v4 === undefined) return { status: 'needs-new', reason: 'no-identity' };
    const tag = this.#contents.instanceTags.get(account);
    if (tag === undefined) return { status: 'needs-new', reason: 'no-instance-tag' };
    const profile = v4.profile;
    if (profile === undefined) return { status: 'needs-new', reason: 'none' };
    const checked = checkOwnProfile({ ...stored, v4 }, tag, profile.encoded, now.getTime());
    if ('problem' in checked) return { status: 'needs-new', reason: checked.problem };
    if (checked.expiresAt !== profile.expiresAt) return { status: 'needs-new', reason: 'expiry-mismatch' };
    return { status: 'ok', encoded: Uint8Array.from(profile.encoded), expiresAt: checked.expiresAt, refreshAt: checked.refreshAt };
  }

  /**
   * Saves our new client profile (its CLIENT-PROF bytes and expiry in ms,
   * as the library emits them), replacing the previous one. It is checked
   * first, as clientProfile checks it at `now`: a profile that is not
   * valid, not the account's or not expiring at `expiresAt` is refused with
   * an 'invalid' StoreError and nothing is written.
   */
  saveClientProfile(account: string, encoded: Uint8Array, expiresAt: number, now: Date = new Date()): Promise<void> {
    return this.#serialize(async () => {
      const stored = this.#contents.keys.get(account);
      const v4 = stored?.v4;
      if (stored === undefined || v4 === undefined) throw new StoreError('invalid', `${escapeUnsafe(account)} has no OTRv4 identity to save a client profile for`);
      const tag = this.#contents.instanceTags.get(account);
      if (tag === undefined) throw new StoreError('invalid', `${escapeUnsafe(account)} has no instance tag: a client profile cannot be its`);
      const copy = Uint8Array.from(encoded);
      const checked = checkOwnProfile({ ...stored, v4 }, tag, copy, now.getTime());
      if ('problem' in checked) throw new StoreError('invalid', `not a usable client profile of ${escapeUnsafe(account)} (${checked.problem}); nothing was saved`);
      if (checked.expiresAt !== expiresAt) throw new StoreError('invalid', `the client profile expires at ${checked.expiresAt}, not ${expiresAt}; nothing was saved`);
      await this.#commitKeys(new Map(this.#contents.keys).set(account, { ...stored, v4: { ...v4, profile: { encoded: copy, expiresAt } } }));
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
      .map(([name, stored]) => ({
        account: name,
        fingerprint: keyFingerprint(stored.key),
        createdAt: stored.createdAt,
        ...(stored.v4 === undefined ? {} : { v4: v4Info(stored.v4) }),
      }));
  }

  /** Keys that were replaced, oldest first (all accounts, or one). */
  retiredKeys(account?: string): RetiredKeyInfo[] {
    this.#assertOpen();
    return this.#contents.retired
      .filter((entry) => account === undefined || entry.account === account)
      .map((entry) => ({
        account: entry.account,
        fingerprint: keyFingerprint(entry.key),
        createdAt: entry.createdAt,
        ...(entry.v4 === undefined ? {} : { v4: v4Info(entry.v4) }),
        retiredAt: entry.retiredAt,
        reason: entry.reason,
      }));
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
   * Records that the contact used this fingerprint now: an OTRv3 one (40
   * hex) or an OTRv4 one (112 hex). `changed` is true when the contact has a
   * verified fingerprint, of either kind, and this is not one of them: the
   * client must then show the fingerprint-changed warning. `crossVersion`
   * says the verified ones are all of the other kind (see trust.ts, applySeen,
   * for why moving between OTRv3 and OTRv4 warns too). A contact or account
   * name holding a control, invisible or reordering character (safe-text.ts)
   * is refused with an 'invalid' StoreError.
   */
  recordSeen(
    account: string,
    contact: string,
    fingerprintHex: string,
    now: Date,
  ): Promise<{ changed: boolean; verified: boolean; crossVersion: boolean }> {
    return this.#serialize(async () => {
      requireSafeNames(account, contact);
      const fingerprint = requireFingerprint(fingerprintHex);
      const before = this.#contents.trust.get(account)?.get(contact) ?? [];
      const seen = applySeen(before, fingerprint, now.toISOString());
      await this.#commitContact(account, contact, before, seen.records);
      return { changed: seen.changed, verified: seen.verified, crossVersion: seen.crossVersion };
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

  /**
   * Saves the contact's settings (for SIP, contact and account are SIP
   * addresses; `requireEncryption` is "always use OTR"). Settings equal to
   * the defaults are dropped from the file. Names are checked as by
   * recordSeen; an account keeps settings for at most
   * MAX_CONTACTS_PER_ACCOUNT contacts ('invalid' beyond).
   */
  setContactSettings(account: string, contact: string, settings: ContactSettings): Promise<void> {
    return this.#serialize(async () => {
      requireSafeNames(account, contact);
      if (typeof settings.requireEncryption !== 'boolean') throw new StoreError('invalid', 'requireEncryption must be true or false');
      const current = this.#contents.settings;
      const contacts = new Map(current.contacts);
      const byContact = new Map(contacts.get(account) ?? []);
      if (settings.requireEncryption) byContact.set(contact, { requireEncryption: true });
      else byContact.delete(contact);
      if (byContact.size > MAX_CONTACTS_PER_ACCOUNT) {
        throw new StoreError('invalid', `${escapeUnsafe(account)} already has settings for ${MAX_CONTACTS_PER_ACCOUNT} contacts; nothing was saved`);
      }
      if (byContact.size === 0) contacts.delete(account);
      else contacts.set(account, byContact);
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
    for (const stored of this.#contents.keys.values()) wipeStoredKey(stored);
    for (const stored of this.#contents.retired) wipeStoredKey(stored);
    await this.lock.release();
  }
}
