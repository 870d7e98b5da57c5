/**
 * `sotto chat`: opens the identity, joins the relay (starting one here when
 * none listens on the default address), and runs the terminal chat or, with
 * --json, the driver protocol, until the user quits, input ends, a stop
 * signal arrives. A lost relay connection is rejoined with the same address
 * (relay-link.ts). Then it closes everything in order: conversations
 * (interactive only), relay connection, own relay, store. While the terminal
 * chat runs, diagnostics are printed by it, above the prompt, not on stderr
 * where they would land over the prompt line.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultStateDir } from '@sotto/store';
import { parseChatOptions, type ChatOptions } from '../cli/chat-options.js';
import { describeError } from '../cli/errors.js';
import { CHAT_HELP } from '../cli/help.js';
import { warn, type Io } from '../cli/io.js';
import { freshTemporaryStateDir } from '../cli/temporary-state.js';
import { runJsonDriver, eventWriter } from '../driver/json-driver.js';
import { openIdentity, type Identity } from '../identity.js';
import { RelayLink } from '../net/relay-link.js';
import { ChatHost } from '../session/chat-host.js';
import type { DriverEvent } from '../session/driver-events.js';
import { TerminalChat } from '../terminal/terminal-chat.js';
import { sipChatCommand } from '../sip-chat/sip-chat-command.js';
import { isSipChat } from '../sip-chat/sip-chat-options.js';

/** Runs `sotto chat ARGS`; resolves to the exit status. */
export async function chatCommand(args: readonly string[], io: Io): Promise<number> {
  // --account sip:...: SIP and MSRP instead of the echo network.
  if (isSipChat(args)) return sipChatCommand(args, io);
  const options = parseChatOptions(args);
  if (options.help) {
    io.stdout.write(CHAT_HELP);
    return 0;
  }
  // Listen for stop signals from the start, so one during start-up still closes the store cleanly.
  let unregister: () => void = () => undefined;
  // Diagnostics go to stderr until a terminal chat takes them over.
  const diagnostics: Diagnostics = { warn: (line) => warn(io, line) };
  const stopped = new Promise<void>((resolve) => (unregister = io.onStop(resolve)));
  // The driver contract: without --state-dir, a fresh identity in a temporary directory.
  const temporary = options.stateDir === undefined && options.json ? freshTemporaryStateDir() : undefined;
  try {
    const dir = options.stateDir ?? temporary ?? defaultStateDir(io.env);
    const identity = await openIdentity(dir, options.account, {
      fallbackProfiles: options.stateDir === undefined && !options.json,
      // The OTRv4 identity is made (on first use) only when version 4 may be spoken.
      v4: options.versions.has(4),
      onWriteError: (error) => diagnostics.warn(`could not save trust: ${describeError(error).message}`),
    });
    try {
      const notes = identity.dir === resolve(dir) ? [] : [`Another sotto is using ${dir}; this one uses the identity in ${identity.dir}.`];
      return await chatWith(options, identity, notes, io, stopped, diagnostics);
    } finally {
      await identity.close();
    }
  } finally {
    unregister();
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  }
}

/** Messages that may arrive between joining the relay and making the account (a moment); more are dropped, as the relay drops what it cannot deliver. */
const MAX_WAITING_MESSAGES = 64;

/** Where diagnostic lines go: stderr, or the terminal chat while it runs. */
interface Diagnostics {
  warn: (line: string) => void;
}

async function chatWith(options: ChatOptions, identity: Identity, notes: string[], io: Io, stopped: Promise<void>, diagnostics: Diagnostics): Promise<number> {
  // Events wait here until the user interface exists, so none is lost or printed before `ready`.
  const early: DriverEvent[] = [];
  let sink = (event: DriverEvent): void => void early.push(event);
  // Notes wait, like events, until there is somewhere to show them.
  let note = (text: string): void => void notes.push(text);
  // The account is made once the relay has given us our address (the DAKE binds it); what arrives before waits.
  const waiting: [string, string][] = [];
  let receive = (from: string, text: string): void => {
    if (waiting.length < MAX_WAITING_MESSAGES) waiting.push([from, text]);
  };
  // A rejoin from a new port changes our address; the OTRv4 DAKE binds it, so the account must learn the new one.
  let addressChanged: (address: string) => void = () => undefined;
  const link = await RelayLink.open({
    relay: options.relay,
    mayHost: !options.relayGiven,
    // The relay may restart or close a quiet connection (an hour idle): rejoin. A driver's address must not change under the harness.
    rejoin: true,
    keepAddress: options.json,
    ...(options.localPort === undefined ? {} : { localPort: options.localPort }),
    onMessage: (from, text) => receive(from, text),
    onNote: (text) => note(text),
    onAddress: (address) => addressChanged(address),
  });
  const host = new ChatHost({
    privateKey: identity.privateKey,
    instanceTag: identity.instanceTag,
    ...(identity.v4 === undefined ? {} : { v4: { ...identity.v4, address: link.address } }),
    onProfileRefreshed: (profile, expiresAt) => identity.saveClientProfile(profile, expiresAt),
    trust: identity.trust,
    policy: options.policy,
    versions: options.versions,
    maxMessageSize: options.maxMessageSize,
    emit: (event) => sink(event),
    // Diagnostics would garble the terminal chat; SOTTO_DEBUG shows them anyway.
    log: (line) => (options.json || io.env.SOTTO_DEBUG !== undefined ? diagnostics.warn(line) : undefined),
  });
  host.attach((to, text) => link.send(to, text));
  receive = (from, text) => host.receive(from, text);
  addressChanged = (address) => host.setAddress(address);
  for (const [from, text] of waiting.splice(0)) host.receive(from, text);

  let ui: { done: Promise<void>; close(): void; peers(): string[] };
  if (options.json) {
    const write = eventWriter(io.stdout);
    for (const text of notes) warn(io, text);
    note = (text) => warn(io, text);
    write({ event: 'ready', address: link.address, fingerprint: host.fingerprintHex, fingerprints: host.fingerprints });
    sink = write;
    const driver = runJsonDriver(host, io.stdin, write);
    ui = { done: driver.done, close: () => driver.close(), peers: () => [] };
  } else {
    const terminal = new TerminalChat({ host, address: () => link.address, stateDir: identity.dir, input: io.stdin, output: io.stdout, env: io.env });
    const done = terminal.run(notes);
    note = (text) => terminal.note(text);
    sink = (event) => terminal.show(event);
    diagnostics.warn = (line) => terminal.warn(line);
    ui = {
      done,
      close: () => {
        diagnostics.warn = (line) => warn(io, line);
        terminal.close();
      },
      peers: () => terminal.peers(),
    };
  }
  for (const event of early.splice(0)) sink(event);

  const reason = await Promise.race([ui.done.then(() => undefined), stopped.then(() => undefined), link.lost]);
  ui.close();
  if (reason === undefined && !options.json) {
    // A chat client ends its private conversations when it quits, so the peers know (libotr clients do).
    host.endAll(ui.peers());
  }
  if (reason !== undefined) warn(io, `${reason}; the chat has ended.`);
  await link.close();
  host.close();
  return reason === undefined ? 0 : 1;
}
