import { describe, expect, it } from 'vitest';
import { headerValue, MsrpSession, parseMsrpUri, RelayClient, type MsrpEvent, type MsrpSessionOptions, type MsrpUri, type Outcome, type RequestFrame } from '../../src/index.js';
import { crlf, dec, enc, framesOf, parseAll, seededRandom } from '../helpers.js';

const uri = (text: string): MsrpUri => parseMsrpUri(text)!;
const ALICE = uri('msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp');
const BOB = uri('msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp');
const RELAY = uri('msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp');

function pair(extra: Partial<MsrpSessionOptions> = {}) {
  const alice = new MsrpSession({ localPath: [ALICE], remotePath: [BOB], now: 0, random: seededRandom(1), ...extra });
  const bob = new MsrpSession({ localPath: [BOB], remotePath: [ALICE], now: 0, random: seededRandom(2), ...extra });
  return { alice, bob };
}

/** Delivers `outcome`'s frames to `to` and returns what `to` did. */
function deliver(outcome: Outcome, to: MsrpSession, now = 1): Outcome {
  const all: Outcome = { write: [], events: [] };
  for (const frame of outcome.write) {
    const more = to.receive(frame, now);
    all.write.push(...more.write);
    all.events.push(...more.events);
  }
  return all;
}

const kinds = (events: MsrpEvent[]) => events.map((e) => e.kind);
const requests = (outcome: Outcome) => outcome.write.map((w) => framesOf(parseAll(w))[0]!);

// Notes section 6: Blink's user message as the relay delivers it to bob, and the REPORT alice receives.
const BLINK_MESSAGE_AT_BOB = crlf(
  'MSRP 58a8d7791419f114 SEND',
  'To-Path: msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp',
  'From-Path: msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp',
  'Byte-Range: 1-17/17',
  'Message-ID: 6330138e5e9bf11e',
  'Failure-Report: yes',
  'Success-Report: yes',
  'Content-Type: message/cpim',
  '',
  '?OTR:AAMDiE4QnVM.',
  '-------58a8d7791419f114$',
  '',
);
const BLINK_KEEP_ALIVE = crlf(
  'MSRP 0a1b2c3d4e5f6a7b SEND',
  'To-Path: msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp',
  'From-Path: msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp',
  'Byte-Range: 1-0/0',
  'Message-ID: 1122334455667788',
  'Keep-Alive: yes',
  '-------0a1b2c3d4e5f6a7b$',
  '',
);

describe('session with Blink\'s frames (notes section 6)', () => {
  it('receives Blink\'s user message: 200 to the previous hop, the message, a success REPORT back along From-Path', () => {
    const bob = new MsrpSession({ localPath: [BOB], remotePath: [RELAY, ALICE], now: 0, random: seededRandom(3) });
    const outcome = bob.receive(enc(BLINK_MESSAGE_AT_BOB), 1);
    expect(outcome.events).toEqual([{ kind: 'message', messageId: '6330138e5e9bf11e', contentType: 'message/cpim', body: enc('?OTR:AAMDiE4QnVM.') }]);
    const [ok, report] = requests(outcome);
    expect(ok).toMatchObject({ type: 'response', transactionId: '58a8d7791419f114', status: 200 });
    expect(headerValue(ok!, 'To-Path')).toBe('msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp');
    expect(report).toMatchObject({ type: 'request', method: 'REPORT' });
    expect(headerValue(report!, 'To-Path')).toBe('msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp');
    expect(headerValue(report!, 'Status')).toBe('000 200 OK');
    expect(headerValue(report!, 'Message-ID')).toBe('6330138e5e9bf11e');
    expect(headerValue(report!, 'Byte-Range')).toBe('1-17/17');
  });

  it('answers Blink\'s keep-alive 200 and shows nothing', () => {
    const bob = new MsrpSession({ localPath: [BOB], remotePath: [RELAY, ALICE], now: 0 });
    const outcome = bob.receive(enc(BLINK_KEEP_ALIVE), 1);
    expect(outcome.events).toEqual([]);
    expect(requests(outcome).map((f) => (f.type === 'response' ? f.status : f.method))).toEqual([200]);
  });

  it('writes SENDs of Blink\'s shape: To-Path relay + peer, From-Path own URI, the same header order, reports no for OTR messages', () => {
    const alice = new MsrpSession({ localPath: [ALICE], remotePath: [RELAY, BOB], now: 0, random: seededRandom(4) });
    const sent = alice.sendMessage('message/cpim', enc('?OTRv3?'), { reports: { success: 'no', failure: 'no' } }, 1);
    const frame = requests(sent)[0] as RequestFrame;
    expect(frame.headers.map((h) => h.name)).toEqual(['To-Path', 'From-Path', 'Byte-Range', 'Message-ID', 'Failure-Report', 'Success-Report', 'Content-Type']);
    expect(headerValue(frame, 'To-Path')).toBe(`msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp`);
    expect(headerValue(frame, 'From-Path')).toBe('msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp');
    expect(headerValue(frame, 'Byte-Range')).toBe('1-7/7');
    expect(frame.transactionId).toMatch(/^[0-9a-f]{16}$/);
    expect(alice.nextDeadline()).toBe(60_001); // Failure-Report: no: no response awaited; only the keep-alive
  });
});

