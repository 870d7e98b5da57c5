/**
 * The chat layer decides each received message's REPORT (it decrypts and
 * parses first) and names the Message-ID of what it sends (its delivery
 * events are keyed by it): `hostReports` and `sendMessage`'s `messageId`.
 */
import { describe, expect, it } from 'vitest';
import { headerValue, MsrpSession, parseMsrpUri, UsageError, type MsrpSessionOptions, type MsrpUri, type Outcome } from '../../src/index.js';
import { enc, framesOf, parseAll, seededRandom } from '../helpers.js';

const uri = (text: string): MsrpUri => parseMsrpUri(text)!;
const ALICE = uri('msrp://127.0.0.1:2855/alice-session;tcp');
const BOB = uri('msrp://127.0.0.1:49488/bob-session;tcp');

function pair(bobOptions: Partial<MsrpSessionOptions> = {}) {
  const alice = new MsrpSession({ localPath: [ALICE], remotePath: [BOB], now: 0, random: seededRandom(1) });
  const bob = new MsrpSession({ localPath: [BOB], remotePath: [ALICE], now: 0, random: seededRandom(2), ...bobOptions });
  return { alice, bob };
}

function deliver(outcome: Outcome, to: MsrpSession): Outcome {
  const all: Outcome = { write: [], events: [] };
  for (const frame of outcome.write) {
    const more = to.receive(frame, 1);
    all.write.push(...more.write);
    all.events.push(...more.events);
  }
  return all;
}

const methods = (outcome: Outcome) => outcome.write.map((w) => framesOf(parseAll(w))[0]!).map((f) => (f.type === 'request' ? f.method : f.status));

describe('sendMessage with the host\'s Message-ID', () => {
  it('the given Message-ID is written on every chunk and names the delivery events', () => {
    const { alice, bob } = pair();
    const sent = alice.sendMessage('text/plain', new Uint8Array(5000).fill(0x61), { messageId: 'chat-id-0001' }, 1);
    expect(sent.messageId).toBe('chat-id-0001');
    for (const frame of sent.write) expect(headerValue(framesOf(parseAll(frame))[0]!, 'Message-ID')).toBe('chat-id-0001');
    const atBob = deliver(sent, bob);
    expect(atBob.events).toMatchObject([{ kind: 'message', messageId: 'chat-id-0001' }]);
    const back = deliver(atBob, alice);
    expect(back.events).toEqual([{ kind: 'sent', messageId: 'chat-id-0001' }, { kind: 'delivered', messageId: 'chat-id-0001' }]);
  });

  it('a Message-ID that is no ident, or one still awaiting its outcome, is refused as misuse', () => {
    const { alice } = pair();
    expect(() => alice.sendMessage('text/plain', enc('x'), { messageId: 'no' }, 1)).toThrow(UsageError);
    expect(() => alice.sendMessage('text/plain', enc('x'), { messageId: 'has space!' }, 1)).toThrow(UsageError);
    alice.sendMessage('text/plain', enc('x'), { messageId: 'same-id-1' }, 1);
    expect(() => alice.sendMessage('text/plain', enc('y'), { messageId: 'same-id-1' }, 1)).toThrow(UsageError);
  });
});

describe('hostReports: the host supplies the REPORT status after it handled the message', () => {
  it('no REPORT goes out with the message; report(id, 200) sends the success REPORT once', () => {
    const { alice, bob } = pair({ hostReports: true });
    const atBob = deliver(alice.sendMessage('text/plain', enc('hello'), {}, 1), bob);
    expect(methods(atBob)).toEqual([200]);
    expect(atBob.events).toMatchObject([{ kind: 'message' }]);
    const messageId = (atBob.events[0] as { messageId: string }).messageId;
    const report = bob.report(messageId, 200, 2);
    expect(methods(report)).toEqual(['REPORT']);
    expect(headerValue(framesOf(parseAll(report.write[0]!))[0]!, 'Status')).toBe('000 200 OK');
    expect(bob.report(messageId, 200, 3).write).toEqual([]);
    expect(deliver({ write: [...atBob.write, ...report.write], events: [] }, alice).events).toEqual([{ kind: 'sent', messageId }, { kind: 'delivered', messageId }]);
  });

  it('a failure status sends a failure REPORT the sender sees as not delivered', () => {
    const { alice, bob } = pair({ hostReports: true });
    const atBob = deliver(alice.sendMessage('text/plain', enc('?OTR:garbage.'), {}, 1), bob);
    const messageId = (atBob.events[0] as { messageId: string }).messageId;
    const report = bob.report(messageId, 400, 2);
    expect(headerValue(framesOf(parseAll(report.write[0]!))[0]!, 'Status')).toBe('000 400 Bad Request');
    expect(deliver(report, alice).events).toEqual([{ kind: 'not-delivered', messageId, reason: 'report', status: 400 }]);
  });

  it('no REPORT when the sender asked for none (OTR\'s own messages: reports no)', () => {
    const { alice, bob } = pair({ hostReports: true });
    const atBob = deliver(alice.sendMessage('text/plain', enc('?OTRv3?'), { reports: { success: 'no', failure: 'no' } }, 1), bob);
    const messageId = (atBob.events[0] as { messageId: string }).messageId;
    expect(bob.report(messageId, 200, 2).write).toEqual([]);
    const again = deliver(alice.sendMessage('text/plain', enc('?OTR:bad.'), { reports: { success: 'no', failure: 'no' } }, 1), bob);
    expect(bob.report((again.events[0] as { messageId: string }).messageId, 400, 2).write).toEqual([]);
  });

  it('the REPORTs owed are bounded: the oldest is forgotten, unknown ids give nothing', () => {
    const { alice, bob } = pair({ hostReports: true });
    const ids: string[] = [];
    for (let i = 0; i < 1025; i++) {
      const atBob = deliver(alice.sendMessage('text/plain', enc(`m${i}`), {}, 1), bob);
      ids.push((atBob.events[0] as { messageId: string }).messageId);
    }
    expect(bob.report(ids[0]!, 200, 2).write).toEqual([]);
    expect(methods(bob.report(ids[1024]!, 200, 2))).toEqual(['REPORT']);
    expect(bob.report('unknown-id', 200, 2).write).toEqual([]);
  });
});
