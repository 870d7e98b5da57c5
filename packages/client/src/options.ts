/**
 * Command-line options of `sotto chat` (shared/interop/DRIVER.md, "Process"),
 * parsed strictly: a bad value is an {@link OptionError} (exit status 2).
 */
import { Policies, type Policy } from '@sotto/otr';

/** A bad command line; the message says what to fix. */
export class OptionError extends Error {}

/** Parsed `sotto chat` options. */
export interface ChatOptions {
  readonly relayHost: string;
  readonly relayPort: number;
  readonly relayGiven: boolean;
  readonly json: boolean;
  readonly policy: Policy;
  readonly policyName: 'manual' | 'opportunistic' | 'always';
  readonly maxMessageSize: number;
  readonly stateDir: string | undefined;
  readonly localPort: number | undefined;
  readonly help: boolean;
}

/** Parses HOST:PORT. */
export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) throw new OptionError(`"${text}" is not HOST:PORT`);
  return { host: match[1] ?? '', port };
}

function parsePort(text: string, what: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new OptionError(`${what} must be a port number, got "${text}"`);
  return port;
}

/** Parses --versions: a comma-separated list; we support 2 and 3. */
export function parseVersions(text: string): { v2: boolean; v3: boolean } {
  if (!/^\d+(,\d+)*$/.test(text)) throw new OptionError(`--versions must be a comma-separated list like 2,3, got "${text}"`);
  const versions = new Set(text.split(',').map(Number));
  const result = { v2: versions.has(2), v3: versions.has(3) };
  if (!result.v2 && !result.v3) throw new OptionError(`none of the versions ${text} is supported (sotto speaks 2 and 3)`);
  return result;
}

/** Parses the options after `sotto chat`. */
export function parseChatOptions(args: readonly string[]): ChatOptions {
  let relay = { host: '127.0.0.1', port: 7878 };
  let relayGiven = false;
  let json = false;
  let policyName: ChatOptions['policyName'] = 'opportunistic';
  let versions = { v2: true, v3: true };
  let maxMessageSize = 0;
  let stateDir: string | undefined;
  let localPort: number | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new OptionError(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '--relay':
        relay = parseHostPort(value());
        relayGiven = true;
        break;
      case '--json':
        json = true;
        break;
      case '--policy': {
        const name = value();
        if (name !== 'manual' && name !== 'opportunistic' && name !== 'always') throw new OptionError(`--policy must be manual, opportunistic or always, got "${name}"`);
        policyName = name;
        break;
      }
      case '--versions':
        versions = parseVersions(value());
        break;
      case '--max-message-size': {
        const text = value();
        const size = /^\d+$/.test(text) ? Number(text) : NaN;
        if (!Number.isSafeInteger(size) || (size >= 1 && size <= 63)) throw new OptionError(`--max-message-size must be 0 or at least 64, got "${text}"`);
        maxMessageSize = size;
        break;
      }
      case '--state-dir':
        stateDir = value();
        break;
      case '--local-port':
        localPort = parsePort(value(), '--local-port');
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new OptionError(`unknown option "${arg}" (see sotto chat --help)`);
    }
  }
  const preset = { manual: Policies.MANUAL, opportunistic: Policies.OPPORTUNISTIC, always: Policies.ALWAYS }[policyName];
  const policy: Policy = { ...preset, allowV2: versions.v2, allowV3: versions.v3 };
  return { relayHost: relay.host, relayPort: relay.port, relayGiven, json, policy, policyName, maxMessageSize, stateDir, localPort, help };
}

/** Help text of `sotto chat`. */
export const CHAT_HELP = `Usage: sotto chat [options]

Private (OTR) chat over an echo-network relay.

Options:
  --relay HOST:PORT        relay to join (default 127.0.0.1:7878; started here if none listens)
  --json                   speak the JSON-lines driver protocol on stdin/stdout
  --policy NAME            manual | opportunistic (default) | always
  --versions LIST          OTR versions to use, e.g. 3 or 2,3 (default 2,3)
  --max-message-size N     fragment OTR messages longer than N characters (0 = never)
  --state-dir DIR          where keys, instance tag and trust live
                           (default $XDG_CONFIG_HOME/sotto; with --json a temporary directory)
  --local-port PORT        connect from this local port, so the address stays the same
  -h, --help               show this help
`;
