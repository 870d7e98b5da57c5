/**
 * sotto against a double of Blink's engine (blink-double/: python3-sipsimple
 * 5.5.0, msrplib and python3-otr on the wire, notes section 6) through the
 * Kamailio rig over TCP, both directions, with the relay configurations of
 * notes section 6: Blink's caller uses no relay (its advertised MSRP URI is
 * unreachable), Blink's callee AUTHs at the relay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type Kamailio } from '../sip/kamailio/harness.js';
import { startSipClient, type SipClient } from './harness.js';
import { BLINK_OTR_QUERY, BlinkDouble } from './blink-double/index.js';
import { headerValue, type Frame } from '@sotto/msrp';

let kam: Kamailio;
beforeAll(async () => {
  kam = await startKamailio();
});
afterAll(async () => {
  await kam.stop();
});

const text = (frame: Frame): string => Buffer.from(frame.body ?? new Uint8Array()).toString('utf8');
/** The OTR messages (queries included) Blink wrote, in order, from its `from`th frame. */
const blinkOtr = (double: BlinkDouble, from = 0): string[] => double.framesOut.slice(from).flatMap((b) => /\n\n(\?OTR[^\r\n]*)\r\n-------/.exec(b.toString('utf8'))?.[1] ?? []);
const sends = (double: BlinkDouble): Frame[] => double.framesIn.filter((f) => f.type === 'request' && f.method === 'SEND' && (f.body?.length ?? 0) > 0);

/** Both sides secure with each other's fingerprint. */
async function secure(double: BlinkDouble, sotto: SipClient, marks: [number, number] = [0, 0]): Promise<void> {
  const [mine, theirs] = await Promise.all([
    sotto.next('secure', marks[1], (e) => e.peer === double.address),
    double.nextOtr('secure', marks[0]),
  ]);
  expect(mine.fingerprint).toBe(double.fingerprint);
  expect(mine.version).toBe(3);
  expect(Buffer.from(theirs.fingerprint).toString('hex')).toBe(sotto.fingerprints['3'] ?? sotto.fingerprint);
}

/** The conversation every scenario runs once the session is up and secure. */
async function conversation(double: BlinkDouble, sotto: SipClient): Promise<void> {
  // sotto -> Blink: encrypted inside CPIM, delivered only on Blink's REPORT
  let m = [double.mark(), sotto.mark()] as const;
  sotto.command({ cmd: 'send', to: double.address, text: 'hello Blink', id: 's1' });
  const got = await double.next('message', m[0], (e) => e.content === 'hello Blink');
  expect(got.encrypted).toBe(true);
  expect(got.contentType).toBe('text/plain');
  await sotto.next('delivered', m[1], (e) => e.id === 's1');
  const carrying = sends(double).find((f) => text(f).includes('?OTR:AAMD') && headerValue(f, 'Success-Report') === 'yes');
  expect(carrying).toBeDefined();

  // Blink -> sotto: text/html, shown as text; the REPORT reaches Blink
  m = [double.mark(), sotto.mark()];
  const id = double.sendMessage('<p>hi <b>sotto</b> &amp; co</p>');
  const shown = await sotto.next('message', m[1], (e) => e.from === double.address);
  expect(shown.text).toBe('hi sotto & co');
  expect(shown.encrypted).toBe(true);
  await double.next('delivered', m[0], (e) => e.messageId === id);

  // above 2048 bytes msrplib writes Byte-Range 1-*/N
  m = [double.mark(), sotto.mark()];
  const long = 'x'.repeat(3000);
  const longId = double.sendMessage(long, 'text/plain');
  await sotto.next('message', m[1], (e) => e.text === long && e.encrypted === true);
  await double.next('delivered', m[0], (e) => e.messageId === longId);
  expect(double.framesOut.some((b) => /\r\nByte-Range: 1-\*\/\d+\r\n/.test(b.toString('latin1')))).toBe(true);

  // a second round each way turns the keys over: Blink reveals old MAC keys as escaped text
  for (let i = 0; i < 3; i += 1) {
    m = [double.mark(), sotto.mark()];
    sotto.command({ cmd: 'send', to: double.address, text: `ping ${i}`, id: `p${i}` });
    await double.next('message', m[0], (e) => e.content === `ping ${i}`);
    const reply = double.sendMessage(`pong ${i}`, 'text/plain');
    await sotto.next('message', m[1], (e) => e.text === `pong ${i}` && e.encrypted === true);
    await double.next('delivered', m[0], (e) => e.messageId === reply);
  }
  expect(double.oldMacs.revealed).toBeGreaterThan(0);

  // is-composing both ways (encrypted once secure)
  m = [double.mark(), sotto.mark()];
  double.composing('active');
  await sotto.next('composing', m[1], (e) => e.peer === double.address && e.state === 'active');
  sotto.command({ cmd: 'composing', to: double.address, state: 'active' });
  const composing = await double.next('composing', m[0]);
  expect(composing.state).toBe('active');
  expect(composing.encrypted).toBe(true);

  // SMP with a question, from Blink
  m = [double.mark(), sotto.mark()];
  double.startSmp('the lake', 'Where did we meet?');
  const asked = await sotto.next('smp-request', m[1]);
  expect(asked.question).toBe('Where did we meet?');
  sotto.command({ cmd: 'smp-answer', to: double.address, secret: 'the lake' });
  await sotto.next('smp-result', m[1], (e) => e.success === true);
  expect((await double.nextOtr('smp-result', m[0])).success).toBe(true);

  // SMP without a question, from sotto
  m = [double.mark(), sotto.mark()];
  sotto.command({ cmd: 'smp', to: double.address, secret: 'blue' });
  const request = await double.nextOtr('smp-request', m[0]);
  expect(request.question).toBeNull();
  double.answerSmp('blue');
  await sotto.next('smp-result', m[1], (e) => e.success === true);

  // msrplib's keep-alive gets its 200
  expect(await double.keepAlive()).toBe(200);
}

