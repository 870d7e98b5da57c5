/**
 * Where the store lives and what its files are called. The default follows
 * the XDG Base Directory specification: `$XDG_CONFIG_HOME/sotto`, else
 * `~/.config/sotto` (a relative XDG_CONFIG_HOME is ignored, as the spec asks).
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The default state directory: `$XDG_CONFIG_HOME/sotto` or `~/.config/sotto`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME;
  if (configHome !== undefined && configHome !== '' && isAbsolute(configHome)) return join(configHome, 'sotto');
  return join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(), '.config', 'sotto');
}

/** The store's files, all inside the state directory. */
export const FILES = {
  /** Long-term DSA keys, one per account. */
  keys: 'keys.json',
  /** Keys replaced by `regenerate` or by an import, kept so nothing is ever lost. */
  retiredKeys: 'retired-keys.json',
  /** Our instance tag per account. */
  instanceTags: 'instance-tags.json',
  /** Fingerprints seen per contact, with their status and history. */
  trust: 'trust.json',
  /** Per-contact settings and the global logging switch. */
  settings: 'settings.json',
  /** SIP accounts: address, password, proxy, relay, transport (accounts/accounts-file.ts). */
  accounts: 'accounts.json',
  /** The message history, an SQLite database (history/schema.ts). */
  history: 'history.sqlite',
  /** The exclusive lock of a running process. */
  lock: 'lock',
} as const;

/** Every data file the store reads at open, in the order it reads them. */
export const DATA_FILES = [FILES.keys, FILES.retiredKeys, FILES.instanceTags, FILES.trust, FILES.settings] as const;
