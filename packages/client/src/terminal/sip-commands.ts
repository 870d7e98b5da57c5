/**
 * The SIP chat terminal's input line, parsed: text for the current session,
 * or a slash command (/call, /accept, /reject, /hangup, /sessions, /to,
 * /otr, /smp, /trust, /history, /help, /quit). Pure: the terminal acts on
 * the result. The OTR commands are spelled as in the echo-network terminal
 * (commands.ts); an SMP secret may be left out, and is then asked for on
 * its own line (not shown as it is typed, on a terminal).
 */
import { splitSlashLine, splitSmpQuestion } from './slash-line.js';

/** Which session a command names: a number from /sessions, or a SIP address. */
export type SessionRef = { readonly number: number } | { readonly peer: string };

/** A parsed input line. */
export type SipInputCommand =
  | { kind: 'say'; text: string }
  | { kind: 'call'; peer: string }
  | { kind: 'accept'; ref?: SessionRef }
  | { kind: 'reject'; ref?: SessionRef }
  | { kind: 'hangup'; ref?: SessionRef }
  | { kind: 'sessions' }
  /** Without `ref`: say who the current session is with. */
  | { kind: 'to'; ref?: SessionRef }
  | { kind: 'otr-start' }
  | { kind: 'otr-end' }
  | { kind: 'otr-info' }
  /** Without `on`: show the setting. */
  | { kind: 'otr-always'; on?: boolean }
  /** Without `secret`: ask for it on its own line. */
  | { kind: 'smp'; question?: string; secret?: string }
  | { kind: 'smp-answer'; secret?: string }
  | { kind: 'smp-abort' }
  | { kind: 'trust' }
  | { kind: 'history'; search?: string }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'invalid'; message: string };

/** The longest SIP address accepted from the user (the engine and store bound theirs too). */
export const MAX_TYPED_ADDRESS = 256;

/**
 * A SIP address as the user typed it, as DRIVER.md's SIP mode spells ADDR:
 * `sip:user@domain` with the scheme and domain in lower case; `sip:` may be
 * left out. Undefined for anything else (a display name, parameters, a
 * port, spaces, another scheme).
 */