/**
 * The AKE at stream start (both queries crossing, or only the first one
 * answered) converged to one session: each side went secure once, with the
 * same SSID (python3-otr never starts a second key exchange).
 */
function converged(double: BlinkDouble, sotto: SipClient): void {
  const doubleSecure = double.events.flatMap((e) => (e.kind === 'otr' && e.event.kind === 'secure' ? [e.event] : []));
  expect(doubleSecure).toHaveLength(1);
  const sottoSecure = sotto.events().filter((e) => e.event === 'secure');
  expect(sottoSecure).toHaveLength(1);
  expect(sottoSecure.at(-1)?.ssid).toBe(Buffer.from(doubleSecure[0]?.ssid ?? []).toString('hex'));
  expect(double.events.some((e) => e.kind === 'otr' && e.event.kind === 'protocol-error')).toBe(false);
}

function conformance(double: BlinkDouble): void {
  expect(double.problems).toEqual([]);
  // Blink's own frames: at most one query (none when sotto's query came first), as an OTR internal message
  const queries = double.framesOut.map((b) => b.toString('utf8')).filter((t) => t.includes('?OTRv3?'));
  expect(queries.length).toBeLessThanOrEqual(1);
  for (const query of queries) {
    expect(query).toContain(`${BLINK_OTR_QUERY}\r\n-------`);
    expect(query).toMatch(/Failure-Report: no\r\nSuccess-Report: no\r\nContent-Type: message\/cpim\r\n\r\n/);
  }
  // what sotto sent: its OTR messages text/plain with reports no, CPIM everywhere
  for (const frame of sends(double)) {
    expect(headerValue(frame, 'Content-Type')).toBe('message/cpim');
    const body = text(frame);
    if (/\n\n\?OTR(v\d+\?|:AAMC|:AAMK|:AAMR|:AAMS)/.test(body) || body.includes('Content-Type: application/im-iscomposing+xml')) {
      expect(headerValue(frame, 'Success-Report')).toBe('no');
      expect(headerValue(frame, 'Failure-Report')).toBe('no');
    }
  }
}

