/** `sotto chat --account sip:...` options (DRIVER.md, "SIP mode"). */
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/cli/args.js';
import { isSipChat, parseSipChatOptions } from '../../src/sip-chat/sip-chat-options.js';

describe('SIP chat options', () => {
  it('SIP mode is chosen by a SIP address in --account only', () => {
    expect(isSipChat(['--json', '--account', 'sip:alice@example.org'])).toBe(true);
    expect(isSipChat(['--account=sip:alice@example.org'])).toBe(true);
    expect(isSipChat(['--account', 'default'])).toBe(false);
    expect(isSipChat(['--relay', '127.0.0.1:7878'])).toBe(false);
  });

  it('parses every option of the contract, policy never included, and normalises the address', () => {
    const options = parseSipChatOptions([
      '--json', '--account', 'SIP:alice@Example.ORG', '--password-file', '/tmp/p', '--proxy', '127.0.0.1:5070', '--transport', 'tls',
      '--msrp-relay', '127.0.0.1:2855', '--msrp-transport', 'tls', '--ca-file', '/tmp/ca.pem', '--policy', 'never', '--versions', '3', '--state-dir', '/tmp/s',
    ]);
    expect(options).toMatchObject({
      account: 'sip:alice@example.org', passwordFile: '/tmp/p', proxy: { host: '127.0.0.1', port: 5070 }, transport: 'tls',
      msrpRelay: { host: '127.0.0.1', port: 2855 }, msrpTransport: 'tls', caFile: '/tmp/ca.pem', policy: 'never', stateDir: '/tmp/s', json: true,
    });
    expect([...options.versions]).toEqual([3]);
  });

  it('--max-message-size is accepted and ignored (MSRP chunks on its own), but still checked', () => {
    expect(() => parseSipChatOptions(['--account', 'sip:a@b.org', '--max-message-size', '1024'])).not.toThrow();
    expect(() => parseSipChatOptions(['--account', 'sip:a@b.org', '--max-message-size', '10'])).toThrow(OptionError);
  });

  it('refuses bad values', () => {
    for (const args of [['--account', 'sip:nobody'], ['--account', 'sip:a@b.org', '--transport', 'udp'], ['--account', 'sip:a@b.org', '--policy', 'sometimes'], ['--account', 'sip:a@b.org', '--versions', '9']]) {
      expect(() => parseSipChatOptions(args)).toThrow(OptionError);
    }
  });
});
