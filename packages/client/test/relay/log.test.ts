/** The relay log's escaping and rate limiting, on their own (see relay-log.test.ts for the relay's use of them). */
import { describe, expect, it } from 'vitest';
import { escapeForLog, RateLimitedLog } from '../../src/relay/log.js';

describe('escapeForLog', () => {
  it('keeps printable ASCII and escapes everything else', () => {
    expect(escapeForLog('127.0.0.1:7878')).toBe('127.0.0.1:7878');
    expect(escapeForLog('a\u001b[2Jb\u0007\u007f\u009b')).toBe('a\\x1b[2Jb\\x07\\x7f\\x9b');
    expect(escapeForLog('\u202e\u200b\u2028\ufeff\u{e0041}é')).toBe('\\u{202e}\\u{200b}\\u{2028}\\u{feff}\\u{e0041}\\xe9');
    expect(escapeForLog('back\\x1b')).toBe('back\\\\x1b');
  });

  it('cuts long texts and says how much was left out', () => {
    expect(escapeForLog('A'.repeat(1000))).toBe(`${'A'.repeat(64)}...(936 more characters)`);
  });
});

describe('RateLimitedLog', () => {
  it('writes a burst per kind and window, then one count of the rest', () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RateLimitedLog((line) => lines.push(line), { burst: 2, windowMs: 1000, now: () => now });
    for (let i = 0; i < 5; i++) log.line('drop', `drop ${i}`);
    log.line('other', 'other 0');
    expect(lines).toEqual(['drop 0', 'drop 1', 'other 0']);
    now = 999;
    log.tick();
    expect(lines).toHaveLength(3);
    now = 1000;
    log.tick();
    expect(lines.slice(3)).toEqual(['... 3 more "drop" lines suppressed']);
    log.line('drop', 'drop 5');
    log.line('drop', 'drop 6');
    log.line('drop', 'drop 7');
    now = 5000;
    log.line('drop', 'drop 8');
    expect(lines.slice(4)).toEqual(['drop 5', 'drop 6', '... 1 more "drop" lines suppressed', 'drop 8']);
    log.line('drop', 'drop 9');
    log.line('drop', 'drop 10');
    log.flush();
    expect(lines.slice(8)).toEqual(['drop 9', '... 1 more "drop" lines suppressed']);
  });
});