describe('session: chunking, reassembly and reports', () => {
  it('a 50 KiB message goes in chunks of at most 2048 bytes, "+" on all but the last, and is delivered on the success REPORT', () => {
    const { alice, bob } = pair();
    const body = new Uint8Array(50 * 1024).map((_, i) => i % 251);
    const sent = alice.sendMessage('text/plain', body, {}, 1);
    const chunks = requests(sent) as RequestFrame[];
    expect(chunks).toHaveLength(25);
    expect(chunks.every((c) => c.body!.length <= 2048)).toBe(true);
    expect(chunks.map((c) => c.flag).join('')).toBe(`${'+'.repeat(24)}$`);
    expect(headerValue(chunks[1]!, 'Byte-Range')).toBe('2049-4096/51200');
    const atBob = deliver(sent, bob);
    expect(kinds(atBob.events)).toEqual(['message']);
    expect((atBob.events[0] as Extract<MsrpEvent, { kind: 'message' }>).body).toEqual(body);
    const atAlice = deliver(atBob, alice, 2);
    expect(atAlice.events).toEqual([{ kind: 'sent', messageId: sent.messageId }, { kind: 'delivered', messageId: sent.messageId }]);
    expect(atAlice.write).toEqual([]); // REPORTs are never answered
    expect(alice.nextDeadline()).toBe(60_001);
  });

  it('reassembles interleaved messages by Message-ID', () => {
    const { alice, bob } = pair({ chunkSize: 3 });
    const one = alice.sendMessage('text/plain', enc('first message'), {}, 1);
    const two = alice.sendMessage('text/plain', enc('second one'), {}, 1);
    const interleaved: Outcome = { write: [], events: [] };
    for (let i = 0; i < Math.max(one.write.length, two.write.length); i++) {
      if (one.write[i] !== undefined) interleaved.write.push(one.write[i]!);
      if (two.write[i] !== undefined) interleaved.write.push(two.write[i]!);
    }
    const events = deliver(interleaved, bob).events.filter((e) => e.kind === 'message');
    expect(events.map((e) => dec(e.body))).toEqual(['second one', 'first message']);
  });

  it('an aborted message ("#") is dropped and its chunks answered', () => {
    const { bob } = pair();
    const head = (tid: string, range: string, flag: string, body: string) => crlf(`MSRP ${tid} SEND`, `To-Path: msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp`, 'From-Path: msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp', 'Message-ID: mmmm0001', `Byte-Range: ${range}`, 'Content-Type: text/plain', '', body, `-------${tid}${flag}`, '');
    const outcome = bob.receive(enc(head('tttt0001', '1-3/10', '+', 'abc') + head('tttt0002', '4-6/10', '#', 'def')), 1);
    expect(outcome.events).toEqual([{ kind: 'message-dropped', messageId: 'mmmm0001', reason: 'aborted' }]);
    expect(requests(outcome).map((f) => (f.type === 'response' ? f.status : 0))).toEqual([200, 200]);
    expect(bob.bytesHeld).toBe(0);
  });

  it('messages in reassembly are bounded: the one too many is refused with 413 and a failure REPORT', () => {
    const alice = new MsrpSession({ localPath: [ALICE], remotePath: [BOB], now: 0, random: seededRandom(1), chunkSize: 2 });
    const bob = new MsrpSession({ localPath: [BOB], remotePath: [ALICE], now: 0, reassemblyLimits: { maxMessages: 2 } });
    const firstChunks = [1, 2, 3].map(() => ({ write: [alice.sendMessage('text/plain', enc('abcd'), {}, 1).write[0]!], events: [] }));
    const results = firstChunks.map((o) => deliver(o, bob));
    expect(results[2]!.events).toEqual([{ kind: 'message-dropped', messageId: expect.any(String), reason: 'too-many-messages' }]);
    const [response, report] = requests(results[2]!);
    expect(response).toMatchObject({ type: 'response', status: 413 });
    expect(headerValue(report!, 'Status')).toBe('000 413 Message Too Large');
    const atAlice = deliver(results[2]!, alice, 2);
    expect(kinds(atAlice.events)).toEqual(['not-delivered']);
  });

  it('a message larger than the maximum message size is refused', () => {
    const bob = new MsrpSession({ localPath: [BOB], remotePath: [ALICE], now: 0, reassemblyLimits: { maxMessageBytes: 4 } });
    const alice = new MsrpSession({ localPath: [ALICE], remotePath: [BOB], now: 0, chunkSize: 2 });
    const out = deliver({ write: [alice.sendMessage('text/plain', enc('abcdef'), {}, 1).write[0]!], events: [] }, bob);
    expect(out.events).toEqual([{ kind: 'message-dropped', messageId: expect.any(String), reason: 'too-large' }]);
  });
});

