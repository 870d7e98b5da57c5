/**
 * `accounts.json`: the SIP accounts, by address. Each holds the password
 * as the user gave it: like every SIP client that registers without asking
 * each time (Blink, Linphone, baresip), sotto must be able to answer the
 * registrar's digest challenge, so the password is only as safe as the
 * file's mode (0600, in a 0700 directory). The file never holds anything
 * else secret; `sotto account list` shows everything but the password.
 */
import { StoreError } from '../errors.js';
import { hasUnsafeCharacter } from '../safe-text.js';
import { ShapeError, decodeVersioned, encodeVersioned, entries, object, oneOf, string, timestamp } from '../files/shape.js';
import { normalizeSipAddress } from './sip-address.js';

/** How SIP or MSRP reaches the server: plain TCP or TLS. */
export type SipTransport = 'tcp' | 'tls';
/** The transports accepted, in the order help texts list them. */
export const SIP_TRANSPORTS: readonly SipTransport[] = ['tcp', 'tls'];

/** A server's `host:port` (an IPv6 host in brackets). */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** One SIP account. */
export interface SipAccount {
  /** `sip:user@domain`, scheme and domain lower-case (sip-address.ts). */
  readonly address: string;
  /** As given; see the file comment. */
  readonly password: string;
  /** SIP signalling transport (default tls, as Blink). */
  readonly transport: SipTransport;
  /** Where to send SIP requests; absent: the domain's own server. */
  readonly outboundProxy?: HostPort;
  /** The MSRP relay (RFC 4976) and how to reach it; absent: no relay. */
  readonly msrpRelay?: HostPort & { readonly transport: SipTransport };
  /** A PEM file of certificate authorities to trust for TLS instead of the system's. */
  readonly caFile?: string;
  /** The SHA-256 fingerprint (64 lower-case hex) of a server certificate to trust as it is (self-hosted servers). */
  readonly certificateFingerprint?: string;
  /** When the account was added (ISO 8601). */
  readonly addedAt: string;
}

/** The most accounts kept. */
export const MAX_SIP_ACCOUNTS = 64;
/** The longest password kept, in characters. */
export const MAX_PASSWORD_LENGTH = 1024;
/** The longest CA file path kept. */
export const MAX_PATH_LENGTH = 4096;

