/**
 * The `sotto` command: dispatches to `chat`, `relay`, `keys`, `trust`,
 * `account`, `history` and `logging`.
 * Every failure ends as one clear line on stderr and a non-zero exit status
 * (2 for a bad command line), never a stack trace.
 */
import { chatCommand } from './commands/chat-command.js';
import { relayCommand } from './commands/relay-command.js';
import { webCommand } from './web/web-command.js';
import { accountCommand, historyCommand, keysCommand, loggingCommand, trustCommand } from './commands/store-commands.js';
import { OptionError } from './cli/args.js';
import { describeError } from './cli/errors.js';
import { MAIN_HELP } from './cli/help.js';
import { processIo, warn, type Io } from './cli/io.js';

const COMMANDS: Record<string, (args: readonly string[], io: Io) => Promise<number>> = {
  chat: chatCommand,
  relay: relayCommand,
  keys: keysCommand,
  trust: trustCommand,
  account: accountCommand,
  history: historyCommand,
  logging: loggingCommand,
  web: webCommand,
};

/** Runs `sotto ARGS`; resolves to the exit status. */
export async function main(args: readonly string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = args;
  try {
    if (name === '-h' || name === '--help' || name === 'help') {
      io.stdout.write(MAIN_HELP);
      return 0;
    }
    if (name === undefined) {
      io.stderr.write(MAIN_HELP);
      return 2;
    }
    const command = COMMANDS[name];
    if (command === undefined) throw new OptionError(`unknown command "${name}": use chat, relay, keys, trust, account, history, logging or web (see sotto --help)`);
    return await command(rest, io);
  } catch (error) {
    const report = describeError(error);
    warn(io, report.message);
    return report.status;
  }
}

/**
 * The process entry point (bin/sotto.js): runs `main` on the process's
 * arguments and exits with its status. A defect that escapes as an uncaught
 * exception is reported in one line too.
 */
export async function run(): Promise<void> {
  const io = processIo();
  const crash = (error: unknown): void => {
    warn(io, `internal error: ${error instanceof Error ? error.message : String(error)} (please report it)`);
    process.exit(70);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const status = await main(process.argv.slice(2), io);
  // Exit even if a stream still holds the event loop (stdin of a finished chat); stdout is flushed first.
  process.stdout.write('', () => process.exit(status));
}
