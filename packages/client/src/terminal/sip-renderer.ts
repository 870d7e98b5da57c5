/**
 * The SIP chat terminal's lines: locks as Blink colours them (none, orange
 * unverified, green verified, red fingerprint changed), the prompt, the
 * session events, delivery, is-composing and the fingerprint-change alert.
 * Pure. Every string a peer or the network chose (addresses, texts,
 * reasons) goes through sanitize.ts; the events of the echo network's
 * protocol are rendered by renderer.ts.
 */
import type { LockState, SipSessionInfo } from '../sip-chat/engine-api.js';
import { palette, type Palette } from './renderer.js';
import { displayAddress, sanitize } from './sanitize.js';

/** The echo terminal's palette plus Blink's orange for an unverified lock. */
export interface SipPalette extends Palette {
  readonly orange: (text: string) => string;
}

/**
 * A palette for `env`: none when colour is off; orange from the 256-colour
 * set where the terminal says it has it (TERM *-256color, COLORTERM), else
 * yellow.
 */
export function sipPalette(colour: boolean, env: NodeJS.ProcessEnv): SipPalette {
  const base = palette(colour);
  const wide = /256col/i.test(env.TERM ?? '') || (env.COLORTERM ?? '') !== '';
  const orange = colour && wide ? (text: string): string => `\x1b[38;5;208m${text}\x1b[0m` : base.yellow;
  return { ...base, orange };
}

const LOCK_TAGS: Record<LockState, string> = {
  none: '[none]',
  unverified: '[unverified]',
  verified: '[verified]',
  'fingerprint-changed': '[FINGERPRINT CHANGED]',
};

/** The lock as the prompt and /sessions show it, coloured. */
export function lockTag(lock: LockState, p: SipPalette): string {
  const tag = LOCK_TAGS[lock];
  switch (lock) {
    case 'none':
      return p.dim(tag);
    case 'unverified':
      return p.orange(tag);
    case 'verified':
      return p.green(tag);
    case 'fingerprint-changed':
      return p.red(tag);
  }
}

/** The user part of `sip:user@domain`, escaped; the whole address (escaped) when it has none. */
export function shortName(peer: string): string {
  const match = /^sips?:([^@]+)@/.exec(peer);
  return displayAddress(match?.[1] ?? peer);
}

/** What the prompt shows. */
export interface PromptView {
  readonly peer?: string;
  readonly lock: LockState;
  /** The current session's state, when not yet active. */
  readonly state?: SipSessionInfo['state'] | 'ended';
  readonly focus?: boolean;
  /** The peers typing (the current one first), each escaped when shown. */
  readonly typing: readonly string[];
  readonly registration: Registration;
}

/** The account's registration as the terminal last heard of it. */
export type Registration = 'registering' | 'registered' | 'unregistered' | 'failed';

const STATE_WORDS: Record<SipSessionInfo['state'] | 'ended', string> = {
  incoming: 'waiting for /accept',
  calling: 'calling',
  connecting: 'connecting',
  active: 'active',
  ended: 'ended',
};

/** The prompt: the current peer and its lock, who is typing, and whether we are not registered. */
export function promptText(view: PromptView, p: SipPalette): string {
  const parts: string[] = [];
  if (view.registration === 'registering') parts.push(p.dim('(registering…)'));
  else if (view.registration !== 'registered') parts.push(p.red('(not registered)'));
  if (view.peer === undefined) parts.push('[no session]');
  else {
    const state = view.state === undefined || view.state === 'active' ? '' : ` ${p.dim(`(${STATE_WORDS[view.state]})`)}`;
    const focus = view.focus === true ? ` ${p.dim('(conference)')}` : '';
    parts.push(`${displayAddress(view.peer)} ${lockTag(view.lock, p)}${focus}${state}`);
  }
  if (view.typing.length > 0) parts.push(p.dim(`${view.typing.map(shortName).join(', ')} ${view.typing.length === 1 ? 'is' : 'are'} typing…`));
  return `${parts.join(' ')} > `;
}

