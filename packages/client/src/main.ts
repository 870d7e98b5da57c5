/**
 * The `sotto` command: `relay`, `chat` (interactive or --json), `keys show`
 * and `trust list|verify|forget`. Errors are one clear line on stderr and a
 * non-zero exit status, never a stack trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultStateDir,
  keysExport,
  keysImport,
  keysRegenerate,
  keysShow,
  openStore,
  StoreError,
  trustForget,
  trustList,
  trustVerify,
  type KeyFormat,
  type Store,
} from '@sotto/store';
import { ChatHost } from './chat/host.js';
import type { DriverEvent } from './chat/driver-events.js';
import { runTerminal } from './chat/terminal.js';
import { runJsonDriver, writeEvent } from './driver/json-driver.js';
import { CHAT_HELP, OptionError, parseChatOptions, parseHostPort } from './options.js';
import { connectToRelay, type RelayConnection } from './relay/connection.js';
import { startRelay } from './relay/server.js';
import { TrustBook } from './state/trust-book.js';

const HELP = `Usage: sotto <command> [options]

Commands:
  chat      chat privately (OTR) over an echo-network relay
  relay     run an echo-network relay
  keys      show your identity (keys show [--state-dir DIR])
  trust     list, verify or forget fingerprints (trust list|verify|forget)

Run "sotto <command> --help" for a command's options.
`;

const RELAY_HELP = `Usage: sotto relay [--host 127.0.0.1] [--port 7878]

Runs an echo-network relay (the framing of otr4j's echonetwork) and logs to stderr.
`;

const KEYS_HELP = `Usage: sotto keys show [--state-dir DIR]
       sotto keys regenerate [--state-dir DIR]
       sotto keys import --format libotr|blink-potr|blink-pem [--dir DIR] [--key-file F]
                         [--trust-file F] [--instance-tags-file F] [--account-name NAME]
                         [--protocol P] [--replace] [--state-dir DIR]
       sotto keys export --format libotr|blink-potr|blink-pem --dir DIR [--account-name NAME]
                         [--protocol P] [--overwrite] [--state-dir DIR]

Shows, regenerates (only when asked; the old key is kept), imports and exports
your long-term key. libotr/Pidgin: otr.private_key, otr.fingerprints,
otr.instance_tags (--dir ~/.purple). Blink: private_key.dsa and trusted_peers
(blink-potr), otr.key (blink-pem). Malformed files change nothing.
`;

const TRUST_HELP = `Usage: sotto trust list [PEER] [--state-dir DIR]
       sotto trust verify PEER FINGERPRINT [--state-dir DIR]
       sotto trust forget PEER [FINGERPRINT] [--state-dir DIR]
`;

/** The store account the client uses. */
const ACCOUNT = 'default';

const errorLine = (message: string): void => {
  process.stderr.write(`sotto: ${message}\n`);
};

/** Runs the command line; resolves to the exit status. */
export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'chat':
        return await chat(rest);
      case 'relay':
        return await relay(rest);
      case 'keys':
        return await keys(rest);
      case 'trust':
        return await trust(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        errorLine(`unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof OptionError) {
      errorLine(error.message);
      return 2;
    }
    if (error instanceof StoreError) {
      errorLine(error.message);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') {
      errorLine('cannot reach the relay (connection refused); is it running? (sotto relay)');
      return 1;
    }
    errorLine((error as Error).message);
    return 1;
  }
}

async function relay(args: readonly string[]): Promise<number> {
  let host = '127.0.0.1';
  let port = 7878;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(RELAY_HELP);
      return 0;
    }
    const value = args[++i];
    if (value === undefined) throw new OptionError(`${arg ?? ''} needs a value`);
    if (arg === '--host') host = value;
    else if (arg === '--port') port = parseHostPort(`${host}:${value}`).port;
    else throw new OptionError(`unknown option "${arg ?? ''}" (see sotto relay --help)`);
  }
  const running = await startRelay({ host, port });
  process.stderr.write(`relay: listening on ${running.host}:${running.port}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  return 0;
}

async function chat(args: readonly string[]): Promise<number> {
  const options = parseChatOptions(args);
  if (options.help) {
    process.stdout.write(CHAT_HELP);
    return 0;
  }
  const temporary = options.stateDir === undefined && options.json ? mkdtempSync(join(tmpdir(), 'sotto-')) : undefined;
  const store = await openStore(options.stateDir ?? temporary ?? defaultStateDir());
  const listeners: ((event: DriverEvent) => void)[] = [];
  const emit = options.json ? writeEvent : (event: DriverEvent): void => listeners.forEach((listener) => listener(event));
  const log = (line: string): void => {
    if (options.json) process.stderr.write(`sotto: ${line}\n`);
  };
  try {
    const privateKey = await store.getOrCreateKey(ACCOUNT);
    const instanceTag = await store.getOrCreateInstanceTag(ACCOUNT);
    const trustBook = new TrustBook(store, ACCOUNT, (line) => process.stderr.write(`sotto: ${line}\n`));
    const host = new ChatHost({ privateKey, instanceTag }, trustBook, options.policy, options.maxMessageSize, emit, log);
    let closedReason: string | undefined;
    let resolveClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
    const connectOptions = {
      host: options.relayHost,
      port: options.relayPort,
      ...(options.localPort !== undefined ? { localPort: options.localPort } : {}),
      onMessage: (from: string, text: string) => host.receive(from, text),
      onClose: (reason: string) => {
        closedReason = reason;
        resolveClosed();
      },
    };
    let connection: RelayConnection;
    let ownRelay: Awaited<ReturnType<typeof startRelay>> | undefined;
    try {
      connection = await connectToRelay(connectOptions);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || options.relayGiven || options.json) throw error;
      ownRelay = await startRelay({ host: options.relayHost, port: options.relayPort, log: () => undefined });
      process.stdout.write(`Started a relay on ${options.relayHost}:${options.relayPort}; others can join it with "sotto chat".\n`);
      connection = await connectToRelay(connectOptions);
    }
    host.attach(connection);
    const ready: DriverEvent = { event: 'ready', address: connection.address, fingerprint: host.fingerprintHex };
    emit(ready);
    const userDone = options.json
      ? runJsonDriver(host)
      : runTerminal(host, connection.address, { subscribe: (listener) => listeners.push(listener) });
    await Promise.race([userDone, closed]);
    if (closedReason !== undefined && !options.json) errorLine(closedReason);
    host.close();
    connection.close();
    await trustBook.flush();
    await ownRelay?.close();
    return closedReason !== undefined && !options.json ? 1 : 0;
  } finally {
    await store.close();
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  }
}

