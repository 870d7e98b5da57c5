/**
 * Characters that must never reach a terminal from a name or a text someone
 * else chose: they control the terminal (C0 and C1 controls, DEL: cursor
 * moves, screen clearing, window titles), reorder what is shown (bidi marks,
 * embeddings, overrides and isolates, Unicode TR9) or are invisible
 * (zero-width characters, word joiner and invisible operators, byte order
 * mark, soft hyphen, Hangul fillers, line and paragraph separators, tag
 * characters). The store refuses contact and account names holding one, and
 * every place that shows such a string escapes them with {@link escapeUnsafe}.
 * The client's sanitiser (packages/client/src/terminal/sanitize.ts) is built
 * on this one definition.
 */
import { StoreError } from './errors.js';

/**
 * Any unsafe character:
 * U+0000-U+001F, U+007F-U+009F, U+00AD, U+061C, U+115F, U+1160, U+180E,
 * U+200B-U+200F, U+2028-U+202E, U+2060-U+206F, U+3164, U+FEFF, U+FFA0,
 * U+FFF9-U+FFFB, U+E0000-U+E007F.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}]/u;
const EVERY_UNSAFE = new RegExp(UNSAFE.source, 'gu');

/** The longest contact or account name the store records (the echo network's addresses are at most 1024 bytes). */
export const MAX_NAME_LENGTH = 1024;

/** `<U+001B>` for ESC: a visible, unambiguous spelling of one character. */
export function describeCharacter(character: string): string {
  return `<U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** True when `text` holds at least one unsafe character. */
export function hasUnsafeCharacter(text: string): boolean {
  return UNSAFE.test(text);
}

/** `text` with every unsafe character (one code point) replaced by what `replace` makes of it. */
export function replaceUnsafe(text: string, replace: (character: string) => string): string {
  return text.replace(EVERY_UNSAFE, replace);
}

/** `text` with every unsafe character except those in `keep` written as `<U+XXXX>`. */
export function escapeUnsafe(text: string, keep = ''): string {
  return replaceUnsafe(text, (character) => (keep.includes(character) ? character : describeCharacter(character)));
}

/**
 * Refuses a contact or account name that holds an unsafe character, or is
 * empty or longer than {@link MAX_NAME_LENGTH}, with an 'invalid' StoreError
 * whose message shows the name escaped.
 */
export function requireSafeName(kind: 'contact' | 'account', name: string): void {
  if (name === '' || name.length > MAX_NAME_LENGTH) {
    throw new StoreError('invalid', `a ${kind} name must have 1 to ${MAX_NAME_LENGTH} characters (got ${name.length}); it was not recorded`);
  }
  if (hasUnsafeCharacter(name)) {
    throw new StoreError(
      'invalid',
      `the ${kind} name "${escapeUnsafe(name.slice(0, 200))}" holds a control, invisible or reordering character; it was not recorded`,
    );
  }
}
