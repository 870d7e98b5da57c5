import { describe, expect, it } from 'vitest';
import { OptionError, parseChatOptions, parseVersions } from '../src/options.js';
import { parseCommand } from '../src/chat/commands.js';
import { LockStates } from '../src/chat/lock-state.js';
import { encodeFrame, FrameDecoder, FrameTooLarge } from '../src/relay/framing.js';

describe('chat options', () => {
  it('parses the driver flags', () => {
    const options = parseChatOptions(['--relay', '127.0.0.1:9000', '--json', '--policy', 'always', '--versions', '2', '--max-message-size', '140', '--local-port', '4000']);
    expect(options).toMatchObject({ relayHost: '127.0.0.1', relayPort: 9000, json: true, policyName: 'always', maxMessageSize: 140, localPort: 4000 });
    expect(options.policy).toMatchObject({ allowV2: true, allowV3: false, requireEncryption: true });
  });

  it('refuses bad values (exit status 2 in main)', () => {
    for (const args of [['--versions', ''], ['--versions', '4'], ['--versions', '2,,3'], ['--max-message-size', '63'], ['--max-message-size', '1'], ['--policy', 'sometimes'], ['--relay', 'nowhere'], ['--bogus']]) {
      expect(() => parseChatOptions(args), args.join(' ')).toThrow(OptionError);
    }
    expect(parseChatOptions(['--max-message-size', '64']).maxMessageSize).toBe(64);
    expect(parseChatOptions(['--max-message-size', '0']).maxMessageSize).toBe(0);
    expect(parseVersions('3,4')).toEqual({ v2: false, v3: true });
  });
});

describe('slash commands', () => {
  it('parses irssi-otr style commands', () => {
    expect(parseCommand('hello')).toEqual({ kind: 'say', text: 'hello' });
    expect(parseCommand('//not a command')).toEqual({ kind: 'say', text: '/not a command' });
    expect(parseCommand('/smp where did we meet? at the lake')).toEqual({ kind: 'smp', question: 'where did we meet?', secret: 'at the lake' });
    expect(parseCommand('/smp hunter2')).toEqual({ kind: 'smp', secret: 'hunter2' });
    expect(parseCommand('/smp answer at the lake')).toEqual({ kind: 'smp-answer', secret: 'at the lake' });
    expect(parseCommand('/smp abort')).toEqual({ kind: 'smp-abort' });
    expect(parseCommand('/otr start')).toEqual({ kind: 'otr-start' });
    expect(parseCommand('/to 127.0.0.1:4000')).toEqual({ kind: 'to', address: '127.0.0.1:4000' });
    expect(parseCommand('/to somewhere').kind).toBe('invalid');
    expect(parseCommand('/frobnicate').kind).toBe('invalid');
  });
});

describe('lock states', () => {
  it('goes red on a changed fingerprint and stays red until verified', () => {
    const locks = new LockStates();
    locks.update({ event: 'fingerprint-changed', peer: 'p', fingerprint: 'f' });
    locks.update({ event: 'secure', peer: 'p', version: 3, fingerprint: 'f', ssid: 's', trusted: false });
    expect(locks.get('p')).toBe('fingerprint-changed');
    locks.update({ event: 'trusted', peer: 'p', fingerprint: 'f' });
    expect(locks.get('p')).toBe('verified');
    locks.update({ event: 'finished', peer: 'p' });
    expect(locks.get('p')).toBe('finished');
  });
});

describe('echo-network framing', () => {
  it('decodes frames split at any byte', () => {
    const bytes = Buffer.concat([encodeFrame('127.0.0.1:1', 'héllo'), encodeFrame('127.0.0.1:2', '')]);
    for (let split = 0; split <= bytes.length; split++) {
      const decoder = new FrameDecoder(1000);
      const frames = [...decoder.push(bytes.subarray(0, split)), ...decoder.push(bytes.subarray(split))];
      expect(frames.map((f) => [f.address, f.content.toString()])).toEqual([
        ['127.0.0.1:1', 'héllo'],
        ['127.0.0.1:2', ''],
      ]);
    }
  });

  it('refuses frames above the bound', () => {
    expect(() => new FrameDecoder(4).push(encodeFrame('a', 'too long'))).toThrow(FrameTooLarge);
  });
});
