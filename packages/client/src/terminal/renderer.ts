/**
 * Turns driver events into lines for a person, with colours that can be
 * turned off (NO_COLOR, https://no-color.org, or output that is not a
 * terminal). Pure. Every string a peer chose (its address, texts, SMP
 * question, error text) goes through sanitize.ts first, so a peer can neither
 * drive the terminal nor hide or reorder what is shown.
 */
import { displayFingerprint } from '@sotto/store';
import type { DriverEvent } from '../session/driver-events.js';
import type { LockState } from '../session/conversations.js';
import { displayAddress, sanitize } from './sanitize.js';

/** Colour functions; identity functions when colour is off. */
export interface Palette {
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

/** A palette with ANSI colours, or a plain one. */
export function palette(colour: boolean): Palette {
  const paint = (code: string) => (text: string): string => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { red: paint('1;31'), green: paint('32'), yellow: paint('33'), dim: paint('2'), bold: paint('1') };
}

/** Whether to use colour: not when NO_COLOR is set to anything non-empty, nor when output is not a terminal. */
export function wantsColour(env: NodeJS.ProcessEnv, isTerminal: boolean): boolean {
  return isTerminal && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}

/**
 * A fingerprint in groups of eight upper-case hex digits: libotr's five
 * groups on one line for 40 hex digits (v2, v3); OTRv4's 112 as two lines
 * of seven groups (fourteen on one line are 126 columns and wrap), the
 * second indented by `indent` spaces.
 */
export function humanFingerprint(hex: string, indent = 0): string {
  return displayFingerprint(hex, indent);
}

/** Whether a fingerprint (hex) is an OTRv4 one, shown on lines of its own. */
function isV4(hex: string): boolean {
  return hex.length === 112;
}

/** An OTRv4 fingerprint under a text: on two lines of seven groups, indented by two spaces. */
function fingerprintBelow(hex: string): string {
  return `\n  ${humanFingerprint(hex, 2)}`;
}

/** Which OTR key family a fingerprint (hex) belongs to, for the user: "OTRv4" for 112 hex digits, else "OTRv3" (the DSA key, also used by v2). */
export function fingerprintFamily(hex: string): string {
  return hex.length === 112 ? 'OTRv4' : 'OTRv3';
}

const LOCK_LABELS: Record<LockState, string> = {
  plaintext: 'plaintext',
  'encrypted-unverified': 'encrypted, unverified',
  'encrypted-verified': 'encrypted, verified',
  'fingerprint-changed': 'FINGERPRINT CHANGED',
  finished: 'finished',
};

/** The lock state as a coloured label; with the session's version for an encrypted one ("encrypted (v4), unverified"). */
export function lockLabel(state: LockState, p: Palette, version?: number): string {
  const encrypted = state === 'encrypted-unverified' || state === 'encrypted-verified';
  const label = encrypted && version !== undefined ? LOCK_LABELS[state].replace('encrypted', `encrypted (v${version})`) : LOCK_LABELS[state];
  switch (state) {
    case 'encrypted-verified':
      return p.green(label);
    case 'encrypted-unverified':
      return p.yellow(label);
    case 'fingerprint-changed':
      return p.red(label);
    case 'plaintext':
    case 'finished':
      return p.dim(label);
  }
}

/** The line(s) shown for one event, or undefined for events the terminal shows elsewhere. */
export function renderEvent(event: DriverEvent, p: Palette): string | undefined {
  const peer = 'peer' in event && event.peer !== null ? displayAddress(event.peer) : '';
  switch (event.event) {
    case 'ready':
      return undefined;
    case 'message': {
      const text = sanitize(event.text);
      return event.encrypted ? `${p.green('[private]')} ${p.bold(displayAddress(event.from))}: ${text}` : `${p.yellow('[unencrypted]')} ${p.bold(displayAddress(event.from))}: ${text}`;
    }
    case 'secure': {
      const head = `${p.green('Private conversation')} with ${p.bold(peer)} (OTR v${event.version}, session id ${event.ssid}).`;
      const status = event.trusted ? p.green('(verified)') : p.yellow('(unverified: verify with /smp, or compare fingerprints another way and /trust)');
      return isV4(event.fingerprint)
        ? `${head} Their fingerprint ${status}:${fingerprintBelow(event.fingerprint)}`
        : `${head} Their fingerprint: ${humanFingerprint(event.fingerprint)} ${status}`;
    }
    case 'fingerprint-changed': {
      if (event.crossVersion === true) {
        const family = fingerprintFamily(event.fingerprint);
        const advice = 'You verified their key of the other OTR version; verify this one too (compare fingerprints and /trust, or /smp) before you trust this conversation.';
        return p.yellow(
          isV4(event.fingerprint)
            ? `${peer} now uses ${family}, not verified yet. ${advice} Its ${family} fingerprint:${fingerprintBelow(event.fingerprint)}`
            : `${peer} now uses ${family}, not verified yet: its ${family} fingerprint is ${humanFingerprint(event.fingerprint)}. ${advice}`,
        );
      }
      const advice = 'This can be a new device or someone intercepting you. Verify them again with /smp (or compare fingerprints and /trust) before you trust this conversation.';
      return p.red(
        isV4(event.fingerprint)
          ? `WARNING: ${peer} uses a different key than the one you verified. ${advice} Their fingerprint now:${fingerprintBelow(event.fingerprint)}`
          : `WARNING: ${peer} uses a different key than the one you verified (now ${humanFingerprint(event.fingerprint)}). ${advice}`,
      );
    }
    case 'insecure':
      return `${p.dim('You ended the private conversation with')} ${peer}${p.dim('; messages are now sent unencrypted.')}`;
    case 'finished':
      return p.yellow(`${peer} ended the private conversation. Nothing more is sent to them until you type /otr end (continue unencrypted) or /otr start.`);
    case 'smp-request':
      return p.yellow(
        `${peer} wants to verify your identity${event.question === null ? ' with a shared secret' : `, asking: "${sanitize(event.question)}"`}. Reply with /smp answer SECRET.`,
      );
    case 'smp-result':
      return event.success
        ? p.green(`Verification with ${peer} succeeded.`)
        : p.red(`Verification with ${peer} FAILED: the secrets differ (or someone is in between).`);
    case 'smp-aborted':
      return p.yellow(`Verification with ${peer} stopped.`);
    case 'trusted':
      return p.green(
        isV4(event.fingerprint)
          ? `${peer}'s ${fingerprintFamily(event.fingerprint)} fingerprint is now verified:${fingerprintBelow(event.fingerprint)}`
          : `${peer}'s ${fingerprintFamily(event.fingerprint)} fingerprint ${humanFingerprint(event.fingerprint)} is now verified.`,
      );
    case 'not-sent':
      return p.yellow(
        event.reason === 'finished'
          ? `Not sent: ${displayAddress(event.to)} ended the private conversation. Type /otr end to continue unencrypted, or /otr start.`
          : `Not sent yet: your policy requires encryption. Starting a private conversation with ${displayAddress(event.to)}; your latest message goes out if it starts within a minute.`,
      );
    case 'symkey':
      return p.dim(`${peer}: extra symmetric key in use (use ${event.use})`);
    case 'error':
      return p.red(`${event.peer === null ? '' : `${peer}: `}${sanitize(event.message)}`);
  }
}
