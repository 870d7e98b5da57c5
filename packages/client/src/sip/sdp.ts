/**
 * SDP (RFC 8866) of an MSRP chat stream (RFC 4975 section 8, RFC 6135 setup),
 * written and read in the shape Blink's engine (python3-sipsimple) uses:
 *
 *   v=0
 *   o=- <id> <version> IN IP4 <host>
 *   s=<name>
 *   t=0 0
 *   m=message <port> TCP/MSRP|TCP/TLS/MSRP *
 *   c=IN IP4 <host>
 *   a=path:<uri> <uri> ...
 *   a=accept-types:<type> ...
 *   a=accept-wrapped-types:<type> ...
 *   a=setup:active|passive|actpass
 *
 * Pure: strings in, values out. Every bound is a named constant below; hostile
 * input gives an `SdpError` with a code, never another exception.
 */

/** Bounds on what `parseChatSdp` reads (an SDP body is far smaller in practice). */
export const SDP_LIMITS = {
  /** Characters of a whole SDP body. */
  maxLength: 16 * 1024,
  /** Lines in a body. */
  maxLines: 256,
  /** URIs in one a=path (relays and the endpoint). */
  maxPathUris: 16,
  /** Characters in one path URI. */
  maxUriLength: 1024,
  /** Media types in one accept-types or accept-wrapped-types. */
  maxTypes: 64,
  /** Media sections in a body. */
  maxMedia: 16,
} as const;

export type MsrpSdpTransport = 'TCP/MSRP' | 'TCP/TLS/MSRP';
export type MsrpSetup = 'active' | 'passive' | 'actpass';
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export type SdpErrorCode =
  | 'too-large' // beyond SDP_LIMITS
  | 'malformed' // a line that is not <type>=<value>, a bad m=/c=/o= line, a bad URI
  | 'no-chat-media' // no m=message section with a port other than 0
  | 'unsupported-transport' // m=message with a protocol other than TCP/MSRP or TCP/TLS/MSRP
  | 'missing-path' // the chat media has no a=path
  | 'missing-accept-types'; // the chat media has no a=accept-types

/** Bad SDP (from the network) or bad arguments to `buildChatSdp`. Messages quote no peer input beyond a short excerpt. */
export class SdpError extends Error {
  constructor(readonly code: SdpErrorCode, message: string) {
    super(message);
    this.name = 'SdpError';
  }
}

/** The chat stream of an SDP body. */
export interface ChatMedia {
  readonly transport: MsrpSdpTransport;
  /** The m= port (informational in MSRP: the path is what counts). */
  readonly port: number;
  /** The c= address (media level, else session level). */
  readonly connectionAddress: string | undefined;
  /** a=path: the URIs in order, relays first, the endpoint last. */
  readonly path: readonly string[];
  readonly acceptTypes: readonly string[];
  readonly acceptWrappedTypes: readonly string[];
  /** a=setup, undefined when absent (RFC 6135: then the offerer is active). */
  readonly setup: MsrpSetup | undefined;
  readonly direction: MediaDirection;
  /** Other a= lines of the chat media, as name and value (e.g. chatroom). */
  readonly otherAttributes: readonly { readonly name: string; readonly value: string | undefined }[];
}

export interface ChatSdp {
  readonly origin: { readonly sessionId: string; readonly sessionVersion: string; readonly address: string } | undefined;
  readonly sessionName: string | undefined;
  readonly media: ChatMedia;
  /** Index of the chat media among the body's m= sections (an answer keeps the order). */
  readonly mediaIndex: number;
  /** How many m= sections the body has. */
  readonly mediaCount: number;
}