/** One line of /sessions. */
export function sessionLine(number: number, session: SipSessionInfo, lock: LockState, current: boolean, p: SipPalette): string {
  const marker = current ? '*' : ' ';
  const notes = [
    session.direction === 'in' ? 'incoming' : 'outgoing',
    session.state === 'active' ? undefined : STATE_WORDS[session.state],
    session.focus ? 'conference: no OTR' : undefined,
    session.alwaysOtr ? 'always OTR' : undefined,
    session.composing === 'active' ? 'typing…' : undefined,
  ].filter((note): note is string => note !== undefined);
  return `${marker} ${number}. ${displayAddress(session.peer)}  ${lockTag(lock, p)}  ${p.dim(notes.join(', '))}`;
}

/** A message's lock as shown before it: the session's lock when encrypted, `[unencrypted]` when not. */
export function messageTag(encrypted: boolean, lock: LockState, p: SipPalette): string {
  if (!encrypted) return p.yellow('[unencrypted]');
  return lockTag(lock === 'none' ? 'unverified' : lock, p);
}

/** A received message. `elsewhere`: the session's number, when it is not the current one. */
export function receivedLine(from: string, text: string, tag: string, elsewhere: number | undefined, p: SipPalette): string {
  const name = elsewhere === undefined ? shortName(from) : displayAddress(from);
  const hint = elsewhere === undefined ? '' : ` ${p.dim(`(session ${elsewhere}: /to ${elsewhere} to reply)`)}`;
  return `${tag} ${p.bold(name)}: ${sanitize(text)}${hint}`;
}

/** A message we sent, with its number for the delivery lines that follow. */
export function sentLine(number: number, to: string, text: string, tag: string, elsewhere: boolean, p: SipPalette): string {
  const target = elsewhere ? ` → ${displayAddress(to)}` : '';
  return `${tag} ${p.bold('me')}${target}: ${sanitize(text)}  ${p.dim(`#${number} sent`)}`;
}

/** Delivery news about the message numbered `number`, quoting its start. */
export function deliveryLine(number: number, outcome: { delivered: true } | { delivered: false; reason: string } | { held: true }, preview: string, p: SipPalette): string {
  const quoted = `#${number} "${sanitize(preview)}"`;
  if ('held' in outcome) return p.yellow(`… ${quoted} held: it goes out once the private conversation is up.`);
  return outcome.delivered ? p.green(`✓ ${quoted} delivered`) : p.red(`✗ ${quoted} NOT delivered: ${sanitize(outcome.reason)}`);
}

/** The first characters of a text, on one line, for delivery lines. */
export function preview(text: string, length = 24): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const characters = Array.from(flat);
  return characters.length <= length ? flat : `${characters.slice(0, length).join('')}…`;
}

/** The system message when a contact's fingerprint no longer is the one verified (the lock turned red). */
export function fingerprintAlertLine(peer: string, p: SipPalette): string {
  return p.red(
    `WARNING: ${displayAddress(peer)}'s fingerprint changed: the lock is red. This can be a new device or someone intercepting you. ` +
      'Verification must be redone: /smp (a secret you both know) or compare fingerprints another way and /trust.',
  );
}

/** The most characters of a desktop notification's body. */
export const MAX_NOTIFICATION_BODY = 200;

/**
 * Text for a desktop notification: the peer escaped as on the terminal,
 * then the characters notification servers read as markup written as
 * entities, bounded.
 */
export function notificationText(text: string): string {
  const bounded = Array.from(text).slice(0, MAX_NOTIFICATION_BODY).join('');
  return bounded.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The desktop notification for a fingerprint change: summary and body. */
export function fingerprintNotification(peer: string): { summary: string; body: string } {
  return {
    summary: 'sotto: fingerprint changed',
    body: notificationText(`${displayAddress(peer)} uses a different key than the one you verified. Verify them again before you trust the chat.`),
  };
}
