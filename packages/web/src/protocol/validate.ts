/**
 * Checks on arrival: the server checks every {@link Command}, the page every
 * {@link ServerMessage} and {@link CommandReply}. Each check builds a fresh
 * value with only the schema's fields (unknown fields are dropped, a wrong
 * one refuses the whole message) and throws a {@link ProtocolError} naming
 * the first field that is wrong, never the value itself. Only a message's
 * own fields are read, never inherited ones.
 *
 * Hand-written rather than a schema library: the schema is small, and the
 * page and the server then carry no dependency for it.
 */
import {
  DELIVERIES,
  LOCKS,
  MAX_ADDRESS_LENGTH,
  MAX_CONVERSATIONS,
  MAX_HISTORY_ENTRIES,
  MAX_MESSAGES_KEPT,
  MAX_QUESTION_LENGTH,
  MAX_SEARCH_LENGTH,
  MAX_SECRET_LENGTH,
  MAX_TEXT_LENGTH,
  MESSAGE_DIRECTIONS,
  MESSAGE_LOCKS,
  REGISTRATIONS,
  SESSION_STATES,
  SMP_PHASES,
  type AccountInfo,
  type AppState,
  type ChatMessage,
  type Command,
  type CommandReply,
  type Conversation,
  type ConversationInfo,
  type ErrorCode,
  type HistoryEntry,
  type HistoryResult,
  type OurFingerprints,
  type ServerMessage,
  type Settings,
  type Smp,
} from './messages.js';

/** A message that does not fit the schema. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code = 'bad-request' as const;
}

type Obj = Readonly<Record<string, unknown>>;

function object(value: unknown, where: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtocolError(`${where} must be an object`);
  // Own fields only, in an object without a prototype: a field inherited from a
  // (polluted) Object.prototype, or from the value's own prototype, is never read.
  const own = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) own[key] = (value as Obj)[key];
  return own;
}

function string(value: unknown, where: string, max: number, options: { empty?: boolean } = {}): string {
  if (typeof value !== 'string') throw new ProtocolError(`${where} must be a string`);
  if (value.length > max) throw new ProtocolError(`${where} is longer than ${String(max)} characters`);
  if (value === '' && options.empty !== true) throw new ProtocolError(`${where} must not be empty`);
  return value;
}

function nullable<T>(value: unknown, check: (value: unknown) => T): T | null {
  return value === null || value === undefined ? null : check(value);
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new ProtocolError(`${where} must be true or false`);
  return value;
}

function count(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new ProtocolError(`${where} must be a whole number`);
  return value;
}

function oneOf<T extends string>(value: unknown, choices: readonly T[], where: string): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) throw new ProtocolError(`${where} must be one of ${choices.join(', ')}`);
  return value as T;
}

function list<T>(value: unknown, where: string, max: number, check: (item: unknown, where: string) => T): T[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${where} must be a list`);
  if (value.length > max) throw new ProtocolError(`${where} has more than ${String(max)} entries`);
  return value.map((item: unknown, index) => check(item, `${where}[${String(index)}]`));
}

const address = (value: unknown, where: string): string => string(value, where, MAX_ADDRESS_LENGTH);
const hex = (value: unknown, where: string): string => {
  const text = string(value, where, 256);
  if (!/^[0-9a-f]+$/i.test(text)) throw new ProtocolError(`${where} must be hexadecimal`);
  return text;
};

// ---- server to page ----

function chatMessage(value: unknown, where: string): ChatMessage {
  const o = object(value, where);
  return {
    id: string(o.id, `${where}.id`, MAX_ADDRESS_LENGTH),
    direction: oneOf(o.direction, MESSAGE_DIRECTIONS, `${where}.direction`),
    text: string(o.text, `${where}.text`, MAX_TEXT_LENGTH, { empty: true }),
    time: count(o.time, `${where}.time`),
    lock: oneOf(o.lock, MESSAGE_LOCKS, `${where}.lock`),
    delivery: oneOf(o.delivery, DELIVERIES, `${where}.delivery`),
    warning: boolean(o.warning, `${where}.warning`),
  };
}

function smp(value: unknown, where: string): Smp {
  const o = object(value, where);
  const phase = oneOf(o.phase, SMP_PHASES, `${where}.phase`);
  if (phase === 'asked') return { phase, question: nullable(o.question, (q) => string(q, `${where}.question`, MAX_QUESTION_LENGTH, { empty: true })) };
  return { phase };
}

function conversationInfo(value: unknown, where: string): ConversationInfo {
  const o = object(value, where);
  return {
    peer: address(o.peer, `${where}.peer`),
    session: oneOf(o.session, SESSION_STATES, `${where}.session`),
    direction: oneOf(o.direction, ['in', 'out'] as const, `${where}.direction`),
    focus: boolean(o.focus, `${where}.focus`),
    lock: oneOf(o.lock, LOCKS, `${where}.lock`),
    otrVersion: nullable(o.otrVersion, (v) => count(v, `${where}.otrVersion`)),
    theirFingerprint: nullable(o.theirFingerprint, (v) => hex(v, `${where}.theirFingerprint`)),
    composing: boolean(o.composing, `${where}.composing`),
    alwaysOtr: boolean(o.alwaysOtr, `${where}.alwaysOtr`),
    unread: count(o.unread, `${where}.unread`),
    smp: smp(o.smp, `${where}.smp`),
  };
}

function conversation(value: unknown, where: string): Conversation {
  const info = conversationInfo(value, where);
  return { ...info, messages: list(object(value, where).messages, `${where}.messages`, MAX_MESSAGES_KEPT, chatMessage) };
}

function fingerprints(value: unknown, where: string): OurFingerprints {
  const o = object(value, where);
  return { v3: nullable(o.v3, (v) => hex(v, `${where}.v3`)), v4: nullable(o.v4, (v) => hex(v, `${where}.v4`)) };
}

function account(value: unknown, where: string): AccountInfo {
  const o = object(value, where);
  return {
    address: address(o.address, `${where}.address`),
    registration: oneOf(o.registration, REGISTRATIONS, `${where}.registration`),
    reason: nullable(o.reason, (v) => string(v, `${where}.reason`, MAX_QUESTION_LENGTH, { empty: true })),
    fingerprints: fingerprints(o.fingerprints, `${where}.fingerprints`),
  };
}

function settings(value: unknown, where: string): Settings {
  return { logging: boolean(object(value, where).logging, `${where}.logging`) };
}

function appState(value: unknown, where: string): AppState {
  const o = object(value, where);
  return {
    account: account(o.account, `${where}.account`),
    accounts: list(o.accounts, `${where}.accounts`, 256, address),
    settings: settings(o.settings, `${where}.settings`),
    conversations: list(o.conversations, `${where}.conversations`, MAX_CONVERSATIONS, conversation),
  };
}

/** Checks a message from the server (the page calls it on each event). */
export function parseServerMessage(value: unknown): ServerMessage {
  const o = object(value, 'message');
  const type = oneOf(o.type, ['state', 'account', 'settings', 'conversation', 'message', 'alert', 'notice'] as const, 'message.type');
  switch (type) {
    case 'state':
      return { type, state: appState(o.state, 'state') };
    case 'account':
      return { type, account: account(o.account, 'account') };
    case 'settings':
      return { type, settings: settings(o.settings, 'settings') };
    case 'conversation':
      return { type, conversation: conversationInfo(o.conversation, 'conversation') };
    case 'message':
      return { type, peer: address(o.peer, 'peer'), message: chatMessage(o.message, 'message') };
    case 'alert':
      return { type, id: string(o.id, 'id', MAX_ADDRESS_LENGTH), peer: address(o.peer, 'peer'), text: string(o.text, 'text', MAX_QUESTION_LENGTH) };
    case 'notice':
      return { type, text: string(o.text, 'text', MAX_QUESTION_LENGTH) };
  }
}

