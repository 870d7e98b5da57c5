/**
 * Options of `sotto chat`: the flags of the interop driver contract
 * (shared/interop/DRIVER.md, "Process") plus `--json` and `--account`.
 * Every bad value is an {@link OptionError} (exit status 2), as the contract
 * asks for --versions and --max-message-size.
 */
import { IMPLEMENTED_VERSIONS, limits, type ProtocolVersion } from '@sotto/otr';
import { OptionError, noPositionals, parseArgs, parseHostPort, parsePort } from './args.js';
import { isPolicyName, type PolicyName, type Versions } from '../session/policy-names.js';

/** The relay `sotto chat` joins when --relay is not given. */
export const DEFAULT_RELAY = { host: '127.0.0.1', port: 7878 } as const;

/** The store account the client uses unless --account says otherwise. */
export const DEFAULT_ACCOUNT = 'default';

/** Parsed `sotto chat` options. */
export interface ChatOptions {
  readonly relay: { readonly host: string; readonly port: number };
  /** True when --relay was given (then no relay is started here). */
  readonly relayGiven: boolean;
  readonly json: boolean;
  readonly policy: PolicyName;
  readonly versions: Versions;
  /** 0 = unlimited. */
  readonly maxMessageSize: number;
  readonly stateDir: string | undefined;
  readonly localPort: number | undefined;
  readonly account: string;
  readonly help: boolean;
}

const SPEC = {
  '--relay': 'value',
  '--json': 'switch',
  '--policy': 'value',
  '--versions': 'value',
  '--max-message-size': 'value',
  '--state-dir': 'value',
  '--local-port': 'value',
  '--account': 'value',
} as const;

/** The versions the client speaks: every version the library implements (4 with the account's OTRv4 identity from the store). */
export const CLIENT_VERSIONS: readonly ProtocolVersion[] = [...IMPLEMENTED_VERSIONS].sort((a, b) => a - b);

/**
 * The versions the interactive chat allows without --versions: 3 and 4, so
 * v4 is preferred wherever the peer allows it and v3 is spoken with a peer
 * that has no v4 (issue: "the default prefers v4 while still speaking v3,
 * and v2 on request"). Version 2 only when asked (--versions 2,3,4).
 */
export const DEFAULT_VERSIONS: Versions = new Set<ProtocolVersion>([3, 4]);

/**
 * The versions the --json driver allows without --versions: every version
 * the client speaks, as shared/interop/DRIVER.md requires ("default: every
 * version the client supports").
 */
export const DRIVER_DEFAULT_VERSIONS: Versions = new Set(CLIENT_VERSIONS);

/**
 * Parses --versions: a comma-separated list of numbers, the versions the
 * policy allows. Numbers that are no OTR version (1, 5, ...) are ignored;
 * a list naming no version sotto speaks (CLIENT_VERSIONS), an empty list or
 * a malformed one is refused.
 */
export function parseVersions(text: string): Versions {
  if (!/^\d{1,9}(,\d{1,9})*$/.test(text)) throw new OptionError(`--versions must be a comma-separated list such as 3 or 3,4, got "${text}"`);
  const versions = new Set(text.split(',').map(Number).filter((n): n is ProtocolVersion => (CLIENT_VERSIONS as readonly number[]).includes(n)));
  if (versions.size === 0) {
    throw new OptionError(`sotto speaks OTR versions ${CLIENT_VERSIONS.join(', ')}, none of which is in --versions ${text}`);
  }
  return versions;
}

/**
 * Parses --max-message-size: 0 (unlimited) or at least 64, since a fragment
 * header alone takes up to 36 characters (the contract refuses 1 to 63).
 */
export function parseMaxMessageSize(text: string): number {
  const size = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(size) || (size > 0 && size < limits.MIN_MAX_MESSAGE_SIZE)) {
    throw new OptionError(`--max-message-size must be 0 (unlimited) or at least ${limits.MIN_MAX_MESSAGE_SIZE}, got "${text}"`);
  }
  return size;
}

/** Parses --policy. */
export function parsePolicy(text: string): PolicyName {
  if (!isPolicyName(text)) throw new OptionError(`--policy must be manual, opportunistic or always, got "${text}"`);
  return text;
}

function nonEmpty(value: string | undefined, name: string): string | undefined {
  if (value === '') throw new OptionError(`${name} must not be empty`);
  return value;
}

/** Parses the arguments after `sotto chat`. */
export function parseChatOptions(args: readonly string[]): ChatOptions {
  const parsed = parseArgs(args, SPEC, 'sotto chat');
  noPositionals(parsed, 'sotto chat');
  const value = (name: keyof typeof SPEC): string | undefined => parsed.values.get(name);
  const relayText = value('--relay');
  const policy = value('--policy');
  const versions = value('--versions');
  const size = value('--max-message-size');
  const localPort = value('--local-port');
  return {
    relay: relayText === undefined ? DEFAULT_RELAY : parseHostPort(relayText, '--relay'),
    relayGiven: relayText !== undefined,
    json: parsed.switches.has('--json'),
    policy: policy === undefined ? 'opportunistic' : parsePolicy(policy),
    versions: versions === undefined ? (parsed.switches.has('--json') ? DRIVER_DEFAULT_VERSIONS : DEFAULT_VERSIONS) : parseVersions(versions),
    maxMessageSize: size === undefined ? 0 : parseMaxMessageSize(size),
    stateDir: nonEmpty(value('--state-dir'), '--state-dir'),
    localPort: localPort === undefined ? undefined : parsePort(localPort, '--local-port'),
    account: nonEmpty(value('--account'), '--account') ?? DEFAULT_ACCOUNT,
    help: parsed.help,
  };
}
