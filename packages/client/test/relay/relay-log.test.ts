/**
 * Escape attacker bytes in the relay's log and rate-limit it (issue 13):
 * 20,000 frames to unknown addresses wrote 19 MB of stderr with raw escape
 * sequences. Every peer-controlled string is escaped, and repeated lines are
 * collapsed into a count.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/relay/framing.js';
import { client, registered, relayFixture } from './relay-clients.js';

const { start, stop, logLines } = relayFixture();

/** Anything a terminal would act on or hide: C0, DEL, C1, bidi and invisible format characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\udb40[\udc00-\udc7f]/u;

describe("escape attacker bytes in the relay's log and rate-limit it", () => {
  it('escapes the control and invisible characters of an address a peer sends', async () => {
    const relay = await start();
    const alice = await client(relay);
    const bob = await client(relay);
    await registered(relay, alice.address, bob.address);
    const hostile = '\u001b[2J\u001b]0;owned\u0007\u009b31m\u202eevil\u200b\u{e0041}\r\n';
    alice.socket.write(encodeFrame(hostile, 'x'));
    alice.socket.write(encodeFrame(bob.address, 'after'));
    await bob.next();
    const line = logLines.find((entry) => entry.includes('unknown'));
    expect(line).toBeDefined();
    expect(UNSAFE.test(line!)).toBe(false);
    expect(line).toContain('\\x1b[2J');
    expect(line).toContain('\\u{202e}');
  });

  it('collapses 20,000 frames to unknown addresses into a few lines and a count', { timeout: 20_000 }, async () => {
    const relay = await start();
    const alice = await client(relay);
    const bob = await client(relay);
    await registered(relay, alice.address, bob.address);
    const frames: Buffer[] = [];
    for (let i = 0; i < 20_000; i++) frames.push(encodeFrame(`127.0.0.1:${i}\u001b[2J${'A'.repeat(900)}`, 'x'));
    alice.socket.write(Buffer.concat(frames));
    alice.socket.write(encodeFrame(bob.address, 'after the flood'));
    await bob.next();
    await stop();
    const dropped = logLines.filter((line) => line.startsWith('dropping frame'));
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.length).toBeLessThan(50);
    expect(logLines.join('\n').length).toBeLessThan(20_000);
    const suppressed = logLines.map((line) => /(\d+) more .* suppressed/.exec(line)).filter((match) => match !== null);
    const counted = suppressed.reduce((sum, match) => sum + Number(match[1]), 0);
    expect(counted + dropped.length).toBe(20_000);
    for (const line of logLines) expect(UNSAFE.test(line)).toBe(false);
  });
});
