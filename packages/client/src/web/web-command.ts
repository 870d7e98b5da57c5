/**
 * `sotto web [--account sip:...] [--port N] [--state-dir DIR] [--no-browser]`:
 * opens the state directory, starts the SIP chat engine on one account,
 * serves the page on 127.0.0.1, prints its address (with the token) and
 * opens the browser where `xdg-open` exists, until a stop signal. Logging,
 * the account list and key regeneration go to @sotto/store directly: the
 * engine has no call for them.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { defaultStateDir, keysRegenerate, normalizeSipAddress, openSipAccounts, openStore, type SipAccount, type Store } from '@sotto/store';
import { OptionError, noPositionals, parseArgs, parsePort } from '../cli/args.js';
import { WEB_HELP } from '../cli/help.js';
import type { Io } from '../cli/io.js';
import type { SipChatEngine, SipChatEvent } from '../sip-chat/engine-api.js';
import { startWebServer, type WebSettingsPort } from './web-server.js';

/** What the wiring gets to start the engine for `sotto web`. */
export interface WebEngineRequest {
  readonly store: Store;
  readonly account: SipAccount;
  readonly emit: (event: SipChatEvent) => void;
  readonly log: (line: string) => void;
  readonly io: Io;
}

/** Starts (and registers) the engine; `sotto web` stops it with engine.stop(). */
export type OpenWebEngine = (request: WebEngineRequest) => Promise<SipChatEngine>;

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

const WEB_SPEC = { '--account': 'value', '--port': 'value', '--state-dir': 'value', '--no-browser': 'switch' } as const;

/** Runs `sotto web ARGS` with `openEngine` starting the engine; resolves to the exit status. */
export async function runWebCommand(args: readonly string[], io: Io, openEngine: OpenWebEngine): Promise<number> {
  const parsed = parseArgs(args, WEB_SPEC, 'sotto web');
  if (parsed.help) {
    io.stdout.write(WEB_HELP);
    return 0;
  }
  noPositionals(parsed, 'sotto web');
  const portText = parsed.values.get('--port');
  const port = portText === undefined ? 0 : parsePort(portText, '--port', true);
  const wanted = parsed.values.get('--account');
  let unregister: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (unregister = io.onStop(resolve)));
  const store = await openStore(parsed.values.get('--state-dir') ?? defaultStateDir(io.env));
  try {
    const accounts = await openSipAccounts(store);
    const list = accounts.list().map((account) => account.address);
    let address: string;
    if (wanted !== undefined) address = normalizeSipAddress(wanted);
    else if (list.length === 1 && list[0] !== undefined) address = list[0];
    else if (list.length === 0) throw new OptionError('no SIP account yet: add one with sotto account add sip:user@domain');
    else throw new OptionError(`several SIP accounts: choose one with --account (${list.join(', ')})`);
    const account = accounts.get(address);
    if (account === undefined) throw new OptionError(`no SIP account ${address} (sotto account list shows them)`);
    const hub = eventHub();
    const log = (line: string): void => void io.stderr.write(`sotto: ${line}\n`);
    const engine = await openEngine({ store, account, emit: hub.emit, log, io });
    try {
      const settings: WebSettingsPort = {
        accounts: () => accounts.list().map((entry) => entry.address),
        logging: () => store.loggingEnabled(),
        setLogging: (on) => store.setLogging(on),
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
    }
    return 0;
  } finally {
    unregister();
    await store.close();
  }
}

/** `sotto web` as main.ts runs it: the SIP chat engine comes with the SIP chat wiring. */
export function webCommand(args: readonly string[], io: Io): Promise<number> {
  return runWebCommand(args, io, () => Promise.reject(new OptionError('sotto web needs the SIP chat engine, which this build does not have yet')));
}
