/**
 * What the `sotto keys ...` and `sotto trust ...` commands do, as functions
 * over an open store. Each returns structured data (for --json) and `text`
 * (lines for a person). Failures are StoreErrors with messages fit to show.
 * The client parses arguments, opens the store with --state-dir, prints.
 */
import { StoreError } from './errors.js';
import { displayFingerprint, FINGERPRINT_HEX_LENGTH, humanFingerprint, requireFingerprint } from './fingerprint-text.js';
import type { ImportReport } from './import-plan.js';
import { exportBlinkPem, exportBlinkPotr, importBlinkPem, importBlinkPotr } from './migrate/blink.js';
import { exportLibotr, importLibotr, libotrFilesIn, type ExportReport } from './migrate/libotr.js';
import { escapeUnsafe } from './safe-text.js';
import type { KeyInfo, RetiredKeyInfo, Store } from './store.js';
import { isVerifiedStatus, type FingerprintRecord } from './trust.js';

/** The formats `keys import` and `keys export` understand. */
export type KeyFormat = 'libotr' | 'blink-potr' | 'blink-pem';

const describeStatus = (record: FingerprintRecord): string =>
  record.status === 'smp' ? 'verified (SMP)' : record.status === 'manual' ? 'verified (by hand)' : 'unverified';

/** The lines under an account's key giving its OTRv4 fingerprint (two lines of 7 groups of 8 hex), when it has one. */
function v4Line(info: KeyInfo, indent = '  '): string[] {
  const label = `${indent}OTRv4: `;
  return info.v4 === undefined ? [] : [`${label}${displayFingerprint(info.v4.fingerprint, label.length)} (since ${info.v4.createdAt})`];
}

/** `sotto keys show [account]`: our fingerprints (OTRv3 and OTRv4), instance tags and retired keys. */
export function keysShow(store: Store, account?: string): { keys: (KeyInfo & { instanceTag?: number })[]; retired: RetiredKeyInfo[]; text: string } {
  const keys = store.keys(account).map((info): KeyInfo & { instanceTag?: number } => {
    const tag = store.instanceTag(info.account);
    return tag === undefined ? info : { ...info, instanceTag: tag };
  });
  if (account !== undefined && keys.length === 0) throw new StoreError('not-found', `${account} has no key yet in ${store.dir}`);
  const retired = store.retiredKeys(account);
  const lines = keys.flatMap((info) => [
    `${info.account}: ${humanFingerprint(info.fingerprint)} (since ${info.createdAt}${info.instanceTag === undefined ? '' : `, instance tag ${info.instanceTag.toString(16).padStart(8, '0')}`})`,
    ...v4Line(info),
  ]);
  if (keys.length === 0) lines.push(`no keys yet in ${store.dir}`);
  for (const old of retired) lines.push(`retired ${old.account}: ${humanFingerprint(old.fingerprint)} (${old.reason} ${old.retiredAt})`, ...v4Line(old));
  return { keys, retired, text: lines.join('\n') };
}

/**
 * `sotto keys regenerate <account>`: a new identity, DSA key and OTRv4 keys
 * together; the old ones are kept in retired-keys.json. `fingerprint` and
 * `old` are the DSA key's (40 hex), `v4Fingerprint` and `oldV4` the OTRv4
 * identity's (112 hex).
 */
export async function keysRegenerate(
  store: Store,
  account: string,
): Promise<{ account: string; old?: string; fingerprint: string; oldV4?: string; v4Fingerprint: string; text: string }> {
  const before = store.keys(account)[0];
  const old = before?.fingerprint;
  const oldV4 = before?.v4?.fingerprint;
  await store.regenerateKey(account);
  const after = store.keys(account)[0];
  const fingerprint = after?.fingerprint ?? '';
  const v4Fingerprint = after?.v4?.fingerprint ?? '';
  const text =
    `${account}: new key ${humanFingerprint(fingerprint)}\n  OTRv4: ${displayFingerprint(v4Fingerprint, 9)}` +
    (old === undefined
      ? ''
      : `\n${oldV4 === undefined ? `the old key ${humanFingerprint(old)} is` : `the old keys ${humanFingerprint(old)} and OTRv4\n  ${displayFingerprint(oldV4, 2)}\nare`} kept in retired-keys.json; contacts will see new fingerprints and must verify you again`);
  return { account, ...(old === undefined ? {} : { old }), fingerprint, ...(oldV4 === undefined ? {} : { oldV4 }), v4Fingerprint, text };
}

