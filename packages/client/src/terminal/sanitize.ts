/**
 * Making strings someone else chose safe to show: peer addresses, message
 * texts, SMP questions, error texts from the peer, log lines. The unsafe
 * characters (C0 and C1 controls, DEL, bidi marks, embeddings, overrides and
 * isolates, zero-width and other invisible characters, line and paragraph
 * separators, tag characters) are defined once, in @sotto/store's
 * safe-text.ts, which also refuses them in the names it records; here each
 * one is written visibly as `<U+XXXX>`, so a peer can neither drive the
 * terminal (clear it, set its title, paint a prompt) nor hide or reorder
 * what the user reads. Pure. Every module that shows a peer-controlled
 * string to the user imports from here; the relay's log, read by an
 * operator, escapes everything but printable ASCII its own way
 * (relay/log.ts).
 */
import { describeCharacter, escapeUnsafe } from '@sotto/store';

/** The most characters of an address shown; a longer one is cut, saying how much was left out. */
export const MAX_SHOWN_ADDRESS = 64;

/**
 * A multi-line text (a message, an SMP question, a peer's error text): every
 * unsafe character escaped except tab and newline; a carriage return ends a
 * line; a newline continues the line indented, so no line of it can pass
 * for one of ours.
 */
export function sanitize(text: string): string {
  return escapeUnsafe(text.replace(/\r\n?/g, '\n'), '\t\n').replace(/\n/g, '\n    ');
}

/** One line of diagnostics or command output: unsafe characters escaped; newlines (between our own lines) kept. */
export function sanitizeLines(text: string): string {
  return escapeUnsafe(text, '\n');
}

/**
 * A peer address as shown in the prompt, hints and events. Addresses are
 * identifiers (`IPv4:PORT` on the echo network): anything but printable ASCII
 * other than space is escaped (so no escape, invisible character, look-alike
 * letter or run of spaces passes), and a long one is cut so that it cannot
 * push the real lock state out of sight.
 */
export function displayAddress(address: string): string {
  const characters = Array.from(address);
  let shown = '';
  for (const [index, character] of characters.entries()) {
    const piece = character >= '!' && character <= '~' ? character : describeCharacter(character);
    if (shown.length + piece.length > MAX_SHOWN_ADDRESS) return `${shown}...(${characters.length - index} more characters)`;
    shown += piece;
  }
  return shown;
}
