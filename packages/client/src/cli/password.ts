/**
 * Reading an account's password: from a file given on the command line, or
 * typed at the terminal without echo. Never from a stdin that is not a
 * terminal without a file (a pipe would put it in shell history or process
 * lists of whatever produced it, and a prompt nobody sees would hang), and
 * never echoed, logged or put in an error message.
 */
import { open } from 'node:fs/promises';
import { OptionError } from './args.js';
import type { Io } from './io.js';

/** The longest password file read. */
export const MAX_PASSWORD_FILE_BYTES = 4096;

/** The password in `path`: its contents without one final line ending. */
export async function readPasswordFile(path: string): Promise<string> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_PASSWORD_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_PASSWORD_FILE_BYTES) throw new OptionError(`the password file ${path} is longer than ${MAX_PASSWORD_FILE_BYTES} bytes`);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof OptionError) throw error;
    throw new OptionError(`cannot read the password file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const password = text.replace(/\r?\n$/, '');
  if (password === '') throw new OptionError(`the password file ${path} is empty`);
  if (password.includes('\n')) throw new OptionError(`the password file ${path} holds more than one line`);
  return password;
}

/** A terminal stdin (tty.ReadStream) as far as we use it. */
interface TerminalInput {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

/** Reads a password typed at the terminal, echoing nothing; the prompt goes to stderr. */
export function promptPassword(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin as Io['stdin'] & TerminalInput;
  if (stdin.isTTY !== true || typeof stdin.setRawMode !== 'function') {
    return Promise.reject(new OptionError('stdin is not a terminal: give the password with --password-file FILE'));
  }
  const setRawMode = stdin.setRawMode.bind(stdin);
  io.stderr.write(prompt);
  setRawMode(true);
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      setRawMode(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onEnd = (): void => finish(new OptionError('no password given'));
    const onData = (chunk: Buffer | string): void => {
      for (const character of chunk.toString()) {
        if (character === '\r' || character === '\n') return typed === '' ? finish(new OptionError('no password given')) : finish();
        if (character === '\u0003' || character === '\u0004') return finish(new OptionError('cancelled: no account was added'));
        if (character === '\u007f' || character === '\b') typed = Array.from(typed).slice(0, -1).join('');
        else if (character >= ' ') typed += character;
        if (typed.length > MAX_PASSWORD_FILE_BYTES) return finish(new OptionError('the password is too long'));
      }
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}
