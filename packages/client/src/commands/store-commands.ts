/**
 * `sotto keys show|import|export|regenerate` and `sotto trust
 * list|verify|forget`: argument parsing and printing around the command
 * functions of @sotto/store, on one account of the state directory.
 */
import { defaultStateDir, keysExport, keysImport, keysRegenerate, keysShow, openStore, trustForget, trustList, trustVerify, type KeyFormat, type Store } from '@sotto/store';
import { OptionError, parseArgs, type ParsedArgs } from '../cli/args.js';
import { DEFAULT_ACCOUNT } from '../cli/chat-options.js';
import { KEYS_HELP, TRUST_HELP } from '../cli/help.js';
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