describe('Blink engine double calls sotto (Blink\'s caller has no relay; its MSRP URI is unreachable)', () => {
  for (const relay of [true, false]) {
    it(relay ? 'call, doubled AKE, messages, SMP, is-composing, keep-alive, Blink hangs up (sotto with a relay)' : "sotto without a relay writes the 200 to Blink's bind before its OTR query (msrplib drops a connection that sends data first); then the whole conversation", async () => {
      const user = relay ? 'bob1' : 'bob2';
      const sotto = await startSipClient(kam, user, { relay, policy: 'opportunistic' });
      const double = await BlinkDouble.start(kam, relay ? 'alice1' : 'alice2');
      try {
        const mark = sotto.mark();
        const calling = double.call(sotto.address);
        await sotto.next('incoming', mark, (e) => e.peer === double.address);
        sotto.command({ cmd: 'accept', peer: double.address });
        await calling;
        expect(double.localUri).toMatch(/^msrp:\/\/192\.0\.2\.2:2855\/[0-9a-f]+;tcp$/);
        const started = await sotto.next('session-started', mark, (e) => e.peer === double.address);
        expect(started.cpim).toBe(true);
        await secure(double, sotto);
        await conversation(double, sotto);
        converged(double, sotto);

        // Blink hangs up: a BYE only (no OTR disconnect); sotto ends cleanly
        const before = sotto.mark();
        await double.hangup();
        const ended = await sotto.next('session-ended', before, (e) => e.peer === double.address);
        expect(ended.by).toBe('remote');
        expect(sotto.events().slice(before).filter((e) => e.event === 'error')).toEqual([]);
        conformance(double);
      } finally {
        await double.stop();
        await sotto.quit();
      }
    });
  }
});

describe('Blink engine double without OTR on the sotto side', () => {
  it("a non-ASCII plaintext message whose Byte-Range counts characters (msrplib's len(str)) is shown whole", async () => {
    const sotto = await startSipClient(kam, 'gina', { relay: true, policy: 'never' });
    const double = await BlinkDouble.start(kam, 'hank');
    try {
      const mark = sotto.mark();
      const calling = double.call(sotto.address);
      await sotto.next('incoming', mark, (e) => e.peer === double.address);
      sotto.command({ cmd: 'accept', peer: double.address });
      await calling;
      await sotto.next('session-started', mark);
      const id = double.sendMessage('héllo wörld ✓', 'text/plain');
      const shown = await sotto.next('message', mark, (e) => e.from === double.address);
      expect(shown.text).toBe('héllo wörld ✓');
      expect(shown.encrypted).toBe(false);
      await double.next('delivered', 0, (e) => e.messageId === id);
      const frame = double.framesOut.map((b) => b.toString('utf8')).find((t) => t.includes('héllo'));
      expect(frame).toContain('Content-Transfer-Encoding: \n\nhéllo');
      const range = /Byte-Range: 1-(\d+)\/(\d+)/.exec(frame ?? '');
      const body = (frame ?? '').slice((frame ?? '').indexOf('\r\n\r\n') + 4, (frame ?? '').lastIndexOf('\r\n-------'));
      expect(Number(range?.[2])).toBeLessThan(Buffer.byteLength(body));
      expect(double.problems).toEqual([]);
      await double.hangup();
    } finally {
      await double.stop();
      await sotto.quit();
    }
  });
});

