/**
 * MSRP URIs (RFC 4975 section 6 and the ABNF of section 9):
 *
 *   MSRP-URI   = msrp-scheme "://" authority ["/" session-id] ";" transport *( ";" URI-parameter )
 *   msrp-scheme = "msrp" / "msrps"
 *   session-id = 1*( unreserved / "+" / "=" / "/" )
 *   transport  = "tcp" / 1*ALPHANUM
 *   authority  = [ userinfo "@" ] host [ ":" port ]      (RFC 3986)
 *
 * Hosts are IPv4 addresses, IPv6 addresses in brackets, or names. Relay
 * URIs (the target of AUTH, RFC 4976) have no session id. Comparison
 * follows RFC 4975 section 6.1 ({@link msrpUriEquals}).
 */
import { DEFAULT_MSRP_PORT, MAX_PATH_URIS } from './limits.js';

/** A parsed MSRP URI. */
export interface MsrpUri {
  /** `msrps` means TLS. */
  readonly scheme: 'msrp' | 'msrps';
  /** The userinfo before `@` (RFC 4976 relay URIs may carry one), if any. */
  readonly user?: string;
  /** The host as written (IPv6 without its brackets). */
  readonly host: string;
  /** The port as written, if any (see {@link effectivePort}). */
  readonly port?: number;
  /** The session id, if any (relay URIs have none). */
  readonly sessionId?: string;
  /** The transport parameter as written (normally `tcp`). */
  readonly transport: string;
  /** Further `;name[=value]` parameters, as written. */
  readonly params: readonly string[];
}

const USERINFO = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/;
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,=]|%[0-9A-Fa-f]{2})+$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
const SESSION_ID = /^[A-Za-z0-9\-._~+=/]+$/;
const TRANSPORT = /^[A-Za-z0-9]+$/;
const PARAM = /^[A-Za-z0-9\-.!%*_+`'~]+(?:=[A-Za-z0-9\-.!%*_+`'~]+)?$/;

/** Parses one MSRP URI; `undefined` when the text is not one. Never throws. */
export function parseMsrpUri(text: string): MsrpUri | undefined {
  const match = /^(msrps?):\/\/([^/;]*)(?:\/([^;]*))?;(.*)$/i.exec(text);
  if (match === null) return undefined;
  const [, schemeText = '', authority = '', sessionId, rest = ''] = match;
  const scheme = schemeText.toLowerCase() === 'msrps' ? 'msrps' : 'msrp';
  const [transport = '', ...params] = rest.split(';');
  if (!TRANSPORT.test(transport) || !params.every((p) => PARAM.test(p))) return undefined;
  if (sessionId !== undefined && !SESSION_ID.test(sessionId)) return undefined;
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : undefined;
  if (user !== undefined && !USERINFO.test(user)) return undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return undefined;
    host = hostPort.slice(1, close);
    if (!IPV6.test(host) || !host.includes(':')) return undefined;
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return undefined;
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
    if (!REG_NAME.test(host)) return undefined;
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portText)) return undefined;
    port = Number(portText);
    if (port > 65535) return undefined;
  }
  return {
    scheme,
    ...(user === undefined ? {} : { user }),
    host,
    ...(port === undefined ? {} : { port }),
    ...(sessionId === undefined ? {} : { sessionId }),
    transport,
    params,
  };
}

/** The URI as text (IPv6 hosts in brackets). */
export function formatMsrpUri(uri: MsrpUri): string {
  const host = uri.host.includes(':') ? `[${uri.host}]` : uri.host;
  const user = uri.user === undefined ? '' : `${uri.user}@`;
  const port = uri.port === undefined ? '' : `:${uri.port}`;
  const session = uri.sessionId === undefined ? '' : `/${uri.sessionId}`;
  const params = uri.params.map((p) => `;${p}`).join('');
  return `${uri.scheme}://${user}${host}${port}${session};${uri.transport}${params}`;
}

/** The port to connect to: the URI's, else 2855 (RFC 4975 section 6). */
export function effectivePort(uri: MsrpUri): number {
  return uri.port ?? DEFAULT_MSRP_PORT;
}

/**
 * RFC 4975 section 6.1 equivalence: schemes equal (case-insensitive); hosts
 * equal case-insensitively; a port written in either URI must match exactly,
 * and a URI with an explicit port never equals one without; session ids equal
 * case-sensitively (one without never equals one with); transports equal
 * case-insensitively; userinfo and other parameters are not compared.
 */
export function msrpUriEquals(a: MsrpUri, b: MsrpUri): boolean {
  return a.scheme === b.scheme
    && a.host.toLowerCase() === b.host.toLowerCase()
    && a.port === b.port
    && a.sessionId === b.sessionId
    && a.transport.toLowerCase() === b.transport.toLowerCase();
}

/**
 * Parses a path (To-Path, From-Path, Use-Path, SDP a=path): URIs separated
 * by spaces. `undefined` when any URI is bad, the path is empty, or it has
 * more than limits.MAX_PATH_URIS URIs.
 */
export function parsePath(text: string): MsrpUri[] | undefined {
  const parts = text.trim().split(/[ \t]+/);
  if (parts.length === 0 || parts[0] === '' || parts.length > MAX_PATH_URIS) return undefined;
  const uris: MsrpUri[] = [];
  for (const part of parts) {
    const uri = parseMsrpUri(part);
    if (uri === undefined) return undefined;
    uris.push(uri);
  }
  return uris;
}

/** A path as header text (URIs joined by one space). */
export function formatPath(path: readonly MsrpUri[]): string {
  return path.map(formatMsrpUri).join(' ');
}
