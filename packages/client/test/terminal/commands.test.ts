import { describe, expect, it } from 'vitest';
import { parseInput } from '../../src/terminal/commands.js';

describe('terminal input', () => {
  it('sends plain lines, and // escapes a leading slash', () => {
    expect(parseInput('hello there')).toEqual({ kind: 'say', text: 'hello there' });
    expect(parseInput('//etc/passwd is a file')).toEqual({ kind: 'say', text: '/etc/passwd is a file' });
  });

  it('parses /otr start|end|info', () => {
    expect(parseInput('/otr start')).toEqual({ kind: 'otr-start' });
    expect(parseInput('/otr end')).toEqual({ kind: 'otr-end' });
    expect(parseInput('/otr info')).toEqual({ kind: 'otr-info' });
    expect(parseInput('/OTR  Start')).toEqual({ kind: 'otr-start' });
    expect(parseInput('/otr dance').kind).toBe('invalid');
  });

  it('parses /smp with and without a question, answer and abort', () => {
    expect(parseInput('/smp hunter2')).toEqual({ kind: 'smp', secret: 'hunter2' });
    expect(parseInput('/smp my long secret')).toEqual({ kind: 'smp', secret: 'my long secret' });
    expect(parseInput('/smp Where did we meet? at the lake')).toEqual({ kind: 'smp', question: 'Where did we meet?', secret: 'at the lake' });
    expect(parseInput('/smp Really? Where? the lake')).toEqual({ kind: 'smp', question: 'Really? Where?', secret: 'the lake' });
    expect(parseInput('/smp answer at the lake')).toEqual({ kind: 'smp-answer', secret: 'at the lake' });
    expect(parseInput('/smp abort')).toEqual({ kind: 'smp-abort' });
    expect(parseInput('/smp why?')).toEqual({ kind: 'smp', secret: 'why?' });
    for (const bad of ['/smp', '/smp answer', '/smp answer   ']) expect(parseInput(bad).kind, bad).toBe('invalid');
  });

  it('parses /trust, /policy, /to, /peers, /help, /quit', () => {
    expect(parseInput('/trust')).toEqual({ kind: 'trust' });
    expect(parseInput('/trust me').kind).toBe('invalid');
    expect(parseInput('/policy always')).toEqual({ kind: 'policy', name: 'always' });
    expect(parseInput('/policy')).toEqual({ kind: 'policy' });
    expect(parseInput('/policy never').kind).toBe('invalid');
    expect(parseInput('/to 127.0.0.1:40123')).toEqual({ kind: 'to', host: '127.0.0.1', port: 40123 });
    expect(parseInput('/to 40123')).toEqual({ kind: 'to', port: 40123 });
    expect(parseInput('/to')).toEqual({ kind: 'to' });
    for (const bad of ['/to nowhere', '/to 127.0.0.1:0', '/to 127.0.0.1:70000', '/to a b']) expect(parseInput(bad).kind, bad).toBe('invalid');
    expect(parseInput('/peers')).toEqual({ kind: 'peers' });
    expect(parseInput('/help')).toEqual({ kind: 'help' });
    expect(parseInput('/quit')).toEqual({ kind: 'quit' });
  });

  it('names an unknown command and how to send a slash', () => {
    const result = parseInput('/frob x');
    expect(result).toMatchObject({ kind: 'invalid' });
    expect(result.kind === 'invalid' ? result.message : '').toMatch(/unknown command \/frob.*\/\//);
  });
});
