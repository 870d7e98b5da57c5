/**
 * The interop scenarios, run for one ordered pair of peers (A, B) over one
 * protocol version. Every scenario starts its own relay and processes.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort, peerStarts, recordingRelay, startDriver, stateDir, type Driver, type DriverEvent, type PeerKind, type RecordedFrame } from './harness.js';

const TIMEOUT = 90_000;

interface World {
  relay: Awaited<ReturnType<typeof recordingRelay>>;
  drivers: Driver[];
}

/** Registers the scenarios for A and B speaking `version`. */
export function interopScenarios(a: PeerKind, b: PeerKind, version: 2 | 3 | 4): void {
  describe(`${a.name} (A) with ${b.name} (B), OTR v${version}`, () => {
    let world: World;
    const versions = ['--versions', String(version)];

    // Each peer must start before any scenario runs; one that cannot fails the suite here, with its stderr.
    beforeAll(async () => {
      await peerStarts(a);
      await peerStarts(b);
    }, 120_000);
    beforeEach(async () => {
      world = { relay: await recordingRelay(), drivers: [] };
    });
    afterEach(async () => {
      await Promise.all(world.drivers.map((driver) => driver.quit()));
      await world.relay.relay.close();
    });

    async function start(kind: PeerKind, label: string, args: string[] = [], options: { stateDir?: string; localPort?: number } = {}): Promise<Driver> {
      const driver = await startDriver(kind, label, world.relay.address, { args: [...versions, ...args], ...options });
      world.drivers.push(driver);
      return driver;
    }

    async function secure(from: Driver, to: Driver): Promise<[DriverEvent, DriverEvent]> {
      const mark = [from.events.length, to.events.length] as const;
      from.command({ cmd: 'start', to: to.address });
      const s1 = await from.waitFor((e) => e.event === 'secure' && e.peer === to.address, 'secure', 30_000, mark[0]);
      const s2 = await to.waitFor((e) => e.event === 'secure' && e.peer === from.address, 'secure', 30_000, mark[1]);
      return [s1, s2];
    }

    async function say(from: Driver, to: Driver, text: string): Promise<DriverEvent> {
      const mark = to.events.length;
      from.command({ cmd: 'send', to: to.address, text });
      return to.waitFor((e) => e.event === 'message' && e.from === from.address, 'message', 30_000, mark);
    }

    /** Encoded messages and fragments (query and error messages are never fragmented). */
    const otrFrames = (frames: RecordedFrame[]): RecordedFrame[] => frames.filter((f) => /^\?OTR[:|,]/.test(f.text));

    it('AKE started by A: both secure with the same SSID and each other\'s fingerprint', async () => {
      const A = await start(a, 'A');
      const B = await start(b, 'B');
      const [sa, sb] = await secure(A, B);
      expect(sa.version).toBe(version);
      expect(sb.version).toBe(version);
      expect(sa.ssid).toMatch(/^[0-9a-f]{16}$/);
      expect(sa.ssid).toBe(sb.ssid);
      expect(sa.fingerprint).toBe(B.fingerprint);
      expect(sb.fingerprint).toBe(A.fingerprint);
      expect((await say(A, B, 'hello from A')).encrypted).toBe(true);
      expect((await say(B, A, 'hello from B')).text).toBe('hello from B');
    }, TIMEOUT);

    it('AKE started by B', async () => {
      const A = await start(a, 'A');
      const B = await start(b, 'B');
      const [sb, sa] = await secure(B, A);
      expect(sa.ssid).toBe(sb.ssid);
      expect(await say(A, B, 'after B started')).toMatchObject({ text: 'after B started', encrypted: true });
    }, TIMEOUT);

    it('AKE from a whitespace tag (opportunistic)', async () => {
      const A = await start(a, 'A', ['--policy', 'opportunistic']);
      const B = await start(b, 'B', ['--policy', 'opportunistic']);
      const shown = await say(A, B, 'plain hello');
      expect(shown).toMatchObject({ text: 'plain hello', encrypted: false });
      const sa = await A.waitFor((e) => e.event === 'secure', 'secure');
      const sb = await B.waitFor((e) => e.event === 'secure', 'secure');
      expect(sa.ssid).toBe(sb.ssid);
    }, TIMEOUT);

    it('SMP with a question succeeds both ways and trusts', async () => {
      const A = await start(a, 'A');
      const B = await start(b, 'B');
      await secure(A, B);
      A.command({ cmd: 'smp', to: B.address, secret: 'correct horse', question: 'Which horse?' });
      expect(await B.next('smp-request')).toMatchObject({ peer: A.address, question: 'Which horse?' });
      B.command({ cmd: 'smp-answer', to: A.address, secret: 'correct horse' });
      expect(await A.waitFor((e) => e.event === 'smp-result', 'smp-result')).toMatchObject({ success: true });
      expect(await B.waitFor((e) => e.event === 'smp-result', 'smp-result')).toMatchObject({ success: true });
      expect(await A.waitFor((e) => e.event === 'trusted', 'trusted')).toMatchObject({ fingerprint: B.fingerprint });
    }, TIMEOUT);

    it('SMP without a question, started by B, succeeds', async () => {
      const A = await start(a, 'A');
      const B = await start(b, 'B');
      await secure(A, B);
      B.command({ cmd: 'smp', to: A.address, secret: 'ünïcødé ✓' });
      expect(await A.next('smp-request')).toMatchObject({ question: null });
      A.command({ cmd: 'smp-answer', to: B.address, secret: 'ünïcødé ✓' });
      expect(await B.waitFor((e) => e.event === 'smp-result', 'smp-result')).toMatchObject({ success: true });
    }, TIMEOUT);

    it('SMP with different secrets fails on both sides', async () => {
      const A = await start(a, 'A');
      const B = await start(b, 'B');
      await secure(A, B);
      A.command({ cmd: 'smp', to: B.address, secret: 'one' });
      await B.next('smp-request');
      B.command({ cmd: 'smp-answer', to: A.address, secret: 'two' });
      // A peer may answer a failure with an abort (python-potr does); neither side reports success or trust.
      const resultA = await A.waitFor((e) => e.event === 'smp-result' || e.event === 'smp-aborted', 'smp outcome');
      expect(resultA.success === true).toBe(false);
      const resultB = await B.waitFor((e) => e.event === 'smp-result' || e.event === 'smp-aborted', 'smp outcome');
      expect(resultB.success === true).toBe(false);
      expect(A.events.some((e) => e.event === 'trusted')).toBe(false);
    }, TIMEOUT);

    it('SMP aborted by the responder', async () => {
      const A = await start(a, 'A');
      const B = await start(b, 'B');
      await secure(A, B);
      A.command({ cmd: 'smp', to: B.address, secret: 'x' });
      await B.next('smp-request');
      B.command({ cmd: 'smp-abort', to: A.address });
      await B.waitFor((e) => e.event === 'smp-aborted', 'smp-aborted');
      await A.waitFor((e) => e.event === 'smp-aborted', 'smp-aborted');
      expect(await say(A, B, 'still private')).toMatchObject({ encrypted: true });
    }, TIMEOUT);

    it(version >= 3 ? 'the extra symmetric key: both sides get the same key, use and use-data' : 'the extra symmetric key is refused over v2', async () => {
      const A = await start(a, 'A');
      const B = await start(b, 'B');
      await secure(A, B);
      A.command({ cmd: 'symkey', to: B.address, use: 4660, usedata: '00ff10' });
      if (version === 2) {
        expect(await A.next('error')).toMatchObject({ peer: B.address });
        return;
      }
      const sent = await A.waitFor((e) => e.event === 'symkey', 'symkey');
      const received = await B.waitFor((e) => e.event === 'symkey', 'symkey');
      expect(received).toMatchObject({ peer: A.address, use: 4660, usedata: '00ff10' });
      expect(received.key).toMatch(version === 4 ? /^[0-9a-f]{128}$/ : /^[0-9a-f]{64}$/);
      expect(received.key).toBe(sent.key);
    }, TIMEOUT);

    it('fragments every OTR message at 140 characters; 5,000, 2,000 and non-ASCII texts arrive intact', async () => {
      const A = await start(a, 'A', ['--max-message-size', '140']);
      const B = await start(b, 'B', ['--max-message-size', '140']);
      await secure(A, B);
      const long = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
      expect((await say(A, B, long)).text).toBe(long);
      const medium = 'ж'.repeat(2000);
      expect((await say(B, A, medium)).text).toBe(medium);
      const mixed = 'Grüße, 世界! 🎉 ça va?';
      expect((await say(A, B, mixed)).text).toBe(mixed);
      for (const frame of otrFrames(world.relay.frames)) expect(frame.text.length).toBeLessThanOrEqual(140);
      expect(world.relay.frames.some((f) => f.text.startsWith('?OTR|') || f.text.startsWith('?OTR,'))).toBe(true);
    }, TIMEOUT);

    it('end: the peer sees finished, nothing leaks afterwards, and a new AKE gives a new SSID', async () => {
      const A = await start(a, 'A');
      const B = await start(b, 'B');
      const [first] = await secure(A, B);
      B.command({ cmd: 'end', to: A.address });
      await B.next('insecure');
      await A.waitFor((e) => e.event === 'finished', 'finished');
      A.command({ cmd: 'send', to: B.address, text: 'must not leak' });
      expect(await A.waitFor((e) => e.event === 'not-sent', 'not-sent')).toMatchObject({ reason: 'finished' });
      await new Promise((r) => setTimeout(r, 300));
      expect(world.relay.frames.some((f) => f.text.includes('must not leak'))).toBe(false);
      A.command({ cmd: 'end', to: B.address });
      await A.next('insecure');
      const [second] = await secure(A, B);
      expect(second.ssid).not.toBe(first.ssid);
    }, TIMEOUT);

    it('REQUIRE_ENCRYPTION never puts plaintext on the wire', async () => {
      const A = await start(a, 'A', ['--policy', 'always']);
      const B = await start(b, 'B', ['--policy', 'always']);
      A.command({ cmd: 'send', to: B.address, text: 'top secret words' });
      expect(await A.waitFor((e) => e.event === 'not-sent', 'not-sent')).toMatchObject({ reason: 'encryption-required' });
      await A.waitFor((e) => e.event === 'secure', 'secure');
      await B.waitFor((e) => e.event === 'secure', 'secure');
      await say(A, B, 'now encrypted');
      expect(world.relay.frames.some((f) => f.text.includes('top secret') || f.text.includes('now encrypted'))).toBe(false);
    }, TIMEOUT);

    it('trust by hand and by SMP persists across restarts; a new identity raises fingerprint-changed', async () => {
      const dirA = stateDir('A');
      const dirB = stateDir('B');
      // The same local ports on every run keep the addresses, and so the trust, stable.
      const portA = await freePort();
      const portB = await freePort();
      let A = await start(a, 'A', [], { stateDir: dirA, localPort: portA });
      let B = await start(b, 'B', [], { stateDir: dirB, localPort: portB });
      await secure(A, B);
      A.command({ cmd: 'trust', to: B.address });
      await A.next('trusted');
      B.command({ cmd: 'smp', to: A.address, secret: 'shared' });
      await A.next('smp-request');
      A.command({ cmd: 'smp-answer', to: B.address, secret: 'shared' });
      await B.waitFor((e) => e.event === 'trusted', 'trusted');
      await Promise.all([A.quit(), B.quit()]);
      world.drivers = [];
      A = await start(a, 'A', [], { stateDir: dirA, localPort: portA });
      B = await start(b, 'B', [], { stateDir: dirB, localPort: portB });
      const [sa, sb] = await secure(A, B);
      expect(sa.trusted).toBe(true);
      expect(sb.trusted).toBe(true);
      // B comes back with a new identity on the same address.
      await B.quit();
      world.drivers = [A];
      B = await start(b, 'B', [], { stateDir: stateDir('B-new'), localPort: portB });
      const mark = A.events.length;
      await secure(B, A);
      const changed = await A.waitFor((e) => e.event === 'fingerprint-changed', 'fingerprint-changed', 20_000, mark);
      expect(changed.fingerprint).toBe(B.fingerprint);
      const secureAfter = await A.waitFor((e) => e.event === 'secure', 'secure', 20_000, mark);
      expect(secureAfter.trusted).toBe(false);
      expect(A.events.indexOf(changed)).toBeLessThan(A.events.indexOf(secureAfter));
    }, TIMEOUT);
  });
}