export function normalizeSipAddress(typed: string): string | undefined {
  if (typed.length > MAX_TYPED_ADDRESS) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(typed) ? typed : `sip:${typed}`;
  // RFC 3261's user: unreserved, escaped and user-unreserved characters (no ";" or "?", which start parameters and headers).
  const match = /^sip:([A-Za-z0-9\-_.!~*'()%&=+$,/]+)@([a-z0-9.-]+|\[[0-9a-f:.]+\])$/i.exec(withScheme);
  if (match === null) return undefined;
  const [, user = '', domain = ''] = match;
  return `sip:${user}@${domain.toLowerCase()}`;
}

function parseRef(args: string, command: string): SessionRef | undefined | { error: string } {
  if (args === '') return undefined;
  if (/^\d{1,4}$/.test(args)) {
    const number = Number(args);
    return number >= 1 ? { number } : { error: `/${command}: sessions are numbered from 1 (see /sessions)` };
  }
  const peer = normalizeSipAddress(args);
  return peer === undefined ? { error: `/${command}: "${args}" is neither a session number (see /sessions) nor a SIP address like sip:bob@example.org` } : { peer };
}

function withRef(kind: 'accept' | 'reject' | 'hangup' | 'to', args: string): SipInputCommand {
  const ref = parseRef(args, kind);
  if (ref !== undefined && 'error' in ref) return { kind: 'invalid', message: ref.error };
  return ref === undefined ? { kind } : { kind, ref };
}

const SMP_USAGE = 'usage: /smp [QUESTION?] [SECRET], /smp answer [SECRET] or /smp abort (a secret left out is asked for, not shown as you type)';

function parseSmp(args: string): SipInputCommand {
  if (args === '') return { kind: 'smp' };
  const [first = '', ...rest] = args.split(/\s+/);
  if (first.toLowerCase() === 'abort') return rest.length === 0 ? { kind: 'smp-abort' } : { kind: 'invalid', message: SMP_USAGE };
  if (first.toLowerCase() === 'answer') {
    const secret = args.slice('answer'.length).trim();
    return secret === '' ? { kind: 'smp-answer' } : { kind: 'smp-answer', secret };
  }
  // A question alone ends with "?": the secret is asked for next.
  if (args.endsWith('?')) return { kind: 'smp', question: args };
  const { question, secret } = splitSmpQuestion(args);
  return question === undefined ? { kind: 'smp', secret } : { kind: 'smp', question, secret };
}

function parseOtr(args: string): SipInputCommand {
  const words = args.toLowerCase().split(/\s+/).filter((word) => word !== '');
  const [sub = 'info', value, extra] = words;
  const usage: SipInputCommand = { kind: 'invalid', message: 'usage: /otr start | /otr end | /otr info | /otr always [on|off]' };
  if (sub === 'always') {
    if (extra !== undefined) return usage;
    if (value === undefined) return { kind: 'otr-always' };
    if (value === 'on') return { kind: 'otr-always', on: true };
    if (value === 'off') return { kind: 'otr-always', on: false };
    return usage;
  }
  if (value !== undefined) return usage;
  switch (sub) {
    case 'start':
    case 'init':
      return { kind: 'otr-start' };
    case 'end':
    case 'finish':
      return { kind: 'otr-end' };
    case 'info':
      return { kind: 'otr-info' };
    case 'trust':
      return { kind: 'trust' };
    default:
      return usage;
  }
}

/** Parses one input line (already trimmed of its line ending). A line starting with "//" sends text starting with "/". */
export function parseSipInput(line: string): SipInputCommand {
  const split = splitSlashLine(line);
  if ('say' in split) return { kind: 'say', text: split.say };
  const { word, args } = split;
  switch (word) {
    case 'call':
    case 'chat': {
      if (args === '') return { kind: 'invalid', message: 'usage: /call sip:user@domain' };
      const peer = normalizeSipAddress(args);
      return peer === undefined ? { kind: 'invalid', message: `"${args}" is not a SIP address: use /call sip:user@domain` } : { kind: 'call', peer };
    }
    case 'accept':
    case 'answer':
      return withRef('accept', args);
    case 'reject':
    case 'decline':
      return withRef('reject', args);
    case 'hangup':
    case 'bye':
    case 'close':
      return withRef('hangup', args);
    case 'to':
    case 'switch':
    case 'query':
      return withRef('to', args);
    case 'sessions':
    case 'list':
      return args === '' ? { kind: 'sessions' } : { kind: 'invalid', message: '/sessions takes no argument' };
    case 'otr':
      return parseOtr(args);
    case 'smp':
      return parseSmp(args);
    case 'trust':
      return args === '' ? { kind: 'trust' } : { kind: 'invalid', message: "/trust takes no argument: it trusts the current contact's fingerprint" };
    case 'history':
    case 'log':
      return args === '' ? { kind: 'history' } : { kind: 'history', search: args };
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return { kind: 'invalid', message: `unknown command /${word} (type /help for the list; start a line with // to send a "/")` };
  }
}

/** The /help text of the SIP chat. */
export const SIP_INPUT_HELP = `Commands:
  /call sip:bob@example.org   start a chat session (sip: may be left out)
  /accept [N|ADDR]            answer an incoming session (the only one waiting, or N / ADDR)
  /reject [N|ADDR]            decline it
  /hangup [N|ADDR]            end a session (default: the current one)
  /sessions                   list the sessions, numbered, with their state and lock
  /to N|ADDR  (or /switch)    make that session the current one; plain lines go to it
  /otr start                  start a private (OTR) conversation
  /otr end                    end it (the peer sees that you left)
  /otr info                   the lock, their fingerprint and yours
  /otr always [on|off]        always use OTR with this contact (kept for next time)
  /smp [QUESTION?]            verify the contact with a secret you both know; the
                              secret is asked for next (not shown as you type)
  /smp [QUESTION?] SECRET     ... giving the secret on the line
  /smp answer [SECRET]        answer the contact's verification request
  /smp abort                  stop a verification
  /trust                      mark their fingerprint as verified (compare it another way first!)
  /history [TEXT]             recorded messages with the contact (containing TEXT), each with its lock
  /help, /quit
Locks: [none] no OTR, [unverified] encrypted but not verified, [verified],
[FINGERPRINT CHANGED] their key is not the one you verified: verify again.
Anything else is sent to the current session; start a line with // to send a "/".`;
