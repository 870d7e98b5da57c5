/**
 * The interactive SIP chat: one account, several chat sessions at once, as
 * a Blink user would expect it in a terminal. The prompt names the current
 * session's peer, its lock ([none], [unverified] in orange, [verified] in
 * green, [FINGERPRINT CHANGED] in red) and who is typing; plain lines go to
 * the current session; the commands (sip-commands.ts) act through the
 * engine (sip-chat/engine-api.ts) and every engine event becomes a line
 * (sip-renderer.ts, renderer.ts). A contact's fingerprint changing rings
 * the terminal bell and shows a desktop notification (sip-notify.ts)
 * besides the red lock and the system message.
 *
 * Is-composing: on a terminal the keystrokes are seen (Screen.onTyping),
 * so "active" goes to the current session when a message starts being
 * typed (again every ACTIVE_REFRESH_MS while typing goes on, as RFC 3994
 * asks), and "idle" when the line is emptied, after IDLE_AFTER_MS without a
 * keystroke, when the current session changes, and after the message is
 * sent. Off a terminal (a pipe) keystrokes are not seen: nothing is sent
 * for composing. The peer's typing shows in the prompt on a terminal, and
 * as a short line elsewhere (where no prompt is drawn).
 */
import type { Readable, Writable } from 'node:stream';
import type { LockState, SipChatEngine, SipChatEvent, SipSessionInfo } from '../sip-chat/engine-api.js';
import { renderHistory } from './history-view.js';
import { fingerprintFamily, humanFingerprint, renderEvent, wantsColour } from './renderer.js';
import { displayAddress, sanitize, sanitizeLines } from './sanitize.js';
import { Screen } from './screen.js';
import { parseSipInput, SIP_INPUT_HELP, type SessionRef, type SipInputCommand } from './sip-commands.js';
import { desktopNotifier, type Notifier } from './sip-notify.js';
import {
  deliveryLine,
  fingerprintAlertLine,
  fingerprintNotification,
  lockTag,
  messageTag,
  preview,
  promptText,
  receivedLine,
  sentLine,
  sessionLine,
  shortName,
  sipPalette,
  type Registration,
  type SipPalette,
} from './sip-renderer.js';

/** What the SIP terminal needs. */
export interface SipTerminalOptions {
  readonly engine: SipChatEngine;
  readonly input: Readable;
  readonly output: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** The state directory, shown so the user knows which identity, trust and history are in use. */
  readonly stateDir: string;
  /** Desktop notifications (default: notify-send where it exists, unless SOTTO_NO_NOTIFY=1). */
  readonly notify?: Notifier;
}

/** The terminal bell. */
export const BELL = '\x07';
/** Without a keystroke for this long, the user is no longer composing (RFC 3994's default idle timeout). */
export const IDLE_AFTER_MS = 15_000;
/** While typing goes on, "active" is sent again this often (RFC 3994 refresh). */
export const ACTIVE_REFRESH_MS = 60_000;
/** The most sent messages whose delivery is followed; the oldest are forgotten first. */
export const MAX_TRACKED_SENT = 512;

/** A message we sent, followed until its delivery is known. */
interface SentMessage {
  readonly number: number;
  readonly peer: string;
  readonly text: string;
}

/** The running SIP chat terminal. */
export class SipTerminal {
  readonly #options: SipTerminalOptions;
  readonly #engine: SipChatEngine;
  readonly #screen: Screen;
  readonly #paint: SipPalette;
  readonly #notify: Notifier;
  /** Session numbers, stable while a session lasts. */
  readonly #numbers = new Map<string, number>();
  /** The lock of each session as the last x-lock said. */
  readonly #locks = new Map<string, LockState>();
  /** Peers whose last is-composing said active. */
  readonly #typing = new Set<string>();
  /** Peers whose red lock was alerted; cleared when the lock leaves red. */
  readonly #alerted = new Set<string>();
  readonly #sent = new Map<string, SentMessage>();
  #sentCount = 0;
  /** The message being handed to engine.send, for events the engine gives before send returns. */
  #sending: { peer: string; text: string } | undefined;
  #current: string | undefined;
  #registration: Registration = 'registering';
  #everRegistered = false;
  /** Our is-composing: the peer told "active", when, and the timer that turns it idle. */
  #composing: { peer: string; at: number; timer: NodeJS.Timeout } | undefined;
  #stopped: Promise<void> | undefined;

