/**
 * The terminal's output: lines printed above the input prompt without
 * mangling what the user is typing. On a terminal the prompt line is cleared,
 * the line printed and the prompt redrawn with the typed text; when output is
 * not a terminal (a pipe, a test) lines are just written.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Input line reader plus output printer sharing one prompt. */
export class Screen {
  readonly #lines: Interface;
  readonly #output: Writable;
  readonly #terminal: boolean;
  #closed = false;

  constructor(input: Readable, output: Writable & { isTTY?: boolean }) {
    this.#output = output;
    this.#terminal = output.isTTY === true && (input as Readable & { isTTY?: boolean }).isTTY === true;
    this.#lines = createInterface({ input, output, terminal: this.#terminal, historySize: this.#terminal ? 100 : 0 });
    // Ctrl-C on a terminal would otherwise only pause input; treat it as quitting.
    this.#lines.on('SIGINT', () => this.#lines.close());
    this.#lines.on('close', () => (this.#closed = true));
  }

  /** Calls `handler` for every input line. */
  onLine(handler: (line: string) => void): void {
    this.#lines.on('line', handler);
  }

  /** Calls `handler` once input ends (end of file, Ctrl-D, Ctrl-C or close()). */
  onClose(handler: () => void): void {
    this.#lines.on('close', handler);
  }

  /** Prints one line (which may contain newlines) above the prompt. */
  print(line: string): void {
    if (this.#terminal && !this.#closed) {
      this.#output.write(`\r\x1b[K${line}\n`);
      this.#lines.prompt(true);
    } else {
      this.#output.write(`${line}\n`);
    }
  }

  /** Sets and shows the prompt (terminal only). */
  prompt(text: string): void {
    if (!this.#terminal || this.#closed) return;
    this.#lines.setPrompt(text);
    this.#lines.prompt(true);
  }

  /** Stops reading input. */
  close(): void {
    this.#lines.close();
  }
}
