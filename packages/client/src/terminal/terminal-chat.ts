/**
 * The interactive chat: a prompt naming the current peer and its lock state,
 * slash commands (commands.ts) acted on through the chat host, and every
 * event rendered as a line (renderer.ts). The first peer that writes becomes
 * the current one; /to switches.
 */
import type { Readable, Writable } from 'node:stream';
import type { RefusalReason } from '@sotto/otr';
import type { ChatHost } from '../session/chat-host.js';
import { Conversations } from '../session/conversations.js';
import type { DriverEvent } from '../session/driver-events.js';
import { INPUT_HELP, parseInput, type InputCommand } from './commands.js';
import { fingerprintFamily, humanFingerprint, lockLabel, palette, renderEvent, wantsColour, type Palette } from './renderer.js';
import { displayAddress, sanitize, sanitizeLines } from './sanitize.js';
import { Screen } from './screen.js';

/** What the terminal chat needs. */
export interface TerminalChatOptions {
  readonly host: ChatHost;
  /** Our address on the relay (it can change if the relay is replaced). */
  readonly address: () => string;
  /** The state directory, shown so the user knows which identity is in use. */
  readonly stateDir: string;
  readonly input: Readable;
  readonly output: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** Each line of a (multi-line) text in bold, so no colour code spans a line break. */
function boldLines(text: string, p: Palette): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^( *)(.*)$/, (_, indent: string, rest: string) => `${indent}${p.bold(rest)}`))
    .join('\n');
}

/**
 * A line of /otr info naming a fingerprint: "  LABEL: FP (OTRv3) STATUS" for
 * v3; for OTRv4 "  LABEL (OTRv4) STATUS:" and the fingerprint under it, two lines of seven groups (so an 80-column terminal does not
 * wrap it).
 */
function fingerprintLine(label: string, hex: string, status?: string): string {
  const tail = `(${fingerprintFamily(hex)})${status === undefined ? '' : ` ${status}`}`;
  return hex.length === 112 ? `  ${label.replace(/:\s*$/, '')} ${tail}:\n    ${humanFingerprint(hex, 4)}` : `  ${label} ${humanFingerprint(hex)} ${tail}`;
}

/** The running terminal chat. */
export class TerminalChat {
  readonly #options: TerminalChatOptions;
  readonly #screen: Screen;
  readonly #paint: Palette;
  readonly #conversations = new Conversations();
  #current: string | undefined;

  constructor(options: TerminalChatOptions) {
    this.#options = options;
    this.#screen = new Screen(options.input, options.output);
    this.#paint = palette(wantsColour(options.env, options.output.isTTY === true));
  }

  /** Shows one event from the host. */
  show(event: DriverEvent): void {
    this.#conversations.apply(event);
    const peer = event.event === 'message' ? event.from : 'peer' in event ? event.peer : 'to' in event ? event.to : null;
    if (this.#current === undefined && peer !== null && event.event !== 'error') this.#setCurrent(peer);
    const line = renderEvent(event, this.#paint);
    if (line === undefined) return;
    const elsewhere = peer !== null && peer !== this.#current && event.event !== 'error';
    this.#screen.print(elsewhere ? `${line} ${this.#paint.dim(`(/to ${displayAddress(peer)} to talk to them)`)}` : line);
    this.#refreshPrompt();
  }

  /** Prints the welcome and reads input until /quit or end of input. */
  run(notes: readonly string[] = []): Promise<void> {
    const p = this.#paint;
    for (const note of notes) this.#screen.print(p.dim(note));
    this.#screen.print(`Your address:     ${p.bold(displayAddress(this.#options.address()))}  (give it to the person you want to talk to)`);
    const own = this.#options.host.fingerprints;
    if (own['4'] === undefined) {
      if (own['3'] !== undefined) this.#screen.print(`Your fingerprint: ${p.bold(humanFingerprint(own['3']))}  (OTRv3)`);
    } else {
      // An OTRv4 fingerprint takes two lines of seven groups (on one line it wraps); the families are labelled in front.
      this.#screen.print('Your fingerprints:');
      this.#screen.print(`  OTRv4: ${boldLines(humanFingerprint(own['4'], 9), p)}`);
      if (own['3'] !== undefined) this.#screen.print(`  OTRv3: ${p.bold(humanFingerprint(own['3']))}`);
    }
    this.#screen.print(p.dim(`Identity and trust in ${this.#options.stateDir}. Policy: ${this.#options.host.policy}. Type /to ADDR to pick a peer, /help for commands.`));
    this.#refreshPrompt();
    return new Promise((resolve) => {
      this.#screen.onLine((line) => {
        this.#handle(parseInput(line.trim()));
        this.#refreshPrompt();
      });
      this.#screen.onClose(resolve);
    });
  }

