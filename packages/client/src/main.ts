/**
 * The `sotto` command: `relay`, `chat` (interactive or --json), `keys show`
 * and `trust list|verify|forget`. Errors are one clear line on stderr and a
 * non-zero exit status, never a stack trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHost } from './chat/host.js';
import type { DriverEvent } from './chat/driver-events.js';
import { runTerminal } from './chat/terminal.js';
import { runJsonDriver, writeEvent } from './driver/json-driver.js';
import { CHAT_HELP, OptionError, parseChatOptions, parseHostPort } from './options.js';
import { connectToRelay, type RelayConnection } from './relay/connection.js';
import { startRelay } from './relay/server.js';
import { Identity, StateError } from './state/identity.js';

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

Shows your address book identity: fingerprint and instance tag.
`;

const TRUST_HELP = `Usage: sotto trust list [--state-dir DIR]
       sotto trust verify PEER FINGERPRINT [--state-dir DIR]
       sotto trust forget PEER [FINGERPRINT] [--state-dir DIR]
`;

/** The default state directory: $XDG_CONFIG_HOME/sotto or ~/.config/sotto. */
export function defaultStateDir(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'sotto');
}

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
        return keys(rest);
      case 'trust':
        return trust(rest);
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
    if (error instanceof StateError) {
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

function stateDirOption(args: readonly string[]): { dir: string; rest: string[] } {
  const rest: string[] = [];
  let dir = defaultStateDir();
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--state-dir') {
      const value = args[++i];
      if (value === undefined) throw new OptionError('--state-dir needs a value');
      dir = value;
    } else rest.push(args[i] ?? '');
  }
  return { dir, rest };
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
  const identity = Identity.open(options.stateDir ?? temporary ?? defaultStateDir());
  const listeners: ((event: DriverEvent) => void)[] = [];
  const emit = options.json ? writeEvent : (event: DriverEvent): void => listeners.forEach((listener) => listener(event));
  const log = (line: string): void => {
    if (options.json) process.stderr.write(`sotto: ${line}\n`);
  };
  const host = new ChatHost(identity, options.policy, options.maxMessageSize, emit, log);
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
  await ownRelay?.close();
  if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  return closedReason !== undefined && !options.json ? 1 : 0;
}

function keys(args: readonly string[]): number {
  const { dir, rest } = stateDirOption(args);
  if (rest[0] === '--help' || rest[0] === '-h' || rest.length === 0) {
    process.stdout.write(KEYS_HELP);
    return rest.length === 0 ? 2 : 0;
  }
  if (rest[0] !== 'show') throw new OptionError(`unknown keys command "${rest[0] ?? ''}" (see sotto keys --help)`);
  const identity = Identity.open(dir);
  const host = new ChatHost(identity, { allowV2: true, allowV3: true, requireEncryption: false, sendWhitespaceTag: false, whitespaceStartAke: false, errorStartAke: false }, 0, () => undefined, () => undefined);
  process.stdout.write(`fingerprint:  ${host.fingerprintHuman}\ninstance tag: 0x${identity.instanceTag.toString(16).padStart(8, '0')}\nstate dir:    ${dir}\n`);
  host.close();
  return 0;
}

function trust(args: readonly string[]): number {
  const { dir, rest } = stateDirOption(args);
  const [sub, peer, fingerprint] = rest;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(TRUST_HELP);
    return sub === undefined ? 2 : 0;
  }
  const identity = Identity.open(dir);
  switch (sub) {
    case 'list':
      for (const [address, records] of Object.entries(identity.peers())) {
        for (const record of records) process.stdout.write(`${address}\t${record.fingerprint}\t${record.status}\n`);
      }
      return 0;
    case 'verify': {
      const fp = (fingerprint ?? '').replaceAll(' ', '').toLowerCase();
      if (peer === undefined || !/^[0-9a-f]{40}$/.test(fp)) throw new OptionError('usage: sotto trust verify PEER FINGERPRINT (40 hex digits)');
      identity.setTrust(peer, fp, 'manual');
      return 0;
    }
    case 'forget': {
      if (peer === undefined) throw new OptionError('usage: sotto trust forget PEER [FINGERPRINT]');
      const records = identity.peers()[peer] ?? [];
      for (const record of records) {
        if (fingerprint === undefined || record.fingerprint === fingerprint.toLowerCase()) identity.setTrust(peer, record.fingerprint, 'unverified');
      }
      return 0;
    }
    default:
      throw new OptionError(`unknown trust command "${sub}" (see sotto trust --help)`);
  }
}
