/**
 * `sotto web [--account sip:...] [--port N] [--no-browser] [SIP account options]`:
 * opens the state directory, starts the SIP chat engine on one account
 * exactly as `sotto chat --account` does (../sip-chat/open-engine.ts: the
 * account from the store, or --password-file and the other options of
 * `sotto chat --account`), serves the page on 127.0.0.1, prints its address
 * (with the token) and opens the browser where `xdg-open` exists, until a
 * stop signal. Logging, the account list and key regeneration go to
 * @sotto/store directly: the engine has no call for them.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { defaultStateDir, keysRegenerate, openSipAccounts, openStore } from '@sotto/store';
import { OptionError, noPositionals, parseArgs, parsePort } from '../cli/args.js';
import { DEFAULT_VERSIONS } from '../cli/chat-options.js';
import { WEB_HELP } from '../cli/help.js';
import type { Io } from '../cli/io.js';
import type { SipChatEvent } from '../sip-chat/engine-api.js';
import { openSipChatEngine } from '../sip-chat/open-engine.js';
import { SIP_ACCOUNT_SPEC, parseSipAccount, sipAccountOptions } from '../sip-chat/sip-chat-options.js';
import { startWebServer, type WebSettingsPort } from './web-server.js';

/** Events that arrive before the server listens wait here (the first REGISTER's); more are dropped. */
const MAX_EARLY_EVENTS = 256;

/** A fan-out of the engine's events, holding the early ones for the first listener. */
export function eventHub(): { emit: (event: SipChatEvent) => void; subscribe: (listener: (event: SipChatEvent) => void) => () => void } {
  const listeners = new Set<(event: SipChatEvent) => void>();
  const early: SipChatEvent[] = [];
  return {
    emit: (event) => {
      if (listeners.size === 0) {
        if (early.length < MAX_EARLY_EVENTS) early.push(event);
        return;
      }
      for (const listener of listeners) listener(event);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      for (const event of early.splice(0)) listener(event);
      return () => listeners.delete(listener);
    },
  };
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Opens `url` in the desktop's browser with xdg-open, when there is one; never fails. */
export function openBrowser(url: string, env: NodeJS.ProcessEnv): boolean {
  const xdgOpen = onPath('xdg-open', env);
  if (xdgOpen === undefined || (env.DISPLAY === undefined && env.WAYLAND_DISPLAY === undefined)) return false;
  try {
    const child = spawn(xdgOpen, [url], { stdio: 'ignore', detached: true, env });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

const WEB_SPEC = { ...SIP_ACCOUNT_SPEC, '--port': 'value', '--no-browser': 'switch' } as const;

/** The account `sotto web` runs: --account, else the store's only SIP account. */
function chooseAccount(wanted: string | undefined, stored: readonly string[], passwordFile: string | undefined): string {
  if (wanted !== undefined) return parseSipAccount(wanted);
  if (passwordFile !== undefined) throw new OptionError('--password-file needs --account sip:user@domain');
  if (stored.length === 1 && stored[0] !== undefined) return stored[0];
  if (stored.length === 0) throw new OptionError('no SIP account yet: add one with sotto account add sip:user@domain, or give --account and --password-file');
  throw new OptionError(`several SIP accounts: choose one with --account (${stored.join(', ')})`);
}

/** Runs `sotto web ARGS`; resolves to the exit status. */
export async function webCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, WEB_SPEC, 'sotto web');
  if (parsed.help) {
    io.stdout.write(WEB_HELP);
    return 0;
  }
  noPositionals(parsed, 'sotto web');
  const options = sipAccountOptions(parsed, DEFAULT_VERSIONS);
  const portText = parsed.values.get('--port');
  const port = portText === undefined ? 0 : parsePort(portText, '--port', true);
  let unregister: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (unregister = io.onStop(resolve)));
  const store = await openStore(options.stateDir ?? defaultStateDir(io.env));
  try {
    const accounts = await openSipAccounts(store);
    const address = chooseAccount(parsed.values.get('--account'), accounts.list().map((account) => account.address), options.passwordFile);
    const hub = eventHub();
    const log = (line: string): void => void io.stderr.write(`sotto: ${line}\n`);
    const opened = await openSipChatEngine({ aor: address, options, store, io, emit: hub.emit, log: (line) => (io.env.SOTTO_DEBUG !== undefined ? log(line) : undefined) });
    if (!opened.ok) {
      log(`cannot register ${address}: ${opened.message}`);
      return 1;
    }
    const { engine } = opened;
    try {
      const settings: WebSettingsPort = {
        accounts: () => {
          const list = accounts.list().map((entry) => entry.address);
          return list.includes(address) ? list : [address, ...list];
        },
        logging: () => store.loggingEnabled(),
        setLogging: (on) => store.setLogging(on),
        // The engine's keys live under the address of record it was opened with (open-engine.ts): the same name here.
        regenerateKey: async () => {
          const result = await keysRegenerate(store, address);
          return { v3: result.fingerprint === '' ? null : result.fingerprint, v4: result.v4Fingerprint === '' ? null : result.v4Fingerprint };
        },
      };
      const server = await startWebServer({ engine, subscribe: hub.subscribe, port, log, settings });
      try {
        io.stdout.write(`sotto web: ${address} at ${server.url}\n(the address carries a secret token: do not share it; stop with Ctrl-C)\n`);
        if (!parsed.switches.has('--no-browser') && io.env.SOTTO_NO_BROWSER === undefined) openBrowser(server.url, io.env);
        await stopped;
      } finally {
        await server.close();
      }
    } finally {
      await engine.stop();
      await opened.close();
    }
    return 0;
  } finally {
    unregister();
    await store.close();
  }
}
