/**
 * The process around a command: standard streams, environment and stop
 * signals, passed in so that commands can run inside tests as well as in the
 * `sotto` process.
 */
import type { Readable, Writable } from 'node:stream';
import { sanitizeLines } from '../terminal/sanitize.js';

/** Streams, environment and signals of one command run. */
export interface Io {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  /** Calls `handler` when the process is asked to stop (SIGINT, SIGTERM); returns a function that unregisters it. */
  onStop(handler: () => void): () => void;
}

/** The real process's streams, environment and signals. */
export function processIo(): Io {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onStop: (handler) => {
      process.once('SIGINT', handler);
      process.once('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

/**
 * Writes one diagnostic line to stderr, prefixed with the program's name.
 * Diagnostics quote peer addresses and texts, so unsafe characters are
 * escaped (sanitize.ts): stderr is usually the same terminal.
 */
export function warn(io: Io, message: string): void {
  io.stderr.write(`sotto: ${sanitizeLines(message)}\n`);
}
