/**
 * `sotto chat --json`: the interop driver protocol (shared/interop/DRIVER.md).
 * Commands arrive on stdin, one JSON object a line; events leave on stdout,
 * one JSON object a line, and nothing else is written there. End of stdin is
 * `quit`. Bad lines get an `error` event; the driver keeps running.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChatHost } from '../session/chat-host.js';
import type { DriverEvent } from '../session/driver-events.js';
import { parseDriverCommand, type DriverCommand } from './json-commands.js';

/** One event as its stdout line (with the newline). */
export function formatEvent(event: DriverEvent): string {
  // U+2028/U+2029 are valid in JSON but some line readers split on them; escaping keeps one event per line.
  return `${JSON.stringify(event).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}\n`;
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

/** Reads commands from `input` and applies them to `host`; errors go to `emit`. */
export function runJsonDriver(host: ChatHost, input: Readable, emit: (event: DriverEvent) => void): JsonDriver {
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
      const parsed = parseDriverCommand(line);
      if (!parsed.ok) {
        emit(parsed.error);
        return;
      }
      const command = parsed.command;
      try {
        if (!applyCommand(host, command)) finish();
      } catch (error) {
        // A defect must not end the driver: the contract wants it to keep running.
        emit({ event: 'error', peer: command.cmd === 'quit' ? null : command.to, message: `internal error: ${(error as Error).message}` });
      }
    });
    lines.on('close', finish);
  });
  return { done, close: () => lines.close() };
}
