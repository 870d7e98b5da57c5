/**
 * Message composition indications (RFC 3994), `application/im-iscomposing+xml`.
 * Encoded byte for byte as sipsimple's `IsComposingDocument` (lxml with an
 * XML declaration in single quotes, the default namespace, children in the
 * order state, lastactive, contenttype, refresh, no white space and no final
 * line end); decoded leniently with the small reader of xml.ts.
 */
import { fromUtf8, utf8 } from '../bytes.js';
import { formatDateTime, parseDateTime } from '../date-time.js';
import { ChatUsageError, decoded, failed, type DecodeResult } from '../errors.js';
import { DEFAULT_COMPOSING_REFRESH_SECONDS, MAX_IS_COMPOSING_BYTES } from '../limits.js';
import { parseXml, type XmlElement } from './xml.js';

export const IS_COMPOSING_CONTENT_TYPE = 'application/im-iscomposing+xml';
export const IS_COMPOSING_NAMESPACE = 'urn:ietf:params:xml:ns:im-iscomposing';

/** `active`: the user is typing; `idle`: stopped. */
export type ComposingState = 'active' | 'idle';

/** What an indication says. */
export interface IsComposing {
  readonly state: ComposingState;
  /** Seconds until the state goes idle unless refreshed; a decoded document without one gets 120 (RFC 3994 section 4). */
  readonly refresh?: number;
  /** When the user was last active, as written. */
  readonly lastActive?: string;
  /** `lastActive` as ms since the epoch, when readable (decoded documents only). */
  readonly lastActiveMs?: number;
  /** The kind of content being composed (sipsimple sends `text`). */
  readonly contentType?: string;
}

/** What {@link encodeIsComposing} writes. */
export interface IsComposingInput {
  readonly state: ComposingState;
  /** Seconds, a positive integer. */
  readonly refresh?: number;
  /** Host clock, ms (written as Python's isoformat in UTC). */
  readonly lastActive?: number;
  /** Default `text`, as Blink sends. */
  readonly contentType?: string;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The document's bytes. Throws ChatUsageError for a bad input. */
export function encodeIsComposing(input: IsComposingInput): Uint8Array {
  const state: unknown = input.state;
  if (state !== 'active' && state !== 'idle') throw new ChatUsageError('bad-argument', "state must be 'active' or 'idle'");
  const refresh = input.refresh;
  if (refresh !== undefined && (!Number.isSafeInteger(refresh) || refresh < 1)) throw new ChatUsageError('bad-argument', 'refresh must be a positive integer');
  const contentType = input.contentType ?? 'text';
  // eslint-disable-next-line no-control-regex
  if (typeof contentType !== 'string' || /[\u0000-\u001f\u007f]/.test(contentType)) throw new ChatUsageError('bad-argument', 'contentType must be a string without control characters');
  let body = `<state>${input.state}</state>`;
  if (input.lastActive !== undefined) body += `<lastactive>${formatDateTime(input.lastActive)}</lastactive>`;
  body += `<contenttype>${escapeText(contentType)}</contenttype>`;
  if (refresh !== undefined) body += `<refresh>${refresh}</refresh>`;
  return utf8(`<?xml version='1.0' encoding='UTF-8'?>\n<isComposing xmlns="${IS_COMPOSING_NAMESPACE}">${body}</isComposing>`);
}

function child(root: XmlElement, localName: string): XmlElement | undefined {
  return root.children.find((element) => element.localName.toLowerCase() === localName);
}

/**
 * Reads an is-composing document: the root `isComposing` (any prefix; the
 * namespace is not insisted on), `state` required (`active`, anything else
 * read as `idle`, as sipsimple does), `refresh` a positive integer (else the
 * default 120), `lastactive` and `contenttype` optional. Never throws.
 */
export function decodeIsComposing(bytes: Uint8Array): DecodeResult<IsComposing> {
  if (!(bytes instanceof Uint8Array)) return failed('malformed', 'not bytes');
  if (bytes.length > MAX_IS_COMPOSING_BYTES) return failed('too-large', `is-composing document over ${MAX_IS_COMPOSING_BYTES} bytes`);
  const parsed = parseXml(fromUtf8(bytes));
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (root.localName.toLowerCase() !== 'iscomposing') return failed('malformed', 'the root element is not isComposing');
  const stateElement = child(root, 'state');
  if (stateElement === undefined) return failed('missing-field', 'no state element');
  const state: ComposingState = stateElement.text.trim().toLowerCase() === 'active' ? 'active' : 'idle';
  const refreshText = child(root, 'refresh')?.text.trim();
  const refreshValue = refreshText !== undefined && /^\d{1,9}$/.test(refreshText) ? Number(refreshText) : 0;
  const refresh = refreshValue > 0 ? refreshValue : DEFAULT_COMPOSING_REFRESH_SECONDS;
  const lastActive = child(root, 'lastactive')?.text.trim();
  const lastActiveMs = lastActive === undefined ? undefined : parseDateTime(lastActive);
  const contentType = child(root, 'contenttype')?.text.trim();
  return decoded({
    state,
    refresh,
    ...(lastActive === undefined || lastActive === '' ? {} : { lastActive }),
    ...(lastActiveMs === undefined ? {} : { lastActiveMs }),
    ...(contentType === undefined || contentType === '' ? {} : { contentType }),
  });
}
