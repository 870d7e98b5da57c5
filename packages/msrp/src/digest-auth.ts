/**
 * HTTP digest for MSRP relay AUTH (RFC 4976 section 5, RFC 2617): parse the
 * 401's `WWW-Authenticate: Digest ...` challenge and build the
 * `Authorization` value of the second AUTH.
 *
 * Relays differ on the `uri` parameter: RFC 4976's syntax and AG Projects'
 * msrplib/msrprelay have none (msrprelay fails on it); Kamailio's digest
 * code requires `uri` = the relay URI the AUTH was sent to. HA2 is
 * MD5("AUTH:" relay-uri) either way, so `includeUri` only decides whether
 * the parameter is written. Blink writes `nc` quoted; so do we.
 */
import { md5Hex } from './digest.js';

/** A parsed digest challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  /** The qop options offered (we use `auth`). */
  readonly qop: readonly string[];
  readonly opaque?: string;
  readonly algorithm?: string;
  readonly stale: boolean;
}

/** Parses `Digest k=v, k="v", ...`; `undefined` when not a usable MD5 digest challenge. Never throws. */
export function parseDigestChallenge(value: string): DigestChallenge | undefined {
  const match = /^\s*Digest\s+(.*)$/is.exec(value);
  if (match === null) return undefined;
  const params = new Map<string, string>();
  const rest = match[1] ?? '';
  const pair = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/gy;
  let consumed = 0;
  for (let m = pair.exec(rest); m !== null && m[0] !== ''; m = pair.exec(rest)) {
    params.set((m[1] ?? '').toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
    consumed = pair.lastIndex;
    if (params.size > 32) return undefined;
  }
  if (rest.slice(consumed).trim() !== '') return undefined;
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) return undefined;
  const algorithm = params.get('algorithm');
  if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') return undefined;
  const qop = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase()).filter((q) => q !== '');
  const opaque = params.get('opaque');
  return {
    realm,
    nonce,
    qop,
    ...(opaque === undefined ? {} : { opaque }),
    ...(algorithm === undefined ? {} : { algorithm }),
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
}

/** What the Authorization needs besides the challenge. */
export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
  /** The digest-uri: the relay URI the AUTH goes to (its To-Path), as text. */
  readonly uri: string;
  /** The request method (AUTH). */
  readonly method: string;
  /** Write `uri="..."` (Kamailio needs it; RFC 4976 / AG msrprelay must not get it). */
  readonly includeUri: boolean;
  /** Client nonce (hex). */
  readonly cnonce: string;
  /** Nonce count, 1 for the first use of a nonce. */
  readonly nonceCount: number;
}

function quote(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

/** The digest response (RFC 2617 section 3.2.2.1; qop=auth when offered, else the RFC 2069 form). */
export function digestResponse(challenge: DigestChallenge, credentials: Omit<DigestCredentials, 'includeUri'>): string {
  const ha1 = md5Hex(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  const ha2 = md5Hex(`${credentials.method}:${credentials.uri}`);
  if (!challenge.qop.includes('auth')) return md5Hex(`${ha1}:${challenge.nonce}:${ha2}`);
  const nc = credentials.nonceCount.toString(16).padStart(8, '0');
  return md5Hex(`${ha1}:${challenge.nonce}:${nc}:${credentials.cnonce}:auth:${ha2}`);
}

/**
 * The Authorization header value. Without `uri` it has Blink's form
 * (notes section 6: `qop="auth", nc="00000001"` quoted, before `response`);
 * with `uri` the form Kamailio was verified with (notes Appendix A:
 * `uri` after `nonce`, `response`, then unquoted `qop=auth, nc=...`).
 */
export function digestAuthorization(challenge: DigestChallenge, credentials: DigestCredentials): string {
  const qop = challenge.qop.includes('auth');
  const nc = credentials.nonceCount.toString(16).padStart(8, '0');
  const response = `response=${quote(digestResponse(challenge, credentials))}`;
  const parts = [`username=${quote(credentials.username)}`, `realm=${quote(challenge.realm)}`, `nonce=${quote(challenge.nonce)}`];
  if (credentials.includeUri) {
    parts.push(`uri=${quote(credentials.uri)}`, response);
    if (qop) parts.push('qop=auth', `nc=${nc}`, `cnonce=${quote(credentials.cnonce)}`);
  } else {
    if (qop) parts.push('qop="auth"', `nc="${nc}"`, `cnonce=${quote(credentials.cnonce)}`);
    parts.push(response);
  }
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}