/** Options of `sotto keys import`. */
export interface KeysImportOptions {
  readonly format: KeyFormat;
  /** libotr: a directory holding otr.private_key / otr.fingerprints / otr.instance_tags (e.g. ~/.purple). */
  readonly dir?: string;
  /** libotr: otr.private_key; blink-potr: private_key.dsa; blink-pem: otr.key. */
  readonly keyFile?: string;
  /** libotr: otr.fingerprints; blink-potr: trusted_peers. */
  readonly trustFile?: string;
  /** libotr: otr.instance_tags. */
  readonly instanceTagsFile?: string;
  /** libotr: which account to take (its name in the files); Blink: not used. */
  readonly accountName?: string;
  /** libotr: which protocol to take. */
  readonly protocol?: string;
  /** The store account to import into (required for Blink, optional for libotr). */
  readonly account?: string;
  /** Retire an existing different key (it is kept) and use the imported one. */
  readonly replace?: boolean;
}

function describeImport(report: ImportReport): string {
  const lines: string[] = [];
  for (const key of report.keys) lines.push(`key of ${key.account}: ${humanFingerprint(key.fingerprint)} (${key.result})`);
  for (const tag of report.instanceTags) lines.push(`instance tag of ${tag.account}: ${tag.tag.toString(16).padStart(8, '0')} (${tag.result})`);
  const counts = { added: 0, upgraded: 0, kept: 0 };
  for (const entry of report.fingerprints) counts[entry.result]++;
  if (report.fingerprints.length > 0) lines.push(`fingerprints: ${counts.added} added, ${counts.upgraded} newly verified, ${counts.kept} already known`);
  return lines.length === 0 ? 'nothing to import' : lines.join('\n');
}

/** `sotto keys import`: reads another client's files into the store (all checked before anything changes). */
export async function keysImport(store: Store, options: KeysImportOptions): Promise<ImportReport & { text: string }> {
  const common = { ...(options.replace === undefined ? {} : { replace: options.replace }) };
  let report: ImportReport;
  switch (options.format) {
    case 'libotr': {
      const found = options.dir === undefined ? {} : await libotrFilesIn(options.dir);
      report = await importLibotr(store, {
        ...found,
        ...(options.keyFile === undefined ? {} : { privateKeyFile: options.keyFile }),
        ...(options.trustFile === undefined ? {} : { fingerprintsFile: options.trustFile }),
        ...(options.instanceTagsFile === undefined ? {} : { instanceTagsFile: options.instanceTagsFile }),
        ...(options.accountName === undefined ? {} : { accountName: options.accountName }),
        ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
        ...(options.account === undefined ? {} : { intoAccount: options.account }),
        ...common,
      });
      break;
    }
    case 'blink-potr':
    case 'blink-pem': {
      if (options.account === undefined) throw new StoreError('invalid', 'Blink keeps one key for all accounts: say which account to import it into');
      if (options.format === 'blink-pem') {
        if (options.keyFile === undefined) throw new StoreError('invalid', 'give the otr.key file to import');
        report = await importBlinkPem(store, { account: options.account, keyFile: options.keyFile, ...common });
      } else {
        report = await importBlinkPotr(store, {
          account: options.account,
          ...(options.keyFile === undefined ? {} : { privateKeyFile: options.keyFile }),
          ...(options.trustFile === undefined ? {} : { trustedPeersFile: options.trustFile }),
          ...common,
        });
      }
      break;
    }
  }
  return { ...report, text: describeImport(report) };
}

/** Options of `sotto keys export`. */
export interface KeysExportOptions {
  readonly format: KeyFormat;
  /** The directory to write into (created 0700 if absent). */
  readonly dir: string;
  /** The store account (required for Blink formats; libotr defaults to all). */
  readonly account?: string;
  /** libotr: the account name and protocol to write. */
  readonly accountName?: string;
  readonly protocol?: string;
  /** Replace files already in `dir`. */
  readonly overwrite?: boolean;
}