  constructor(options: SipTerminalOptions) {
    this.#options = options;
    this.#engine = options.engine;
    this.#screen = new Screen(options.input, options.output);
    this.#paint = sipPalette(wantsColour(options.env, this.#screen.terminal), options.env);
    this.#notify = options.notify ?? desktopNotifier(options.env);
  }

  /** Shows one engine event. Never throws for what a peer sent. */
  onEvent(event: SipChatEvent): void {
    this.#show(event);
    this.#refreshPrompt();
  }

  /** Prints the welcome and reads input until /quit or end of input, then stops the engine. */
  run(notes: readonly string[] = []): Promise<void> {
    const p = this.#paint;
    for (const note of notes) this.#screen.print(p.dim(sanitizeLines(note)));
    const state = this.#registration === 'registered' ? '' : p.dim(' (registering…)');
    this.#screen.print(`Account: ${p.bold(displayAddress(this.#engine.address))}${state}`);
    this.#printOwnFingerprints('Your fingerprints:');
    this.#screen.print(p.dim(`Identity, trust and history in ${sanitizeLines(this.#options.stateDir)}. Type /call sip:user@domain to start a chat, /help for commands.`));
    this.#refreshPrompt();
    return new Promise((resolve) => {
      this.#screen.onLine((line) => {
        this.#handle(parseSipInput(line.trim()));
        this.#refreshPrompt();
      });
      this.#screen.onTyping((typed) => this.#typed(typed));
      this.#screen.onClose(() => {
        void this.#stop().then(resolve);
      });
    });
  }

  /** Shows a note from the client itself (dimmed). */
  note(text: string): void {
    this.#screen.print(this.#paint.dim(sanitizeLines(text)));
  }

  /** Shows a diagnostic above the prompt, escaped. */
  warn(text: string): void {
    this.#screen.print(this.#paint.yellow(`sotto: ${sanitizeLines(text)}`));
  }

  /** Stops reading input; run() then stops the engine and resolves. */
  close(): void {
    this.#screen.close();
  }

  // ---- events

  #show(event: SipChatEvent): void {
    const p = this.#paint;
    switch (event.event) {
      case 'ready':
        return;
      case 'x-registration':
        this.#registrationChanged(event.state, event.reason);
        return;
      case 'incoming': {
        const number = this.#numberOf(event.peer);
        const waiting = this.#sessions().filter((session) => session.state === 'incoming').length;
        const which = waiting > 1 ? ` ${number}` : '';
        const focus = event.focus ? ' It is a conference: plain chat, no OTR.' : '';
        this.#ring();
        this.#screen.print(p.bold(`Incoming chat from ${displayAddress(event.peer)} (session ${number}).${focus} Type /accept${which} to answer, /reject${which} to decline.`));
        return;
      }
      case 'session-started': {
        const number = this.#numberOf(event.peer);
        if (this.#current === undefined || !this.#hasSession(this.#current)) this.#current = event.peer;
        const focus = this.#session(event.peer)?.focus === true ? ' It is a conference: plain chat, OTR is not used.' : '';
        const where = this.#current === event.peer ? ' Type to chat.' : ` /to ${number} to talk there.`;
        this.#screen.print(p.green(`Chat with ${displayAddress(event.peer)} started (session ${number}).`) + focus + where);
        return;
      }
      case 'session-ended':
        this.#sessionEnded(event.peer, event.by, event.reason);
        return;
      case 'delivered':
      case 'not-delivered': {
        const sent = this.#sent.get(event.id);
        this.#sent.delete(event.id);
        const outcome = event.event === 'delivered' ? ({ delivered: true } as const) : ({ delivered: false, reason: event.reason } as const);
        if (sent === undefined) {
          const what = `A message to ${displayAddress(event.peer)}`;
          this.#screen.print(outcome.delivered ? p.green(`✓ ${what} was delivered`) : p.red(`✗ ${what} was NOT delivered: ${sanitize(outcome.reason)}`));
        } else {
          this.#screen.print(deliveryLine(sent.number, outcome, preview(sent.text), p) + this.#elsewhere(event.peer));
        }
        return;
      }
      case 'composing':
        this.#peerComposing(event.peer, event.state);
        return;
      case 'x-lock':
        this.#lockChanged(event.peer, event.lock);
        return;
      case 'x-notice':
        this.#screen.print(p.yellow(`${event.peer === null ? '' : `${displayAddress(event.peer)}: `}${sanitize(event.text)}`));
        return;
      case 'x-sent': {
        const sent = this.#track(event.id, event.peer, event.text);
        const tag = messageTag(event.encrypted, this.#lockOf(event.peer), p);
        this.#screen.print(sentLine(sent.number, event.peer, sent.text, tag, event.peer !== this.#current, p));
        return;
      }
      case 'x-held': {
        const sent = this.#track(event.id, event.peer, undefined);
        this.#screen.print(deliveryLine(sent.number, { held: true }, preview(sent.text), p) + this.#elsewhere(event.peer));
        return;
      }
      case 'message': {
        this.#typing.delete(event.from);
        if (this.#current === undefined) this.#current = event.from;
        const tag = messageTag(event.encrypted, this.#lockOf(event.from), p);
        const elsewhere = event.from === this.#current ? undefined : this.#numberOf(event.from);
        this.#screen.print(receivedLine(event.from, event.text, tag, elsewhere, p));
        return;
      }
      case 'smp-request':
        this.#screen.print(
          p.yellow(
            `${displayAddress(event.peer)} wants to verify your identity${event.question === null ? ' with a shared secret' : `, asking: "${sanitize(event.question)}"`}. ` +
              'Reply with /smp answer (you are then asked for the secret, not shown as you type).',
          ) + this.#elsewhere(event.peer),
        );
        return;
      case 'fingerprint-changed': {
        const line = renderEvent(event, p);
        if (line !== undefined) this.#screen.print(line + this.#elsewhere(event.peer));
        if (event.crossVersion !== true) this.#alert(event.peer, true);
        return;
      }
      default: {
        const line = renderEvent(event, p);
        if (line === undefined) return;
        const peer = 'peer' in event ? event.peer : 'to' in event ? event.to : null;
        this.#screen.print(line + (peer === null || event.event === 'error' ? '' : this.#elsewhere(peer)));
      }
    }
  }

  #registrationChanged(state: 'registered' | 'unregistered' | 'failed', reason: string | undefined): void {
    const p = this.#paint;
    const address = displayAddress(this.#engine.address);
    const why = reason === undefined || reason === '' ? '' : `: ${sanitize(reason)}`;
    const before = this.#registration;
    this.#registration = state;
    if (state === 'registered') {
      if (before === 'registered') return;
      this.#screen.print(p.green(`${this.#everRegistered ? 'Registered again' : 'Registered'} as ${address}.`));
      this.#everRegistered = true;
    } else if (state === 'unregistered') {
      this.#screen.print(p.yellow(`No longer registered as ${address}${why}. Nobody can start a chat with you until sotto registers again.`));
    } else {
      this.#screen.print(p.red(`Registration as ${address} failed${why}.`));
    }
  }

  #sessionEnded(peer: string, by: 'local' | 'remote' | 'error', reason: string): void {
    const p = this.#paint;
    const number = this.#numbers.get(peer);
    const who = by === 'local' ? 'you ended it' : by === 'remote' ? `${shortName(peer)} ended it` : 'it failed';
    const why = reason === '' ? '' : `: ${sanitize(reason)}`;
    this.#screen.print(p.yellow(`Chat with ${displayAddress(peer)}${number === undefined ? '' : ` (session ${number})`} is over (${who}${why}).`));
    this.#numbers.delete(peer);
    this.#locks.delete(peer);
    this.#typing.delete(peer);
    this.#alerted.delete(peer);
    if (this.#composing?.peer === peer) this.#stopComposing(false);
    if (this.#current !== peer) return;
    const next = this.#sessions().filter((session) => session.peer !== peer && session.state === 'active').at(-1);
    this.#current = next?.peer;
    if (next !== undefined) this.#screen.print(`Now talking to ${displayAddress(next.peer)} (session ${this.#numberOf(next.peer)}); /sessions lists the others.`);
  }

  #peerComposing(peer: string, state: 'active' | 'idle'): void {
    const was = this.#typing.has(peer);
    if (state === 'active') this.#typing.add(peer);
    else this.#typing.delete(peer);
    // Where no prompt is drawn, typing shows as a short line when it starts.
    if (!this.#screen.terminal && state === 'active' && !was) this.#screen.print(this.#paint.dim(`${shortName(peer)} is typing…`) + this.#elsewhere(peer));
  }

  #lockChanged(peer: string, lock: LockState): void {
    const before = this.#lockOf(peer);
    this.#locks.set(peer, lock);
    if (lock === 'fingerprint-changed') this.#alert(peer, false);
    else this.#alerted.delete(peer);
    // A session out of sight tells its lock change (a red one has its own alert).
    if (before !== lock && lock !== 'fingerprint-changed' && peer !== this.#current && this.#hasSession(peer)) {
      this.#screen.print(`${displayAddress(peer)} is now ${lockTag(lock, this.#paint)}${this.#elsewhere(peer)}`);
    }
  }

  /**
   * The fingerprint-change alert, once per red lock: the system message
   * (unless the event already explained it), the bell and a desktop
   * notification.
   */
  #alert(peer: string, explained: boolean): void {
    this.#locks.set(peer, 'fingerprint-changed');
    if (this.#alerted.has(peer)) return;
    this.#alerted.add(peer);
    if (!explained) this.#screen.print(fingerprintAlertLine(peer, this.#paint) + this.#elsewhere(peer));
    this.#ring();
    const { summary, body } = fingerprintNotification(peer);
    try {
      this.#notify(summary, body);
    } catch {
      // A notification is a courtesy: the chat goes on without it.
    }
  }

  #ring(): void {
    this.#options.output.write(BELL);
  }

  // ---- sessions

  #sessions(): readonly SipSessionInfo[] {
    return this.#engine.sessions();
  }

  #session(peer: string): SipSessionInfo | undefined {
    return this.#sessions().find((session) => session.peer === peer);
  }

  #hasSession(peer: string): boolean {
    return this.#session(peer) !== undefined;
  }

  /** The session's number: its own while it lasts; numbers of sessions the engine no longer has are freed first. */
  #numberOf(peer: string): number {
    const known = this.#numbers.get(peer);
    if (known !== undefined) return known;
    const live = new Set(this.#sessions().map((session) => session.peer));
    for (const other of [...this.#numbers.keys()]) if (!live.has(other)) this.#numbers.delete(other);
    const taken = new Set(this.#numbers.values());
    let number = 1;
    while (taken.has(number)) number++;
    this.#numbers.set(peer, number);
    return number;
  }

  #lockOf(peer: string): LockState {
    return this.#locks.get(peer) ?? this.#session(peer)?.lock ?? 'none';
  }

  /** A hint after a line about a session that is not the current one. */
  #elsewhere(peer: string): string {
    if (peer === this.#current || !this.#hasSession(peer)) return '';
    const number = this.#numberOf(peer);
    return ` ${this.#paint.dim(`(session ${number}: /to ${number})`)}`;
  }

  /** The session a command names, or (without a name) the one `fallback` picks; undefined after saying why. */
  #resolve(ref: SessionRef | undefined, what: string, fallback: () => SipSessionInfo | undefined): SipSessionInfo | undefined {
    const sessions = this.#sessions();
    let session: SipSessionInfo | undefined;
    if (ref === undefined) session = fallback();
    else if ('number' in ref) session = sessions.find((candidate) => this.#numbers.get(candidate.peer) === ref.number);
    else session = sessions.find((candidate) => candidate.peer === ref.peer);
    if (session === undefined && ref !== undefined) {
      const named = 'number' in ref ? `session ${ref.number}` : displayAddress(ref.peer);
      this.#screen.print(this.#paint.red(`No ${named} to ${what}: /sessions lists them.`));
    }
    return session;
  }

  #setCurrent(peer: string): void {
    if (this.#composing !== undefined && this.#composing.peer !== peer) this.#stopComposing(true);
    this.#current = peer;
  }

  // ---- commands

  #withCurrent(action: (peer: string) => void): void {
    const peer = this.#current;
    if (peer === undefined) {
      this.#screen.print(this.#paint.red('No current session: /call sip:user@domain, /accept an incoming one, or /to N (see /sessions).'));
      return;
    }
    action(peer);
  }

  #handle(command: SipInputCommand): void {
    const engine = this.#engine;
    const p = this.#paint;
    switch (command.kind) {
      case 'say':
        if (command.text !== '') this.#withCurrent((peer) => this.#say(peer, command.text));
        return;
      case 'call':
        this.#numberOf(command.peer);
        this.#setCurrent(command.peer);
        this.#screen.print(p.dim(`Calling ${displayAddress(command.peer)}…`));
        engine.call(command.peer);
        return;
      case 'accept':
      case 'reject': {
        const waiting = (): SipSessionInfo | undefined => {
          const incoming = this.#sessions().filter((session) => session.state === 'incoming');
          if (incoming.length === 1) return incoming[0];
          this.#screen.print(
            p.red(incoming.length === 0 ? 'Nobody is waiting for an answer.' : `Several chats are waiting: /${command.kind} N or /${command.kind} sip:user@domain (/sessions lists them).`),
          );
          return undefined;
        };
        const session = this.#resolve(command.ref, command.kind, waiting);
        if (session === undefined) return;
        if (session.state !== 'incoming') {
          this.#screen.print(p.red(`The session with ${displayAddress(session.peer)} is not waiting for an answer.`));
          return;
        }
        if (command.kind === 'accept') {
          this.#setCurrent(session.peer);
          engine.accept(session.peer);
        } else {
          engine.reject(session.peer);
        }
        return;
      }
      case 'hangup': {
        const session = this.#resolve(command.ref, 'hang up', () => {
          const current = this.#current === undefined ? undefined : this.#session(this.#current);
          if (current === undefined) this.#screen.print(p.red('No current session to hang up: /hangup N (see /sessions).'));
          return current;
        });
        if (session !== undefined) engine.hangup(session.peer);
        return;
      }
      case 'sessions':
        this.#listSessions();
        return;
      case 'to': {
        if (command.ref === undefined) {
          this.#screen.print(this.#current === undefined ? 'No current session.' : `Talking to ${displayAddress(this.#current)} (${lockTag(this.#lockOf(this.#current), p)}).`);
          return;
        }
        const session = this.#resolve(command.ref, 'switch to', () => undefined);
        if (session === undefined) return;
        this.#setCurrent(session.peer);
        const waiting = session.state === 'incoming' ? ` It is waiting for an answer: /accept ${this.#numberOf(session.peer)}.` : '';
        this.#screen.print(`Talking to ${displayAddress(session.peer)} (session ${this.#numberOf(session.peer)}, ${lockTag(this.#lockOf(session.peer), p)}).${waiting}`);
        return;
      }
      case 'otr-start':
        this.#withCurrent((peer) => {
          const lock = this.#lockOf(peer);
          const shown = displayAddress(peer);
          this.#screen.print(p.dim(lock === 'none' ? `Asking ${shown} for a private conversation…` : `Refreshing the private conversation with ${shown} (new keys)…`));
          engine.startOtr(peer);
        });
        return;
      case 'otr-end':
        this.#withCurrent((peer) => engine.endOtr(peer));
        return;
      case 'otr-info':
        this.#withCurrent((peer) => this.#info(peer));
        return;
      case 'otr-always':
        this.#withCurrent((peer) => this.#always(peer, command.on));
        return;
      case 'smp':
        this.#withCurrent((peer) => this.#smp(peer, command.question, command.secret));
        return;
      case 'smp-answer':
        this.#withCurrent((peer) => this.#smpAnswer(peer, command.secret));
        return;
      case 'smp-abort':
        this.#withCurrent((peer) => engine.abortSmp(peer));
        return;
      case 'trust':
        this.#withCurrent((peer) => engine.trust(peer));
        return;
      case 'history':
        this.#withCurrent((peer) => this.#history(peer, command.search));
        return;
      case 'help':
        this.#screen.print(SIP_INPUT_HELP);
        return;
      case 'quit':
        this.#screen.close();
        return;
      case 'invalid':
        this.#screen.print(p.red(sanitize(command.message)));
        return;
    }
  }

  #say(peer: string, text: string): void {
    this.#sending = { peer, text };
    try {
      const id = this.#engine.send(peer, text);
      if (id !== undefined) this.#track(id, peer, text);
    } finally {
      this.#sending = undefined;
    }
    // The message itself ends composing at the peer; say so for peers that wait for it.
    if (this.#composing?.peer === peer) this.#stopComposing(true);
  }

  /** The sent message with `id`: known, or numbered now (with the text being sent, or `text`). */
  #track(id: string, peer: string, text: string | undefined): SentMessage {
    const known = this.#sent.get(id);
    if (known !== undefined) return known;
    const sending = this.#sending?.peer === peer ? this.#sending.text : undefined;
    const sent: SentMessage = { number: ++this.#sentCount, peer, text: text ?? sending ?? '' };
    this.#sent.set(id, sent);
    while (this.#sent.size > MAX_TRACKED_SENT) {
      const oldest = this.#sent.keys().next().value;
      if (oldest === undefined) break;
      this.#sent.delete(oldest);
    }
    return sent;
  }

  #listSessions(): void {
    const sessions = this.#sessions();
    if (sessions.length === 0) {
      this.#screen.print('No chat sessions. /call sip:user@domain starts one.');
      return;
    }
    const numbered = sessions.map((session) => ({ session, number: this.#numberOf(session.peer) })).sort((a, b) => a.number - b.number);
    for (const { session, number } of numbered) {
      this.#screen.print(sessionLine(number, session, this.#lockOf(session.peer), session.peer === this.#current, this.#paint));
    }
  }

  #printOwnFingerprints(title: string): void {
    const own = this.#engine.fingerprints;
    const p = this.#paint;
    if (own['4'] === undefined && own['3'] === undefined) return;
    this.#screen.print(title);
    if (own['4'] !== undefined) this.#screen.print(`  OTRv4: ${humanFingerprint(own['4'], 9).split('\n').map((line) => line.replace(/^( *)(.*)$/, (_, indent: string, rest: string) => `${indent}${p.bold(rest)}`)).join('\n')}`);
    if (own['3'] !== undefined) this.#screen.print(`  OTRv3: ${p.bold(humanFingerprint(own['3']))}`);
  }

  #info(peer: string): void {
    const p = this.#paint;
    const session = this.#session(peer);
    const lock = this.#lockOf(peer);
    const facts = [
      session?.otrVersion === undefined || lock === 'none' ? undefined : `OTR version ${session.otrVersion}`,
      session === undefined ? 'no session' : session.state === 'active' ? undefined : session.state,
      session?.focus === true ? 'a conference: OTR is not used' : undefined,
      session === undefined ? undefined : session.cpim ? 'CPIM' : 'no CPIM',
    ].filter((fact): fact is string => fact !== undefined);
    const lines = [`${displayAddress(peer)} ${lockTag(lock, p)}${facts.length === 0 ? '' : `, ${facts.join(', ')}`}`];
    const theirs = session?.theirFingerprint;
    if (theirs !== undefined && /^[0-9a-f]+$/i.test(theirs)) {
      const status = lock === 'verified' ? p.green('verified') : lock === 'fingerprint-changed' ? p.red('NOT the one you verified') : p.orange('unverified');
      lines.push(fingerprintLine('their fingerprint', theirs, status));
    } else {
      lines.push('  their fingerprint: none yet (no private conversation)');
    }
    const own = this.#engine.fingerprints;
    for (const hex of [own['4'], own['3']]) if (hex !== undefined) lines.push(fingerprintLine('your fingerprint', hex));
    if (session !== undefined) lines.push(`  always use OTR with ${shortName(peer)}: ${session.alwaysOtr ? 'on' : 'off'} (/otr always on|off)`);
    this.#screen.print(lines.join('\n'));
  }

  #always(peer: string, on: boolean | undefined): void {
    const shown = displayAddress(peer);
    if (on === undefined) {
      const session = this.#session(peer);
      this.#screen.print(session === undefined ? `No session with ${shown}.` : `Always use OTR with ${shown}: ${session.alwaysOtr ? 'on' : 'off'}.`);
      return;
    }
    this.#engine.setAlwaysOtr(peer, on).then(
      () => this.#screen.print(on ? this.#paint.green(`OTR is now always used with ${shown}.`) : `OTR is no longer always used with ${shown}.`),
      (error: unknown) => this.#screen.print(this.#paint.red(`Could not change "always use OTR" for ${shown}: ${sanitize(error instanceof Error ? error.message : 'error')}`)),
    );
  }

  #smp(peer: string, question: string | undefined, secret: string | undefined): void {
    const start = (given: string): void => {
      this.#engine.startSmp(peer, given, question);
      this.#screen.print(this.#paint.dim(`Asking ${displayAddress(peer)} to verify${question === undefined ? '' : ` ("${sanitize(question)}")`}; waiting for their answer…`));
    };
    if (secret !== undefined) start(secret);
    else this.#askSecret(`Secret to verify ${displayAddress(peer)} with (not shown; empty to cancel): `, start);
  }

  #smpAnswer(peer: string, secret: string | undefined): void {
    const answer = (given: string): void => this.#engine.answerSmp(peer, given);
    if (secret !== undefined) answer(secret);
    else this.#askSecret(`Your answer to ${displayAddress(peer)} (not shown; empty to cancel): `, answer);
  }

  #askSecret(prompt: string, use: (secret: string) => void): void {
    if (!this.#screen.canHide) {
      this.#screen.print(this.#paint.red('This terminal cannot hide what you type: give the secret on the line (/smp SECRET, /smp answer SECRET).'));
      return;
    }
    void this.#screen.readHidden(prompt).then((secret) => {
      if (secret === undefined) return;
      if (secret === '') this.#screen.print(this.#paint.dim('Verification cancelled.'));
      else use(secret);
      this.#refreshPrompt();
    });
  }

  #history(peer: string, search: string | undefined): void {
    const p = this.#paint;
    const shown = displayAddress(peer);
    let page: ReturnType<SipChatEngine['history']>;
    try {
      page = this.#engine.history(peer, search === undefined ? {} : { search });
    } catch (error) {
      this.#screen.print(p.red(`Cannot read the history: ${sanitize(error instanceof Error ? error.message : 'error')}`));
      return;
    }
    if (page === 'logging-off') {
      this.#screen.print(p.yellow('Logging is off: no messages are recorded, so there is no history to show. Turn it on with: sotto logging on'));
      return;
    }
    const containing = search === undefined ? '' : ` containing "${sanitize(search)}"`;
    if (page.messages.length === 0) {
      this.#screen.print(`No recorded messages with ${shown}${containing}.`);
      return;
    }
    const lines = [p.bold(`History with ${shown}${containing} (newest last):`), ...renderHistory(page.messages)];
    if (page.hasOlder) lines.push(p.dim(`(older messages: sotto history show ${shown} --limit N)`));
    this.#screen.print(lines.join('\n'));
  }

  // ---- our is-composing

  #typed(typed: string): void {
    const peer = this.#current;
    const composing = typed !== '' && (!typed.startsWith('/') || typed.startsWith('//'));
    if (!composing || peer === undefined) {
      if (this.#composing !== undefined) this.#stopComposing(true);
      return;
    }
    if (this.#session(peer)?.state !== 'active') return;
    const now = Date.now();
    const state = this.#composing;
    if (state !== undefined) clearTimeout(state.timer);
    const timer = setTimeout(() => this.#stopComposing(true), IDLE_AFTER_MS);
    timer.unref();
    if (state === undefined || state.peer !== peer || now - state.at >= ACTIVE_REFRESH_MS) {
      if (state !== undefined && state.peer !== peer) this.#engine.composing(state.peer, 'idle');
      this.#composing = { peer, at: now, timer };
      this.#engine.composing(peer, 'active');
    } else {
      this.#composing = { ...state, timer };
    }
  }

  /** Ends our "active": telling the peer (`tell`) unless its session is gone. */
  #stopComposing(tell: boolean): void {
    const state = this.#composing;
    if (state === undefined) return;
    clearTimeout(state.timer);
    this.#composing = undefined;
    if (tell && this.#session(state.peer)?.state === 'active') this.#engine.composing(state.peer, 'idle');
  }

  // ---- prompt and end

  #refreshPrompt(): void {
    const peer = this.#current;
    const session = peer === undefined ? undefined : this.#session(peer);
    const typing = [...this.#typing].sort((a, b) => (a === peer ? -1 : b === peer ? 1 : 0));
    this.#screen.prompt(
      promptText(
        {
          ...(peer === undefined ? {} : { peer, state: session?.state ?? 'ended', focus: session?.focus === true }),
          lock: peer === undefined ? 'none' : this.#lockOf(peer),
          typing,
          registration: this.#registration,
        },
        this.#paint,
      ),
    );
  }

  #stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#stopComposing(false);
      try {
        await this.#engine.stop();
      } catch (error) {
        this.#options.output.write(`sotto: stopping: ${sanitizeLines(error instanceof Error ? error.message : 'error')}\n`);
      }
    })();
    return this.#stopped;
  }
}

