import { describe, expect, it } from 'vitest';
import { OptionError, noPositionals, parseArgs, parseHostPort, parsePort } from '../../src/cli/args.js';

const SPEC = { '--port': 'value', '--json': 'switch' } as const;

describe('parseArgs', () => {
  it('reads values, switches, --name=value, positionals and --', () => {
    const parsed = parseArgs(['show', '--port', '1', '--json', 'x', '--port=2', '--', '--json'], SPEC, 'sotto t');
    expect(parsed.values.get('--port')).toBe('2');
    expect([...parsed.switches]).toEqual(['--json']);
    expect(parsed.positionals).toEqual(['show', 'x', '--json']);
    expect(parsed.help).toBe(false);
  });

  it('sees -h and --help anywhere', () => {
    expect(parseArgs(['list', '-h'], SPEC, 'sotto t').help).toBe(true);
    expect(parseArgs(['--help'], SPEC, 'sotto t').help).toBe(true);
  });

  it('refuses unknown options, missing values and values on switches, naming the command', () => {
    expect(() => parseArgs(['--bogus'], SPEC, 'sotto t')).toThrow(/unknown option "--bogus" \(see sotto t --help\)/);
    expect(() => parseArgs(['--port'], SPEC, 'sotto t')).toThrow(/--port needs a value/);
    expect(() => parseArgs(['--port', '--json'], SPEC, 'sotto t')).toThrow(/--port needs a value/);
    expect(() => parseArgs(['--json=1'], SPEC, 'sotto t')).toThrow(/takes no value/);
    expect(() => noPositionals(parseArgs(['extra'], SPEC, 'sotto t'), 'sotto t')).toThrow(OptionError);
  });
});

describe('ports and addresses', () => {
  it('accepts 1..65535 (0 only when allowed)', () => {
    expect(parsePort('1', 'p')).toBe(1);
    expect(parsePort('65535', 'p')).toBe(65535);
    expect(parsePort('0', 'p', true)).toBe(0);
    for (const bad of ['0', '65536', '-1', '80a', '', ' 80', '1e3']) expect(() => parsePort(bad, 'p'), bad).toThrow(OptionError);
  });

  it('parses HOST:PORT, with IPv6 in brackets', () => {
    expect(parseHostPort('127.0.0.1:7878')).toEqual({ host: '127.0.0.1', port: 7878 });
    expect(parseHostPort('relay.example:80')).toEqual({ host: 'relay.example', port: 80 });
    expect(parseHostPort('[::1]:7878')).toEqual({ host: '::1', port: 7878 });
    for (const bad of ['nowhere', ':80', '127.0.0.1:', '127.0.0.1:0', 'a b:80', '::1:80', '127.0.0.1:99999']) expect(() => parseHostPort(bad), bad).toThrow(OptionError);
  });
});