describe('session: transactions', () => {
  it('no response within 30 s gives a local 408 (not delivered); late and duplicate responses are ignored', () => {
    const { alice, bob } = pair();
    const sent = alice.sendMessage('text/plain', enc('hi'), {}, 1000);
    expect(alice.nextDeadline()).toBe(31_000);
    expect(alice.onDeadline(30_999).events).toEqual([]);
    expect(alice.onDeadline(31_000).events).toEqual([{ kind: 'not-delivered', messageId: sent.messageId, reason: 'timeout', status: 408 }]);
    const late = deliver(sent, bob);
    const response = { write: [late.write[0]!], events: [] };
    expect(deliver(response, alice, 40_000).events).toEqual([]);
  });

  it('a second 200 for the same transaction is ignored', () => {
    const { alice, bob } = pair();
    const sent = alice.sendMessage('text/plain', enc('hi'), { reports: { success: 'no' } }, 1);
    const ok = { write: [deliver(sent, bob).write[0]!], events: [] };
    expect(deliver(ok, alice).events).toEqual([{ kind: 'sent', messageId: sent.messageId }]);
    expect(deliver(ok, alice).events).toEqual([]);
  });

  it('an error after a relay\'s hop-by-hop 200 still marks the message not delivered', () => {
    const alice = new MsrpSession({ localPath: [ALICE], remotePath: [RELAY, BOB], now: 0 });
    const sent = alice.sendMessage('text/plain', enc('hi'), {}, 1);
    const tid = (requests(sent)[0] as RequestFrame).transactionId;
    const from = 'From-Path: msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp';
    expect(alice.receive(enc(`MSRP ${tid} 200 OK\r\nTo-Path: msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp\r\n${from}\r\n-------${tid}$\r\n`), 2).events).toEqual([{ kind: 'sent', messageId: sent.messageId }]);
    expect(alice.receive(enc(`MSRP ${tid} 481 No Such Session\r\nTo-Path: msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp\r\n${from}\r\n-------${tid}$\r\n`), 3).events)
      .toEqual([{ kind: 'not-delivered', messageId: sent.messageId, reason: 'response', status: 481 }]);
  });

  it('Failure-Report: no gets no response; partial gets only errors', () => {
    const { alice, bob } = pair();
    expect(deliver(alice.sendMessage('text/plain', enc('x'), { reports: { failure: 'no', success: 'no' } }, 1), bob).write).toEqual([]);
    expect(deliver(alice.sendMessage('text/plain', enc('x'), { reports: { failure: 'partial', success: 'no' } }, 1), bob).write).toEqual([]);
  });

  it('never answers a REPORT, even a malformed one or one for another session', () => {
    const { bob } = pair();
    const report = (to: string) => crlf('MSRP rrrr0001 REPORT', `To-Path: ${to}`, 'From-Path: msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp', 'Message-ID: zzzz0001', 'Status: 000 200 OK', '-------rrrr0001$', '');
    expect(bob.receive(enc(report('msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp')), 1)).toEqual({ write: [], events: [] });
    expect(bob.receive(enc(report('msrp://192.0.2.2:49488/other;tcp')), 1).write).toEqual([]);
  });

  it('matches requests by session id only (sessmatch) and answers another session 481', () => {
    const { bob } = pair();
    const send = (to: string) => crlf('MSRP ssss0001 SEND', `To-Path: ${to}`, 'From-Path: msrp://10.0.0.1:1/x1y2z3;tcp', 'Message-ID: m1m1m1m1', 'Byte-Range: 1-1/1', 'Content-Type: text/plain', '', 'a', '-------ssss0001$', '');
    expect(kinds(bob.receive(enc(send('msrp://other.host:1/e12508a56e68271c77d1;tcp')), 1).events)).toEqual(['message']);
    const wrong = bob.receive(enc(send('msrp://192.0.2.2:49488/E12508A56E68271C77D1;tcp')), 1);
    expect(requests(wrong)[0]).toMatchObject({ status: 481 });
    expect(wrong.events).toEqual([{ kind: 'protocol-error', code: 'wrong-session', fatal: false }]);
  });

  it('answers a chunk whose body is too large 413 while discarding it', () => {
    const { bob } = pair({ parserLimits: { maxBodyBytes: 100 } });
    const frame = crlf('MSRP bbbb0001 SEND', 'To-Path: msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp', 'From-Path: msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp', 'Message-ID: m1m1m1m1', 'Content-Type: text/plain', '', 'x'.repeat(1000), '-------bbbb0001$', '');
    const outcome = bob.receive(enc(frame), 1);
    expect(outcome.events).toEqual([{ kind: 'protocol-error', code: 'body-too-large', fatal: false }]);
    expect(requests(outcome)[0]).toMatchObject({ status: 413 });
  });
});

