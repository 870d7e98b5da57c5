/**
 * `sotto chat --json`: the JSON-lines driver protocol of
 * shared/interop/DRIVER.md. Commands arrive on stdin, one JSON object a line;
 * events leave on stdout, one JSON object a line, and nothing else does.
 */
import { createInterface } from 'node:readline';
import type { ChatHost } from '../chat/host.js';
import type { DriverEvent } from '../chat/driver-events.js';

/** Writes one event line to stdout. */
export function writeEvent(event: DriverEvent): void {
  process.stdout.write(JSON.stringify(event) + '\n');
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Applies one command line; returns false for `quit`. */
export function handleCommand(host: ChatHost, line: string): boolean {
  let command: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    command = parsed as Record<string, unknown>;
  } catch {
    writeEvent({ event: 'error', peer: null, message: 'a command must be one JSON object per line' });
    return true;
  }
  const name = command.cmd;
  const to = command.to;
  const needPeer = (): string | undefined => {
    if (isString(to) && to.length > 0) return to;
    writeEvent({ event: 'error', peer: null, message: `"${String(name)}" needs "to"` });
    return undefined;
  };
  const needString = (field: string, peer: string): string | undefined => {
    const value = command[field];
    if (isString(value)) return value;
    writeEvent({ event: 'error', peer, message: `"${String(name)}" needs a string "${field}"` });
    return undefined;
  };
  switch (name) {
    case 'quit':
      return false;
    case 'send': {
      const peer = needPeer();
      const text = peer === undefined ? undefined : needString('text', peer);
      if (peer !== undefined && text !== undefined) host.send(peer, text);
      return true;
    }
    case 'start': {
      const peer = needPeer();
      if (peer !== undefined) host.start(peer);
      return true;
    }
    case 'end': {
      const peer = needPeer();
      if (peer !== undefined) host.end(peer);
      return true;
    }
    case 'smp': {
      const peer = needPeer();
      const secret = peer === undefined ? undefined : needString('secret', peer);
      if (peer === undefined || secret === undefined) return true;
      const question = command.question;
      if (question !== undefined && question !== null && !isString(question)) {
        writeEvent({ event: 'error', peer, message: '"question" must be a string' });
        return true;
      }
      host.smp(peer, secret, isString(question) ? question : undefined);
      return true;
    }
    case 'smp-answer': {
      const peer = needPeer();
      const secret = peer === undefined ? undefined : needString('secret', peer);
      if (peer !== undefined && secret !== undefined) host.smpAnswer(peer, secret);
      return true;
    }
    case 'smp-abort': {
      const peer = needPeer();
      if (peer !== undefined) host.smpAbort(peer);
      return true;
    }
    case 'trust': {
      const peer = needPeer();
      if (peer !== undefined) host.trust(peer);
      return true;
    }
    case 'symkey': {
      const peer = needPeer();
      if (peer === undefined) return true;
      const use = command.use;
      const usedata = command.usedata ?? '';
      if (typeof use !== 'number' || !Number.isInteger(use) || use < 0 || use > 0xffffffff || !isString(usedata) || !/^([0-9a-f]{2})*$/.test(usedata)) {
        writeEvent({ event: 'error', peer, message: '"symkey" needs "use" (32-bit unsigned) and "usedata" (lowercase hex)' });
        return true;
      }
      host.symkey(peer, use, new Uint8Array(Buffer.from(usedata, 'hex')));
      return true;
    }
    default:
      writeEvent({ event: 'error', peer: null, message: `unknown command "${String(name)}"` });
      return true;
  }
}

/** Reads commands until `quit` or end of input; resolves when done. */
export function runJsonDriver(host: ChatHost): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      lines.close();
      resolve();
    };
    lines.on('line', (line) => {
      if (done || line.trim() === '') return;
      if (!handleCommand(host, line)) finish();
    });
    lines.on('close', finish);
  });
}
