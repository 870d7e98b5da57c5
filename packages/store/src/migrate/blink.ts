/**
 * Migration from and to Blink. Blink keeps one OTR key for all its accounts
 * and trust per remote address, so the caller names the store account to
 * import into or export from.
 *   - 2013-2016 (python-potr): private_key.dsa and trusted_peers.
 *   - since 2016 (python3-otr): otr.key, PEM PKCS#8. It holds no trust.
 * Blink writes "verified" for both SMP and manual checks, so imported trust
 * is recorded as verified by hand, with its origin in the history.
 *
 * Blink's formats are OTRv3 only: the OTRv4 Ed448 identity and forging keys,
 * the client profile and OTRv4 fingerprints are neither imported nor exported
 * here (an export leaves them out; they stay in the store).
 */
import { makeDsaPrivateKeyFromPrivateParts, type DsaPrivateKey } from '@sotto/otr';
import { StoreError } from '../errors.js';
import { encodePemDsaKey, parsePemDsaKey, type PemDsaParts } from '../formats/pem-dsa.js';
import { encodePotrPrivateKey, parsePotrPrivateKey } from '../formats/potr-private-key.js';
import { encodePotrTrustedPeers, parsePotrTrustedPeers, type PotrTrustedPeer } from '../formats/potr-trusted-peers.js';
import type { ImportPlan, ImportReport } from '../import-plan.js';
import type { Store } from '../store.js';
import { isVerifiedStatus } from '../trust.js';
import { checkedKey, keyFromParts, orBadImport, partsOf, readImportFile, writeExportFiles } from './import-files.js';
import type { ExportReport } from './libotr.js';

/** The file names Blink uses (in its chat data directory). */
export const BLINK_FILES = { potrKey: 'private_key.dsa', trustedPeers: 'trusted_peers', pemKey: 'otr.key' } as const;

/** Options common to Blink imports. */
interface BlinkImportCommon {
  /** The store account to import into (Blink's key served all of its accounts). */
  readonly account: string;
  /** Retire (not delete) an existing different key. */
  readonly replace?: boolean;
  readonly now?: Date;
}

function plan(account: string, key: DsaPrivateKey | undefined, peers: readonly PotrTrustedPeer[], options: BlinkImportCommon): ImportPlan {
  return {
    source: 'blink',
    keys: key === undefined ? [] : [{ account, key }],
    instanceTags: [],
    fingerprints: peers.map((peer) => ({ account, contact: peer.address, fingerprint: peer.fingerprint, status: peer.verified ? 'manual' : 'unverified' })),
    replace: options.replace ?? false,
    now: options.now ?? new Date(),
  };
}

/** Imports Blink's potr-era private_key.dsa and/or trusted_peers; everything is checked before anything changes. */
export async function importBlinkPotr(
  store: Store,
  options: BlinkImportCommon & { readonly privateKeyFile?: string; readonly trustedPeersFile?: string },
): Promise<ImportReport> {
  const { privateKeyFile, trustedPeersFile } = options;
  if (privateKeyFile === undefined && trustedPeersFile === undefined) {
    throw new StoreError('invalid', 'nothing to import: give private_key.dsa or trusted_peers');
  }
  let key: DsaPrivateKey | undefined;
  if (privateKeyFile !== undefined) {
    const parts = orBadImport(parsePotrPrivateKey(await readImportFile(privateKeyFile)), privateKeyFile);
    key = keyFromParts(parts, privateKeyFile, 'the key');
    parts.x.fill(0);
  }
  const peers = trustedPeersFile === undefined ? [] : orBadImport(parsePotrTrustedPeers(await readImportFile(trustedPeersFile)), trustedPeersFile);
  return store.applyImport(plan(options.account, key, peers, options));
}

/** A key from PEM parts; PKCS#8 carries no y, which @sotto/otr's crypto derives (y = g^x mod p). */
function keyFromPemParts(parts: PemDsaParts, file: string): DsaPrivateKey {
  if (parts.y !== undefined) return keyFromParts({ ...parts, y: parts.y }, file, 'the key');
  return checkedKey(() => makeDsaPrivateKeyFromPrivateParts(parts), file, 'the key');
}

/** Imports Blink's otr.key (PEM PKCS#8, or OpenSSL's older DSA PEM); checked before anything changes. */
export async function importBlinkPem(store: Store, options: BlinkImportCommon & { readonly keyFile: string }): Promise<ImportReport> {
  const parts = orBadImport(parsePemDsaKey(await readImportFile(options.keyFile)), options.keyFile);
  const key = keyFromPemParts(parts, options.keyFile);
  parts.x.fill(0);
  return store.applyImport(plan(options.account, key, [], options));
}

function requireKey(store: Store, account: string): DsaPrivateKey {
  const key = store.existingKey(account);
  if (key === undefined) throw new StoreError('not-found', `${account} has no key in ${store.dir}`);
  return key;
}

/** Writes Blink's potr-era private_key.dsa and trusted_peers for one account into `dir` (mode 0600). */
export async function exportBlinkPotr(store: Store, dir: string, options: { readonly account: string; readonly overwrite?: boolean }): Promise<ExportReport> {
  const parts = partsOf(requireKey(store, options.account));
  try {
    const peers: PotrTrustedPeer[] = store.contacts(options.account).flatMap((contact) =>
      store
        .fingerprints(options.account, contact)
        // trusted_peers is python-potr's (OTRv3): OTRv4 fingerprints (and our Ed448 keys) have no place in Blink's files.
        .filter((record) => record.kind === 'v3')
        .map((record) => ({ address: contact, fingerprint: record.fingerprint, verified: isVerifiedStatus(record.status) })),
    );
    const peersText = encodePotrTrustedPeers(peers);
    if (!peersText.ok) throw new StoreError('invalid', `cannot export: ${peersText.problem}`);
    const files = await writeExportFiles(
      dir,
      [
        { name: BLINK_FILES.potrKey, data: encodePotrPrivateKey(parts) },
        { name: BLINK_FILES.trustedPeers, data: peersText.value },
      ],
      options.overwrite ?? false,
    );
    return { files, keys: 1, fingerprints: peers.length, instanceTags: 0 };
  } finally {
    parts.x.fill(0);
  }
}

/** Writes Blink's otr.key (PEM PKCS#8) for one account into `dir` (mode 0600). */
export async function exportBlinkPem(store: Store, dir: string, options: { readonly account: string; readonly overwrite?: boolean }): Promise<ExportReport> {
  const parts = partsOf(requireKey(store, options.account));
  try {
    const files = await writeExportFiles(dir, [{ name: BLINK_FILES.pemKey, data: encodePemDsaKey(parts) }], options.overwrite ?? false);
    return { files, keys: 1, fingerprints: 0, instanceTags: 0 };
  } finally {
    parts.x.fill(0);
  }
}