function historyEntry(value: unknown, where: string): HistoryEntry {
  const o = object(value, where);
  return {
    peer: address(o.peer, `${where}.peer`),
    direction: oneOf(o.direction, ['in', 'out'] as const, `${where}.direction`),
    text: string(o.text, `${where}.text`, 256 * 1024, { empty: true }),
    time: count(o.time, `${where}.time`),
    lock: oneOf(o.lock, MESSAGE_LOCKS, `${where}.lock`),
    delivery: oneOf(o.delivery, DELIVERIES, `${where}.delivery`),
  };
}

function historyResult(value: unknown, where: string): HistoryResult {
  const o = object(value, where);
  if (!boolean(o.logging, `${where}.logging`)) return { logging: false };
  return { logging: true, entries: list(o.entries, `${where}.entries`, MAX_HISTORY_ENTRIES, historyEntry), hasOlder: boolean(o.hasOlder, `${where}.hasOlder`) };
}

const ERROR_CODES: readonly ErrorCode[] = ['bad-request', 'unauthorized', 'forbidden', 'not-found', 'too-large', 'failed'];

/** Checks the server's answer to a command (the page calls it). */
export function parseCommandReply(value: unknown): CommandReply {
  const o = object(value, 'reply');
  if (!boolean(o.ok, 'reply.ok')) return { ok: false, code: oneOf(o.code, ERROR_CODES, 'reply.code'), message: string(o.message, 'reply.message', MAX_QUESTION_LENGTH) };
  return {
    ok: true,
    ...(o.history === undefined ? {} : { history: historyResult(o.history, 'reply.history') }),
    ...(o.fingerprints === undefined ? {} : { fingerprints: fingerprints(o.fingerprints, 'reply.fingerprints') }),
  };
}

// ---- page to server ----

const COMMAND_TYPES = [
  'call', 'accept', 'reject', 'hangup', 'send', 'composing', 'read', 'close', 'start-otr', 'end-otr',
  'always-otr', 'smp-start', 'smp-answer', 'smp-abort', 'trust', 'history', 'logging', 'regenerate-key',
] as const satisfies readonly Command['type'][];

/** Checks a command from the page (the server calls it on each request body). */
export function parseCommand(value: unknown): Command {
  const o = object(value, 'command');
  const type = oneOf(o.type, COMMAND_TYPES, 'command.type');
  switch (type) {
    case 'logging':
      return { type, on: boolean(o.on, 'on') };
    case 'regenerate-key':
      if (o.confirm !== true) throw new ProtocolError('confirm must be true');
      return { type, confirm: true };
    default:
      break;
  }
  const peer = address(o.peer, 'peer');
  switch (type) {
    case 'send':
      return { type, peer, text: string(o.text, 'text', MAX_TEXT_LENGTH) };
    case 'composing':
      return { type, peer, active: boolean(o.active, 'active') };
    case 'always-otr':
      return { type, peer, on: boolean(o.on, 'on') };
    case 'smp-start':
      return { type, peer, secret: string(o.secret, 'secret', MAX_SECRET_LENGTH), question: nullable(o.question, (q) => string(q, 'question', MAX_QUESTION_LENGTH)) };
    case 'smp-answer':
      return { type, peer, secret: string(o.secret, 'secret', MAX_SECRET_LENGTH) };
    case 'history':
      return { type, peer, search: nullable(o.search, (s) => string(s, 'search', MAX_SEARCH_LENGTH)) };
    default:
      return { type, peer };
  }
}
