/**
 * Showing recorded messages (`sotto history show`, `/history`): one line
 * per message with its time, its lock as text (`[plain]`, `[otr
 * unverified]`, `[otr verified]`), its direction and, for what we sent, the
 * delivery; a line naming the peer's fingerprint whenever it changes. The
 * peer's text and names go through sanitize.ts: a message can neither drive
 * the terminal nor pass for one of our lines.
 */
import { humanFingerprint, type HistoryMessage } from '@sotto/store';
import { displayAddress, sanitize } from './sanitize.js';

/** The lock marker of a message. */
export function lockMarker(message: HistoryMessage): string {
  switch (message.encryption.status) {
    case 'plaintext':
      return '[plain]';
    case 'encrypted-unverified':
      return '[otr unverified]';
    case 'encrypted-verified':
      return '[otr verified]';
  }
}

function deliveryNote(message: HistoryMessage): string {
  if (message.direction === 'in') return '';
  switch (message.delivery) {
    case 'pending':
      return '  (not confirmed)';
    case 'delivered':
      return '  (delivered)';
    case 'failed':
      return '  (NOT delivered)';
    case 'not-requested':
      return '';
  }
}

/** `2026-01-02 03:04:05Z`. */
function shortTime(time: Date): string {
  return `${time.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The lines of `messages` (oldest first), as the terminal shows them. */
export function renderHistory(messages: readonly HistoryMessage[]): string[] {
  const lines: string[] = [];
  let lastFingerprint: string | undefined;
  for (const message of messages) {
    if (message.encryption.status !== 'plaintext' && message.encryption.fingerprint !== lastFingerprint) {
      lastFingerprint = message.encryption.fingerprint;
      lines.push(`-- ${displayAddress(message.peer)} fingerprint (OTRv${message.encryption.otrVersion}): ${humanFingerprint(lastFingerprint)}`);
    }
    const who = message.direction === 'out' ? 'me  ->' : 'them <-';
    const cut = message.truncated ? ' [truncated]' : '';
    lines.push(`${shortTime(message.time)} ${lockMarker(message).padEnd(16)} ${who} ${sanitize(message.text)}${cut}${deliveryNote(message)}`);
  }
  return lines;
}
