/**
 * The chat's identity: long-term key, instance tag and trust of one account
 * in a state directory, kept by @sotto/store (created on first use). The
 * client depends on this small interface only, so the store stays swappable.
 *
 * An interactive chat without --state-dir uses the default directory; when
 * another sotto already has it open (two terminals on one machine, as in the
 * README's walkthrough) it uses a numbered profile inside it instead, each
 * with its own stable identity.
 */
import { join } from 'node:path';
import type { DsaPrivateKey } from '@sotto/otr';
import { openStore, StoreError, type Store } from '@sotto/store';
import { TrustBook } from './session/trust-book.js';

/** An open identity; `close` saves pending trust and releases the directory. */
export interface Identity {
  /** The state directory in use. */
  readonly dir: string;
  readonly account: string;
  readonly privateKey: DsaPrivateKey;
  readonly instanceTag: number;
  readonly trust: TrustBook;
  close(): Promise<void>;
}

/** How many numbered profiles an interactive chat may fall back to. */
const MAX_PROFILES = 9;

async function openIn(store: Store, account: string, onWriteError: (error: unknown) => void): Promise<Identity> {
  const privateKey = await store.getOrCreateKey(account);
  const instanceTag = await store.getOrCreateInstanceTag(account);
  const trust = new TrustBook(store, account, onWriteError);
  return {
    dir: store.dir,
    account,
    privateKey,
    instanceTag,
    trust,
    close: async () => {
      await trust.flush();
      await store.close();
    },
  };
}

/**
 * Opens `account` in `dir`. With `fallbackProfiles`, a directory another live
 * sotto holds is replaced by `dir/profile-2`, `dir/profile-3`, ... (the first
 * one free). Store failures are StoreErrors naming the file.
 */
export async function openIdentity(
  dir: string,
  account: string,
  options: { readonly fallbackProfiles?: boolean; readonly onWriteError: (error: unknown) => void },
): Promise<Identity> {
  const candidates = [dir, ...(options.fallbackProfiles === true ? Array.from({ length: MAX_PROFILES - 1 }, (_, i) => join(dir, `profile-${i + 2}`)) : [])];
  let lastError: unknown;
  for (const candidate of candidates) {
    let store: Store;
    try {
      store = await openStore(candidate);
    } catch (error) {
      if (error instanceof StoreError && error.code === 'locked') {
        lastError = error;
        continue;
      }
      throw error;
    }
    try {
      return await openIn(store, account, options.onWriteError);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  throw lastError;
}
