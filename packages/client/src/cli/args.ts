/**
 * A small, strict command-line parser shared by every `sotto` subcommand:
 * `--name value`, `--name=value`, switches, `-h`/`--help`, positional words,
 * and `--` to end the options. Anything it does not know is an
 * {@link OptionError}, which `main` turns into exit status 2.
 */

/** A bad command line; the message says what to fix. */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

/** What each option takes: a value (`--port 7878`) or nothing (`--json`). */
export type OptionSpec = Readonly<Record<string, 'value' | 'switch'>>;

/** The parsed command line of one subcommand. */
export interface ParsedArgs {
  /** Values of `--name value` options, by name with the dashes (last one wins). */
  readonly values: ReadonlyMap<string, string>;
  /** Switches that were given, by name with the dashes. */
  readonly switches: ReadonlySet<string>;
  /** Words that are not options, in order. */
  readonly positionals: readonly string[];
  /** True when `-h` or `--help` was given. */
  readonly help: boolean;
}

/**
 * Parses `args` against `spec`. `usage` names the command for error messages
 * ("sotto chat"). Options may appear before, between or after positionals.
 */
export function parseArgs(args: readonly string[], spec: OptionSpec, usage: string): ParsedArgs {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    const kind = spec[name];
    if (kind === undefined) throw new OptionError(`unknown option "${name}" (see ${usage} --help)`);
    if (kind === 'switch') {
      if (equals > 0) throw new OptionError(`${name} takes no value`);
      switches.add(name);
      continue;
    }
    if (equals > 0) {
      values.set(name, arg.slice(equals + 1));
      continue;
    }
    const next = args[i + 1];
    // A following option is not a value: "--state-dir --json" forgot the directory.
    if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new OptionError(`${name} needs a value`);
    values.set(name, next);
    i++;
  }
  return { values, switches, positionals, help };
}

/** Parses a TCP port; `allowZero` accepts 0 (let the system choose). */
export function parsePort(text: string, what: string, allowZero = false): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= (allowZero ? 0 : 1) && port <= 65535)) {
    throw new OptionError(`${what} must be a port number (${allowZero ? 0 : 1} to 65535), got "${text}"`);
  }
  return port;
}

/** Parses HOST:PORT (an IPv6 host in brackets: [::1]:7878). */
export function parseHostPort(text: string, what = 'address'): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text);
  if (match === null) throw new OptionError(`${what} must be HOST:PORT (for example 127.0.0.1:7878), got "${text}"`);
  return { host: match[1] ?? match[2] ?? '', port: parsePort(match[3] ?? '', `the port in ${what}`) };
}

/** Parses a positive integer (for bounds such as --max-clients). */
export function parsePositiveInteger(text: string, what: string): number {
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1)) throw new OptionError(`${what} must be a positive whole number, got "${text}"`);
  return value;
}

/** Refuses positional words a command does not take. */
export function noPositionals(parsed: ParsedArgs, usage: string): void {
  const extra = parsed.positionals[0];
  if (extra !== undefined) throw new OptionError(`unexpected argument "${extra}" (see ${usage} --help)`);
}
