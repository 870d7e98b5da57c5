/**
 * `sotto chat --json` run in-process through `main`, with helpers to send
 * commands and wait for events (the same protocol the interop harness speaks
 * to a process).
 */
import { main } from '../../src/main.js';
import { memoryIo, type MemoryIo } from './memory-io.js';

export type Event = Record<string, unknown> & { event: string };

export class InProcessDriver {
  address = '';
  fingerprint = '';
  readonly exit: Promise<number>;
  readonly #io: MemoryIo;

  constructor(args: string[]) {
    this.#io = memoryIo();
    this.exit = main(['chat', '--json', ...args], this.#io.io);
  }

  /** Every stdout line so far, parsed (a line that is not JSON fails the test). */
  events(): Event[] {
    return this.#io
      .stdout()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Event);
  }

  stdout(): string {
    return this.#io.stdout();
  }

  stderr(): string {
    return this.#io.stderr();
  }

  command(command: Record<string, unknown>): void {
    this.#io.stdin.write(`${JSON.stringify(command)}\n`);
  }

  writeLine(line: string): void {
    this.#io.stdin.write(`${line}\n`);
  }

  endInput(): void {
    this.#io.stdin.end();
  }

  stop(): void {
    this.#io.stop();
  }

  /** Waits for an event after index `from` matching `match`. */
  async waitFor(match: (event: Event) => boolean, what: string, from = 0, timeoutMs = 20_000): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events().slice(from).find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; events: ${this.stdout()}\nstderr: ${this.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Waits for the next event named `name` after the current last one... from `mark`. */
  next(name: string, mark: number, extra: (event: Event) => boolean = () => true): Promise<Event> {
    return this.waitFor((event) => event.event === name && extra(event), name, mark);
  }

  /** Starts a driver and waits for `ready`. */
  static async start(args: string[]): Promise<InProcessDriver> {
    const driver = new InProcessDriver(args);
    const ready = await Promise.race([
      driver.waitFor((event) => event.event === 'ready', 'ready', 0, 60_000),
      driver.exit.then((status) => {
        throw new Error(`exited with ${status} before ready: ${driver.stderr()}`);
      }),
    ]);
    driver.address = String(ready.address);
    driver.fingerprint = String(ready.fingerprint);
    return driver;
  }

  /** Quits and returns the exit status. */
  async quit(): Promise<number> {
    this.command({ cmd: 'quit' });
    return this.exit;
  }
}