export interface ChatSdpInput {
  readonly transport: MsrpSdpTransport;
  /** Relays' Use-Path URIs first, our own URI last. */
  readonly path: readonly string[];
  readonly acceptTypes: readonly string[];
  readonly acceptWrappedTypes?: readonly string[] | undefined;
  readonly setup?: MsrpSetup | undefined;
  /** Default: the port of the last path URI, else 2855 (as sipsimple). */
  readonly port?: number | undefined;
  /** c= address. Default: the host of the last path URI. */
  readonly connectionAddress?: string | undefined;
  /** o= session id and version (digits). Default "0". */
  readonly sessionId?: string | undefined;
  readonly sessionVersion?: string | undefined;
  /** o= address. Default: the c= address. */
  readonly originAddress?: string | undefined;
  /** s= line. Default "-". */
  readonly sessionName?: string | undefined;
  /** a=sendonly etc.; sendrecv (the default) writes no line. */
  readonly direction?: MediaDirection | undefined;
}

/** sipsimple's chat stream types (chat.py ChatStream). */
export const BLINK_ACCEPT_TYPES = ['message/cpim', 'text/*', 'image/*', 'application/im-iscomposing+xml'] as const;
export const BLINK_ACCEPT_WRAPPED_TYPES = ['text/*', 'image/*', 'application/im-iscomposing+xml'] as const;

