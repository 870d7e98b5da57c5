/**
 * Classifying a received text (Protocol-v3, "The protocol state machine",
 * the received-message cases), in libotr's order: fragment, encoded message,
 * query, error, tagged plaintext, plaintext.
 *
 * Deliberate choice: fragments and encoded messages are recognised only at
 * the start of the text (after leading whitespace). A "?OTR|" or "?OTR:" in
 * the middle of a plaintext message is shown as plaintext, never decoded.
 */
import { isDecodeError, type DecodeError } from '../errors.js';
import { decodeEncoded, ENCODED_PREFIX } from './envelope.js';
import { parseErrorMessage } from './error-message.js';
import { decodeFragment, looksLikeFragment, type Fragment } from './fragment.js';
import { parseQuery } from './query.js';
import { parseWhitespaceTag } from './whitespace-tag.js';

/** What a received text is. */
export type Incoming =
  | { readonly kind: 'plaintext'; readonly text: string; readonly whitespaceVersions: ReadonlySet<number> | undefined }
  | { readonly kind: 'query'; readonly versions: ReadonlySet<number> }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'fragment'; readonly fragment: Fragment }
  | { readonly kind: 'encoded'; readonly bytes: Uint8Array }
  | { readonly kind: 'malformed'; readonly error: DecodeError };

/** Classifies one received text. Never throws. */
export function classifyIncoming(text: string): Incoming {
  const trimmed = text.trimStart();
  if (looksLikeFragment(trimmed)) {
    const fragment = decodeFragment(trimmed.trimEnd());
    return isDecodeError(fragment) ? { kind: 'malformed', error: fragment } : { kind: 'fragment', fragment };
  }
  if (trimmed.startsWith(ENCODED_PREFIX)) {
    const bytes = decodeEncoded(trimmed);
    return bytes instanceof Uint8Array ? { kind: 'encoded', bytes } : { kind: 'malformed', error: bytes };
  }
  const versions = parseQuery(text);
  if (versions !== undefined) return { kind: 'query', versions };
  const error = parseErrorMessage(text);
  if (error !== undefined) return { kind: 'error', text: error };
  const tagged = parseWhitespaceTag(text);
  return { kind: 'plaintext', text: tagged.text, whitespaceVersions: tagged.versions };
}
