/**
 * Migration from and to libotr clients (Pidgin, Adium, irssi-otr ...):
 * otr.private_key, otr.fingerprints and otr.instance_tags. libotr names an
 * account by (account name, protocol); the store by one string, the account
 * name unless the caller maps it. Import keeps fingerprints identical (the
 * key's numbers are taken as they are) and merges trust without lowering it;
 * export writes files libotr reads back with the same fingerprints and trust.
 *
 * libotr's formats are OTRv3 only: the OTRv4 Ed448 identity and forging keys,
 * the client profile and OTRv4 fingerprints are neither imported nor exported
 * here (an export leaves them out; they stay in the store).
 */
import { join } from 'node:path';
import { access } from 'node:fs/promises';
import { StoreError } from '../errors.js';
import { parseLibotrPrivateKeys, encodeLibotrPrivateKeys, type LibotrKey } from '../formats/libotr-private-key.js';
import { encodeLibotrFingerprints, parseLibotrFingerprints, type LibotrFingerprint } from '../formats/libotr-fingerprints.js';
import { encodeLibotrInstanceTags, parseLibotrInstanceTags, type LibotrInstanceTag } from '../formats/libotr-instance-tags.js';
import type { ImportPlan, ImportReport } from '../import-plan.js';
import type { Store } from '../store.js';
import { badImport, keyFromParts, orBadImport, partsOf, readImportFile, writeExportFiles } from './import-files.js';

/** The file names libotr clients use. */
export const LIBOTR_FILES = { privateKey: 'otr.private_key', fingerprints: 'otr.fingerprints', instanceTags: 'otr.instance_tags' } as const;

/** What to import from libotr files. */
export interface LibotrImportOptions {
  readonly privateKeyFile?: string;
  readonly fingerprintsFile?: string;
  readonly instanceTagsFile?: string;
  /** Import only this libotr account name (e.g. "alice@example.org/"). */
  readonly accountName?: string;
  /** Import only this libotr protocol (e.g. "prpl-jabber"). */
  readonly protocol?: string;
  /** The store account to import into; defaults to the libotr account name. Needs the selection to be one account. */
  readonly intoAccount?: string;
  /** Retire (not delete) existing different keys and replace instance tags. */
  readonly replace?: boolean;
  readonly now?: Date;
}

/** The libotr files present in a directory (a Pidgin ~/.purple, say). */
export async function libotrFilesIn(dir: string): Promise<Pick<LibotrImportOptions, 'privateKeyFile' | 'fingerprintsFile' | 'instanceTagsFile'>> {
  const present = async (name: string): Promise<string | undefined> => {
    const path = join(dir, name);
    return access(path).then(
      () => path,
      () => undefined,
    );
  };
  const [privateKeyFile, fingerprintsFile, instanceTagsFile] = await Promise.all([
    present(LIBOTR_FILES.privateKey),
    present(LIBOTR_FILES.fingerprints),
    present(LIBOTR_FILES.instanceTags),
  ]);
  return {
    ...(privateKeyFile === undefined ? {} : { privateKeyFile }),
    ...(fingerprintsFile === undefined ? {} : { fingerprintsFile }),
    ...(instanceTagsFile === undefined ? {} : { instanceTagsFile }),
  };
}

const label = (account: string, protocol: string): string => `${JSON.stringify(account)} (${protocol})`;

/**
 * Imports libotr files into the store. Every given file is read and checked
 * in full (each key for consistency) before anything changes; a malformed
 * file is a 'bad-import' error naming it, and a different existing key is an
 * 'exists' error unless `replace`.
 */