const HOST = /^(?:\[[0-9a-fA-F:.]{2,45}\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Refuses a host and port that cannot be a server's; returns them checked. */
export function checkHostPort(value: HostPort, what: string): HostPort {
  if (!HOST.test(value.host)) throw new StoreError('invalid', `the ${what} host is not a host name or IP address`);
  if (!Number.isInteger(value.port) || value.port < 1 || value.port > 65535) throw new StoreError('invalid', `the ${what} port must be 1 to 65535`);
  return { host: value.host, port: value.port };
}

/** `host:port`, an IPv6 host in brackets. */
export function formatHostPort(value: HostPort): string {
  return `${value.host}:${value.port}`;
}

/** Parses `host:port` as written in the file or on a command line; throws ShapeError-free 'invalid' StoreErrors. */
export function parseHostPortText(text: string, what: string): HostPort {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(text);
  if (match === null) throw new StoreError('invalid', `the ${what} must be HOST:PORT (for example proxy.example.org:5061)`);
  return checkHostPort({ host: match[1] ?? '', port: Number(match[2]) }, what);
}

/** A SHA-256 certificate fingerprint as typed (colons or spaces allowed, any case), as 64 lower-case hex. */
export function normalizeCertificateFingerprint(text: string): string {
  const hex = text.replace(/[:\s]/g, '').toLowerCase();
  if (!SHA256_HEX.test(hex)) throw new StoreError('invalid', 'a certificate fingerprint is the SHA-256 of the certificate: 64 hex digits (colons allowed)');
  return hex;
}

/** Checks an account completely (the file's reader and `add` use this one check). */
export function checkSipAccount(account: SipAccount): SipAccount {
  const address = normalizeSipAddress(account.address);
  if (account.password === '' || account.password.length > MAX_PASSWORD_LENGTH) {
    throw new StoreError('invalid', `the password of ${address} must have 1 to ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (!SIP_TRANSPORTS.includes(account.transport)) throw new StoreError('invalid', 'the transport must be tcp or tls');
  const { outboundProxy, msrpRelay, caFile, certificateFingerprint } = account;
  if (msrpRelay !== undefined && !SIP_TRANSPORTS.includes(msrpRelay.transport)) throw new StoreError('invalid', 'the MSRP relay transport must be tcp or tls');
  if (caFile !== undefined && (!caFile.startsWith('/') || caFile.length > MAX_PATH_LENGTH || hasUnsafeCharacter(caFile))) {
    throw new StoreError('invalid', 'the CA file must be an absolute path without control characters');
  }
  return {
    address,
    password: account.password,
    transport: account.transport,
    ...(outboundProxy === undefined ? {} : { outboundProxy: checkHostPort(outboundProxy, 'outbound proxy') }),
    ...(msrpRelay === undefined ? {} : { msrpRelay: { ...checkHostPort(msrpRelay, 'MSRP relay'), transport: msrpRelay.transport } }),
    ...(caFile === undefined ? {} : { caFile }),
    ...(certificateFingerprint === undefined ? {} : { certificateFingerprint: normalizeCertificateFingerprint(certificateFingerprint) }),
    addedAt: account.addedAt,
  };
}

function optionalString(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : string(value, where);
}

function decodeAccount(address: string, value: unknown): SipAccount {
  const where = `accounts[${JSON.stringify(address)}]`;
  const body = object(value, where);
  const proxy = optionalString(body.outboundProxy, `${where}.outboundProxy`);
  const relay = body.msrpRelay === undefined ? undefined : object(body.msrpRelay, `${where}.msrpRelay`);
  const caFile = optionalString(body.caFile, `${where}.caFile`);
  const certificateFingerprint = optionalString(body.certificateFingerprint, `${where}.certificateFingerprint`);
  const decoded: SipAccount = {
    address,
    password: string(body.password, `${where}.password`),
    transport: oneOf(body.transport, `${where}.transport`, SIP_TRANSPORTS),
    ...(proxy === undefined ? {} : { outboundProxy: parseHostPortText(proxy, 'outbound proxy') }),
    ...(relay === undefined
      ? {}
      : {
          msrpRelay: {
            ...parseHostPortText(string(relay.address, `${where}.msrpRelay.address`), 'MSRP relay'),
            transport: oneOf(relay.transport, `${where}.msrpRelay.transport`, SIP_TRANSPORTS),
          },
        }),
    ...(caFile === undefined ? {} : { caFile }),
    ...(certificateFingerprint === undefined ? {} : { certificateFingerprint }),
    addedAt: timestamp(body.addedAt, `${where}.addedAt`),
  };
  let checked: SipAccount;
  try {
    checked = checkSipAccount(decoded);
  } catch (error) {
    throw new ShapeError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (checked.address !== address) throw new ShapeError(`${where} is not written as the store writes addresses`);
  return checked;
}

/** Reads `accounts.json`; throws a 'corrupt' StoreError naming `path`. */
export function decodeAccountsFile(bytes: Uint8Array, path: string): Map<string, SipAccount> {
  return decodeVersioned(bytes, path, (body) => {
    const accounts = new Map<string, SipAccount>();
    const list = entries(body.accounts, 'accounts');
    if (list.length > MAX_SIP_ACCOUNTS) throw new ShapeError(`more than ${MAX_SIP_ACCOUNTS} accounts`);
    for (const [address, value] of list) accounts.set(address, decodeAccount(address, value));
    return accounts;
  });
}

/** The text of `accounts.json`. */
export function encodeAccountsFile(accounts: ReadonlyMap<string, SipAccount>): string {
  const sorted = [...accounts.keys()].sort().map((address) => {
    const account = accounts.get(address) as SipAccount;
    return [
      address,
      {
        password: account.password,
        transport: account.transport,
        ...(account.outboundProxy === undefined ? {} : { outboundProxy: formatHostPort(account.outboundProxy) }),
        ...(account.msrpRelay === undefined ? {} : { msrpRelay: { address: formatHostPort(account.msrpRelay), transport: account.msrpRelay.transport } }),
        ...(account.caFile === undefined ? {} : { caFile: account.caFile }),
        ...(account.certificateFingerprint === undefined ? {} : { certificateFingerprint: account.certificateFingerprint }),
        addedAt: account.addedAt,
      },
    ] as const;
  });
  return encodeVersioned({ accounts: Object.fromEntries(sorted) });
}
