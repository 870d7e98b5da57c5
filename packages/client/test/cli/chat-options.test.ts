/** The flags of shared/interop/DRIVER.md ("Process"); each refusal becomes exit status 2 in main. */
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/cli/args.js';
import { DEFAULT_ACCOUNT, DEFAULT_RELAY, parseChatOptions, parseMaxMessageSize, parseVersions } from '../../src/cli/chat-options.js';

describe('sotto chat options', () => {
  it('has the contract defaults', () => {
    expect(parseChatOptions([])).toEqual({
      relay: DEFAULT_RELAY,
      relayGiven: false,
      json: false,
      policy: 'opportunistic',
      versions: new Set([3, 4]),
      maxMessageSize: 0,
      stateDir: undefined,
      localPort: undefined,
      account: DEFAULT_ACCOUNT,
      help: false,
    });
  });

  it('the interactive default --versions is 3,4 (v2 only when asked); the --json driver keeps every version, as DRIVER.md says', () => {
    expect(parseChatOptions([]).versions).toEqual(new Set([3, 4]));
    expect(parseChatOptions(['--json']).versions).toEqual(new Set([2, 3, 4]));
    expect(parseChatOptions(['--versions', '2,3,4']).versions).toEqual(new Set([2, 3, 4]));
    expect(parseChatOptions(['--json', '--versions', '3,4']).versions).toEqual(new Set([3, 4]));
  });

  it('parses every driver flag', () => {
    const options = parseChatOptions(['--relay', '127.0.0.1:9000', '--json', '--policy', 'always', '--versions', '2', '--max-message-size', '140', '--state-dir', '/tmp/x', '--local-port', '4000']);
    expect(options).toMatchObject({
      relay: { host: '127.0.0.1', port: 9000 },
      relayGiven: true,
      json: true,
      policy: 'always',
      versions: new Set([2]),
      maxMessageSize: 140,
      stateDir: '/tmp/x',
      localPort: 4000,
    });
  });

  it('--versions: keeps the OTR versions listed (4 included), refuses an empty, malformed or foreign list, or one without a version sotto speaks', () => {
    expect(parseVersions('3')).toEqual(new Set([3]));
    expect(parseVersions('4')).toEqual(new Set([4]));
    expect(parseVersions('2,3,4')).toEqual(new Set([2, 3, 4]));
    expect(parseVersions('4,5')).toEqual(new Set([4]));
    expect(parseVersions('2,3')).toEqual(new Set([2, 3]));
    expect(parseVersions('3,4')).toEqual(new Set([3, 4]));
    expect(parseVersions('1,2')).toEqual(new Set([2]));
    for (const bad of ['', '5', '1', '2,,3', ',3', '3,', 'two', '2 3', '2;3', '-3']) expect(() => parseVersions(bad), bad).toThrow(OptionError);
  });

  it('--max-message-size: 0 or at least 64; 1 to 63 refused', () => {
    expect(parseMaxMessageSize('0')).toBe(0);
    expect(parseMaxMessageSize('64')).toBe(64);
    expect(parseMaxMessageSize('140')).toBe(140);
    for (const bad of ['1', '36', '63', '-1', '', 'x', '64.5', '0x40']) expect(() => parseMaxMessageSize(bad), bad).toThrow(OptionError);
  });

  it('refuses bad values and stray words', () => {
    for (const args of [['--policy', 'sometimes'], ['--relay', 'nowhere'], ['--local-port', '0'], ['--local-port', '70000'], ['--state-dir', ''], ['--bogus'], ['extra'], ['--relay']]) {
      expect(() => parseChatOptions(args), args.join(' ')).toThrow(OptionError);
    }
  });
});
