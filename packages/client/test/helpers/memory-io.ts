/** An Io for running `main` inside a test: stdin to write to, stdout/stderr collected, stop signals on demand. */
import { PassThrough } from 'node:stream';
import type { Io } from '../../src/cli/io.js';

export interface MemoryIo {
  readonly io: Io;
  readonly stdin: PassThrough;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Sends a stop signal (as SIGTERM would). */
  stop(): void;
}

export function memoryIo(env: NodeJS.ProcessEnv = {}): MemoryIo {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const handlers = new Set<() => void>();
  return {
    io: {
      stdin,
      stdout,
      stderr,
      env,
      onStop: (handler) => {
        handlers.add(handler);
        return () => handlers.delete(handler);
      },
    },
    stdin,
    stdout: () => out,
    stderr: () => err,
    stop: () => {
      for (const handler of [...handlers]) handler();
    },
  };
}
