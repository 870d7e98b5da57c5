/**
 * End to end: two `sotto chat --json` (run in-process through `main`) talking
 * through a real relay over TCP, checked against shared/interop/DRIVER.md.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { InProcessDriver, type Event } from '../helpers/in-process-driver.js';
import { freePort } from '../helpers/free-port.js';

interface Frame {
  from: string;
  to: string;
  text: string;
}

let relay: Relay;
let frames: Frame[];
let drivers: InProcessDriver[];
let relayAddress: string;

beforeEach(async () => {
  frames = [];
  drivers = [];
  relay = await startRelay({ port: 0, log: () => undefined, onFrame: (from, to, content) => frames.push({ from, to, text: content.toString('utf8') }) });
  relayAddress = `${relay.host}:${relay.port}`;
});

afterEach(async () => {
  await Promise.all(drivers.map((driver) => driver.quit()));
  await relay.close();
});

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'sotto-e2e-'));

async function start(args: string[] = [], stateDir = freshDir()): Promise<InProcessDriver> {
  const driver = await InProcessDriver.start(['--relay', relayAddress, '--state-dir', stateDir, ...args]);
  drivers.push(driver);
  return driver;
}

async function secure(a: InProcessDriver, b: InProcessDriver): Promise<[Event, Event]> {
  const marks = [a.events().length, b.events().length] as const;
  a.command({ cmd: 'start', to: b.address });
  return [await a.next('secure', marks[0]), await b.next('secure', marks[1])];
}

async function say(from: InProcessDriver, to: InProcessDriver, text: string): Promise<Event> {
  const mark = to.events().length;
  from.command({ cmd: 'send', to: to.address, text });
  return to.next('message', mark, (event) => event.from === from.address);
}

describe('sotto chat --json between two sotto processes', () => {
  it('announces itself, runs the AKE both ways round the same SSID, and encrypts messages', async () => {
    const a = await start();
    const b = await start();
    expect(a.address).toMatch(/^127\.0\.0\.1:\d+$/);
    // By default every version is enabled: `fingerprint` is the OTRv4 one, `fingerprints` has both families.
    expect(a.fingerprint).toMatch(/^[0-9a-f]{112}$/);
    expect(a.events()[0]).toEqual({ event: 'ready', address: a.address, fingerprint: a.fingerprint, fingerprints: { '3': expect.stringMatching(/^[0-9a-f]{40}$/) as unknown, '4': a.fingerprint } });
    expect(a.fingerprint).not.toBe(b.fingerprint);
    const [sa, sb] = await secure(a, b);
    expect(sa).toMatchObject({ peer: b.address, version: 4, fingerprint: b.fingerprint, trusted: false });
    expect(sb).toMatchObject({ peer: a.address, version: 4, fingerprint: a.fingerprint, trusted: false });
    expect(sa.ssid).toMatch(/^[0-9a-f]{16}$/);
    expect(sa.ssid).toBe(sb.ssid);
    expect(await say(a, b, 'hello über ✓')).toMatchObject({ text: 'hello über ✓', encrypted: true });
    expect(await say(b, a, 'back')).toMatchObject({ text: 'back', encrypted: true });
    expect(frames.some((frame) => frame.text.includes('hello'))).toBe(false);
    // Nothing but JSON events on stdout.
    for (const driver of [a, b]) for (const line of driver.stdout().trimEnd().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('runs SMP with a question, trusts on success, and keeps trust after a failure', async () => {
    // SMP over OTR version 3 (version 4 has its own test).
    const a = await start(['--versions', '2,3']);
    const b = await start(['--versions', '2,3']);
    await secure(a, b);
    let marks = [a.events().length, b.events().length] as const;
    a.command({ cmd: 'smp', to: b.address, secret: 'at the lake', question: 'Where did we meet?' });
    expect(await b.next('smp-request', marks[1])).toMatchObject({ peer: a.address, question: 'Where did we meet?' });
    b.command({ cmd: 'smp-answer', to: a.address, secret: 'at the lake' });
    expect(await a.next('smp-result', marks[0])).toMatchObject({ peer: b.address, success: true });
    expect(await b.next('smp-result', marks[1])).toMatchObject({ peer: a.address, success: true });
    expect(await a.next('trusted', marks[0])).toMatchObject({ peer: b.address, fingerprint: b.fingerprint });
    expect(await b.next('trusted', marks[1])).toMatchObject({ peer: a.address, fingerprint: a.fingerprint });

    marks = [a.events().length, b.events().length] as const;
    b.command({ cmd: 'smp', to: a.address, secret: 'one' });
    expect(await a.next('smp-request', marks[0])).toMatchObject({ question: null });
    a.command({ cmd: 'smp-answer', to: b.address, secret: 'two' });
    expect(await a.next('smp-result', marks[0])).toMatchObject({ success: false });
    expect(await b.next('smp-result', marks[1])).toMatchObject({ success: false });
    // A failure removes no earlier trust: a new AKE is still trusted.
    const [sa] = await secure(a, b);
    expect(sa.trusted).toBe(true);
  });

  it('reports smp-aborted on both sides when the responder aborts', async () => {
    const a = await start(['--versions', '2,3']);
    const b = await start(['--versions', '2,3']);
    await secure(a, b);
    const marks = [a.events().length, b.events().length] as const;
    a.command({ cmd: 'smp', to: b.address, secret: 's' });
    await b.next('smp-request', marks[1]);
    b.command({ cmd: 'smp-abort', to: a.address });
    expect(await b.next('smp-aborted', marks[1])).toMatchObject({ peer: a.address });
    expect(await a.next('smp-aborted', marks[0])).toMatchObject({ peer: b.address });
  });

  it('answers commands with nothing to act on, and bad input, with events and keeps running', async () => {
    const a = await start();
    const peer = '127.0.0.1:9';
    const mark = a.events().length;
    a.command({ cmd: 'smp', to: peer, secret: 'x' });
    a.command({ cmd: 'smp-abort', to: peer });
    a.command({ cmd: 'smp-answer', to: peer, secret: 'x' });
    a.command({ cmd: 'end', to: peer });
    a.command({ cmd: 'trust', to: peer });
    a.command({ cmd: 'symkey', to: peer, use: 1, usedata: '' });
    a.command({ cmd: 'frobnicate', to: peer });
    a.command({ cmd: 'x-unknown-extension' });
    a.writeLine('this is not json');
    a.writeLine('[1,2]');
    a.command({ cmd: 'send', to: peer });
    const expected = ['smp-aborted', 'smp-aborted', 'error', 'error', 'error', 'error', 'error', 'error', 'error', 'error', 'error'];
    await a.waitFor(() => a.events().length >= mark + expected.length, 'answers', mark);
    const answers = a.events().slice(mark);
    expect(answers.map((event) => event.event)).toEqual(expected);
    expect(answers.slice(2, 6).every((event) => event.peer === peer)).toBe(true);
    expect(answers.slice(6, 10).every((event) => event.peer === null)).toBe(true);
    expect(answers[10]).toMatchObject({ peer });
  });

  it('gives both sides the same extra symmetric key over v3 (64 hex) and v4 (128 hex), and refuses it over v2', async () => {
    const v3a = await start(['--versions', '3']);
    const v3b = await start(['--versions', '3']);
    await secure(v3a, v3b);
    const v3marks = [v3a.events().length, v3b.events().length] as const;
    v3a.command({ cmd: 'symkey', to: v3b.address, use: 7, usedata: '' });
    const v3key = (await v3a.next('symkey', v3marks[0])).key;
    expect(v3key).toMatch(/^[0-9a-f]{64}$/);
    expect((await v3b.next('symkey', v3marks[1])).key).toBe(v3key);

    const a = await start();
    const b = await start();
    const [v4] = await secure(a, b);
    expect(v4.version).toBe(4);
    const marks = [a.events().length, b.events().length] as const;
    a.command({ cmd: 'symkey', to: b.address, use: 4294967295, usedata: '00ff10' });
    const sent = await a.next('symkey', marks[0]);
    const received = await b.next('symkey', marks[1]);
    expect(sent).toMatchObject({ peer: b.address, use: 4294967295, usedata: '00ff10' });
    expect(received).toMatchObject({ peer: a.address, use: 4294967295, usedata: '00ff10' });
    expect(sent.key).toMatch(/^[0-9a-f]{128}$/);
    expect(received.key).toBe(sent.key);

    const c = await start(['--versions', '2']);
    const [sa] = await secure(a, c);
    expect(sa.version).toBe(2);
    const mark = a.events().length;
    a.command({ cmd: 'symkey', to: c.address, use: 1, usedata: '' });
    expect(await a.next('error', mark)).toMatchObject({ peer: c.address });
  });

  it('end: the peer sees finished, refuses to send, and nothing leaks; a new AKE gives a new SSID', async () => {
    const a = await start();
    const b = await start();
    const [first] = await secure(a, b);
    const marks = [a.events().length, b.events().length] as const;
    a.command({ cmd: 'end', to: b.address });
    expect(await a.next('insecure', marks[0])).toMatchObject({ peer: b.address });
    expect(await b.next('finished', marks[1])).toMatchObject({ peer: a.address });
    b.command({ cmd: 'send', to: a.address, text: 'secret after end' });
    expect(await b.next('not-sent', marks[1])).toMatchObject({ to: a.address, reason: 'finished' });
    b.command({ cmd: 'end', to: a.address });
    expect(await b.next('insecure', marks[1])).toMatchObject({ peer: a.address });
    const [again] = await secure(b, a);
    expect(again.ssid).not.toBe(first.ssid);
    expect(frames.some((frame) => frame.text.includes('secret after end'))).toBe(false);
  });

  it('under the always policy never sends plaintext, and delivers the held text once secure', async () => {
    const a = await start(['--policy', 'always']);
    const b = await start(['--policy', 'manual']);
    const marks = [a.events().length, b.events().length] as const;
    a.command({ cmd: 'send', to: b.address, text: 'only privately' });
    expect(await a.next('not-sent', marks[0])).toMatchObject({ to: b.address, reason: 'encryption-required' });
    await a.next('secure', marks[0]);
    expect(await b.next('message', marks[1])).toMatchObject({ text: 'only privately', encrypted: true });
    expect(frames.some((frame) => frame.text.includes('only privately'))).toBe(false);
  });

  it('fragments every OTR message to --max-message-size and reassembles long texts', async () => {
    const a = await start(['--max-message-size', '140']);
    const b = await start(['--max-message-size', '140']);
    await secure(a, b);
    const long = 'ж'.repeat(2500) + 'x'.repeat(2500);
    expect((await say(a, b, long)).text).toBe(long);
    const encoded = frames.filter((frame) => frame.text.startsWith('?OTR,') || frame.text.startsWith('?OTR|') || frame.text.startsWith('?OTR:'));
    expect(encoded.length).toBeGreaterThan(10);
    for (const frame of encoded) expect(frame.text.length).toBeLessThanOrEqual(140);
  });

  it('remembers trust per address across restarts and warns once per AKE about a new identity', async () => {
    const dirA = freshDir();
    const portB = await freePort();
    const a = await start([], dirA);
    let b = await start(['--local-port', String(portB)]);
    await secure(a, b);
    let mark = a.events().length;
    a.command({ cmd: 'trust', to: b.address });
    expect(await a.next('trusted', mark)).toMatchObject({ peer: b.address, fingerprint: b.fingerprint });
    const oldFingerprint = b.fingerprint;

    // A restarts with the same state directory: B is still trusted.
    await a.quit();
    drivers.splice(drivers.indexOf(a), 1);
    const a2 = await start([], dirA);
    expect(a2.fingerprint).toBe(a.fingerprint);
    const [s] = await secure(a2, b);
    expect(s).toMatchObject({ fingerprint: oldFingerprint, trusted: true });

    // B comes back from the same address with a new identity.
    await b.quit();
    drivers.splice(drivers.indexOf(b), 1);
    b = await start(['--local-port', String(portB)]);
    expect(b.fingerprint).not.toBe(oldFingerprint);
    for (let round = 0; round < 2; round++) {
      mark = a2.events().length;
      const [sa] = await secure(a2, b);
      expect(sa).toMatchObject({ fingerprint: b.fingerprint, trusted: false });
      const after = a2.events().slice(mark);
      const changed = after.filter((event) => event.event === 'fingerprint-changed');
      expect(changed).toEqual([{ event: 'fingerprint-changed', peer: b.address, fingerprint: b.fingerprint }]);
      const secureAt = after.findIndex((event) => event.event === 'secure');
      expect(after[secureAt - 1]).toEqual(changed[0]);
    }
  });

  it('a v4 session between two sotto: secure version 4 with 112-hex fingerprints, messages both ways, end', async () => {
    const a = await start(['--versions', '3,4']);
    const b = await start();
    const [sa, sb] = await secure(b, a);
    expect(sa).toMatchObject({ peer: a.address, version: 4, fingerprint: a.fingerprint, trusted: false });
    expect(sb).toMatchObject({ peer: b.address, version: 4, fingerprint: b.fingerprint, trusted: false });
    expect(String(sa.fingerprint)).toMatch(/^[0-9a-f]{112}$/);
    expect(sa.ssid).toBe(sb.ssid);
    expect(await say(a, b, 'over v4')).toMatchObject({ text: 'over v4', encrypted: true });
    expect(await say(b, a, 'and back')).toMatchObject({ text: 'and back', encrypted: true });
    expect(frames.some((frame) => frame.text.includes('over v4') || frame.text.includes('and back'))).toBe(false);
    const marks = [a.events().length, b.events().length] as const;
    a.command({ cmd: 'end', to: b.address });
    expect(await a.next('insecure', marks[0])).toMatchObject({ peer: b.address });
    expect(await b.next('finished', marks[1])).toMatchObject({ peer: a.address });
  });

  it('--versions 3 falls back to v3 with a v4 peer: 40-hex fingerprints, the DSA ones of ready', async () => {
    const a = await start(['--versions', '3']);
    const b = await start();
    expect(a.events()[0]).toMatchObject({ fingerprint: a.fingerprint, fingerprints: { '3': a.fingerprint } });
    expect(a.events()[0]?.fingerprints).not.toHaveProperty('4');
    const bV3 = (b.events()[0]?.fingerprints as Record<string, string>)['3'];
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const [sFrom, sTo] = await secure(from, to);
      expect(sFrom.version).toBe(3);
      expect(sTo.version).toBe(3);
    }
    const [sa, sb] = await secure(a, b);
    expect(sa).toMatchObject({ peer: b.address, version: 3, fingerprint: bV3 });
    expect(sb).toMatchObject({ peer: a.address, version: 3, fingerprint: a.fingerprint });
    expect(await say(a, b, 'v3 it is')).toMatchObject({ encrypted: true });
  });

  it('v4 SMP over Ed448 with a question verifies both sides, and a wrong answer fails', async () => {
    const a = await start();
    const b = await start();
    const [sa] = await secure(a, b);
    expect(sa.version).toBe(4);
    let marks = [a.events().length, b.events().length] as const;
    a.command({ cmd: 'smp', to: b.address, secret: 'at the lake', question: 'Where did we meet?' });
    expect(await b.next('smp-request', marks[1])).toMatchObject({ peer: a.address, question: 'Where did we meet?' });
    b.command({ cmd: 'smp-answer', to: a.address, secret: 'at the lake' });
    expect(await a.next('smp-result', marks[0])).toMatchObject({ peer: b.address, success: true });
    expect(await b.next('smp-result', marks[1])).toMatchObject({ peer: a.address, success: true });
    marks = [a.events().length, b.events().length] as const;
    b.command({ cmd: 'smp', to: a.address, secret: 'one' });
    expect(await a.next('smp-request', marks[0])).toMatchObject({ question: null });
    a.command({ cmd: 'smp-answer', to: b.address, secret: 'two' });
    expect(await a.next('smp-result', marks[0])).toMatchObject({ success: false });
    expect(await b.next('smp-result', marks[1])).toMatchObject({ success: false });
  });

  it('a v4 fingerprint trusted stays trusted across restarts; moving from a verified v3 key to v4 warns once with the v4 fingerprint', async () => {
    const dirA = freshDir();
    const dirB = freshDir();
    const portB = await freePort();
    const a = await start([], dirA);
    // B first speaks v3 only; A verifies its DSA fingerprint.
    let b = await start(['--versions', '2,3', '--local-port', String(portB)], dirB);
    const [s3] = await secure(a, b);
    expect(s3.version).toBe(3);
    let mark = a.events().length;
    a.command({ cmd: 'trust', to: b.address });
    expect(await a.next('trusted', mark)).toMatchObject({ fingerprint: b.fingerprint });

    // B comes back (same identity, same address) speaking v4: a new kind of fingerprint, told as the contract says.
    await b.quit();
    drivers.splice(drivers.indexOf(b), 1);
    b = await start(['--local-port', String(portB)], dirB);
    mark = a.events().length;
    const [s4] = await secure(a, b);
    expect(s4).toMatchObject({ version: 4, fingerprint: b.fingerprint, trusted: false });
    const after = a.events().slice(mark);
    // Exactly the contract's fields: the terminal's crossVersion never reaches the driver's output.
    expect(after.filter((event) => event.event === 'fingerprint-changed')).toEqual([{ event: 'fingerprint-changed', peer: b.address, fingerprint: b.fingerprint }]);
    mark = a.events().length;
    a.command({ cmd: 'trust', to: b.address });
    expect(await a.next('trusted', mark)).toMatchObject({ peer: b.address, fingerprint: b.fingerprint });

    // A restarts: the v4 fingerprint is still verified, and no warning comes.
    await a.quit();
    drivers.splice(drivers.indexOf(a), 1);
    const a2 = await start([], dirA);
    mark = a2.events().length;
    const [again] = await secure(a2, b);
    expect(again).toMatchObject({ version: 4, fingerprint: b.fingerprint, trusted: true });
    expect(a2.events().slice(mark).some((event) => event.event === 'fingerprint-changed')).toBe(false);
  });

  it('treats the end of stdin as quit (exit status 0)', async () => {
    const a = await start();
    drivers.splice(drivers.indexOf(a), 1);
    a.endInput();
    expect(await a.exit).toBe(0);
  });
});
