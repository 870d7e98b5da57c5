/**
 * Options of `sotto chat --account sip:USER@DOMAIN` (shared/interop/DRIVER.md,
 * "SIP mode"). Every bad value is an OptionError (exit status 2).
 */
import { normalizeSipAddress, StoreError } from '@sotto/store';
import { OptionError, noPositionals, parseArgs, parseHostPort, type ParsedArgs } from '../cli/args.js';
import { DRIVER_DEFAULT_VERSIONS, DEFAULT_VERSIONS, parseMaxMessageSize, parseVersions } from '../cli/chat-options.js';
import { isPolicyName, type Versions } from '../session/policy-names.js';
import type { SipPolicyName } from './engine.js';

/**
 * How one SIP account is reached and runs: the options `sotto chat
 * --account sip:...` and `sotto web` share (the account itself aside).
 */
export interface SipAccountOptions {
  readonly passwordFile: string | undefined;
  readonly proxy: { readonly host: string; readonly port: number } | undefined;
  readonly transport: 'tcp' | 'tls' | undefined;
  readonly msrpRelay: { readonly host: string; readonly port: number } | undefined;
  readonly msrpTransport: 'tcp' | 'tls' | undefined;
  readonly caFile: string | undefined;
  readonly policy: SipPolicyName;
  readonly versions: Versions;
  readonly stateDir: string | undefined;
  /** Hidden: write `uri=` in the relay's AUTH digest (Kamailio needs it). */
  readonly msrpRelayDigestUri: boolean;
  /** Hidden: advertise an own MSRP URI nobody can reach (tests of the NAT case). */
  readonly unreachableMsrpUri: boolean;
}

export interface SipChatOptions extends SipAccountOptions {
  readonly account: string;
  readonly json: boolean;
  readonly help: boolean;
}

/** The options of {@link SipAccountOptions}, with `--account`, for every command that runs a SIP account. */
export const SIP_ACCOUNT_SPEC = {
  '--account': 'value',
  '--password-file': 'value',
  '--proxy': 'value',
  '--transport': 'value',
  '--msrp-relay': 'value',
  '--msrp-transport': 'value',
  '--ca-file': 'value',
  '--policy': 'value',
  '--versions': 'value',
  '--state-dir': 'value',
  '--msrp-relay-digest-uri': 'switch',
  '--unreachable-msrp-uri': 'switch',
} as const;

const SPEC = {
  ...SIP_ACCOUNT_SPEC,
  '--json': 'switch',
  // Accepted for the driver contract's sake and ignored: MSRP chunks on its own (DRIVER.md, SIP mode).
  '--max-message-size': 'value',
} as const;

/** True when `sotto chat` is asked for SIP mode (`--account sip:...`). */
export function isSipChat(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') return false;
    if (arg === '--account') return /^sips?:/i.test(args[i + 1] ?? '');
    if (arg.startsWith('--account=')) return /^sips?:/i.test(arg.slice('--account='.length));
  }
  return false;
}

function transportOf(text: string | undefined, name: string): 'tcp' | 'tls' | undefined {
  if (text === undefined) return undefined;
  if (text !== 'tcp' && text !== 'tls') throw new OptionError(`${name} must be tcp or tls, got "${text}"`);
  return text;
}

function nonEmpty(value: string | undefined, name: string): string | undefined {
  if (value === '') throw new OptionError(`${name} must not be empty`);
  return value;
}

/** Parses `--account`'s SIP address (normalised). */
export function parseSipAccount(text: string): string {
  try {
    return normalizeSipAddress(text);
  } catch (error) {
    throw new OptionError(`--account must be a SIP address, sip:user@domain${error instanceof StoreError ? ` (${error.message})` : ''}`);
  }
}

/** Reads the {@link SIP_ACCOUNT_SPEC} options of a parsed command line; `defaultVersions` when --versions is absent. */
export function sipAccountOptions(parsed: ParsedArgs, defaultVersions: Versions): SipAccountOptions {
  const value = (name: keyof typeof SIP_ACCOUNT_SPEC): string | undefined => parsed.values.get(name);
  const policy = value('--policy') ?? 'opportunistic';
  if (policy !== 'never' && !isPolicyName(policy)) throw new OptionError(`--policy must be never, manual, opportunistic or always, got "${policy}"`);
  const proxy = value('--proxy');
  const relay = value('--msrp-relay');
  const versions = value('--versions');
  return {
    passwordFile: nonEmpty(value('--password-file'), '--password-file'),
    proxy: proxy === undefined ? undefined : parseHostPort(proxy, '--proxy'),
    transport: transportOf(value('--transport'), '--transport'),
    msrpRelay: relay === undefined ? undefined : parseHostPort(relay, '--msrp-relay'),
    msrpTransport: transportOf(value('--msrp-transport'), '--msrp-transport'),
    caFile: nonEmpty(value('--ca-file'), '--ca-file'),
    policy,
    versions: versions === undefined ? defaultVersions : parseVersions(versions),
    stateDir: nonEmpty(value('--state-dir'), '--state-dir'),
    msrpRelayDigestUri: parsed.switches.has('--msrp-relay-digest-uri'),
    unreachableMsrpUri: parsed.switches.has('--unreachable-msrp-uri'),
  };
}

/** Parses the arguments after `sotto chat` in SIP mode. */
export function parseSipChatOptions(args: readonly string[]): SipChatOptions {
  const parsed = parseArgs(args, SPEC, 'sotto chat');
  noPositionals(parsed, 'sotto chat');
  const json = parsed.switches.has('--json');
  const account = parseSipAccount(parsed.values.get('--account') ?? '');
  const size = parsed.values.get('--max-message-size');
  if (size !== undefined) parseMaxMessageSize(size);
  return { account, ...sipAccountOptions(parsed, json ? DRIVER_DEFAULT_VERSIONS : DEFAULT_VERSIONS), json, help: parsed.help };
}
