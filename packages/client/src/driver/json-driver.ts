/**
 * `sotto chat --json`: the interop driver protocol (shared/interop/DRIVER.md).
 * Commands arrive on stdin, one JSON object a line; events leave on stdout,
 * one JSON object a line, and nothing else is written there. End of stdin is
 * `quit`. Bad lines get an `error` event; the driver keeps running.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { replaceUnsafe } from '@sotto/store';
import type { ChatHost } from '../session/chat-host.js';
import type { DriverEvent } from '../session/driver-events.js';
import { parseDriverCommand, type DriverCommand } from './json-commands.js';

/** `\uXXXX` for each UTF-16 unit of `character`: the same JSON value, spelled in ASCII. */
function jsonEscape(character: string): string {
  let out = '';
  for (let i = 0; i < character.length; i++) out += `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * One event as its stdout line (with the newline). Every control, invisible
 * or reordering character (sanitize.ts) is written as a JSON escape: the
 * value is unchanged, but no line reader splits the line (U+0085, U+2028,
 * U+2029 end lines for some) and no terminal showing it obeys a peer's escapes.
 * The terminal's own `crossVersion` of fingerprint-changed is left out.
 */
export function formatEvent(event: WireEvent): string {
  return `${replaceUnsafe(JSON.stringify(onTheWire(event)), jsonEscape)}\n`;
}

/** An event of the driver protocol, of either mode: its name and its fields. */
export interface WireEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

/** The event as the driver protocol spells it: without the terminal's own `crossVersion` of fingerprint-changed. */
function onTheWire(event: WireEvent): WireEvent {
  if (event.event !== 'fingerprint-changed') return event;
  const { crossVersion: _terminalOnly, ...wire } = event;
  return wire;
}

/** An event writer for `output`. */
export function eventWriter(output: Writable): (event: DriverEvent) => void {
  return (event) => {
    output.write(formatEvent(event));
  };
}

/** Applies one command to the host; returns false for `quit`. */
export function applyCommand(host: ChatHost, command: DriverCommand): boolean {
  switch (command.cmd) {
    case 'quit':
      return false;
    case 'send':
      host.send(command.to, command.text);
      return true;
    case 'start':
      host.start(command.to);
      return true;
    case 'end':
      host.end(command.to);
      return true;
    case 'smp':
      host.smp(command.to, command.secret, command.question);
      return true;
    case 'smp-answer':
      host.smpAnswer(command.to, command.secret);
      return true;
    case 'smp-abort':
      host.smpAbort(command.to);
      return true;
    case 'trust':
      host.trust(command.to);
      return true;
    case 'symkey':
      host.symkey(command.to, command.use, command.usedata);
      return true;
  }
}

/** A running driver loop; `done` resolves on `quit` or end of input. */
export interface JsonDriver {
  readonly done: Promise<void>;
  /** Stops reading input (the chat ended for another reason). */
  close(): void;
}

/** How one mode of the driver reads and carries out its commands. */
export interface CommandSet<C> {
  /** One stdin line: the command, or the `error` event for a bad line. */
  readonly parse: (line: string) => { ok: true; command: C } | { ok: false; error: Extract<DriverEvent, { event: 'error' }> };
  /** Carries out a command; false for `quit`. */
  readonly apply: (command: C) => boolean;
  /** The peer a command concerns (null for none), for the `error` of a failing one. */
  readonly peerOf: (command: C) => string | null;
}

/**
 * Reads commands from `input`, one JSON object a line, until `quit` or end of
 * input; bad lines and failing commands become `error` events through `emit`.
 */
export function runCommandLoop<C>(input: Readable, commands: CommandSet<C>, emit: (event: Extract<DriverEvent, { event: 'error' }>) => void): JsonDriver {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  let finished = false;
  const done = new Promise<void>((resolve) => {
    const finish = (): void => {
      if (finished) return;
      finished = true;
      lines.close();
      resolve();
    };
    lines.on('line', (line) => {
      if (finished || line.trim() === '') return;
      const parsed = commands.parse(line);
      if (!parsed.ok) {
        emit(parsed.error);
        return;
      }
      try {
        if (!commands.apply(parsed.command)) finish();
      } catch (error) {
        // A defect must not end the driver: the contract wants it to keep running.
        emit({ event: 'error', peer: commands.peerOf(parsed.command), message: `internal error: ${(error as Error).message}` });
      }
    });
    lines.on('close', finish);
  });
  return { done, close: () => lines.close() };
}

/** Reads commands from `input` and applies them to `host`; errors go to `emit`. */
export function runJsonDriver(host: ChatHost, input: Readable, emit: (event: DriverEvent) => void): JsonDriver {
  return runCommandLoop(input, { parse: parseDriverCommand, apply: (command) => applyCommand(host, command), peerOf: (command) => (command.cmd === 'quit' ? null : command.to) }, emit);
}
