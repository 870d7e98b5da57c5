/** Every command of shared/interop/DRIVER.md, and what is refused. */
import { describe, expect, it } from 'vitest';
import { parseDriverCommand } from '../../src/driver/json-commands.js';

const TO = '127.0.0.1:4000';

describe('driver commands', () => {
  it('parses every command of the contract', () => {
    const cases: [object, object][] = [
      [{ cmd: 'send', to: TO, text: 'hi' }, { cmd: 'send', to: TO, text: 'hi' }],
      [{ cmd: 'start', to: TO }, { cmd: 'start', to: TO }],
      [{ cmd: 'end', to: TO }, { cmd: 'end', to: TO }],
      [{ cmd: 'smp', to: TO, secret: 's' }, { cmd: 'smp', to: TO, secret: 's' }],
      [{ cmd: 'smp', to: TO, secret: 's', question: 'q?' }, { cmd: 'smp', to: TO, secret: 's', question: 'q?' }],
      [{ cmd: 'smp', to: TO, secret: 's', question: null }, { cmd: 'smp', to: TO, secret: 's' }],
      [{ cmd: 'smp-answer', to: TO, secret: 's' }, { cmd: 'smp-answer', to: TO, secret: 's' }],
      [{ cmd: 'smp-abort', to: TO }, { cmd: 'smp-abort', to: TO }],
      [{ cmd: 'trust', to: TO }, { cmd: 'trust', to: TO }],
      [{ cmd: 'quit' }, { cmd: 'quit' }],
    ];
    for (const [input, command] of cases) expect(parseDriverCommand(JSON.stringify(input))).toEqual({ ok: true, command });
    const symkey = parseDriverCommand(JSON.stringify({ cmd: 'symkey', to: TO, use: 4294967295, usedata: '00ff' }));
    expect(symkey).toEqual({ ok: true, command: { cmd: 'symkey', to: TO, use: 4294967295, usedata: Uint8Array.of(0, 255) } });
  });

  it('answers bad lines with an error that names no peer', () => {
    for (const line of ['', 'nope', '[]', '"send"', 'null', '{}', '{"cmd":1}', '{"cmd":"fly","to":"x"}', '{"cmd":"x-own"}', '{"cmd":"send","text":"x"}', '{"cmd":"start","to":""}']) {
      const parsed = parseDriverCommand(line);
      expect(parsed.ok, line).toBe(false);
      if (!parsed.ok) expect(parsed.error.peer, line).toBeNull();
    }
  });

  it('answers bad fields with an error naming the peer', () => {
    const bad = [
      { cmd: 'send', to: TO },
      { cmd: 'send', to: TO, text: 5 },
      { cmd: 'smp', to: TO },
      { cmd: 'smp', to: TO, secret: 's', question: 3 },
      { cmd: 'smp-answer', to: TO, secret: null },
      { cmd: 'symkey', to: TO, use: -1, usedata: '' },
      { cmd: 'symkey', to: TO, use: 4294967296, usedata: '' },
      { cmd: 'symkey', to: TO, use: 1.5, usedata: '' },
      { cmd: 'symkey', to: TO, use: 1, usedata: 'abc' },
      { cmd: 'symkey', to: TO, use: 1, usedata: 'zz' },
    ];
    for (const command of bad) {
      const parsed = parseDriverCommand(JSON.stringify(command));
      expect(parsed, JSON.stringify(command)).toMatchObject({ ok: false, error: { event: 'error', peer: TO } });
    }
  });
});