describe('session: keep-alive', () => {
  it('sends an empty SEND with Keep-Alive: yes after 60 quiet seconds; the peer answers 200 and shows nothing', () => {
    const { alice, bob } = pair();
    expect(alice.nextDeadline()).toBe(60_000);
    const keepAlive = alice.onDeadline(60_000);
    const frame = requests(keepAlive)[0] as RequestFrame;
    expect(frame.body).toBeUndefined();
    expect(headerValue(frame, 'Keep-Alive')).toBe('yes');
    expect(headerValue(frame, 'Byte-Range')).toBe('1-0/0');
    const answer = deliver(keepAlive, bob);
    expect(answer.events).toEqual([]);
    expect(deliver(answer, alice).events).toEqual([]);
    expect(alice.nextDeadline()).toBe(120_000);
  });

  it('a keep-alive without an answer fails with 408', () => {
    const { alice } = pair();
    alice.onDeadline(60_000);
    expect(alice.nextDeadline()).toBe(90_000);
    expect(alice.onDeadline(90_000).events).toEqual([{ kind: 'keep-alive-failed', status: 408 }]);
  });
});

describe('session over a relay connection', () => {
  it('takes over the relay client\'s connection: its path, its parser, and its refresh responses', () => {
    const relayUri = uri('msrp://127.0.0.1:2855;tcp');
    const relay = new RelayClient({ relayUri, localUri: BOB, username: 'bob', password: 'p', random: seededRandom(9) });
    const auth = framesOf(parseAll(relay.start(0).write[0]!))[0]!;
    relay.receive(enc(`MSRP ${auth.transactionId} 200 OK\r\nUse-Path: msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp\r\nExpires: 3600\r\n-------${auth.transactionId}$\r\n`), 1);
    const bob = new MsrpSession({ localPath: relay.path!, remotePath: [ALICE], now: 1, relay, random: seededRandom(5) });
    const send = requests(bob.sendMessage('text/plain', enc('hi'), {}, 2))[0]!;
    expect(headerValue(send, 'To-Path')).toBe('msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp');
    const refreshAt = relay.nextDeadline()!;
    const refresh = framesOf(parseAll(bob.onDeadline(refreshAt).write.at(-1)!))[0]!;
    expect(refresh).toMatchObject({ type: 'request', method: 'AUTH' });
    const ready = bob.receive(enc(`MSRP ${refresh.transactionId} 200 OK\r\nUse-Path: msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp\r\nExpires: 3600\r\n-------${refresh.transactionId}$\r\n`), refreshAt + 1);
    expect(kinds(ready.events)).toEqual(['relay-ready']);
  });
});

describe('session: Failure-Report partial', () => {
  it('Failure-Report: partial sends never fill the pending-transaction table', () => {
    const { alice } = pair();
    for (let i = 0; i < 5000; i++) alice.sendMessage('text/plain', enc('x'), { reports: { failure: 'partial', success: 'no' } }, 1);
    expect(alice.sendMessage('text/plain', enc('x'), {}, 1).write).toHaveLength(1);
  });

  it('an error response to a Failure-Report: partial SEND marks the message not delivered', () => {
    const { alice } = pair();
    const sent = alice.sendMessage('text/plain', enc('x'), { reports: { failure: 'partial', success: 'no' } }, 1);
    const tid = (requests(sent)[0] as RequestFrame).transactionId;
    expect(alice.receive(enc(`MSRP ${tid} 413 Message Too Large\r\nTo-Path: msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp\r\nFrom-Path: msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp\r\n-------${tid}$\r\n`), 2).events)
      .toEqual([{ kind: 'not-delivered', messageId: sent.messageId, reason: 'response', status: 413 }]);
  });
});

describe('session: close', () => {
  it('reports messages still awaiting an outcome as not delivered (closed), and nothing for unconfirmable ones', () => {
    const { alice } = pair();
    const waiting = alice.sendMessage('text/plain', enc('a'), {}, 1);
    alice.sendMessage('text/plain', enc('b'), { reports: { failure: 'partial', success: 'no' } }, 1);
    expect(alice.close().events).toEqual([{ kind: 'not-delivered', messageId: waiting.messageId, reason: 'closed', status: 0 }]);
    expect(() => alice.sendMessage('text/plain', enc('c'), {}, 2)).toThrow('closed');
  });
});