const DEFAULT_MSRP_PORT = 2855;
const URI = /^msrps?:\/\/(?:[^@/\s]+@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?(?:\/[^\s;]*)?;[A-Za-z0-9=;.-]+$/;
const TOKEN = /^[!#$%&'*+\-.^_`{|}~A-Za-z0-9]+$/;
const MEDIA_TYPE = /^(?:\*|[!#$%&'*+\-.^_`{|}~A-Za-z0-9]+\/(?:\*|[!#$%&'*+\-.^_`{|}~A-Za-z0-9]+))$/;
const SAFE_TEXT = /^[^\r\n\0]*$/;

function excerpt(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return JSON.stringify(short);
}

/** Host and port of an MSRP URI, or undefined when it is not one. */
export function msrpUriHostPort(uri: string): { host: string; port: number | undefined } | undefined {
  if (uri.length > SDP_LIMITS.maxUriLength) return undefined;
  const match = URI.exec(uri);
  if (match === null) return undefined;
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '');
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65535) return undefined;
  return { host, port };
}

function checkTypes(types: readonly string[], what: string): void {
  if (types.length > SDP_LIMITS.maxTypes) throw new SdpError('too-large', `too many ${what}`);
  for (const type of types) if (!MEDIA_TYPE.test(type)) throw new SdpError('malformed', `bad media type in ${what}: ${excerpt(type)}`);
}

function addressType(address: string): 'IP4' | 'IP6' {
  return address.includes(':') ? 'IP6' : 'IP4';
}

/** Writes a chat SDP body (CRLF line ends, Blink's line order). */
export function buildChatSdp(input: ChatSdpInput): string {
  if (input.path.length === 0) throw new SdpError('missing-path', 'a chat SDP needs at least one path URI');
  if (input.path.length > SDP_LIMITS.maxPathUris) throw new SdpError('too-large', 'too many path URIs');
  let last: { host: string; port: number | undefined } | undefined;
  for (const uri of input.path) {
    last = msrpUriHostPort(uri);
    if (last === undefined) throw new SdpError('malformed', `not an MSRP URI: ${excerpt(uri)}`);
  }
  if (input.acceptTypes.length === 0) throw new SdpError('missing-accept-types', 'a chat SDP needs accept-types');
  checkTypes(input.acceptTypes, 'accept-types');
  checkTypes(input.acceptWrappedTypes ?? [], 'accept-wrapped-types');
  const port = input.port ?? last?.port ?? DEFAULT_MSRP_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SdpError('malformed', 'bad port');
  const address = input.connectionAddress ?? last?.host ?? '0.0.0.0';
  const origin = input.originAddress ?? address;
  const sessionId = input.sessionId ?? '0';
  const sessionVersion = input.sessionVersion ?? '0';
  const name = input.sessionName ?? '-';
  for (const [what, value] of [['address', address], ['origin address', origin]] as const) {
    if (!/^[A-Za-z0-9.:-]+$/.test(value)) throw new SdpError('malformed', `bad ${what}`);
  }
  if (!/^\d{1,20}$/.test(sessionId) || !/^\d{1,20}$/.test(sessionVersion)) throw new SdpError('malformed', 'o= id and version are digits');
  if (!SAFE_TEXT.test(name) || name.length === 0) throw new SdpError('malformed', 'bad session name');
  const lines = [
    'v=0',
    `o=- ${sessionId} ${sessionVersion} IN ${addressType(origin)} ${origin}`,
    `s=${name}`,
    't=0 0',
    `m=message ${port} ${input.transport} *`,
    `c=IN ${addressType(address)} ${address}`,
    `a=path:${input.path.join(' ')}`,
  ];
  if (input.direction !== undefined && input.direction !== 'sendrecv') lines.push(`a=${input.direction}`);
  lines.push(`a=accept-types:${input.acceptTypes.join(' ')}`);
  if (input.acceptWrappedTypes !== undefined && input.acceptWrappedTypes.length > 0) {
    lines.push(`a=accept-wrapped-types:${input.acceptWrappedTypes.join(' ')}`);
  }
  if (input.setup !== undefined) lines.push(`a=setup:${input.setup}`);
  return `${lines.join('\r\n')}\r\n`;
}

function splitList(value: string): string[] {
  return value.split(/[ \t]+/).filter((item) => item !== '');
}

interface RawMedia {
  readonly media: string;
  readonly port: number;
  readonly proto: string;
  connection: string | undefined;
  readonly attributes: { name: string; value: string | undefined }[];
}

function parseConnection(value: string): string {
  const parts = splitList(value);
  if (parts.length !== 3 || parts[0] !== 'IN' || (parts[1] !== 'IP4' && parts[1] !== 'IP6')) {
    throw new SdpError('malformed', `bad c= line: ${excerpt(value)}`);
  }
  return (parts[2] ?? '').replace(/\/.*$/, '');
}

/**
 * Reads the first usable m=message section of an SDP body (LF or CRLF line
 * ends). Throws `SdpError` only.
 */
export function parseChatSdp(body: string): ChatSdp {
  if (body.length > SDP_LIMITS.maxLength) throw new SdpError('too-large', `SDP longer than ${SDP_LIMITS.maxLength} characters`);
  const lines = body.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length > SDP_LIMITS.maxLines) throw new SdpError('too-large', `SDP has more than ${SDP_LIMITS.maxLines} lines`);
  let origin: ChatSdp['origin'];
  let sessionName: string | undefined;
  let sessionConnection: string | undefined;
  const media: RawMedia[] = [];
  for (const line of lines) {
    if (line === '') continue;
    const match = /^([a-z])=(.*)$/.exec(line);
    if (match === null) throw new SdpError('malformed', `not an SDP line: ${excerpt(line)}`);
    const type = match[1] ?? '';
    const value = match[2] ?? '';
    const current = media[media.length - 1];
    switch (type) {
      case 'o': {
        const parts = splitList(value);
        if (parts.length !== 6) throw new SdpError('malformed', `bad o= line: ${excerpt(value)}`);
        origin = { sessionId: parts[1] ?? '', sessionVersion: parts[2] ?? '', address: parts[5] ?? '' };
        break;
      }
      case 's':
        sessionName = value;
        break;
      case 'c':
        if (current === undefined) sessionConnection = parseConnection(value);
        else current.connection = parseConnection(value);
        break;
      case 'm': {
        if (media.length >= SDP_LIMITS.maxMedia) throw new SdpError('too-large', `more than ${SDP_LIMITS.maxMedia} media sections`);
        const parts = splitList(value);
        const port = /^\d{1,5}(?:\/\d+)?$/.test(parts[1] ?? '') ? Number((parts[1] ?? '').split('/')[0]) : NaN;
        if (parts.length < 4 || !TOKEN.test(parts[0] ?? '') || !(port <= 65535)) throw new SdpError('malformed', `bad m= line: ${excerpt(value)}`);
        media.push({ media: parts[0] ?? '', port, proto: parts[2] ?? '', connection: undefined, attributes: [] });
        break;
      }
      case 'a':
        if (current !== undefined) {
          const colon = value.indexOf(':');
          current.attributes.push(colon < 0 ? { name: value, value: undefined } : { name: value.slice(0, colon), value: value.slice(colon + 1) });
        }
        break;
      default:
        break; // v=, t=, b=, i=, k=, ... carry nothing for a chat stream
    }
  }
  const mediaIndex = media.findIndex((m) => m.media === 'message' && m.port !== 0);
  const chat = media[mediaIndex];
  if (chat === undefined) throw new SdpError('no-chat-media', 'no m=message section');
  if (chat.proto !== 'TCP/MSRP' && chat.proto !== 'TCP/TLS/MSRP') {
    throw new SdpError('unsupported-transport', `unsupported chat transport ${excerpt(chat.proto)}`);
  }
  let path: string[] | undefined;
  let acceptTypes: string[] | undefined;
  let acceptWrappedTypes: string[] = [];
  let setup: MsrpSetup | undefined;
  let direction: MediaDirection = 'sendrecv';
  const otherAttributes: { name: string; value: string | undefined }[] = [];
  for (const { name, value } of chat.attributes) {
    switch (name) {
      case 'path': {
        const uris = splitList(value ?? '');
        if (uris.length > SDP_LIMITS.maxPathUris) throw new SdpError('too-large', 'too many path URIs');
        for (const uri of uris) if (msrpUriHostPort(uri) === undefined) throw new SdpError('malformed', `not an MSRP URI in a=path: ${excerpt(uri)}`);
        if (uris.length > 0) path = uris;
        break;
      }
      case 'accept-types':
        acceptTypes = splitList(value ?? '');
        checkTypes(acceptTypes, 'accept-types');
        break;
      case 'accept-wrapped-types':
        acceptWrappedTypes = splitList(value ?? '');
        checkTypes(acceptWrappedTypes, 'accept-wrapped-types');
        break;
      case 'setup': {
        const role = (value ?? '').trim();
        if (role === 'active' || role === 'passive' || role === 'actpass') setup = role;
        else if (role !== 'holdconn') throw new SdpError('malformed', `bad a=setup: ${excerpt(role)}`);
        break;
      }
      case 'sendrecv':
      case 'sendonly':
      case 'recvonly':
      case 'inactive':
        direction = name;
        break;
      default:
        if (otherAttributes.length < SDP_LIMITS.maxLines) otherAttributes.push({ name, value });
    }
  }
  if (path === undefined) throw new SdpError('missing-path', 'the chat media has no a=path');
  if (acceptTypes === undefined || acceptTypes.length === 0) throw new SdpError('missing-accept-types', 'the chat media has no a=accept-types');
  return {
    origin,
    sessionName,
    mediaIndex,
    mediaCount: media.length,
    media: {
      transport: chat.proto,
      port: chat.port,
      connectionAddress: chat.connection ?? sessionConnection,
      path,
      acceptTypes,
      acceptWrappedTypes,
      setup,
      direction,
      otherAttributes,
    },
  };
}

/**
 * The role an answerer takes for an offer's a=setup (RFC 6135 section 4.1, as
 * sipsimple does): `active` (or no a=setup: RFC 4975's offerer connects) is
 * answered `passive`; `actpass` and `passive` are answered `active`.
 */
export function answerSetup(offered: MsrpSetup | undefined): MsrpSetup {
  return offered === 'active' || offered === undefined ? 'passive' : 'active';
}