/**
 * A line of /otr info naming a fingerprint: "  LABEL: FP (OTRv3) STATUS";
 * an OTRv4 one under its label on two lines of seven groups.
 */
function fingerprintLine(label: string, hex: string, status?: string): string {
  const tail = `(${fingerprintFamily(hex)})${status === undefined ? '' : ` ${status}`}`;
  return hex.length === 112 ? `  ${label.trimEnd()} ${tail}:\n    ${humanFingerprint(hex, 4)}` : `  ${label}: ${humanFingerprint(hex)} ${tail}`;
}

/**
 * Events that come before the terminal exists (the engine starts emitting
 * as soon as it is created, and the terminal needs the engine): kept, up to
 * a bound, and handed over once the terminal is attached.
 */
export class SipEventSink {
  static readonly MAX_EARLY_EVENTS = 256;
  #terminal: SipTerminal | undefined;
  #early: SipChatEvent[] = [];

  /** The engine's `emit`. */
  readonly emit = (event: SipChatEvent): void => {
    if (this.#terminal !== undefined) this.#terminal.onEvent(event);
    else if (this.#early.length < SipEventSink.MAX_EARLY_EVENTS) this.#early.push(event);
  };

  attach(terminal: SipTerminal): void {
    this.#terminal = terminal;
    const early = this.#early;
    this.#early = [];
    for (const event of early) terminal.onEvent(event);
  }
}

/**
 * Runs the SIP chat terminal until /quit or end of input, then stops the
 * engine. `sink` is the SipEventSink whose `emit` the engine was created
 * with: the events so far and all later ones are shown. (A caller that
 * passes events itself makes a SipTerminal and calls its onEvent.)
 */
export function runSipTerminal(options: SipTerminalOptions & { readonly sink?: SipEventSink; readonly notes?: readonly string[] }): Promise<void> {
  const terminal = new SipTerminal(options);
  const done = terminal.run(options.notes);
  options.sink?.attach(terminal);
  return done;
}
