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
}

/** A running driver process. */
export class Driver {
  readonly events: DriverEvent[] = [];
  readonly stderr: string[] = [];
  #waiters: (() => void)[] = [];
  #exit: Promise<number | null>;
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
    this.#exit = new Promise((resolve) => process.on('exit', (code) => resolve(code)));
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
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`${this.label}: no ${what} within ${timeoutMs} ms.\nevents: ${JSON.stringify(this.events.slice(-15))}\nstderr: ${this.stderr.slice(-15).join('\n')}`);
      }
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
    if (this.process.exitCode === null) {
      this.command({ cmd: 'quit' });
      this.process.stdin.end();
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    const code = await this.#exit;
    clearTimeout(timer);
    return code;
  }
}

/** Starts a driver and waits for its `ready` event. */
export async function startDriver(kind: PeerKind, label: string, relayAddress: string, options: { args?: string[]; stateDir?: string; localPort?: number } = {}): Promise<Driver> {
  const args = ['--relay', relayAddress, '--state-dir', options.stateDir ?? mkdtempSync(join(tmpdir(), `interop-${kind.name}-`)), ...(options.args ?? [])];
  if (options.localPort !== undefined) args.push('--local-port', String(options.localPort));
  const [command, commandArgs] = kind.command(args);
  const child = spawn(command, commandArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  const driver = new Driver(`${label} (${kind.name})`, child);
  const ready = await driver.waitFor((event) => event.event === 'ready', 'ready', 60_000);
  driver.address = String(ready.address);
  driver.fingerprint = String(ready.fingerprint);
  return driver;
}

/** A local port that is free now (for --local-port, so an address survives restarts). */
export { freePort } from '../../packages/client/test/helpers/free-port.js';

/** A fresh state directory. */
export function stateDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `interop-${name}-`));
}