  /** Shows a note from the client itself (dimmed). */
  note(text: string): void {
    this.#screen.print(this.#paint.dim(text));
  }

  /** Shows a diagnostic (what goes to stderr without a terminal chat) above the prompt, escaped, and redraws the prompt. */
  warn(text: string): void {
    this.#screen.print(this.#paint.yellow(`sotto: ${sanitizeLines(text)}`));
  }

  /** Stops reading input (the chat ended for another reason). */
  close(): void {
    this.#screen.close();
  }

  /** The peers the user talked with, for ending their conversations on quit. */
  peers(): string[] {
    return this.#conversations.list().map((view) => view.peer);
  }

  #setCurrent(peer: string): void {
    this.#current = peer;
    this.#conversations.pin(peer);
  }

  #refreshPrompt(): void {
    const current = this.#current;
    this.#screen.prompt(current === undefined ? '> ' : `[${displayAddress(current)} ${this.#label(current)}] > `);
  }

  /** A conversation's lock label, with the version of its private conversation. */
  #label(peer: string): string {
    const view = this.#conversations.get(peer);
    return lockLabel(view.lock, this.#paint, view.version);
  }

  #withPeer(action: (peer: string) => void): void {
    if (this.#current === undefined) {
      this.#screen.print(this.#paint.red('No peer yet: type /to ADDR first (the address the other person sees at start).'));
      return;
    }
    this.#conversations.touch(this.#current);
    action(this.#current);
  }

  #handle(command: InputCommand): void {
    const host = this.#options.host;
    const p = this.#paint;
    switch (command.kind) {
      case 'say':
        if (command.text !== '') this.#withPeer((peer) => host.send(peer, command.text));
        return;
      case 'to':
        this.#switchTo(command.host, command.port);
        return;
      case 'otr-start':
        this.#withPeer((peer) => {
          // What this chat has seen says whether a private conversation runs; the library needs no asking.
          const lock = this.#conversations.get(peer).lock;
          const refresh = lock === 'encrypted-unverified' || lock === 'encrypted-verified' || lock === 'fingerprint-changed';
          const shown = displayAddress(peer);
          this.#screen.print(p.dim(refresh ? `Refreshing the private conversation with ${shown} (new keys)...` : `Asking ${shown} for a private conversation...`));
          host.start(peer);
        });
        return;
      case 'otr-end':
        this.#withPeer((peer) => host.end(peer));
        return;
      case 'otr-info':
        this.#withPeer((peer) => this.#info(peer));
        return;
      case 'smp':
        this.#withPeer((peer) => {
          let refused = false as boolean;
          host.smp(peer, command.secret, command.question, { onRefused: (reason) => (refused = this.#smpRefused(peer, reason)) });
          if (!refused) {
            this.#screen.print(p.dim(`Asking ${displayAddress(peer)} to verify${command.question === undefined ? '' : ` ("${sanitize(command.question)}")`}; waiting for their answer...`));
          }
        });
        return;
      case 'smp-answer':
        this.#withPeer((peer) => host.smpAnswer(peer, command.secret, { onRefused: (reason) => this.#smpRefused(peer, reason) }));
        return;
      case 'smp-abort':
        this.#withPeer((peer) => host.smpAbort(peer));
        return;
      case 'trust':
        this.#withPeer((peer) => host.trust(peer));
        return;
      case 'policy':
        if (command.name !== undefined) host.setPolicy(command.name);
        this.#screen.print(`Policy: ${host.policy}`);
        return;
      case 'peers':
        this.#listPeers();
        return;
      case 'help':
        this.#screen.print(INPUT_HELP);
        return;
      case 'quit':
        this.#screen.close();
        return;
      case 'invalid':
        this.#screen.print(p.red(command.message));
        return;
    }
  }

  /** Tells why an SMP command did nothing (the library's refusal); returns true. */
  #smpRefused(peer: string, reason: RefusalReason): true {
    const shown = displayAddress(peer);
    const p = this.#paint;
    if (reason === 'no-smp-request') this.#screen.print(p.red(`${shown} has not asked to verify you; there is nothing to answer. To verify them, use /smp SECRET.`));
    else if (reason === 'finished') this.#screen.print(p.red(`${shown} ended the private conversation: start a new one with /otr start, then verify.`));
    else this.#screen.print(p.red(`No private conversation with ${shown}: start one with /otr start, then verify.`));
    return true;
  }

  #switchTo(host: string | undefined, port: number | undefined): void {
    if (port === undefined) {
      this.#screen.print(this.#current === undefined ? 'No current peer.' : `Talking to ${displayAddress(this.#current)}.`);
      return;
    }
    // A bare port means a peer on our own host, as everyone on a loopback relay is.
    const ownHost = this.#options.address().slice(0, this.#options.address().lastIndexOf(':'));
    const peer = `${host ?? ownHost}:${port}`;
    if (peer === this.#options.address()) {
      this.#screen.print(this.#paint.red('That is your own address; give it to your peer and type theirs.'));
      return;
    }
    this.#setCurrent(peer);
    this.#conversations.touch(peer);
    this.#screen.print(`Talking to ${displayAddress(peer)} (${this.#label(peer)}).`);
  }

  #info(peer: string): void {
    const status = this.#options.host.status(peer);
    const view = this.#conversations.get(peer);
    const shown = displayAddress(peer);
    const lines = [`${shown}: ${this.#label(peer)}${status.version === undefined ? '' : `, OTR version ${status.version}`}`];
    if (status.ssid !== undefined) {
      const ssid = Buffer.from(status.ssid).toString('hex');
      // The spec asks to emphasise one half of the SSID (the half the peer also emphasises for us).
      const ssidShown = status.ssidHalf === 'first' ? `${this.#paint.bold(ssid.slice(0, 8))} ${ssid.slice(8)}` : `${ssid.slice(0, 8)} ${this.#paint.bold(ssid.slice(8))}`;
      lines.push(`  session id:        ${ssidShown}  (compare it with the one ${shown} sees, to check for a man in the middle)`);
    }
    if (view.fingerprint !== undefined) {
      const verified = this.#options.host.isVerified(peer, view.fingerprint);
      lines.push(fingerprintLine('their fingerprint:', view.fingerprint, verified ? this.#paint.green('verified') : this.#paint.yellow('unverified')));
    }
    // Ours for the session's version; without a session, every one enabled.
    const own = this.#options.host.fingerprints;
    const ours = status.version === undefined ? [own['4'], own['3']] : [own[status.version === 4 ? '4' : '3']];
    for (const hex of ours) if (hex !== undefined) lines.push(fingerprintLine('your fingerprint: ', hex));
    if (status.smp !== 'idle') lines.push(`  verification: ${status.smp === 'awaiting-answer' ? 'waiting for your /smp answer' : 'in progress'}`);
    lines.push(`  policy: ${this.#options.host.policy}`);
    this.#screen.print(lines.join('\n'));
  }

  #listPeers(): void {
    const views = this.#conversations.list();
    if (views.length === 0) {
      this.#screen.print('No conversations yet.');
      return;
    }
    for (const view of views) {
      const marker = view.peer === this.#current ? '*' : ' ';
      this.#screen.print(`${marker} ${displayAddress(view.peer)}  ${this.#label(view.peer)}${view.wrote ? '' : this.#paint.dim('  (has not written)')}`);
    }
  }
}
