/**
 * Classifying a received text (Protocol-v3, "Receiving Fragments",
 * "Unencoded messages", "Encoded messages"): fragment, encoded message,
 * error message, query message, or plaintext with or without a whitespace
 * tag.
 *
 * Where markers may stand. The spec says "a message containing" for
 * queries, error messages and fragments, and libotr (strstr) and
 * python-potr (find) locate every marker, "?OTR:" included, anywhere in the
 * text and ignore what surrounds it; some transports wrap messages in
 * markup. We do the same, with one difference: a marker that does not
 * parse is only an error when it opens the text (after whitespace). In the
 * middle of a text it is taken for human writing ("what is ?OTR, anyway")
 * and the text stays plaintext, where libotr would swallow it.
 *
 * Order: fragment markers ("?OTR|", "?OTR,") first, as the spec requires;
 * then the first of "?OTR:", "?OTR Error:" and a query; then plaintext, whose
 * whitespace tag is found and stripped.
 */
import { DecodeError } from '../errors.js';
import { decodeEncoded, ENCODED_PREFIX, ENCODED_SUFFIX } from './envelope.js';
import { decodeErrorMessage, ERROR_PREFIX } from './error-message.js';
import { decodeFragmentAt, V2_FRAGMENT_PREFIX, V3_FRAGMENT_PREFIX, type Fragment } from './fragment.js';
import { decodeHeader, type Header } from './header.js';
import { parseQueryAt } from './query.js';
import { decodeV4Header, PROTOCOL_VERSION_4, type V4Header } from './v4/header.js';
import { findWhitespaceTagV4 } from './v4/whitespace-tag.js';

/** What a received text is. */
export type Incoming =
  | {
      readonly kind: 'plaintext';
      /** The text without its whitespace tag. */
      readonly text: string;
      /** Versions offered by a whitespace tag; undefined when there was no tag. */
      readonly whitespaceVersions: ReadonlySet<number> | undefined;
    }
  | { readonly kind: 'query'; readonly versions: ReadonlySet<number> }
  | { readonly kind: 'error'; readonly text: string; readonly code?: string }
  | { readonly kind: 'fragment'; readonly fragment: Fragment }
  | {
      readonly kind: 'encoded';
      /** The binary message (header and body). */
      readonly bytes: Uint8Array;
      /** Its header, peeked: version, type, instance tags and where the body starts. */
      readonly header: Header;
    }
  | {
      readonly kind: 'encoded-v4';
      /** The binary OTRv4 message (header and body). */
      readonly bytes: Uint8Array;
      /** Its v4 header, peeked (the whole message is decoded by wire/v4/message.ts). */
      readonly header: V4Header;
    }
  | { readonly kind: 'malformed'; readonly error: DecodeError };

const OTR_MARK = '?OTR';

/** Occurrences of "?OTR" in order. */
function* marks(text: string): Generator<number> {
  for (let at = text.indexOf(OTR_MARK); at >= 0; at = text.indexOf(OTR_MARK, at + 1)) yield at;
}

/** The longest run of base64 characters from `lastIndex` (sticky: anchored there). */
const BASE64_RUN = /[A-Za-z0-9+/=]*/y;

/**
 * Decodes the encoded message whose "?OTR:" stands at `at`. The base64 run
 * is scanned only up to the first character that cannot belong to it, so
 * trying every mark of a long text stays linear.
 */
function decodeEncodedAt(text: string, at: number): Incoming {
  BASE64_RUN.lastIndex = at + ENCODED_PREFIX.length;
  BASE64_RUN.exec(text);
  const end = BASE64_RUN.lastIndex;
  if (end < text.length && text.charAt(end) !== ENCODED_SUFFIX) {
    return { kind: 'malformed', error: new DecodeError('bad-base64', 'character outside the base64 alphabet in an encoded message') };
  }
  const bytes = decodeEncoded(text.slice(at, end + 1));
  if (bytes instanceof DecodeError) return { kind: 'malformed', error: bytes };
  return withHeader(bytes);
}

/** True when the binary message's protocol version field says 4 (its header is then v4's). */
function isV4(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0 && bytes[1] === PROTOCOL_VERSION_4;
}

/** The encoded message with its header peeked: v4's when the version field is 4, else v3's (or v2's). */
function withHeader(bytes: Uint8Array): Incoming {
  if (isV4(bytes)) {
    const header = decodeV4Header(bytes);
    return header instanceof DecodeError ? { kind: 'malformed', error: header } : { kind: 'encoded-v4', bytes, header };
  }
  const header = decodeHeader(bytes);
  return header instanceof DecodeError ? { kind: 'malformed', error: header } : { kind: 'encoded', bytes, header };
}

/** The encoded message from `at` to the first ".", when that all decodes; else undefined (the caller looks closer). */
function decodeWholeEncoded(text: string, at: number): Incoming | undefined {
  const end = text.indexOf(ENCODED_SUFFIX, at + ENCODED_PREFIX.length);
  if (end < 0) return undefined;
  const bytes = decodeEncoded(text.slice(at, end + 1));
  if (bytes instanceof DecodeError) return undefined;
  const incoming = withHeader(bytes);
  return incoming.kind === 'malformed' ? undefined : incoming;
}

/** Classifies one received text. Never throws. */
export function classifyIncoming(text: string): Incoming {
  const lead = text.length - text.trimStart().length;

  for (const at of marks(text)) {
    if (!text.startsWith(V3_FRAGMENT_PREFIX, at) && !text.startsWith(V2_FRAGMENT_PREFIX, at)) continue;
    const parsed = decodeFragmentAt(text, at);
    if (!(parsed instanceof DecodeError)) return { kind: 'fragment', fragment: parsed.fragment };
    if (at === lead) return { kind: 'malformed', error: parsed };
  }

  // The usual case, a text that opens with an encoded message: the loop
  // below would decide by that message alone, and when it decodes up to the
  // first "." the character scan can be skipped (the strict base64 decoder
  // has checked every character).
  if (text.startsWith(ENCODED_PREFIX, lead)) {
    const whole = decodeWholeEncoded(text, lead);
    if (whole !== undefined) return whole;
  }

  for (const at of marks(text)) {
    if (text.startsWith(ENCODED_PREFIX, at)) {
      const result = decodeEncodedAt(text, at);
      if (result.kind !== 'malformed' || at === lead) return result;
      continue;
    }
    if (text.startsWith(ERROR_PREFIX, at)) {
      const error = decodeErrorMessage(text.slice(at));
      if (error !== undefined) return error.code === undefined ? { kind: 'error', text: error.text } : { kind: 'error', text: error.text, code: error.code };
    }
    const query = parseQueryAt(text, at);
    if (query !== undefined) return { kind: 'query', versions: query.versions };
  }

  const tag = findWhitespaceTagV4(text);
  return tag === undefined
    ? { kind: 'plaintext', text, whitespaceVersions: undefined }
    : { kind: 'plaintext', text: tag.text, whitespaceVersions: tag.versions };
}
