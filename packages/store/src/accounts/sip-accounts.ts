/**
 * The SIP accounts of a state directory (`accounts.json`, see
 * accounts-file.ts), kept beside an open Store whose lock covers them.
 * Like the Store: read and checked once, kept in memory, each change
 * written atomically (mode 0600) before memory is updated, changes one at a
 * time in call order.
 */
import { join } from 'node:path';
import { StoreError } from '../errors.js';
import { readPrivateFile, writeFileAtomic } from '../atomic-file.js';
import { FILES } from '../paths.js';
import { escapeUnsafe } from '../safe-text.js';
import type { Store } from '../store.js';
import { MAX_SIP_ACCOUNTS, checkSipAccount, decodeAccountsFile, encodeAccountsFile, type SipAccount, type SipTransport } from './accounts-file.js';
import { normalizeSipAddress } from './sip-address.js';

/** What `add` takes: an account without its date; the transport defaults to tls. */
export type NewSipAccount = Omit<SipAccount, 'addedAt' | 'transport'> & { readonly transport?: SipTransport };

/** An account as listed: everything but the password. */
export type SipAccountSummary = Omit<SipAccount, 'password'>;

function summary(account: SipAccount): SipAccountSummary {
  const { password: _password, ...rest } = account;
  return rest;
}

/** The SIP accounts of one open store. Obtain with {@link openSipAccounts}. */
export class SipAccounts {
  #accounts: Map<string, SipAccount>;
  #queue: Promise<unknown> = Promise.resolve();

  /** @internal Use `openSipAccounts`. */
  constructor(
    private readonly store: Store,
    /** The file, `<state dir>/accounts.json`. */
    readonly path: string,
    accounts: Map<string, SipAccount>,
  ) {
    this.#accounts = accounts;
  }

  #assertOpen(): void {
    if (this.store.closed) throw new StoreError('invalid', `the store of ${this.store.dir} is closed`, this.store.dir);
  }

  #serialize<T>(change: () => Promise<T>): Promise<T> {
    if (this.store.closed) return Promise.reject(new StoreError('invalid', `the store of ${this.store.dir} is closed`, this.store.dir));
    const run = this.#queue.then(change);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Every account, sorted by address, without passwords. */
  list(): SipAccountSummary[] {
    this.#assertOpen();
    return [...this.#accounts.keys()].sort().map((address) => summary(this.#accounts.get(address) as SipAccount));
  }

  /** The account with its password (for registering), or undefined. `address` may use any case of scheme and domain. */
  get(address: string): SipAccount | undefined {
    this.#assertOpen();
    return this.#accounts.get(normalizeSipAddress(address));
  }

  /**
   * Adds an account after checking it; 'invalid' for a bad address, password,
   * host, port, transport or CA path, 'exists' if the address is already
   * there (remove it first), 'invalid' beyond {@link MAX_SIP_ACCOUNTS}.
   */
  add(account: NewSipAccount, now: Date = new Date()): Promise<SipAccountSummary> {
    return this.#serialize(async () => {
      const checked = checkSipAccount({ ...account, transport: account.transport ?? 'tls', addedAt: now.toISOString() });
      if (this.#accounts.has(checked.address)) {
        throw new StoreError('exists', `${escapeUnsafe(checked.address)} is already an account; remove it first to change it`, this.path);
      }
      if (this.#accounts.size >= MAX_SIP_ACCOUNTS) throw new StoreError('invalid', `at most ${MAX_SIP_ACCOUNTS} SIP accounts can be kept`, this.path);
      const next = new Map(this.#accounts).set(checked.address, checked);
      await writeFileAtomic(this.path, encodeAccountsFile(next));
      this.#accounts = next;
      return summary(checked);
    });
  }

  /** Removes an account; 'not-found' if there is none at that address. */
  remove(address: string): Promise<void> {
    return this.#serialize(async () => {
      const normalized = normalizeSipAddress(address);
      if (!this.#accounts.has(normalized)) throw new StoreError('not-found', `there is no account ${escapeUnsafe(normalized)}`, this.path);
      const next = new Map(this.#accounts);
      next.delete(normalized);
      await writeFileAtomic(this.path, encodeAccountsFile(next));
      this.#accounts = next;
    });
  }

  /** Waits for the changes under way. The store's `close()` releases the directory. */
  async settled(): Promise<void> {
    await this.#queue;
  }
}

/**
 * The SIP accounts of `store`'s directory, read from `accounts.json` (none
 * if it does not exist). 'permission' if the file is open to other users,
 * 'corrupt' if it does not check.
 */
export async function openSipAccounts(store: Store): Promise<SipAccounts> {
  if (store.closed) throw new StoreError('invalid', `the store of ${store.dir} is closed`, store.dir);
  const path = join(store.dir, FILES.accounts);
  const bytes = await readPrivateFile(path);
  return new SipAccounts(store, path, bytes === undefined ? new Map<string, SipAccount>() : decodeAccountsFile(bytes, path));
}