/** `sotto keys export`: writes the key (and trust where the format has it) for another client. Files are 0600. */
export async function keysExport(store: Store, options: KeysExportOptions): Promise<ExportReport & { text: string }> {
  const overwrite = options.overwrite ?? false;
  let report: ExportReport;
  if (options.format === 'libotr') {
    report = await exportLibotr(store, options.dir, {
      overwrite,
      ...(options.account === undefined ? {} : { account: options.account }),
      ...(options.accountName === undefined ? {} : { accountName: options.accountName }),
      ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
    });
  } else {
    if (options.account === undefined) throw new StoreError('invalid', 'say which account to export for Blink');
    const exporter = options.format === 'blink-pem' ? exportBlinkPem : exportBlinkPotr;
    report = await exporter(store, options.dir, { account: options.account, overwrite });
  }
  const text = `wrote ${report.files.join(', ')} (${report.keys} key(s), ${report.fingerprints} fingerprint(s)); they hold your private key: keep them private`;
  return { ...report, text };
}

/** `sotto trust list <account> [contact]`: fingerprints per contact with status and dates. */
export function trustList(store: Store, account: string, contact?: string): { contacts: { contact: string; fingerprints: FingerprintRecord[] }[]; text: string } {
  const names = contact === undefined ? store.contacts(account) : [contact];
  const contacts = names.map((name) => ({ contact: name, fingerprints: store.fingerprints(account, name) }));
  if (contact !== undefined && contacts[0]?.fingerprints.length === 0) {
    throw new StoreError('not-found', `${escapeUnsafe(account)} has no fingerprints recorded for ${escapeUnsafe(contact)}`);
  }
  const lines: string[] = [];
  for (const entry of contacts) {
    // A name written before names were checked may hold terminal escapes: show them, never run them.
    lines.push(escapeUnsafe(entry.contact));
    for (const record of entry.fingerprints) {
      const kind = record.kind === 'v4' ? ' (OTRv4)' : '';
      lines.push(`  ${displayFingerprint(record.fingerprint, 2)}${kind}  ${describeStatus(record)}  first seen ${record.firstSeen}, last seen ${record.lastSeen}`);
    }
  }
  return { contacts, text: lines.length === 0 ? `${escapeUnsafe(account)} has no fingerprints recorded` : lines.join('\n') };
}

/** `sotto trust verify <account> <contact> <fingerprint>`: marks a fingerprint verified by hand. */
export async function trustVerify(store: Store, account: string, contact: string, fingerprintText: string, now: Date): Promise<{ fingerprint: string; seenBefore: boolean; text: string }> {
  const fingerprint = requireFingerprint(fingerprintText);
  const seenBefore = store.fingerprints(account, contact).some((record) => record.fingerprint === fingerprint);
  const wasVerified = store.isVerified(account, contact, fingerprint);
  await store.setTrust(account, contact, fingerprint, 'manual', now, 'user');
  const text =
    `${escapeUnsafe(contact)}:${fingerprint.length === FINGERPRINT_HEX_LENGTH.v4 ? '\n  ' : ' '}${displayFingerprint(fingerprint, 2)} ${wasVerified ? 'was already verified' : 'is now verified'}` +
    (seenBefore ? '' : ` (not seen in a conversation yet; it will be trusted when ${escapeUnsafe(contact)} uses it)`);
  return { fingerprint, seenBefore, text };
}

/** `sotto trust forget <account> <contact> [fingerprint]`: removes one or all of a contact's fingerprints. */
export async function trustForget(store: Store, account: string, contact: string, fingerprintText?: string): Promise<{ removed: string[]; text: string }> {
  const records = store.fingerprints(account, contact);
  const fingerprint = fingerprintText === undefined ? undefined : requireFingerprint(fingerprintText);
  await store.forget(account, contact, fingerprint);
  const removed = records.filter((record) => fingerprint === undefined || record.fingerprint === fingerprint);
  const verified = removed.filter((record) => isVerifiedStatus(record.status)).length;
  const text = `${escapeUnsafe(contact)}: forgot ${removed.length} fingerprint(s)${verified > 0 ? `, ${verified} of them verified` : ''}`;
  return { removed: removed.map((record) => record.fingerprint), text };
}
