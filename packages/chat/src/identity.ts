/**
 * Chat identities as CPIM's From, To and cc headers carry them
 * (RFC 3862 section 3.2: `[Formal-name] "<" URI ">"`), written as sipsimple
 * writes them (`alice <sip:alice@example.org>`, or `<sip:bob@example.org>`
 * without a display name), and the key under which a peer's OTR session and
 * trust are kept (its address of record, as Blink compares identities: user
 * and host).
 */
import { ChatUsageError } from './errors.js';
import { MAX_IDENTITY_LENGTH } from './limits.js';

/** A participant: a URI (`sip:`, `sips:`, `im:`, ...) and an optional display name. */
export interface ChatIdentity {
  readonly uri: string;
  readonly displayName?: string;
}

/** Characters never written into a display name: controls (header injection) and the angle brackets that delimit the URI. */
// eslint-disable-next-line no-control-regex
const UNSAFE_DISPLAY = /[\u0000-\u001f\u007f<>]/g;
// eslint-disable-next-line no-control-regex
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\u0000-\u0020\u007f<>"]+$/;

/**
 * Checks an identity the host gives (throws ChatUsageError 'bad-argument');
 * the display name is cleaned of controls and angle brackets, which
 * could not be written into a CPIM header.
 */
export function checkIdentity(identity: ChatIdentity, what: string): ChatIdentity {
  if (typeof identity !== 'object' || (identity as ChatIdentity | null) === null || typeof identity.uri !== 'string') {
    throw new ChatUsageError('bad-argument', `${what} must be an object with a uri`);
  }
  if (identity.uri.length > MAX_IDENTITY_LENGTH || !URI.test(identity.uri)) {
    throw new ChatUsageError('bad-argument', `${what}.uri must be a URI (scheme:rest, no spaces, controls or angle brackets)`);
  }
  if (identity.displayName !== undefined && typeof identity.displayName !== 'string') {
    throw new ChatUsageError('bad-argument', `${what}.displayName must be a string`);
  }
  const displayName = (identity.displayName ?? '').slice(0, MAX_IDENTITY_LENGTH).replace(UNSAFE_DISPLAY, ' ').trim();
  return displayName === '' ? { uri: identity.uri } : { uri: identity.uri, displayName };
}

/** `Display Name <uri>` or `<uri>`: sipsimple's `ChatIdentity.__str__` (the name is not quoted). */
export function formatIdentity(identity: ChatIdentity): string {
  return identity.displayName === undefined || identity.displayName === '' ? `<${identity.uri}>` : `${identity.displayName} <${identity.uri}>`;
}

/**
 * Reads `Name <uri>`, `"Name" <uri>`, `<uri>` or (leniently) a bare URI;
 * undefined when there is no URI. Never throws.
 */
export function parseIdentity(value: string): ChatIdentity | undefined {
  const text = value.trim();
  if (text.length > MAX_IDENTITY_LENGTH) return undefined;
  const open = text.lastIndexOf('<');
  if (open < 0) return URI.test(text) ? { uri: text } : undefined;
  if (!text.endsWith('>')) return undefined;
  const uri = text.slice(open + 1, -1).trim();
  if (!URI.test(uri)) return undefined;
  let name = text.slice(0, open).trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  name = name.replace(UNSAFE_DISPLAY, ' ').trim();
  return name === '' ? { uri } : { uri, displayName: name };
}

/**
 * The key of a peer's OTR conversation and trust records: `sip:user@host`
 * with the host in lower case, without port, parameters or headers, `sips:`
 * read as `sip:` (one address of record whatever the transport). A URI that
 * is not SIP is returned without its parameters.
 */
export function peerKey(uri: string): string {
  const match = /^(sips?):(?:([^@;?]*)@)?(\[[^\]]*\]|[^;?:]*)/i.exec(uri.trim());
  if (match === null) return uri.trim().split(/[;?]/)[0] ?? uri;
  const user = match[2];
  const host = (match[3] ?? '').toLowerCase();
  return user === undefined ? `sip:${host}` : `sip:${user}@${host}`;
}
