/**
 * Turns driver events into lines for a person, with colours that can be
 * turned off (NO_COLOR, https://no-color.org, or output that is not a
 * terminal). Pure. Text from the network is stripped of control characters
 * first, so a peer cannot move the cursor or repaint the screen.
 */
import type { DriverEvent } from '../session/driver-events.js';
import type { LockState } from '../session/conversations.js';

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

/** Replaces control characters (C0, DEL, C1) except tab; a newline continues the line indented. */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, '\ufffd').replace(/\n/g, '\n    ');
}

/** A fingerprint (40 hex digits) in libotr's human format. */
export function humanFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/.{1,8}/g) ?? []).join(' ');
}

const LOCK_LABELS: Record<LockState, string> = {
  plaintext: 'plaintext',
  'encrypted-unverified': 'encrypted, unverified',
  'encrypted-verified': 'encrypted, verified',
  'fingerprint-changed': 'FINGERPRINT CHANGED',
  finished: 'finished',
};

/** The lock state as a coloured label. */
export function lockLabel(state: LockState, p: Palette): string {
  const label = LOCK_LABELS[state];
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
  switch (event.event) {
    case 'ready':
      return undefined;
    case 'message': {
      const text = sanitize(event.text);
      return event.encrypted ? `${p.green('[private]')} ${p.bold(event.from)}: ${text}` : `${p.yellow('[unencrypted]')} ${p.bold(event.from)}: ${text}`;
    }
    case 'secure': {
      const head = `${p.green('Private conversation')} with ${p.bold(event.peer)} (OTR v${event.version}, session id ${event.ssid}).`;
      const fingerprint = `Their fingerprint: ${humanFingerprint(event.fingerprint)}`;
      return event.trusted
        ? `${head} ${fingerprint} ${p.green('(verified)')}`
        : `${head} ${fingerprint} ${p.yellow('(unverified: verify with /smp, or compare fingerprints another way and /trust)')}`;
    }
    case 'fingerprint-changed':
      return p.red(
        `WARNING: ${event.peer} uses a different key than the one you verified (now ${humanFingerprint(event.fingerprint)}). ` +
          'This can be a new device or someone intercepting you. Verify them again with /smp (or compare fingerprints and /trust) before you trust this conversation.',
      );
    case 'insecure':
      return `${p.dim('You ended the private conversation with')} ${event.peer}${p.dim('; messages are now sent unencrypted.')}`;
    case 'finished':
      return p.yellow(`${event.peer} ended the private conversation. Nothing more is sent to them until you type /otr end (continue unencrypted) or /otr start.`);
    case 'smp-request':
      return p.yellow(
        `${event.peer} wants to verify your identity${event.question === null ? ' with a shared secret' : `, asking: "${sanitize(event.question)}"`}. Reply with /smp answer SECRET.`,
      );
    case 'smp-result':
      return event.success
        ? p.green(`Verification with ${event.peer} succeeded.`)
        : p.red(`Verification with ${event.peer} FAILED: the secrets differ (or someone is in between).`);
    case 'smp-aborted':
      return p.yellow(`Verification with ${event.peer} stopped.`);
    case 'trusted':
      return p.green(`${event.peer}'s fingerprint ${humanFingerprint(event.fingerprint)} is now verified.`);
    case 'not-sent':
      return p.yellow(
        event.reason === 'finished'
          ? `Not sent: ${event.to} ended the private conversation. Type /otr end to continue unencrypted, or /otr start.`
          : `Not sent yet: your policy requires encryption. Starting a private conversation with ${event.to}; your latest message goes out if it starts within a minute.`,
      );
    case 'symkey':
      return p.dim(`${event.peer}: extra symmetric key in use (use ${event.use})`);
    case 'error':
      return p.red(`${event.peer === null ? '' : `${event.peer}: `}${sanitize(event.message)}`);
  }
}
