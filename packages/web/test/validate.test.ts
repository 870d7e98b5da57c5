/**
 * The checks on arrival of the messages between the page of `sotto web` and
 * its server (src/protocol/validate.ts), with hostile shapes: wrong types,
 * strings and lists over their bounds, unknown types, extra fields, and
 * prototype-pollution keys.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_ADDRESS_LENGTH,
  MAX_CONVERSATIONS,
  MAX_HISTORY_ENTRIES,
  MAX_MESSAGES_KEPT,
  MAX_QUESTION_LENGTH,
  MAX_SEARCH_LENGTH,
  MAX_SECRET_LENGTH,
  MAX_TEXT_LENGTH,
  ProtocolError,
  parseCommand,
  parseCommandReply,
  parseServerMessage,
} from '../src/protocol/index.js';

const PEER = 'sip:bob@example.org';

/** What the validator made of `text` (as the server gets it: JSON), or the ProtocolError's message. */
function command(text: string): unknown {
  try {
    return parseCommand(JSON.parse(text));
  } catch (error) {
    if (error instanceof ProtocolError) return `refused: ${error.message}`;
    throw error;
  }
}

function refusedCommand(value: unknown): string {
  try {
    parseCommand(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).message;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

function refusedMessage(value: unknown): string {
  try {
    parseServerMessage(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).message;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

const message = { id: 'm1', direction: 'in', text: 'hi', time: 1, lock: 'plaintext', delivery: 'not-requested', warning: false };
const info = { peer: PEER, session: 'active', direction: 'out', focus: false, lock: 'none', otrVersion: null, theirFingerprint: null, composing: false, alwaysOtr: false, unread: 0, smp: { phase: 'idle' } };
const state = {
  account: { address: 'sip:alice@example.org', registration: 'registered', reason: null, fingerprints: { v3: 'ab'.repeat(20), v4: null } },
  accounts: ['sip:alice@example.org'],
  settings: { logging: false },
  conversations: [{ ...info, messages: [message] }],
};

describe('commands from the page (the server checks each)', () => {
  it('a well-formed command is accepted and rebuilt with only its schema fields', () => {
    expect(command(JSON.stringify({ type: 'send', peer: PEER, text: 'hello', extra: 'dropped', admin: true }))).toEqual({ type: 'send', peer: PEER, text: 'hello' });
    expect(command(JSON.stringify({ type: 'smp-start', peer: PEER, secret: 's' }))).toEqual({ type: 'smp-start', peer: PEER, secret: 's', question: null });
    expect(command(JSON.stringify({ type: 'history', peer: PEER, search: 'noon' }))).toEqual({ type: 'history', peer: PEER, search: 'noon' });
    expect(command('{"type":"regenerate-key","confirm":true}')).toEqual({ type: 'regenerate-key', confirm: true });
  });

  it('wrong types are refused, naming the field and never echoing the value', () => {
    for (const [body, field] of [
      [{ type: 'send', peer: PEER, text: 42 }, 'text must be a string'],
      [{ type: 'send', peer: PEER, text: ['hello'] }, 'text must be a string'],
      [{ type: 'send', peer: { toString: 'sip:x' }, text: 'x' }, 'peer must be a string'],
      [{ type: 'send', peer: null, text: 'x' }, 'peer must be a string'],
      [{ type: 'composing', peer: PEER, active: 'true' }, 'active must be true or false'],
      [{ type: 'logging', on: 1 }, 'on must be true or false'],
      [{ type: 'always-otr', peer: PEER, on: null }, 'on must be true or false'],
      [{ type: 'regenerate-key', confirm: 'true' }, 'confirm must be true'],
      [{ type: 'regenerate-key' }, 'confirm must be true'],
      [{ type: 'smp-start', peer: PEER, secret: 's', question: 7 }, 'question must be a string'],
      [{ type: 'history', peer: PEER, search: {} }, 'search must be a string'],
      [{ type: 'call', peer: '' }, 'peer must not be empty'],
      [{ type: 'smp-answer', peer: PEER, secret: '' }, 'secret must not be empty'],
    ] as const) {
      expect(refusedCommand(body)).toBe(field);
    }
    for (const body of [null, 'call', 42, true, [], [{ type: 'call', peer: PEER }]]) expect(refusedCommand(body)).toBe('command must be an object');
  });

  it('unknown command types, including the names of Object.prototype, are refused', () => {
    for (const type of ['eval', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'CALL', ' call', 7, null]) {
      expect(refusedCommand({ type, peer: PEER })).toMatch(/^command\.type must be one of call, accept/);
    }
    expect(refusedCommand({ peer: PEER })).toMatch(/^command\.type must be one of/);
  });

  it('strings over their bounds are refused: address, text, secret, question, search', () => {
    expect(refusedCommand({ type: 'call', peer: `sip:${'a'.repeat(MAX_ADDRESS_LENGTH)}@x` })).toBe(`peer is longer than ${String(MAX_ADDRESS_LENGTH)} characters`);
    expect(refusedCommand({ type: 'send', peer: PEER, text: 'x'.repeat(MAX_TEXT_LENGTH + 1) })).toMatch(/^text is longer than/);
    expect(refusedCommand({ type: 'smp-answer', peer: PEER, secret: 'x'.repeat(MAX_SECRET_LENGTH + 1) })).toMatch(/^secret is longer than/);
    expect(refusedCommand({ type: 'smp-start', peer: PEER, secret: 's', question: 'x'.repeat(MAX_QUESTION_LENGTH + 1) })).toMatch(/^question is longer than/);
    expect(refusedCommand({ type: 'history', peer: PEER, search: 'x'.repeat(MAX_SEARCH_LENGTH + 1) })).toMatch(/^search is longer than/);
    // Exactly at the bound is fine.
    expect(parseCommand({ type: 'send', peer: PEER, text: 'x'.repeat(MAX_TEXT_LENGTH) })).toMatchObject({ type: 'send' });
  });

  it('a secret that is refused is never in the error', () => {
    const secret = `hunter2-${'x'.repeat(MAX_SECRET_LENGTH)}`;
    expect(refusedCommand({ type: 'smp-answer', peer: PEER, secret })).not.toContain('hunter2');
  });

  it('a __proto__ key in a command neither pollutes Object.prototype nor reaches the result', () => {
    const parsed = command('{"type":"call","peer":"sip:bob@example.org","__proto__":{"polluted":true,"type":"regenerate-key"},"constructor":{"prototype":{"polluted":true}}}');
    expect(parsed).toEqual({ type: 'call', peer: PEER });
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed as object)).toEqual(['type', 'peer']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A command whose only fields hide under __proto__ is refused, not read through it.
    expect(command('{"__proto__":{"type":"call","peer":"sip:bob@example.org"}}')).toMatch(/^refused: command\.type must be one of/);
  });

  it('fields are read from the message itself, never inherited from a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.peer = 'sip:evil@example.org';
      proto.confirm = true;
      proto.question = 'inherited';
      expect(refusedCommand({ type: 'call' })).toBe('peer must be a string');
      expect(refusedCommand({ type: 'regenerate-key' })).toBe('confirm must be true');
      expect(parseCommand({ type: 'smp-start', peer: PEER, secret: 's' })).toMatchObject({ question: null });
      // An object whose prototype carries the fields is not read through it either.
      expect(refusedCommand(Object.create({ type: 'call', peer: PEER }) as unknown)).toMatch(/^command\.type must be one of/);
    } finally {
      delete proto.peer;
      delete proto.confirm;
      delete proto.question;
    }
  });
});

describe('messages from the server (the page checks each)', () => {
  it('a whole state is accepted and rebuilt with only its schema fields', () => {
    const parsed = parseServerMessage({ type: 'state', state: { ...state, extra: '<script>' } });
    expect(parsed).toEqual({ type: 'state', state });
  });

  it('wrong types and values outside the schema are refused', () => {
    expect(refusedMessage({ type: 'message', peer: PEER, message: { ...message, time: '1' } })).toBe('message.time must be a whole number');
    expect(refusedMessage({ type: 'message', peer: PEER, message: { ...message, time: -1 } })).toBe('message.time must be a whole number');
    expect(refusedMessage({ type: 'message', peer: PEER, message: { ...message, time: 1.5 } })).toBe('message.time must be a whole number');
    expect(refusedMessage({ type: 'message', peer: PEER, message: { ...message, lock: 'green' } })).toMatch(/^message\.lock must be one of/);
    expect(refusedMessage({ type: 'message', peer: PEER, message: { ...message, warning: 'no' } })).toBe('message.warning must be true or false');
    expect(refusedMessage({ type: 'conversation', conversation: { ...info, theirFingerprint: '<img src=x>' } })).toBe('conversation.theirFingerprint must be hexadecimal');
    expect(refusedMessage({ type: 'conversation', conversation: { ...info, unread: Number.MAX_SAFE_INTEGER + 2 } })).toBe('conversation.unread must be a whole number');
    expect(refusedMessage({ type: 'conversation', conversation: { ...info, smp: 'idle' } })).toBe('conversation.smp must be an object');
    expect(refusedMessage({ type: 'settings', settings: { logging: 'off' } })).toBe('settings.logging must be true or false');
    expect(refusedMessage({ type: 'script' })).toMatch(/^message\.type must be one of/);
    expect(refusedMessage({ type: '__proto__' })).toMatch(/^message\.type must be one of/);
  });

  it('strings and lists over their bounds are refused', () => {
    expect(refusedMessage({ type: 'alert', id: 'a1', peer: PEER, text: 'x'.repeat(MAX_QUESTION_LENGTH + 1) })).toMatch(/^text is longer than/);
    expect(refusedMessage({ type: 'message', peer: PEER, message: { ...message, text: 'x'.repeat(MAX_TEXT_LENGTH + 1) } })).toMatch(/^message\.text is longer than/);
    const many = Array.from({ length: MAX_MESSAGES_KEPT + 1 }, () => message);
    expect(refusedMessage({ type: 'state', state: { ...state, conversations: [{ ...info, messages: many }] } })).toBe(`state.conversations[0].messages has more than ${String(MAX_MESSAGES_KEPT)} entries`);
    const tabs = Array.from({ length: MAX_CONVERSATIONS + 1 }, () => ({ ...info, messages: [] }));
    expect(refusedMessage({ type: 'state', state: { ...state, conversations: tabs } })).toBe(`state.conversations has more than ${String(MAX_CONVERSATIONS)} entries`);
  });

  it('a __proto__ key in a server message neither pollutes Object.prototype nor reaches the result', () => {
    const parsed = parseServerMessage(JSON.parse(`{"type":"notice","text":"hi","__proto__":{"polluted":true}}`));
    expect(parsed).toEqual({ type: 'notice', text: 'hi' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const nested = parseServerMessage(JSON.parse(`{"type":"message","peer":"${PEER}","message":${JSON.stringify(message).replace('{', '{"__proto__":{"polluted":true},')}}`));
    expect(Object.keys((nested as { message: object }).message)).toEqual(Object.keys(message));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('replies to commands (the page checks each)', () => {
  it('a failure, a history and new fingerprints are accepted; hostile shapes are refused', () => {
    expect(parseCommandReply({ ok: false, code: 'forbidden', message: 'no' })).toEqual({ ok: false, code: 'forbidden', message: 'no' });
    expect(parseCommandReply({ ok: true, history: { logging: false, entries: 'ignored' } })).toEqual({ ok: true, history: { logging: false } });
    expect(parseCommandReply({ ok: true, fingerprints: { v3: 'ab', v4: null } })).toEqual({ ok: true, fingerprints: { v3: 'ab', v4: null } });
    expect(() => parseCommandReply({ ok: 'true' })).toThrow(ProtocolError);
    expect(() => parseCommandReply({ ok: false, code: 'teapot', message: 'x' })).toThrow(ProtocolError);
    const entry = { peer: PEER, direction: 'in', text: 't', time: 0, lock: 'plaintext', delivery: 'not-requested' };
    const entries = Array.from({ length: MAX_HISTORY_ENTRIES + 1 }, () => entry);
    expect(() => parseCommandReply({ ok: true, history: { logging: true, hasOlder: false, entries } })).toThrow(/has more than/);
    expect(() => parseCommandReply({ ok: true, history: { logging: true, hasOlder: false, entries: [{ ...entry, direction: 'system' }] } })).toThrow(/direction must be one of in, out/);
  });
});