describe('sotto calls the Blink engine double (Blink\'s callee AUTHs at the relay)', () => {
  it('call, doubled AKE, messages, SMP, is-composing, keep-alive, sotto hangs up', async () => {
    const sotto = await startSipClient(kam, 'carol', { policy: 'opportunistic' });
    const double = await BlinkDouble.start(kam, 'dave');
    try {
      const mark = sotto.mark();
      sotto.command({ cmd: 'call', to: double.address });
      await double.next('incoming');
      await double.accept();
      const started = await sotto.next('session-started', mark, (e) => e.peer === double.address);
      expect(started.cpim).toBe(true);
      await secure(double, sotto);
      await conversation(double, sotto);
      converged(double, sotto);

      const before = double.mark();
      sotto.command({ cmd: 'hangup', to: double.address });
      await double.next('ended', before, (e) => e.by === 'remote');
      await sotto.next('session-ended', mark, (e) => e.peer === double.address);
      conformance(double);
    } finally {
      await double.stop();
      await sotto.quit();
    }
  });

  it("a Blink callee whose stream starts after sotto's query was read sends no query of its own (python3-otr never restarts the AKE): one 5-message key exchange, and the first message is read", async () => {
    const sotto = await startSipClient(kam, 'ivy', { policy: 'opportunistic' });
    const double = await BlinkDouble.start(kam, 'jack', { startAfterPeerQuery: true });
    try {
      sotto.command({ cmd: 'call', to: double.address });
      await double.next('incoming');
      await double.accept();
      await secure(double, sotto);
      expect(blinkOtr(double).map((t) => t.slice(0, 9))).toEqual(['?OTR:AAMC', '?OTR:AAMR']);
      const m = [double.mark(), sotto.mark()] as const;
      sotto.command({ cmd: 'send', to: double.address, text: 'first', id: 'f1' });
      expect((await double.next('message', m[0], (e) => e.content === 'first')).encrypted).toBe(true);
      await sotto.next('delivered', m[1], (e) => e.id === 'f1');
      converged(double, sotto);
      expect(double.problems).toEqual([]);
    } finally {
      await double.stop();
      await sotto.quit();
    }
  });

  it("OTR restart from sotto is ignored by Blink's ended session: no answer to sotto's second query until Blink restarts OTR, then one new session", async () => {
    const sotto = await startSipClient(kam, 'kim', { policy: 'opportunistic' });
    const double = await BlinkDouble.start(kam, 'lou');
    try {
      sotto.command({ cmd: 'call', to: double.address });
      await double.next('incoming');
      await double.accept();
      await secure(double, sotto);
      converged(double, sotto);

      // sotto ends OTR: Blink's session is finished (python3-otr keeps its protocol)
      let m = [double.mark(), sotto.mark()] as const;
      sotto.command({ cmd: 'end', to: double.address });
      await double.nextOtr('finished', m[0]);
      // sotto asks again: Blink ignores the query and sends no OTR message
      const sent = double.framesOut.length;
      sotto.command({ cmd: 'start', to: double.address });
      await double.next('otr-ignored', m[0], (e) => e.message === 'query');
      expect(blinkOtr(double, sent)).toEqual([]);
      expect(double.otr.status(sotto.address).messageState).toBe('finished');
      expect(sotto.events().slice(m[1]).filter((e) => e.event === 'secure')).toEqual([]);

      // the Blink user disables and enables OTR: its query, one new key exchange
      m = [double.mark(), sotto.mark()];
      double.otrStop();
      double.otrStart();
      await secure(double, sotto, [m[0], m[1]]);
      const theirs = await double.nextOtr('secure', m[0]);
      const mine = await sotto.next('secure', m[1]);
      expect(mine.ssid).toBe(Buffer.from(theirs.ssid).toString('hex'));
      m = [double.mark(), sotto.mark()];
      sotto.command({ cmd: 'send', to: double.address, text: 'again', id: 'a1' });
      expect((await double.next('message', m[0], (e) => e.content === 'again')).encrypted).toBe(true);
      await sotto.next('delivered', m[1], (e) => e.id === 'a1');
      expect(double.events.some((e) => e.kind === 'otr' && e.event.kind === 'protocol-error')).toBe(false);
      expect(double.problems).toEqual([]);
    } finally {
      await double.stop();
      await sotto.quit();
    }
  });

  it('sotto answers the BYE of Blink (hanging up a secure session it answered, no OTR disconnect) with 200 and ends cleanly', async () => {
    const sotto = await startSipClient(kam, 'erin', { policy: 'opportunistic' });
    const double = await BlinkDouble.start(kam, 'frank');
    try {
      const mark = sotto.mark();
      sotto.command({ cmd: 'call', to: double.address });
      await double.next('incoming');
      await double.accept();
      await secure(double, sotto);
      const before = sotto.mark();
      await double.hangup();
      const ended = await sotto.next('session-ended', before, (e) => e.peer === double.address);
      expect(ended.by).toBe('remote');
      expect(sotto.events().slice(mark).filter((e) => e.event === 'error')).toEqual([]);
      expect(double.problems).toEqual([]);
    } finally {
      await double.stop();
      await sotto.quit();
    }
  });
});
