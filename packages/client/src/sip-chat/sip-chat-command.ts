/**
 * `sotto chat --account sip:USER@DOMAIN`: registers the SIP account and runs
 * the SIP chat engine under the terminal or, with --json, the driver
 * protocol's SIP mode (shared/interop/DRIVER.md). The engine is started
 * by open-engine.ts, as `sotto web` starts it.
 */
import { rmSync } from 'node:fs';
import { defaultStateDir, openStore, type Store } from '@sotto/store';
import { SIP_CHAT_HELP } from '../cli/help.js';
import { warn, type Io } from '../cli/io.js';
import { freshTemporaryStateDir } from '../cli/temporary-state.js';
import { runSipTerminal, SipEventSink } from '../terminal/sip-terminal.js';
import type { SipChatEvent } from './engine-api.js';
import { openSipChatEngine } from './open-engine.js';
import { parseSipChatOptions, type SipChatOptions } from './sip-chat-options.js';
import { runSipJsonDriver, sipEventWriter } from './sip-json-driver.js';

/** Runs `sotto chat --account sip:... ARGS`; resolves to the exit status. */
export async function sipChatCommand(args: readonly string[], io: Io): Promise<number> {
  const options = parseSipChatOptions(args);
  if (options.help) {
    io.stdout.write(SIP_CHAT_HELP);
    return 0;
  }
  let unregister: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (unregister = io.onStop(resolve)));
  const temporary = options.stateDir === undefined && options.json ? freshTemporaryStateDir() : undefined;
  try {
    const dir = options.stateDir ?? temporary ?? defaultStateDir(io.env);
    const store = await openStore(dir);
    try {
      return await withStore(options, store, io, stopped);
    } finally {
      await store.close();
    }
  } finally {
    unregister();
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  }
}

async function withStore(options: SipChatOptions, store: Store, io: Io, stopped: Promise<void>): Promise<number> {
  const aor = options.account;
  // Events wait until the user interface exists (JSON: after `ready`).
  const early: SipChatEvent[] = [];
  let sink = (event: SipChatEvent): void => {
    if (early.length < 256) early.push(event);
  };
  const opened = await openSipChatEngine({
    aor,
    options,
    store,
    io,
    emit: (event) => sink(event),
    log: (line) => (options.json || io.env.SOTTO_DEBUG !== undefined ? warn(io, line) : undefined),
  });
  if (!opened.ok) {
    warn(io, `cannot register ${aor}: ${opened.message}`);
    return 1;
  }
  const { engine, history } = opened;
  try {
    if (options.json) {
      const write = sipEventWriter(io.stdout);
      write({ event: 'ready', address: engine.address, fingerprint: engine.fingerprint, fingerprints: engine.fingerprints });
      sink = write;
      for (const event of early.splice(0)) write(event);
      const driver = runSipJsonDriver(engine, io.stdin, write);
      await Promise.race([driver.done, stopped]);
      driver.close();
      await engine.stop();
    } else {
      const events = new SipEventSink();
      sink = events.emit;
      for (const event of early.splice(0)) events.emit(event);
      const notes = history?.loggingEnabled === false ? ['Logging is off: messages are not recorded ("sotto logging on" turns it on).'] : [];
      await Promise.race([runSipTerminal({ engine, input: io.stdin, output: io.stdout, env: io.env, stateDir: store.dir, sink: events, notes }), stopped]);
      await engine.stop();
    }
    return 0;
  } finally {
    await opened.close();
  }
}
