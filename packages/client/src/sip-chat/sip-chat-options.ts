/**
 * Options of `sotto chat --account sip:USER@DOMAIN` (shared/interop/DRIVER.md,
 * "SIP mode"). Every bad value is an OptionError (exit status 2).
 */
import { normalizeSipAddress, StoreError } from '@sotto/store';
import { OptionError, noPositionals, parseArgs, parseHostPort } from '../cli/args.js';
import { DRIVER_DEFAULT_VERSIONS, DEFAULT_VERSIONS, parseMaxMessageSize, parseVersions } from '../cli/chat-options.js';
import { isPolicyName, type Versions } from '../session/policy-names.js';
import type { SipPolicyName } from './engine.js';

export interface SipChatOptions {
  readonly account: string;
  readonly passwordFile: string | undefined;
  readonly proxy: { readonly host: string; readonly port: number } | undefined;
  readonly transport: 'tcp' | 'tls' | undefined;
  readonly msrpRelay: { readonly host: string; readonly port: number } | undefined;
  readonly msrpTransport: 'tcp' | 'tls' | undefined;
  readonly caFile: string | undefined;
  readonly policy: SipPolicyName;
  readonly versions: Versions;
  readonly stateDir: string | undefined;
  readonly json: boolean;
  readonly help: boolean;
  /** Hidden: write `uri=` in the relay's AUTH digest (Kamailio needs it). */
  readonly msrpRelayDigestUri: boolean;
  /** Hidden: advertise an own MSRP URI nobody can reach (tests of the NAT case). */
  readonly unreachableMsrpUri: boolean;
}

const SPEC = {
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
  '--json': 'switch',
  // Accepted for the driver contract's sake and ignored: MSRP chunks on its own (DRIVER.md, SIP mode).
  '--max-message-size': 'value',
  '--msrp-relay-digest-uri': 'switch',
  '--unreachable-msrp-uri': 'switch',
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

/** Parses the arguments after `sotto chat` in SIP mode. */
export function parseSipChatOptions(args: readonly string[]): SipChatOptions {
  const parsed = parseArgs(args, SPEC, 'sotto chat');
  noPositionals(parsed, 'sotto chat');
  const value = (name: keyof typeof SPEC): string | undefined => parsed.values.get(name);
  const json = parsed.switches.has('--json');
  let account: string;
  try {
    account = normalizeSipAddress(value('--account') ?? '');
  } catch (error) {
    throw new OptionError(`--account must be a SIP address, sip:user@domain${error instanceof StoreError ? ` (${error.message})` : ''}`);
  }
  const policy = value('--policy') ?? 'opportunistic';
  if (policy !== 'never' && !isPolicyName(policy)) throw new OptionError(`--policy must be never, manual, opportunistic or always, got "${policy}"`);
  const proxy = value('--proxy');
  const relay = value('--msrp-relay');
  const versions = value('--versions');
  const size = value('--max-message-size');
  if (size !== undefined) parseMaxMessageSize(size);
  return {
    account,
    passwordFile: nonEmpty(value('--password-file'), '--password-file'),
    proxy: proxy === undefined ? undefined : parseHostPort(proxy, '--proxy'),
    transport: transportOf(value('--transport'), '--transport'),
    msrpRelay: relay === undefined ? undefined : parseHostPort(relay, '--msrp-relay'),
    msrpTransport: transportOf(value('--msrp-transport'), '--msrp-transport'),
    caFile: nonEmpty(value('--ca-file'), '--ca-file'),
    policy,
    versions: versions === undefined ? (json ? DRIVER_DEFAULT_VERSIONS : DEFAULT_VERSIONS) : parseVersions(versions),
    stateDir: nonEmpty(value('--state-dir'), '--state-dir'),
    json,
    help: parsed.help,
    msrpRelayDigestUri: parsed.switches.has('--msrp-relay-digest-uri'),
    unreachableMsrpUri: parsed.switches.has('--unreachable-msrp-uri'),
  };
}
