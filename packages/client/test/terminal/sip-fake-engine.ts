/** A SipChatEngine that records the calls made to it and whose sessions a test sets, plus a SipTerminal wired to it over in-memory streams. */
import { PassThrough } from 'node:stream';
import type { HistoryPage } from '@sotto/store';
import type { Fingerprints } from '../../src/session/driver-events.js';
import type { SipChatEngine, SipChatEvent, SipSessionInfo } from '../../src/sip-chat/engine-api.js';
import { SipTerminal } from '../../src/terminal/sip-terminal.js';

export type Call = readonly [string, ...unknown[]];

export const OUR_V3 = 'a1'.repeat(20);
export const OUR_V4 = 'b2'.repeat(56);
export const THEIR_V3 = 'c3'.repeat(20);

export class FakeEngine implements SipChatEngine {
  readonly address = 'sip:alice@example.org';
  readonly fingerprints: Fingerprints = { '3': OUR_V3, '4': OUR_V4 };
  readonly calls: Call[] = [];
  list: SipSessionInfo[] = [];
  historyResult: HistoryPage | 'logging-off' = { messages: [], hasOlder: false };
  /** Events emitted from inside send(), before it returns (as an engine may). */
  duringSend: (id: string) => SipChatEvent[] = () => [];
  emit: (event: SipChatEvent) => void = () => undefined;
  #ids = 0;

  call(peer: string): void {
    this.calls.push(['call', peer]);
  }
  accept(peer: string): void {
    this.calls.push(['accept', peer]);
  }
  reject(peer: string): void {
    this.calls.push(['reject', peer]);
  }
  hangup(peer: string): void {
    this.calls.push(['hangup', peer]);
  }
  send(peer: string, text: string): string | undefined {
    this.calls.push(['send', peer, text]);
    const id = `m-${++this.#ids}`;
    for (const event of this.duringSend(id)) this.emit(event);
    return id;
  }
  composing(peer: string, state: 'active' | 'idle'): void {
    this.calls.push(['composing', peer, state]);
  }
  startOtr(peer: string): void {
    this.calls.push(['startOtr', peer]);
  }
  endOtr(peer: string): void {
    this.calls.push(['endOtr', peer]);
  }
  startSmp(peer: string, secret: string, question?: string): void {
    this.calls.push(['startSmp', peer, secret, question]);
  }
  answerSmp(peer: string, secret: string): void {
    this.calls.push(['answerSmp', peer, secret]);
  }
  abortSmp(peer: string): void {
    this.calls.push(['abortSmp', peer]);
  }
  trust(peer: string): void {
    this.calls.push(['trust', peer]);
  }
  symkey(peer: string, use: number): void {
    this.calls.push(['symkey', peer, use]);
  }
  setAlwaysOtr(peer: string, on: boolean): Promise<void> {
    this.calls.push(['setAlwaysOtr', peer, on]);
    return Promise.resolve();
  }
  sessions(): readonly SipSessionInfo[] {
    return this.list;
  }
  history(peer: string, options?: { readonly search?: string; readonly limit?: number }): HistoryPage | 'logging-off' {
    this.calls.push(['history', peer, options?.search]);
    return this.historyResult;
  }
  stop(): Promise<void> {
    this.calls.push(['stop']);
    return Promise.resolve();
  }

  /** Adds or replaces the session with `peer`. */
  session(peer: string, fields: Partial<SipSessionInfo> = {}): void {
    const session: SipSessionInfo = { peer, direction: 'out', state: 'active', focus: false, cpim: true, lock: 'none', composing: 'idle', alwaysOtr: false, ...fields };
    this.list = [...this.list.filter((other) => other.peer !== peer), session];
  }

  drop(peer: string): void {
    this.list = this.list.filter((other) => other.peer !== peer);
  }

  /** The calls other than composing and history (what most tests look at). */
  actions(): Call[] {
    return this.calls.filter((call) => call[0] !== 'composing');
  }
}

/** Lets the streams and readline pass what was written. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface Harness {
  readonly engine: FakeEngine;
  readonly terminal: SipTerminal;
  readonly input: PassThrough;
  readonly notifications: (readonly [string, string])[];
  readonly done: Promise<void>;
  /** Everything written so far. */
  output(): string;
  /** Types a line (and lets it be handled). */
  type(line: string): Promise<void>;
  /** Emits an event from the engine. */
  emit(event: SipChatEvent): void;
  /** Ends input and waits for the terminal to stop. */
  quit(): Promise<void>;
}

/** A terminal over in-memory streams: a pipe by default, a terminal (TTY) with `tty`. */
export function harness(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): Harness {
  const engine = new FakeEngine();
  const input = new PassThrough();
  const out = new PassThrough();
  if (options.tty === true) {
    Object.assign(input, { isTTY: true, setRawMode: () => input });
    Object.assign(out, { isTTY: true, columns: 200 });
  }
  let written = '';
  out.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const notifications: (readonly [string, string])[] = [];
  const terminal = new SipTerminal({
    engine,
    input,
    output: out,
    env: options.env ?? {},
    stateDir: '/tmp/state',
    notify: (summary, body) => notifications.push([summary, body]),
  });
  engine.emit = (event) => terminal.onEvent(event);
  const done = terminal.run();
  return {
    engine,
    terminal,
    input,
    notifications,
    done,
    output: () => written,
    type: async (line) => {
      input.write(`${line}${options.tty === true ? '\r' : '\n'}`);
      await settle();
    },
    emit: (event) => terminal.onEvent(event),
    quit: async () => {
      input.end();
      await done;
    },
  };
}
