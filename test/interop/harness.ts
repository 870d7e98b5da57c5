/**
 * Interop harness: an in-process echo-network relay that records every frame,
 * and driver processes (shared/interop/DRIVER.md) with helpers to send
 * commands and wait for events, failing with the process's recent output.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startRelay, type Relay } from '../../packages/client/src/relay/server.js';

/** One recorded relay frame. */
export interface RecordedFrame {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

/** A relay that keeps every frame it forwards. */
export async function recordingRelay(): Promise<{ relay: Relay; frames: RecordedFrame[]; address: string }> {
  const frames: RecordedFrame[] = [];
  const relay = await startRelay({ port: 0, log: () => undefined, onFrame: (from, to, content) => frames.push({ from, to, text: content.toString('utf8') }) });
  return { relay, frames, address: `${relay.host}:${relay.port}` };
}

/** A driver event. */
export type DriverEvent = Record<string, unknown> & { event: string };

/** How to start one kind of peer. */
export interface PeerKind {
  readonly name: string;
  /** Protocol versions this peer speaks. */
  readonly versions: readonly number[];
  readonly command: (args: string[]) => [string, string[]];
  /** Builds the peer's program, if it needs building; throws with the build's output. */
  readonly build?: () => void;
}

/** A running driver process. */
export class Driver {
  readonly events: DriverEvent[] = [];
  readonly stderr: string[] = [];
  #waiters: (() => void)[] = [];
  #exit: Promise<number | null>;
  /** Why the process is gone (it exited and its output is read, or it never started), once it is. */
  #gone: string | undefined;
  address = '';
  fingerprint = '';

  constructor(
    readonly label: string,
    readonly process: ChildProcessWithoutNullStreams,
  ) {
    createInterface({ input: process.stdout }).on('line', (line) => {
      let event: DriverEvent;
      try {
        event = JSON.parse(line) as DriverEvent;
      } catch {
        event = { event: 'bad-json-line', line };
      }
      this.events.push(event);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    createInterface({ input: process.stderr }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > 200) this.stderr.shift();
    });
    this.#exit = new Promise((resolve) => {
      process.on('exit', (code) => resolve(code));
      process.on('error', () => resolve(process.exitCode));
    });
    // 'close' comes after the last output line; 'error' when the command cannot be run at all.
    process.on('close', (code, signal) => this.#end(`exited with ${signal ?? `code ${String(code)}`}`));
    process.on('error', (error) => this.#end(`could not be started: ${error.message}`));
    // Writing to a process that is gone fails; waitFor reports that it is gone.
    process.stdin.on('error', () => undefined);
  }

  #end(why: string): void {
    this.#gone ??= why;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  #failure(what: string): Error {
    return new Error(`${this.label}: ${what}.\nevents: ${JSON.stringify(this.events.slice(-15))}\nstderr: ${this.stderr.slice(-15).join('\n')}`);
  }

  /** Sends one command. */
  command(command: Record<string, unknown>): void {
    this.process.stdin.write(JSON.stringify(command) + '\n');
  }

  /** Waits for an event matching `match` that arrived after index `from` (default: any time). */
  async waitFor(match: (event: DriverEvent) => boolean, what: string, timeoutMs = 20_000, from = 0): Promise<DriverEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found !== undefined) return found;
      // A process that is gone sends nothing more: fail now, with what it wrote.
      if (this.#gone !== undefined) throw this.#failure(`no ${what}: it ${this.#gone}`);
      const left = deadline - Date.now();
      if (left <= 0) throw this.#failure(`no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the next event named `name` after the current last event. */
  next(name: string, extra: (event: DriverEvent) => boolean = () => true, timeoutMs = 20_000): Promise<DriverEvent> {
    return this.waitFor((event) => event.event === name && extra(event), name, timeoutMs, this.events.length);
  }

  /** Ends the process politely, then firmly. */
  async quit(): Promise<number | null> {
    if (this.process.exitCode === null && this.#gone === undefined) {
      this.command({ cmd: 'quit' });
      this.process.stdin.end();
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    const code = await this.#exit;
    clearTimeout(timer);
    return code;
  }
}

/** Starts a driver and waits for its `ready` event; a driver that is gone or not ready in time is stopped and fails with its stderr. */
export async function startDriver(
  kind: PeerKind,
  label: string,
  relayAddress: string,
  options: { args?: string[]; stateDir?: string; localPort?: number; readyTimeoutMs?: number } = {},
): Promise<Driver> {
  const args = ['--relay', relayAddress, '--state-dir', options.stateDir ?? mkdtempSync(join(tmpdir(), `interop-${kind.name}-`)), ...(options.args ?? [])];
  if (options.localPort !== undefined) args.push('--local-port', String(options.localPort));
  const [command, commandArgs] = kind.command(args);
  const child = spawn(command, commandArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  const driver = new Driver(`${label} (${kind.name})`, child);
  let ready: DriverEvent;
  try {
    ready = await driver.waitFor((event) => event.event === 'ready', 'ready', options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await driver.quit();
    throw error;
  }
  driver.address = String(ready.address);
  driver.fingerprint = String(ready.fingerprint);
  return driver;
}

const started = new Map<PeerKind, Promise<void>>();

/**
 * Builds `kind` and starts it once (per test file) against a relay of its own:
 * a peer that cannot start makes this reject with its stderr within
 * `readyTimeoutMs`, so its suite fails at once rather than by a timeout in
 * every test.
 */
export function peerStarts(kind: PeerKind, readyTimeoutMs = 30_000): Promise<void> {
  let check = started.get(kind);
  if (check === undefined) {
    check = (async () => {
      kind.build?.();
      const { relay, address } = await recordingRelay();
      try {
        await (await startDriver(kind, 'start check', address, { readyTimeoutMs })).quit();
      } finally {
        await relay.close();
      }
    })();
    started.set(kind, check);
  }
  return check;
}

/** A local port that is free now (for --local-port, so an address survives restarts). */
export { freePort } from '../../packages/client/test/helpers/free-port.js';

/** A fresh state directory. */
export function stateDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `interop-${name}-`));
}
