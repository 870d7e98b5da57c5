/**
 * `sotto keys show|import|export|regenerate`, `sotto trust
 * list|verify|forget`, `sotto account add|list|remove`, `sotto history
 * show|peers` and `sotto logging on|off|status`: argument parsing and
 * printing around @sotto/store, on the state directory.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  defaultStateDir,
  formatHostPort,
  keysExport,
  keysImport,
  keysRegenerate,
  keysShow,
  isSipAddress,
  normalizeSipAddress,
  openHistory,
  openSipAccounts,
  openStore,
  trustForget,
  trustList,
  trustVerify,
  type KeyFormat,
  type SipAccountSummary,
  type SipTransport,
  type Store,
} from '@sotto/store';
import { OptionError, noPositionals, parseArgs, parseHostPort, parsePositiveInteger, type ParsedArgs } from '../cli/args.js';
import { DEFAULT_ACCOUNT } from '../cli/chat-options.js';
import { ACCOUNT_HELP, HISTORY_HELP, KEYS_HELP, LOGGING_HELP, TRUST_HELP } from '../cli/help.js';
import { promptPassword, readPasswordFile } from '../cli/password.js';
import { renderHistory } from '../terminal/history-view.js';
import type { Io } from '../cli/io.js';
import { sanitizeLines } from '../terminal/sanitize.js';

const COMMON = { '--state-dir': 'value', '--account': 'value' } as const;
const KEYS_SPEC = {
  ...COMMON,
  '--format': 'value',
  '--from': 'value',
  '--to': 'value',
  '--dir': 'value',
  '--key-file': 'value',
  '--trust-file': 'value',
  '--instance-tags-file': 'value',
  '--account-name': 'value',
  '--protocol': 'value',
  '--replace': 'switch',
  '--overwrite': 'switch',
} as const;

/** Which options each keys subcommand takes (the rest are refused). */
const KEYS_OPTIONS: Record<string, readonly string[]> = {
  show: [],
  regenerate: [],
  import: ['--format', '--from', '--dir', '--key-file', '--trust-file', '--instance-tags-file', '--account-name', '--protocol', '--replace'],
  export: ['--format', '--to', '--dir', '--account-name', '--protocol', '--overwrite'],
};

function keyFormat(value: string | undefined): KeyFormat {
  if (value === 'libotr' || value === 'blink-potr' || value === 'blink-pem') return value;
  throw new OptionError(value === undefined ? '--format is required: libotr, blink-potr or blink-pem' : `--format must be libotr, blink-potr or blink-pem, got "${value}"`);
}

function onlyOptions(parsed: ParsedArgs, allowed: readonly string[], usage: string): void {
  for (const name of [...parsed.values.keys(), ...parsed.switches]) {
    if (!(name in COMMON) && !allowed.includes(name)) throw new OptionError(`${usage} does not take ${name} (see ${usage} --help)`);
  }
}

