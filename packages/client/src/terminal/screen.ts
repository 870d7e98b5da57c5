/**
 * The terminal's output: lines printed above the input prompt without
 * mangling what the user is typing. On a terminal the prompt line is cleared,
 * the line printed and the prompt redrawn with the typed text; when output is
 * not a terminal (a pipe, a test) lines are just written.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** What of readline's Interface the hidden reading uses: its writer (replaced while hidden) and its input history. */
interface ReadlineInternals {
  _writeToOutput?: (text: string) => void;
  history?: string[];
}

/** Input line reader plus output printer sharing one prompt. */
export class Screen {
  readonly #lines: Interface;
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #terminal: boolean;
  readonly #handlers: ((line: string) => void)[] = [];
  #closed = false;
  /** While a line is read hidden: its prompt and where the line goes. */
  #hidden: { prompt: string; resolve: (line: string | undefined) => void } | undefined;

  constructor(input: Readable, output: Writable & { isTTY?: boolean }) {
    this.#input = input;
    this.#output = output;
    this.#terminal = output.isTTY === true && (input as Readable & { isTTY?: boolean }).isTTY === true;
    this.#lines = createInterface({ input, output, terminal: this.#terminal, historySize: this.#terminal ? 100 : 0 });
    // Ctrl-C on a terminal would otherwise only pause input; treat it as quitting.
    this.#lines.on('SIGINT', () => this.#lines.close());
    this.#lines.on('close', () => {
      this.#closed = true;
      this.#endHidden(undefined);
    });
    this.#lines.on('line', (line: string) => {
      if (this.#hidden !== undefined) {
        this.#forget(line);
        this.#endHidden(line);
        return;
      }
      for (const handler of this.#handlers) handler(line);
    });
    const internals = this.#lines as unknown as ReadlineInternals;
    const write = internals._writeToOutput;
    if (this.#terminal && typeof write === 'function') {
      internals._writeToOutput = (text: string): void => {
        if (this.#hidden === undefined) write.call(this.#lines, text);
      };
    }
  }

  /** Whether input and output are a terminal: keystrokes are seen, the prompt is drawn. */
  get terminal(): boolean {
    return this.#terminal;
  }

  /** Calls `handler` for every input line (not the lines read by readHidden). */
  onLine(handler: (line: string) => void): void {
    this.#handlers.push(handler);
  }

  /**
   * Calls `handler` with the text typed so far after every keystroke; on a
   * terminal only (elsewhere keystrokes are not seen, and it is never called).
   */
  onTyping(handler: (typed: string) => void): void {
    if (!this.#terminal) return;
    // readline's own keypress listener came first: its line is up to date here.
    this.#input.on('keypress', () => {
      if (!this.#closed && this.#hidden === undefined) handler(this.#lines.line);
    });
  }

  /**
   * Reads the next input line for itself (it goes to no onLine handler),
   * showing `prompt` and, on a terminal, nothing of what is typed; the line
   * is kept out of the input history. Undefined when input ends first.
   * Elsewhere (a pipe) the line is just read: nothing echoes it.
   */
  readHidden(prompt: string): Promise<string | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    this.#endHidden(undefined);
    return new Promise((resolve) => {
      this.#hidden = { prompt, resolve };
      if (this.#terminal) this.#output.write(`\r\x1b[K${prompt}`);
      else this.#output.write(`${prompt}\n`);
    });
  }

  /**
   * Whether readHidden can keep what is typed off the screen: on a terminal
   * whose readline lets its writer be replaced, or when input is no terminal
   * (a pipe: nothing echoes). Not with a terminal's input and other output,
   * where the terminal itself echoes each line.
   */
  get canHide(): boolean {
    if (!this.#terminal) return (this.#input as Readable & { isTTY?: boolean }).isTTY !== true;
    return typeof (this.#lines as unknown as ReadlineInternals)._writeToOutput === 'function';
  }

  #endHidden(line: string | undefined): void {
    const hidden = this.#hidden;
    if (hidden === undefined) return;
    this.#hidden = undefined;
    if (this.#terminal && !this.#closed) this.#output.write('\n');
    hidden.resolve(line);
  }

  /** Drops `line` from the input history (a secret must not come back with the up arrow). */
  #forget(line: string): void {
    const history = (this.#lines as unknown as ReadlineInternals).history;
    if (Array.isArray(history) && history[0] === line) history.shift();
  }

  /** Calls `handler` once input ends (end of file, Ctrl-D, Ctrl-C or close()). */
  onClose(handler: () => void): void {
    this.#lines.on('close', handler);
  }

  /** Prints one line (which may contain newlines) above the prompt. */
  print(line: string): void {
    if (this.#terminal && !this.#closed && this.#hidden !== undefined) {
      this.#output.write(`\r\x1b[K${line}\n${this.#hidden.prompt}`);
    } else if (this.#terminal && !this.#closed) {
      this.#output.write(`\r\x1b[K${line}\n`);
      this.#lines.prompt(true);
    } else {
      this.#output.write(`${line}\n`);
    }
  }

  /** Sets and shows the prompt (terminal only). */
  prompt(text: string): void {
    if (!this.#terminal || this.#closed || this.#hidden !== undefined) return;
    this.#lines.setPrompt(text);
    this.#lines.prompt(true);
  }

  /** Stops reading input. */
  close(): void {
    this.#lines.close();
  }
}
