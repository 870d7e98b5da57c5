/**
 * SIP addresses of record as the store keeps them: `sip:user@domain`
 * (RFC 3261 section 19.1.1, without port, parameters or headers, which
 * belong to a contact, not to an account). The scheme and the domain are
 * case-insensitive and are written lower-case; the user part is
 * case-sensitive and kept as given. Anything else is refused with an
 * 'invalid' StoreError whose message shows the address escaped.
 */
import { StoreError } from '../errors.js';
import { escapeUnsafe } from '../safe-text.js';

/** The longest SIP address recorded (a domain name is at most 253 characters). */
export const MAX_SIP_ADDRESS_LENGTH = 320;

/**
 * RFC 3261 `user`: unreserved, escaped and user-unreserved characters
 * (`alphanum - _ . ! ~ * ' ( ) % & = + $ , ; ? /`); `%` only as `%HH`.
 */
const USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;
/** A host name (RFC 1123 labels) or an IPv4 address. */
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;
/** An IPv6 reference, `[...]`, checked loosely (hex digits, colons, dots). */
const IPV6_REFERENCE = /^\[[0-9a-f:.]{2,45}\]$/;

function invalid(text: string, why: string): StoreError {
  return new StoreError('invalid', `"${escapeUnsafe(text.slice(0, 200))}" is not a SIP address (${why}); write it as sip:user@domain`);
}

/**
 * The address in the store's spelling (`sip:` and the domain lower-case),
 * or an 'invalid' StoreError saying what is wrong.
 */
export function normalizeSipAddress(text: string): string {
  if (text.length > MAX_SIP_ADDRESS_LENGTH) throw invalid(text, `longer than ${MAX_SIP_ADDRESS_LENGTH} characters`);
  const colon = text.indexOf(':');
  if (colon < 0 || text.slice(0, colon).toLowerCase() !== 'sip') {
    throw invalid(text, text.slice(0, colon).toLowerCase() === 'sips' ? 'use sip: and choose TLS with --transport tls' : 'it must start with sip:');
  }
  const rest = text.slice(colon + 1);
  const at = rest.lastIndexOf('@');
  if (at <= 0) throw invalid(text, 'the user part is missing');
  const user = rest.slice(0, at);
  const domain = rest.slice(at + 1).toLowerCase();
  if (!USER.test(user)) throw invalid(text, 'the user part holds a character SIP does not allow there');
  if (domain.includes(':') && !domain.startsWith('[')) throw invalid(text, 'an account has no port; give the server with --proxy HOST:PORT');
  if (!HOSTNAME.test(domain) && !IPV6_REFERENCE.test(domain)) throw invalid(text, 'the domain is not a host name or IP address');
  return `sip:${user}@${domain.replace(/\.$/, '')}`;
}

/** True when `text` is a SIP address the store accepts (in any case of scheme and domain). */
export function isSipAddress(text: string): boolean {
  try {
    normalizeSipAddress(text);
    return true;
  } catch {
    return false;
  }
}