/** Parses `--name value` flags (and bare `--flag` switches listed in `switches`) after positional words. */
function flags(args: readonly string[], switches: readonly string[] = []): { words: string[]; values: Map<string, string>; on: Set<string> } {
  const words: string[] = [];
  const values = new Map<string, string>();
  const on = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    if (switches.includes(arg)) {
      on.add(arg);
      continue;
    }
    const value = args[++i];
    if (value === undefined) throw new OptionError(`${arg} needs a value`);
    values.set(arg, value);
  }
  return { words, values, on };
}

function keyFormat(value: string | undefined): KeyFormat {
  if (value === 'libotr' || value === 'blink-potr' || value === 'blink-pem') return value;
  throw new OptionError('--format must be libotr, blink-potr or blink-pem');
}

async function withStore<T>(dir: string, body: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(dir);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

async function keys(args: readonly string[]): Promise<number> {
  const { words, values, on } = flags(args, ['--replace', '--overwrite', '--help', '-h']);
  const [sub] = words;
  if (sub === undefined || on.has('--help')) {
    process.stdout.write(KEYS_HELP);
    return sub === undefined && !on.has('--help') ? 2 : 0;
  }
  const dir = values.get('--state-dir') ?? defaultStateDir();
  const known = new Set(['--state-dir', '--format', '--dir', '--key-file', '--trust-file', '--instance-tags-file', '--account-name', '--protocol']);
  for (const name of values.keys()) if (!known.has(name)) throw new OptionError(`unknown option "${name}" (see sotto keys --help)`);
  const optional = (name: string): Record<string, string> => {
    const value = values.get(name);
    const key = { '--dir': 'dir', '--key-file': 'keyFile', '--trust-file': 'trustFile', '--instance-tags-file': 'instanceTagsFile', '--account-name': 'accountName', '--protocol': 'protocol' }[name] ?? name;
    return value === undefined ? {} : { [key]: value };
  };
  return withStore(dir, async (store) => {
    switch (sub) {
      case 'show':
        await store.getOrCreateKey(ACCOUNT);
        await store.getOrCreateInstanceTag(ACCOUNT);
        process.stdout.write(keysShow(store, ACCOUNT).text + '\n');
        return 0;
      case 'regenerate':
        process.stdout.write((await keysRegenerate(store, ACCOUNT)).text + '\n');
        return 0;
      case 'import': {
        const report = await keysImport(store, {
          format: keyFormat(values.get('--format')),
          account: ACCOUNT,
          replace: on.has('--replace'),
          ...optional('--dir'),
          ...optional('--key-file'),
          ...optional('--trust-file'),
          ...optional('--instance-tags-file'),
          ...optional('--account-name'),
          ...optional('--protocol'),
        });
        process.stdout.write(report.text + '\n');
        return 0;
      }
      case 'export': {
        const target = values.get('--dir');
        if (target === undefined) throw new OptionError('keys export needs --dir DIR');
        const report = await keysExport(store, {
          format: keyFormat(values.get('--format')),
          dir: target,
          account: ACCOUNT,
          overwrite: on.has('--overwrite'),
          ...optional('--account-name'),
          ...optional('--protocol'),
        });
        process.stdout.write(report.text + '\n');
        return 0;
      }
      default:
        throw new OptionError(`unknown keys command "${sub}" (see sotto keys --help)`);
    }
  });
}

async function trust(args: readonly string[]): Promise<number> {
  const { words, values, on } = flags(args, ['--help', '-h']);
  const [sub, peer, fingerprint] = words;
  if (sub === undefined || on.has('--help')) {
    process.stdout.write(TRUST_HELP);
    return sub === undefined && !on.has('--help') ? 2 : 0;
  }
  for (const name of values.keys()) if (name !== '--state-dir') throw new OptionError(`unknown option "${name}" (see sotto trust --help)`);
  const dir = values.get('--state-dir') ?? defaultStateDir();
  return withStore(dir, async (store) => {
    switch (sub) {
      case 'list':
        process.stdout.write(trustList(store, ACCOUNT, peer).text + '\n');
        return 0;
      case 'verify':
        if (peer === undefined || fingerprint === undefined) throw new OptionError('usage: sotto trust verify PEER FINGERPRINT');
        process.stdout.write((await trustVerify(store, ACCOUNT, peer, fingerprint, new Date())).text + '\n');
        return 0;
      case 'forget':
        if (peer === undefined) throw new OptionError('usage: sotto trust forget PEER [FINGERPRINT]');
        process.stdout.write((await trustForget(store, ACCOUNT, peer, fingerprint)).text + '\n');
        return 0;
      default:
        throw new OptionError(`unknown trust command "${sub}" (see sotto trust --help)`);
    }
  });
}
