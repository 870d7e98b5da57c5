/**
 * The chat's identity: long-term keys (DSA, and Ed448 for OTRv4 with its
 * client profile), instance tag and trust of one account
 * in a state directory, kept by @sotto/store (created on first use). The
 * client depends on this small interface only, so the store stays swappable.
 *
 * An interactive chat without --state-dir uses the default directory; when
 * another sotto already has it open (two terminals on one machine, as in the
 * README's walkthrough) it uses a numbered profile inside it instead, each
 * with its own stable identity.
 */
import { join } from 'node:path';
import { ed448PublicKeyFromBytes, type DsaPrivateKey, type Ed448KeyPair, type Ed448Point } from '@sotto/otr';
import { openStore, StoreError, type Store } from '@sotto/store';
import { TrustBook } from './session/trust-book.js';

/** The account's OTRv4 identity, as the chat gives it to the library (the store owns the key pair: never wiped here). */
export interface ChatV4Identity {
  readonly identityKey: Ed448KeyPair;
  readonly forgingKey: Ed448Point;
  /** 112 lower-case hex digits. */
  readonly fingerprint: string;
  /** Our stored client profile when the store finds it still usable now; absent, the library makes one (and reports it to be saved). */
  readonly profile?: Uint8Array;
}

/** An open identity; `close` saves pending trust and releases the directory. */
export interface Identity {
  /** The state directory in use. */
  readonly dir: string;
  readonly account: string;
  readonly privateKey: DsaPrivateKey;
  readonly instanceTag: number;
  readonly trust: TrustBook;
  /** The OTRv4 identity (created on first use, only when asked for with `v4`). */
  readonly v4?: ChatV4Identity;
  /** Saves a client profile the library made or refreshed; failures go to `onWriteError`, `close` waits for it. */
  saveClientProfile(encoded: Uint8Array, expiresAt: number): void;
  close(): Promise<void>;
}

/** How many numbered profiles an interactive chat may fall back to. */
const MAX_PROFILES = 9;

/** The account's v4 identity from the store, created on first use, with the stored profile when it is still good. */
async function v4In(store: Store, account: string): Promise<ChatV4Identity> {
  const stored = await store.getOrCreateV4Identity(account);
  const profile = store.clientProfile(account, new Date());
  return {
    identityKey: stored.identityKey,
    forgingKey: ed448PublicKeyFromBytes(stored.forgingPublicKey),
    fingerprint: stored.fingerprint,
    ...(profile.status === 'ok' ? { profile: profile.encoded } : {}),
  };
}

async function openIn(store: Store, account: string, options: OpenOptions): Promise<Identity> {
  const privateKey = await store.getOrCreateKey(account);
  const instanceTag = await store.getOrCreateInstanceTag(account);
  const v4 = options.v4 === true ? await v4In(store, account) : undefined;
  const trust = new TrustBook(store, account, options.onWriteError);
  const pending = new Set<Promise<void>>();
  return {
    dir: store.dir,
    account,
    privateKey,
    instanceTag,
    trust,
    ...(v4 === undefined ? {} : { v4 }),
    saveClientProfile: (encoded, expiresAt) => {
      const write = store.saveClientProfile(account, encoded, expiresAt).catch(options.onWriteError);
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    close: async () => {
      await trust.flush();
      await Promise.all([...pending]);
      await store.close();
    },
  };
}

/** How an identity is opened. */
export interface OpenOptions {
  /** Fall back to numbered profiles when the directory is in use. */
  readonly fallbackProfiles?: boolean;
  /** Also open (creating on first use) the account's OTRv4 identity. */
  readonly v4?: boolean;
  readonly onWriteError: (error: unknown) => void;
}

/**
 * Opens `account` in `dir`. With `fallbackProfiles`, a directory another live
 * sotto holds is replaced by `dir/profile-2`, `dir/profile-3`, ... (the first
 * one free). Store failures are StoreErrors naming the file.
 */
export async function openIdentity(
  dir: string,
  account: string,
  options: OpenOptions,
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
      return await openIn(store, account, options);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  throw lastError;
}