export async function importLibotr(store: Store, options: LibotrImportOptions): Promise<ImportReport> {
  const { privateKeyFile, fingerprintsFile, instanceTagsFile } = options;
  if (privateKeyFile === undefined && fingerprintsFile === undefined && instanceTagsFile === undefined) {
    throw new StoreError('invalid', 'nothing to import: give otr.private_key, otr.fingerprints or otr.instance_tags');
  }
  const keys: LibotrKey[] = privateKeyFile === undefined ? [] : orBadImport(parseLibotrPrivateKeys(await readImportFile(privateKeyFile)), privateKeyFile);
  const fingerprints: LibotrFingerprint[] =
    fingerprintsFile === undefined ? [] : orBadImport(parseLibotrFingerprints(await readImportFile(fingerprintsFile)), fingerprintsFile);
  const tags: LibotrInstanceTag[] = instanceTagsFile === undefined ? [] : orBadImport(parseLibotrInstanceTags(await readImportFile(instanceTagsFile)), instanceTagsFile);

  const wanted = (account: string, protocol: string): boolean =>
    (options.accountName === undefined || account === options.accountName) && (options.protocol === undefined || protocol === options.protocol);
  const found = new Set<string>();
  const selected = new Set<string>();
  for (const { account, protocol } of [...keys, ...fingerprints, ...tags]) {
    found.add(label(account, protocol));
    if (wanted(account, protocol)) selected.add(label(account, protocol));
  }
  const files = [privateKeyFile, fingerprintsFile, instanceTagsFile].filter((file) => file !== undefined).join(', ');
  if (selected.size === 0) {
    const listing = found.size === 0 ? 'they hold no accounts' : `they hold ${[...found].join(', ')}`;
    throw new StoreError('bad-import', `no matching account in ${files} (${listing}). Nothing was imported`, privateKeyFile ?? fingerprintsFile ?? instanceTagsFile);
  }
  if (options.intoAccount !== undefined && selected.size > 1) {
    throw new StoreError('invalid', `${files} hold several accounts (${[...selected].join(', ')}); choose one by account name and protocol to import it into ${options.intoAccount}`);
  }
  const target = (account: string): string => options.intoAccount ?? account;

  const planKeys = keys.filter((key) => wanted(key.account, key.protocol));
  const byTarget = new Map<string, string[]>();
  for (const key of planKeys) byTarget.set(target(key.account), [...(byTarget.get(target(key.account)) ?? []), label(key.account, key.protocol)]);
  for (const [account, sources] of byTarget) {
    if (sources.length > 1) throw badImport(privateKeyFile ?? '', `several keys would go to ${account} (${sources.join(', ')}); choose a protocol`);
  }
  const plan: ImportPlan = {
    source: 'libotr',
    keys: planKeys.map((key) => ({
      account: target(key.account),
      key: keyFromParts(key.parts, privateKeyFile ?? '', `the key of ${label(key.account, key.protocol)}`),
    })),
    instanceTags: tags.filter((tag) => wanted(tag.account, tag.protocol)).map((tag) => ({ account: target(tag.account), tag: tag.tag })),
    fingerprints: fingerprints
      .filter((entry) => wanted(entry.account, entry.protocol))
      .map((entry) => ({ account: target(entry.account), contact: entry.contact, fingerprint: entry.fingerprint, status: entry.status })),
    replace: options.replace ?? false,
    now: options.now ?? new Date(),
  };
  return store.applyImport(plan);
}

/** What to export to libotr files. */
export interface LibotrExportOptions {
  /** Export only this store account; default every account. */
  readonly account?: string;
  /** The libotr account name to write (only with `account`); default the store account. */
  readonly accountName?: string;
  /** The libotr protocol to write, e.g. "prpl-jabber" (Pidgin's XMPP), the default. */
  readonly protocol?: string;
  /** Replace existing files in the directory. */
  readonly overwrite?: boolean;
}

/** What an export wrote. */
export interface ExportReport {
  readonly files: string[];
  readonly keys: number;
  readonly fingerprints: number;
  readonly instanceTags: number;
}

/** Writes otr.private_key, otr.fingerprints and otr.instance_tags into `dir` (mode 0600). */
export async function exportLibotr(store: Store, dir: string, options: LibotrExportOptions = {}): Promise<ExportReport> {
  if (options.accountName !== undefined && options.account === undefined) {
    throw new StoreError('invalid', 'a libotr account name can only be given together with the account to export');
  }
  const protocol = options.protocol ?? 'prpl-jabber';
  const accounts = options.account === undefined ? store.accounts() : [options.account];
  if (options.account !== undefined && !store.accounts().includes(options.account)) {
    throw new StoreError('not-found', `there is no account ${options.account} in ${store.dir}`);
  }
  const name = (account: string): string => options.accountName ?? account;
  const keys: LibotrKey[] = [];
  const tags: LibotrInstanceTag[] = [];
  const fingerprints: Omit<LibotrFingerprint, 'trust'>[] = [];
  for (const account of accounts) {
    const key = store.existingKey(account);
    if (key !== undefined) keys.push({ account: name(account), protocol, parts: partsOf(key) });
    const tag = store.instanceTag(account);
    if (tag !== undefined) tags.push({ account: name(account), protocol, tag });
    for (const contact of store.contacts(account)) {
      for (const record of store.fingerprints(account, contact)) {
        // otr.fingerprints is OTRv3's: OTRv4 fingerprints (and our Ed448 keys) have no place in libotr's files.
        if (record.kind !== 'v3') continue;
        fingerprints.push({ contact, account: name(account), protocol, fingerprint: record.fingerprint, status: record.status });
      }
    }
  }
  try {
    if (keys.length === 0 && tags.length === 0 && fingerprints.length === 0) {
      throw new StoreError('not-found', `nothing to export: ${store.dir} holds no keys, instance tags or fingerprints`);
    }
    const fingerprintsText = encodeLibotrFingerprints(fingerprints);
    const tagsText = encodeLibotrInstanceTags(tags);
    if (!fingerprintsText.ok) throw new StoreError('invalid', `cannot export: ${fingerprintsText.problem}`);
    if (!tagsText.ok) throw new StoreError('invalid', `cannot export: ${tagsText.problem}`);
    const files = await writeExportFiles(
      dir,
      [
        { name: LIBOTR_FILES.privateKey, data: encodeLibotrPrivateKeys(keys) },
        { name: LIBOTR_FILES.fingerprints, data: fingerprintsText.value },
        { name: LIBOTR_FILES.instanceTags, data: tagsText.value },
      ],
      options.overwrite ?? false,
    );
    return { files, keys: keys.length, fingerprints: fingerprints.length, instanceTags: tags.length };
  } finally {
    for (const key of keys) key.parts.x.fill(0);
  }
}