async function withStore(parsed: ParsedArgs, io: Io, body: (store: Store, account: string) => Promise<string>): Promise<number> {
  const account = parsed.values.get('--account') ?? DEFAULT_ACCOUNT;
  if (account === '') throw new OptionError('--account must not be empty');
  const store = await openStore(parsed.values.get('--state-dir') ?? defaultStateDir(io.env));
  try {
    // The store escapes the names it lists; escaping again here keeps any other text from reaching the terminal raw.
    io.stdout.write(`${sanitizeLines(await body(store, account))}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Copies the options that are set, under the store's names. */
function optional(parsed: ParsedArgs, names: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [flag, key] of Object.entries(names)) {
    const value = parsed.values.get(flag);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Runs `sotto keys ARGS`. */
export async function keysCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, KEYS_SPEC, 'sotto keys');
  const [sub, extra] = parsed.positionals;
  if (parsed.help || sub === undefined) {
    // Asked for, help goes to stdout; as the answer to a missing subcommand it is an error message.
    (parsed.help ? io.stdout : io.stderr).write(KEYS_HELP);
    return parsed.help ? 0 : 2;
  }
  const allowed = KEYS_OPTIONS[sub];
  if (allowed === undefined) throw new OptionError(`unknown keys command "${sub}": use show, import, export or regenerate`);
  if (extra !== undefined) throw new OptionError(`unexpected argument "${extra}" (see sotto keys --help)`);
  onlyOptions(parsed, allowed, `sotto keys ${sub}`);
  const format = sub === 'import' || sub === 'export' ? keyFormat(parsed.values.get('--format')) : undefined;
  return withStore(parsed, io, async (store, account) => {
    switch (sub) {
      case 'show':
        // Creating on first use is what chat does too; "show" then tells the user who they are.
        await store.getOrCreateKey(account);
        await store.getOrCreateInstanceTag(account);
        // Both fingerprints: the DSA key's (v2, v3) and the OTRv4 one, as chat uses both.
        await store.getOrCreateV4Identity(account);
        return keysShow(store, account).text;
      case 'regenerate':
        return (await keysRegenerate(store, account)).text;
      case 'import': {
        const from = parsed.values.get('--from') ?? parsed.values.get('--dir');
        const report = await keysImport(store, {
          format: format ?? 'libotr',
          account,
          replace: parsed.switches.has('--replace'),
          ...(from === undefined ? {} : { dir: from }),
          ...optional(parsed, { '--key-file': 'keyFile', '--trust-file': 'trustFile', '--instance-tags-file': 'instanceTagsFile', '--account-name': 'accountName', '--protocol': 'protocol' }),
        });
        return report.text;
      }
      default: {
        const to = parsed.values.get('--to') ?? parsed.values.get('--dir');
        if (to === undefined) throw new OptionError('sotto keys export needs --to DIR');
        const report = await keysExport(store, {
          format: format ?? 'libotr',
          dir: to,
          account,
          overwrite: parsed.switches.has('--overwrite'),
          ...optional(parsed, { '--account-name': 'accountName', '--protocol': 'protocol' }),
        });
        return report.text;
      }
    }
  });
}

/** Runs `sotto trust ARGS`. */
export async function trustCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, COMMON, 'sotto trust');
  const [sub, peer, ...rest] = parsed.positionals;
  if (parsed.help || sub === undefined) {
    (parsed.help ? io.stdout : io.stderr).write(TRUST_HELP);
    return parsed.help ? 0 : 2;
  }
  // A fingerprint may be typed as libotr shows it, in five groups: join them.
  const fingerprint = rest.length === 0 ? undefined : rest.join('');
  switch (sub) {
    case 'list':
      if (rest.length > 0) throw new OptionError('usage: sotto trust list [PEER]');
      return withStore(parsed, io, (store, account) => Promise.resolve(trustList(store, account, peer).text));
    case 'verify':
      if (peer === undefined || fingerprint === undefined) throw new OptionError('usage: sotto trust verify PEER FINGERPRINT');
      return withStore(parsed, io, async (store, account) => (await trustVerify(store, account, peer, fingerprint, new Date())).text);
    case 'forget':
      if (peer === undefined) throw new OptionError('usage: sotto trust forget PEER [FINGERPRINT]');
      return withStore(parsed, io, async (store, account) => (await trustForget(store, account, peer, fingerprint)).text);
    default:
      throw new OptionError(`unknown trust command "${sub}": use list, verify or forget`);
  }
}

/** Opens the state directory (--state-dir), runs `body`, prints its text (escaped), closes. */
async function withStateDir(parsed: ParsedArgs, io: Io, body: (store: Store) => Promise<string>): Promise<number> {
  const store = await openStore(parsed.values.get('--state-dir') ?? defaultStateDir(io.env));
  try {
    io.stdout.write(`${sanitizeLines(await body(store))}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Prints a command's help (asked for: stdout, status 0; a missing subcommand: stderr, status 2). */
function helpAnswer(parsed: ParsedArgs, io: Io, help: string): number {
  (parsed.help ? io.stdout : io.stderr).write(help);
  return parsed.help ? 0 : 2;
}

function transport(value: string | undefined, flag: string): SipTransport | undefined {
  if (value === undefined || value === 'tcp' || value === 'tls') return value;
  throw new OptionError(`${flag} must be tcp or tls, got "${value}"`);
}

/** One account as `account list` shows it: everything but the password. */
function describeAccount(account: SipAccountSummary): string {
  const parts = [`transport ${account.transport}`];
  if (account.outboundProxy !== undefined) parts.push(`proxy ${formatHostPort(account.outboundProxy)}`);
  if (account.msrpRelay !== undefined) parts.push(`MSRP relay ${formatHostPort(account.msrpRelay)} (${account.msrpRelay.transport})`);
  if (account.caFile !== undefined) parts.push(`CA file ${account.caFile}`);
  if (account.certificateFingerprint !== undefined) parts.push(`trusted certificate ${account.certificateFingerprint}`);
  return `${account.address}: ${parts.join(', ')} (added ${account.addedAt})`;
}

/** The CA file's absolute path, after checking it holds a PEM certificate. */
async function caFile(path: string): Promise<string> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new OptionError(`cannot read the CA file ${absolute}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new OptionError(`${absolute} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return absolute;
}

const ACCOUNT_SPEC = {
  '--state-dir': 'value',
  '--password-file': 'value',
  '--proxy': 'value',
  '--transport': 'value',
  '--msrp-relay': 'value',
  '--msrp-transport': 'value',
  '--ca-file': 'value',
  '--cert-fingerprint': 'value',
} as const;

/** Runs `sotto account ARGS`. */
export async function accountCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, ACCOUNT_SPEC, 'sotto account');
  const [sub, address, extra] = parsed.positionals;
  if (parsed.help || sub === undefined) return helpAnswer(parsed, io, ACCOUNT_HELP);
  if (extra !== undefined) throw new OptionError(`unexpected argument "${extra}" (see sotto account --help)`);
  const addOnly = Object.keys(ACCOUNT_SPEC).filter((name) => name !== '--state-dir');
  if (sub !== 'add') onlyOptions(parsed, [], `sotto account ${sub}`);
  switch (sub) {
    case 'list':
      if (address !== undefined) throw new OptionError('usage: sotto account list');
      return withStateDir(parsed, io, async (store) => {
        const accounts = (await openSipAccounts(store)).list();
        return accounts.length === 0 ? 'no SIP accounts yet (add one with: sotto account add sip:user@domain)' : accounts.map(describeAccount).join('\n');
      });
    case 'remove':
      if (address === undefined) throw new OptionError('usage: sotto account remove sip:user@domain');
      return withStateDir(parsed, io, async (store) => {
        await (await openSipAccounts(store)).remove(address);
        return `removed ${normalizeSipAddress(address)} (its keys, trust and history are kept)`;
      });
    case 'add': {
      onlyOptions(parsed, addOnly, 'sotto account add');
      if (address === undefined) throw new OptionError('usage: sotto account add sip:user@domain [options]');
      const normalized = normalizeSipAddress(address);
      const value = (flag: string): string | undefined => parsed.values.get(flag);
      const proxy = value('--proxy');
      const relay = value('--msrp-relay');
      const sipTransport = transport(value('--transport'), '--transport') ?? 'tls';
      const relayTransport = transport(value('--msrp-transport'), '--msrp-transport');
      if (relayTransport !== undefined && relay === undefined) throw new OptionError('--msrp-transport needs --msrp-relay HOST:PORT');
      const ca = value('--ca-file');
      const certificate = value('--cert-fingerprint');
      const passwordFile = value('--password-file');
      const fields = {
        address: normalized,
        transport: sipTransport,
        ...(proxy === undefined ? {} : { outboundProxy: parseHostPort(proxy, '--proxy') }),
        ...(relay === undefined ? {} : { msrpRelay: { ...parseHostPort(relay, '--msrp-relay'), transport: relayTransport ?? sipTransport } }),
        ...(ca === undefined ? {} : { caFile: await caFile(ca) }),
        ...(certificate === undefined ? {} : { certificateFingerprint: certificate }),
      };
      const password = passwordFile === undefined ? await promptPassword(io, `Password for ${normalized}: `) : await readPasswordFile(passwordFile);
      return withStateDir(parsed, io, async (store) => {
        const added = await (await openSipAccounts(store)).add({ ...fields, password });
        return `added ${describeAccount(added)}\nthe password is stored in ${store.dir}/accounts.json (mode 0600)`;
      });
    }
    default:
      throw new OptionError(`unknown account command "${sub}": use add, list or remove`);
  }
}

/** A SIP address in the store's spelling; anything else (an echo-network address) as given. */
const sipOrAsGiven = (text: string): string => (isSipAddress(text) ? normalizeSipAddress(text) : text);

const HISTORY_SPEC = { '--state-dir': 'value', '--account': 'value', '--search': 'value', '--limit': 'value' } as const;

/** Runs `sotto history ARGS`. */
export async function historyCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, HISTORY_SPEC, 'sotto history');
  const [sub, peer, extra] = parsed.positionals;
  if (parsed.help || sub === undefined) return helpAnswer(parsed, io, HISTORY_HELP);
  if (extra !== undefined) throw new OptionError(`unexpected argument "${extra}" (see sotto history --help)`);
  const accountText = parsed.values.get('--account');
  const account = accountText === undefined ? undefined : sipOrAsGiven(accountText);
  const limitText = parsed.values.get('--limit');
  const limit = limitText === undefined ? undefined : parsePositiveInteger(limitText, '--limit');
  const search = parsed.values.get('--search');
  if (sub !== 'show' && sub !== 'peers') throw new OptionError(`unknown history command "${sub}": use show or peers`);
  if (sub === 'show' && peer === undefined && search === undefined) throw new OptionError('usage: sotto history show sip:user@domain [--search TEXT]');
  if (sub === 'peers' && (peer !== undefined || search !== undefined)) throw new OptionError('usage: sotto history peers [--account sip:user@domain]');
  return withStateDir(parsed, io, (store) => {
    const history = openHistory(store);
    try {
      const off = history.loggingEnabled ? [] : ['(logging is off: nothing new is recorded; turn it on with: sotto logging on)'];
      if (sub === 'peers') {
        const peers = history.peers(account, limit);
        const lines = peers.map((entry) => `${entry.peer}  ${entry.messages} message(s), last ${entry.lastTime.toISOString()}${account === undefined ? `  (account ${entry.account})` : ''}`);
        return Promise.resolve([...(lines.length === 0 ? ['no recorded conversations'] : lines), ...off].join('\n'));
      }
      const who = peer === undefined ? undefined : sipOrAsGiven(peer);
      const options = limit === undefined ? {} : { limit };
      const page =
        search === undefined ? history.messages(account, who ?? '', options) : history.search(account, search, { ...options, ...(who === undefined ? {} : { peer: who }) });
      const older = page.hasOlder ? [`(older messages not shown; use --limit N for more)`] : [];
      const body = page.messages.length === 0 ? [search === undefined ? 'no recorded messages' : 'no recorded message matches'] : renderHistory(page.messages);
      return Promise.resolve([...older, ...body, ...off].join('\n'));
    } finally {
      history.close();
    }
  });
}

/** Runs `sotto logging on|off|status`. */
export async function loggingCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, { '--state-dir': 'value' }, 'sotto logging');
  const [sub, ...rest] = parsed.positionals;
  if (parsed.help || sub === undefined) return helpAnswer(parsed, io, LOGGING_HELP);
  noPositionals({ ...parsed, positionals: rest }, 'sotto logging');
  if (sub !== 'on' && sub !== 'off' && sub !== 'status') throw new OptionError(`unknown logging command "${sub}": use on, off or status`);
  return withStateDir(parsed, io, async (store) => {
    if (sub !== 'status') await store.setLogging(sub === 'on');
    return store.loggingEnabled()
      ? `logging is on: messages are recorded, with their encryption status, in ${store.dir}/history.sqlite`
      : 'logging is off: no message is recorded';
  });
}
