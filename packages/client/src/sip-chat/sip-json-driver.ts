/**
 * `sotto chat --json --account sip:...`: the driver protocol's SIP mode
 * (shared/interop/DRIVER.md). The echo network's commands plus `call`,
 * `accept`, `reject`, `hangup`, `composing` and `send` with `id` and
 * `content_type`; the engine's events on stdout, except the terminal's own
 * (`x-`), one JSON object a line.
 */
import type { Readable, Writable } from 'node:stream';
import { parseDriverCommand, type DriverCommand } from '../driver/json-commands.js';
import { formatEvent, runCommandLoop, type JsonDriver } from '../driver/json-driver.js';
import type { SipChatEngine, SipChatEvent } from './engine-api.js';

/** A SIP-mode command. */
export type SipDriverCommand =
  | Exclude<DriverCommand, { cmd: 'send' }>
  | { cmd: 'send'; to: string; text: string; id?: string; contentType?: string }
  | { cmd: 'call'; to: string }
  | { cmd: 'accept' | 'reject'; peer: string }
  | { cmd: 'hangup'; to: string }
  | { cmd: 'composing'; to: string; state: 'active' | 'idle' };

type ErrorEvent = Extract<SipChatEvent, { event: 'error' }>;
export type ParsedSipCommand = { ok: true; command: SipDriverCommand } | { ok: false; error: ErrorEvent };

const fail = (peer: string | null, message: string): ParsedSipCommand => ({ ok: false, error: { event: 'error', peer, message } });
const isString = (value: unknown): value is string => typeof value === 'string';
/** The longest message id accepted from the harness. */
const MAX_ID_LENGTH = 256;

/** Parses one stdin line in SIP mode. */
export function parseSipDriverCommand(line: string): ParsedSipCommand {
  let fields: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail(null, 'a command must be a JSON object');
    fields = parsed as Record<string, unknown>;
  } catch {
    return fail(null, 'not JSON: a command is one JSON object per line');
  }
  const name = fields.cmd;
  switch (name) {
    case 'accept':
    case 'reject': {
      const peer = fields.peer;
      return isString(peer) && peer !== '' ? { ok: true, command: { cmd: name, peer } } : fail(null, `"${name}" needs "peer": the caller's address`);
    }
    case 'call':
    case 'hangup':
    case 'composing':
    case 'send': {
      const to = fields.to;
      if (!isString(to) || to === '') return fail(null, `"${name}" needs "to": the peer's address`);
      if (name === 'call' || name === 'hangup') return { ok: true, command: { cmd: name, to } };
      if (name === 'composing') {
        const state = fields.state;
        return state === 'active' || state === 'idle' ? { ok: true, command: { cmd: 'composing', to, state } } : fail(to, '"composing" needs "state": "active" or "idle"');
      }
      const text = fields.text;
      if (!isString(text)) return fail(to, '"send" needs a string "text"');
      const id = fields.id;
      if (id !== undefined && id !== null && (!isString(id) || id === '' || id.length > MAX_ID_LENGTH)) return fail(to, `"id" must be a string of 1 to ${MAX_ID_LENGTH} characters`);
      const contentType = fields.content_type;
      if (contentType !== undefined && contentType !== null && !isString(contentType)) return fail(to, '"content_type" must be a string');
      return { ok: true, command: { cmd: 'send', to, text, ...(isString(id) ? { id } : {}), ...(isString(contentType) ? { contentType } : {}) } };
    }
    default: {
      const base = parseDriverCommand(line);
      return base.ok ? { ok: true, command: base.command as SipDriverCommand } : base;
    }
  }
}

/** Applies one command; false for `quit`. */
export function applySipCommand(engine: SipChatEngine, command: SipDriverCommand): boolean {
  switch (command.cmd) {
    case 'quit':
      return false;
    case 'call':
      engine.call(command.to);
      return true;
    case 'accept':
      engine.accept(command.peer);
      return true;
    case 'reject':
      engine.reject(command.peer);
      return true;
    case 'hangup':
      engine.hangup(command.to);
      return true;
    case 'composing':
      engine.composing(command.to, command.state);
      return true;
    case 'send':
      engine.send(command.to, command.text, { ...(command.id === undefined ? {} : { id: command.id }), ...(command.contentType === undefined ? {} : { contentType: command.contentType }) });
      return true;
    case 'start':
      engine.startOtr(command.to);
      return true;
    case 'end':
      engine.endOtr(command.to);
      return true;
    case 'smp':
      engine.startSmp(command.to, command.secret, command.question);
      return true;
    case 'smp-answer':
      engine.answerSmp(command.to, command.secret);
      return true;
    case 'smp-abort':
      engine.abortSmp(command.to);
      return true;
    case 'trust':
      engine.trust(command.to);
      return true;
    case 'symkey':
      engine.symkey(command.to, command.use, command.usedata);
      return true;
  }
}

/** The stdout line of an event, or undefined for the terminal's own (`x-`) events. */
export function formatSipEvent(event: SipChatEvent): string | undefined {
  return event.event.startsWith('x-') ? undefined : formatEvent(event);
}

/** Writes events to `output`. */
export function sipEventWriter(output: Writable): (event: SipChatEvent) => void {
  return (event) => {
    const line = formatSipEvent(event);
    if (line !== undefined) output.write(line);
  };
}

/** Reads commands until `quit` or end of input. */
export function runSipJsonDriver(engine: SipChatEngine, input: Readable, emit: (event: SipChatEvent) => void): JsonDriver {
  const peerOf = (command: SipDriverCommand): string | null => (command.cmd === 'quit' ? null : 'peer' in command ? command.peer : command.to);
  return runCommandLoop(input, { parse: parseSipDriverCommand, apply: (command) => applySipCommand(engine, command), peerOf }, emit);
}
