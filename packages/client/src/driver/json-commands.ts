/**
 * The commands of the interop driver protocol (shared/interop/DRIVER.md,
 * "Commands"), parsed from one stdin line into a typed command, or into the
 * `error` event to answer with. Pure and total: no input throws.
 */
import type { DriverEvent } from '../session/driver-events.js';

/** One driver command. */
export type DriverCommand =
  | { cmd: 'send'; to: string; text: string }
  | { cmd: 'start'; to: string }
  | { cmd: 'end'; to: string }
  | { cmd: 'smp'; to: string; secret: string; question?: string }
  | { cmd: 'smp-answer'; to: string; secret: string }
  | { cmd: 'smp-abort'; to: string }
  | { cmd: 'trust'; to: string }
  | { cmd: 'symkey'; to: string; use: number; usedata: Uint8Array }
  | { cmd: 'quit' };

/** A parsed line: a command, or the error event that answers it. */
export type ParsedCommand = { ok: true; command: DriverCommand } | { ok: false; error: Extract<DriverEvent, { event: 'error' }> };

const fail = (peer: string | null, message: string): ParsedCommand => ({ ok: false, error: { event: 'error', peer, message } });
const ok = (command: DriverCommand): ParsedCommand => ({ ok: true, command });

const isString = (value: unknown): value is string => typeof value === 'string';

/** Parses one line of stdin (without its newline). */
export function parseDriverCommand(line: string): ParsedCommand {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return fail(null, 'not JSON: a command is one JSON object per line');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail(null, 'a command must be a JSON object');
  const fields = parsed as Record<string, unknown>;
  const name = fields.cmd;
  if (!isString(name)) return fail(null, 'a command needs "cmd"');
  if (name === 'quit') return ok({ cmd: 'quit' });
  if (!KNOWN.has(name)) return fail(null, `unknown command ${JSON.stringify(name)}`);
  const to = fields.to;
  if (!isString(to) || to === '') return fail(null, `"${name}" needs "to": the peer's address`);
  const text = (field: string): string | ParsedCommand => {
    const value = fields[field];
    return isString(value) ? value : fail(to, `"${name}" needs a string "${field}"`);
  };
  switch (name) {
    case 'send': {
      const body = text('text');
      return isString(body) ? ok({ cmd: 'send', to, text: body }) : body;
    }
    case 'start':
    case 'end':
    case 'smp-abort':
    case 'trust':
      return ok({ cmd: name, to });
    case 'smp': {
      const secret = text('secret');
      if (!isString(secret)) return secret;
      const question = fields.question;
      if (question === undefined || question === null) return ok({ cmd: 'smp', to, secret });
      return isString(question) ? ok({ cmd: 'smp', to, secret, question }) : fail(to, '"question" must be a string');
    }
    case 'smp-answer': {
      const secret = text('secret');
      return isString(secret) ? ok({ cmd: 'smp-answer', to, secret }) : secret;
    }
    default:
      return parseSymkey(fields, to);
  }
}

const KNOWN = new Set(['send', 'start', 'end', 'smp', 'smp-answer', 'smp-abort', 'trust', 'symkey']);

function parseSymkey(fields: Record<string, unknown>, to: string): ParsedCommand {
  const use = fields.use;
  if (typeof use !== 'number' || !Number.isInteger(use) || use < 0 || use > 0xffffffff) {
    return fail(to, '"symkey" needs "use", a 32-bit unsigned number');
  }
  // The contract writes usedata in lower case; upper case is accepted, absent means empty.
  const usedata = fields.usedata ?? '';
  if (!isString(usedata) || !/^(?:[0-9a-fA-F]{2})*$/.test(usedata)) return fail(to, '"usedata" must be hexadecimal bytes');
  return ok({ cmd: 'symkey', to, use, usedata: new Uint8Array(Buffer.from(usedata, 'hex')) });
}
