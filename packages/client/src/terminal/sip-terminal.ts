/**
 * Placeholder for the SIP chat terminal (its real implementation replaces
 * this file): shows each event as a line and stops the engine when input
 * ends. Same signature as the real one.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { SipChatEngine, SipChatEvent } from '../sip-chat/engine-api.js';
import { sanitizeLines } from './sanitize.js';

/** What the SIP terminal needs. */
export interface SipTerminalOptions {
  readonly engine: SipChatEngine;
  readonly input: Readable;
  readonly output: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly stateDir: string;
}

/** Events that come before the terminal exists, kept (bounded) until it does. */
export class SipEventSink {
  static readonly MAX_EARLY_EVENTS = 256;
  #show: ((event: SipChatEvent) => void) | undefined;
  #early: SipChatEvent[] = [];

  readonly emit = (event: SipChatEvent): void => {
    if (this.#show !== undefined) this.#show(event);
    else if (this.#early.length < SipEventSink.MAX_EARLY_EVENTS) this.#early.push(event);
  };

  attach(terminal: { onEvent(event: SipChatEvent): void }): void {
    this.#show = (event) => terminal.onEvent(event);
    for (const event of this.#early.splice(0)) terminal.onEvent(event);
  }
}

/** Runs until end of input, then stops the engine. */
export async function runSipTerminal(options: SipTerminalOptions & { readonly sink?: SipEventSink; readonly notes?: readonly string[] }): Promise<void> {
  const write = (line: string): void => void options.output.write(`${sanitizeLines(line)}\n`);
  for (const note of options.notes ?? []) write(note);
  options.sink?.attach({ onEvent: (event) => write(JSON.stringify(event)) });
  const lines = createInterface({ input: options.input, terminal: false });
  await new Promise<void>((resolve) => lines.on('close', resolve));
  await options.engine.stop();
}
