import { Policies } from '@sotto/otr';
import { describe, expect, it } from 'vitest';
import { ChatUsageError, decodeCpim, type ChatPayload } from '../../src/index.js';
import { BLINK_OTR_QUERY, BLINK_OTR_QUERY_TIME } from '../vectors/blink.js';
import { Pair, type Side } from './harness.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The inner part of a payload: its type, charset and text. */
function inner(payload: ChatPayload): { type: string; charset?: string; text: string } {
  if (payload.contentType !== 'message/cpim') {
    const [type, ...rest] = payload.contentType.split(';');
    const charset = /charset="?([^";]+)"?/.exec(rest.join(';'))?.[1];
    return { type: (type ?? '').trim(), ...(charset === undefined ? {} : { charset }), text: dec.decode(payload.body) };
  }
  const result = decodeCpim(payload.body);
  if (!result.ok) throw new Error(result.detail);
  const { contentType, charset, body } = result.value;
  return { type: contentType, ...(charset === undefined ? {} : { charset }), text: dec.decode(body) };
}

function lastState(side: Side) {
  return side.eventsOf('otr-state').at(-1);
}

/** A pair whose streams started and reached an encrypted session. */
function securePair(options: ConstructorParameters<typeof Pair>[0] = {}): Pair {
  const pair = new Pair(options);
  pair.startBoth();
  return pair;
}

describe('OTR at stream start from both sides (as Blink)', () => {
  it('the doubled AKE converges to one encrypted session with the right fingerprints', () => {
    const pair = securePair();
    const { alice, bob } = pair;
    expect(alice.account.status(alice.stream.peer).messageState).toBe('encrypted');
    expect(bob.account.status(bob.stream.peer).messageState).toBe('encrypted');
    expect(lastState(alice)).toMatchObject({ state: 'encrypted', lock: 'unverified', fingerprint: bob.fingerprint });
    expect(lastState(bob)).toMatchObject({ state: 'encrypted', lock: 'unverified', fingerprint: alice.fingerprint });
    expect(lastState(alice)?.ssid).toBe(lastState(bob)?.ssid);
    expect(alice.stream.lock).toBe('unverified');
    // Both sent a query first.
    expect(inner(alice.sent[0]!).text.startsWith('?OTRv')).toBe(true);
    expect(inner(bob.sent[0]!).text.startsWith('?OTRv')).toBe(true);
  });

  it("OTR's own messages go as CPIM text/plain without charset and with reports off", () => {
    const pair = securePair();
    for (const side of [pair.alice, pair.bob]) {
      expect(side.sent.length).toBeGreaterThan(2);
      for (const payload of side.sent) {
        expect(payload).toMatchObject({ kind: 'otr', reports: false, contentType: 'message/cpim' });
        expect(payload.id).toBeUndefined();
        const part = inner(payload);
        expect(part.type).toBe('text/plain');
        expect(part.charset).toBeUndefined();
        expect(part.text.startsWith('?OTR')).toBe(true);
      }
    }
  });

  it("a stream answers Blink's own query bytes with a D-H Commit", () => {
    const pair = new Pair();
    const outcome = pair.bob.stream.receive({ contentType: 'message/cpim', body: enc.encode(BLINK_OTR_QUERY) }, pair.tick());
    expect(outcome.status.code).toBe(200);
    expect(outcome.events.filter((event) => event.kind === 'message')).toEqual([]);
    expect(outcome.send).toHaveLength(1);
    expect(outcome.send[0]).toMatchObject({ kind: 'otr', reports: false });
    expect(inner(outcome.send[0]!).text.startsWith('?OTR:AAMC')).toBe(true);
  });

  it("the query payload at stream start is framed byte for byte as Blink's", () => {
    const pair = new Pair();
    const payload = pair.alice.stream.start(BLINK_OTR_QUERY_TIME).send[0]!;
    const blinkQuery = inner({ contentType: 'message/cpim', body: enc.encode(BLINK_OTR_QUERY), reports: false, kind: 'otr' }).text;
    expect(dec.decode(payload.body)).toBe(BLINK_OTR_QUERY.replace(blinkQuery, inner(payload).text));
  });

  it('every received payload goes through OTR, whatever its content type', () => {
    const pair = securePair();
    const encrypted = pair.alice.stream.sendMessage('not really an image', pair.tick()).send[0]!;
    const outcome = pair.bob.stream.receive({ contentType: 'image/png', body: enc.encode(inner(encrypted).text) }, pair.tick());
    expect(outcome.status.code).toBe(200);
    expect(outcome.events).toEqual([expect.objectContaining({ kind: 'message', contentType: 'image/png', encryption: 'encrypted-unverified', body: enc.encode('not really an image') })]);
  });

  it('MANUAL sends no query at the start', () => {
    const pair = new Pair({ alicePolicy: Policies.MANUAL, bobPolicy: Policies.MANUAL });
    pair.startBoth();
    expect(pair.alice.sent).toEqual([]);
    expect(pair.bob.sent).toEqual([]);
  });
});

describe('messages both ways', () => {
  it('user messages are encrypted inside CPIM, reports on, and delivered on the success REPORT', () => {
    const pair = securePair();
    const { alice, bob } = pair;
    const sent = pair.apply(alice, alice.stream.sendMessage('hello bob', pair.tick()));
    const payload = sent.send[0]!;
    expect(payload).toMatchObject({ kind: 'message', reports: true, contentType: 'message/cpim', id: sent.id });
    const part = inner(payload);
    expect(part).toMatchObject({ type: 'text/plain', charset: 'utf8' });
    expect(part.text.startsWith('?OTR:AAMD')).toBe(true);
    expect(dec.decode(payload.body)).not.toContain('hello bob');
    pair.deliver();
    expect(bob.eventsOf('message')).toEqual([
      expect.objectContaining({ text: 'hello bob', contentType: 'text/plain', encryption: 'encrypted-unverified', fingerprint: alice.fingerprint, sender: { uri: alice.uri, displayName: 'alice' } }),
    ]);
    expect(alice.eventsOf('delivered')).toEqual([{ kind: 'delivered', id: payload.id }]);

    pair.apply(bob, bob.stream.sendMessage('hi alice', pair.tick()));
    pair.deliver();
    expect(alice.eventsOf('message').map((event) => [event.text, event.encryption])).toEqual([['hi alice', 'encrypted-unverified']]);
  });

  it('a verified fingerprint makes the lock verified and later messages encrypted-verified', () => {
    const pair = securePair();
    const { alice, bob } = pair;
    bob.trust.verify(bob.stream.peer, alice.fingerprint);
    expect(bob.stream.refreshTrust().events).toEqual([{ kind: 'otr-state', state: 'encrypted', lock: 'verified', fingerprint: alice.fingerprint }]);
    expect(bob.stream.refreshTrust().events).toEqual([]);
    pair.apply(alice, alice.stream.sendMessage('now verified', pair.tick()));
    pair.deliver();
    expect(bob.eventsOf('message').at(-1)).toMatchObject({ text: 'now verified', encryption: 'encrypted-verified' });
  });

  it("a peer's key other than the verified one turns the lock to fingerprint-changed", () => {
    const pair = new Pair();
    pair.bob.trust.verify('sip:alice@127.0.0.1', 'ab'.repeat(20));
    pair.startBoth();
    expect(lastState(pair.bob)).toMatchObject({ state: 'encrypted', lock: 'fingerprint-changed', fingerprint: pair.alice.fingerprint });
  });

  it('text/html from the peer is reduced to text', () => {
    const pair = securePair();
    pair.apply(pair.alice, pair.alice.stream.sendMessage('<p>hi <b>bob</b> &amp; all</p><script>x()</script>', pair.tick(), { contentType: 'text/html' }));
    expect(inner(pair.alice.sent.at(-1)!).type).toBe('text/html');
    pair.deliver();
    expect(pair.bob.eventsOf('message').at(-1)).toMatchObject({ text: 'hi bob & all', contentType: 'text/html', encryption: 'encrypted-unverified' });
  });

  it('without CPIM the inner payloads go bare, and OTR works the same', () => {
    const pair = securePair({ cpim: false });
    expect(pair.alice.stream.cpim).toBe(false);
    expect(lastState(pair.alice)).toMatchObject({ state: 'encrypted' });
    for (const payload of pair.alice.sent) expect(payload.contentType).toBe('text/plain');
    pair.apply(pair.alice, pair.alice.stream.sendMessage('bare', pair.tick()));
    expect(pair.alice.sent.at(-1)?.contentType).toBe('text/plain; charset="utf8"');
    pair.deliver();
    expect(pair.bob.eventsOf('message').at(-1)).toMatchObject({ text: 'bare', encryption: 'encrypted-unverified' });
  });

  it('with CPIM on, every payload is wrapped', () => {
    const pair = securePair();
    expect(pair.alice.stream.cpim).toBe(true);
    pair.apply(pair.alice, pair.alice.stream.sendMessage('x', pair.tick()));
    pair.apply(pair.alice, pair.alice.stream.sendComposing('active', pair.tick()));
    for (const payload of pair.alice.sent) expect(payload.contentType).toBe('message/cpim');
  });
});

describe('is-composing', () => {
  it('goes in plaintext before OTR and encrypted once secure, reports off', () => {
    const pair = new Pair({ alicePolicy: Policies.MANUAL, bobPolicy: Policies.MANUAL });
    const plain = pair.apply(pair.alice, pair.alice.stream.sendComposing('active', pair.tick())).send[0]!;
    expect(plain).toMatchObject({ kind: 'composing', reports: false });
    expect(inner(plain)).toMatchObject({ type: 'application/im-iscomposing+xml', text: expect.stringContaining('<state>active</state>') });
    pair.deliver();
    expect(pair.bob.eventsOf('composing')).toEqual([expect.objectContaining({ state: 'active', refresh: 120, encrypted: false, contentType: 'text' })]);

    pair.apply(pair.alice, pair.alice.stream.startOtr(pair.tick()));
    pair.deliver();
    expect(lastState(pair.bob)).toMatchObject({ state: 'encrypted' });
    const secret = pair.apply(pair.alice, pair.alice.stream.sendComposing('idle', pair.tick(), { refresh: 60 })).send[0]!;
    expect(secret).toMatchObject({ kind: 'composing', reports: false });
    const part = inner(secret);
    expect(part.type).toBe('application/im-iscomposing+xml');
    expect(part.text.startsWith('?OTR:AAMD')).toBe(true);
    pair.deliver();
    expect(pair.bob.eventsOf('composing').at(-1)).toMatchObject({ state: 'idle', refresh: 60, encrypted: true });
    expect(pair.bob.eventsOf('message')).toEqual([]);
  });

  it('is not sent after the peer ended OTR', () => {
    const pair = securePair();
    pair.apply(pair.bob, pair.bob.stream.endOtr(pair.tick()));
    pair.deliver();
    expect(lastState(pair.alice)).toMatchObject({ state: 'finished', lock: 'none' });
    expect(pair.alice.stream.sendComposing('active', pair.tick()).send).toEqual([]);
    const refused = pair.apply(pair.alice, pair.alice.stream.sendMessage('leak?', pair.tick()));
    expect(refused.send).toEqual([]);
    expect(refused.events).toContainEqual(expect.objectContaining({ kind: 'not-delivered', id: refused.id, code: 0 }));
  });
});

describe('a peer without OTR', () => {
  it('gets plain chat: nothing but the query and the whitespace tag the policy allows', () => {
    const pair = new Pair({ bobPolicy: Policies.NEVER });
    const { alice, bob } = pair;
    expect(bob.stream.otrAvailable).toBe(false);
    pair.startBoth();
    pair.apply(alice, alice.stream.sendMessage('hello', pair.tick()));
    pair.deliver();
    pair.apply(bob, bob.stream.sendMessage('plain reply', pair.tick()));
    pair.deliver();
    pair.apply(alice, alice.stream.sendMessage('again', pair.tick()));
    pair.deliver();
    const texts = alice.sent.map((payload) => inner(payload).text);
    expect(texts).toHaveLength(3);
    expect(texts[0]!.startsWith('?OTRv')).toBe(true);
    expect(texts[1]!.startsWith('hello')).toBe(true); // the whitespace tag may follow
    expect(texts[2]).toBe('again'); // the peer wrote in plaintext: no more tags
    expect(texts.slice(1).some((text) => text.includes('?OTR'))).toBe(false);
    expect(bob.sent.every((payload) => !inner(payload).text.includes('?OTR'))).toBe(true);
    expect(alice.eventsOf('message')).toEqual([expect.objectContaining({ text: 'plain reply', encryption: 'plaintext' })]);
    expect(alice.eventsOf('otr-state')).toEqual([]);
    expect(alice.eventsOf('delivered')).toHaveLength(2);
    expect(() => bob.stream.startOtr(pair.tick())).toThrow(ChatUsageError);
  });
});

describe('a conference focus', () => {
  it('gets no OTR bytes ever; OTR-looking text is shown as text with a notice; OTR commands are refused', () => {
    const pair = new Pair({ aliceFocus: true, alicePolicy: Policies.ALWAYS });
    const { alice, bob } = pair;
    pair.startBoth();
    expect(alice.eventsOf('notice').map((event) => event.code)).toEqual(['focus-no-otr', 'otr-from-focus']);
    expect(alice.eventsOf('message')).toEqual([expect.objectContaining({ encryption: 'plaintext', text: expect.stringContaining('?OTRv') })]);
    pair.apply(alice, alice.stream.sendMessage('hello conference', pair.tick()));
    pair.apply(alice, alice.stream.sendComposing('active', pair.tick()));
    pair.deliver();
    expect(alice.sent.length).toBe(2);
    for (const text of alice.wireTexts()) {
      expect(text).not.toContain('?OTR');
      expect(text).not.toContain(' \t  \t\t\t\t \t \t \t  ');
    }
    expect(bob.eventsOf('message').at(-1)).toMatchObject({ text: 'hello conference', encryption: 'plaintext' });
    for (const command of [() => alice.stream.startOtr(pair.tick()), () => alice.stream.endOtr(pair.tick()), () => alice.stream.startSmp('s', undefined, pair.tick())]) {
      expect(command).toThrow(expect.objectContaining({ name: 'ChatUsageError', code: 'otr-unavailable' }));
    }
    expect(alice.account.status(alice.stream.peer).messageState).toBe('plaintext');
  });

  it('a private message from a participant is marked private and names its sender', () => {
    const pair = new Pair({ aliceFocus: true });
    const cpim = enc.encode('From: carol <sip:carol@127.0.0.1>\r\nTo: <sip:alice@127.0.0.1>\r\nDateTime: 2026-12-06T03:43:13+00:00\r\n\r\nContent-Type: text/plain\r\n\r\npsst');
    const outcome = pair.alice.stream.receive({ contentType: 'message/cpim', body: cpim }, pair.tick());
    expect(outcome.events).toEqual([
      expect.objectContaining({ kind: 'message', text: 'psst', private: true, sender: { uri: 'sip:carol@127.0.0.1', displayName: 'carol' }, timestamp: Date.UTC(2026, 11, 6, 3, 43, 13) }),
    ]);
  });
});

describe('CPIM From of a 1:1 peer', () => {
  it('cannot name another sender: the SIP identity is shown', () => {
    const pair = new Pair({ bobPolicy: Policies.NEVER });
    const cpim = enc.encode('From: Your Bank <sip:bank@example.org>\r\nTo: <sip:bob@127.0.0.1>\r\n\r\nContent-Type: text/plain\r\n\r\nplease log in');
    const outcome = pair.bob.stream.receive({ contentType: 'message/cpim', body: cpim }, pair.tick());
    expect(outcome.events).toEqual([expect.objectContaining({ kind: 'message', text: 'please log in', sender: { uri: 'sip:alice@127.0.0.1', displayName: 'alice' }, private: false })]);
  });
});

describe('policy ALWAYS holds messages until secure', () => {
  it('a message sent before the AKE goes encrypted once secure, with its id', () => {
    const pair = new Pair({ alicePolicy: Policies.ALWAYS, bobPolicy: Policies.ALWAYS, alice: { startOtr: false }, bob: { startOtr: false } });
    const { alice, bob } = pair;
    const held = pair.apply(alice, alice.stream.sendMessage('secret first', pair.tick()));
    expect(held.events).toContainEqual(expect.objectContaining({ kind: 'notice', code: 'waiting-for-encryption' }));
    expect(held.send.every((payload) => payload.kind === 'otr')).toBe(true);
    expect(pair.alice.stream.sendComposing('active', pair.tick()).send).toEqual([]);
    pair.deliver();
    const message = alice.sent.find((payload) => payload.kind === 'message');
    expect(message).toMatchObject({ id: held.id, reports: true });
    expect(dec.decode(message!.body)).not.toContain('secret first');
    expect(bob.eventsOf('message')).toEqual([expect.objectContaining({ text: 'secret first', encryption: 'encrypted-unverified' })]);
    expect(alice.eventsOf('delivered')).toEqual([{ kind: 'delivered', id: held.id }]);
  });
  it('a message held right after the stream-start query sends no second query (a spec-following peer would start a second AKE)', () => {
    const pair = new Pair({ alicePolicy: Policies.ALWAYS, bobPolicy: Policies.ALWAYS });
    const { alice } = pair;
    pair.apply(alice, alice.stream.start(pair.tick()));
    const queries = (): number => alice.sent.filter((payload) => dec.decode(payload.body).includes('?OTRv')).length;
    expect(queries()).toBe(1);
    const held = pair.apply(alice, alice.stream.sendMessage('secret first', pair.tick()));
    expect(held.events).toContainEqual(expect.objectContaining({ kind: 'notice', code: 'waiting-for-encryption' }));
    expect(queries()).toBe(1);
  });
});

describe('SMP through the streams', () => {
  it('runs with reports off and reports the result', () => {
    const pair = securePair();
    const { alice, bob } = pair;
    const before = alice.sent.length;
    pair.apply(alice, alice.stream.startSmp('the lake', 'where?', pair.tick()));
    pair.deliver();
    expect(bob.eventsOf('otr').map((event) => event.event.kind)).toContain('smp-request');
    pair.apply(bob, bob.stream.answerSmp('the lake', pair.tick()));
    pair.deliver();
    const results = (side: Side) => side.eventsOf('otr').filter((event) => event.event.kind === 'smp-result').map((event) => event.event);
    expect(results(alice)).toEqual([expect.objectContaining({ success: true })]);
    expect(results(bob)).toEqual([expect.objectContaining({ success: true })]);
    for (const payload of [...alice.sent.slice(before), ...bob.sent]) expect(payload).toMatchObject({ kind: 'otr', reports: false });
  });
});

describe('delivery correlation and the stream end', () => {
  it('a failed transaction or REPORT is not delivered; the end gives up what waits', () => {
    const pair = securePair();
    const stream = pair.alice.stream;
    const a = stream.sendMessage('a', pair.tick());
    const b = stream.sendMessage('b', pair.tick());
    const c = stream.sendMessage('c', pair.tick());
    expect(stream.transactionResponse(a.id, 200, 'OK').events).toEqual([]);
    expect(stream.transactionResponse(b.id, 408, 'Request Timeout').events).toEqual([{ kind: 'not-delivered', id: b.id, code: 408, reason: 'Request Timeout' }]);
    expect(stream.deliveryReport(a.id, 413, 'Unwanted Message').events).toEqual([{ kind: 'not-delivered', id: a.id, code: 413, reason: 'Unwanted Message' }]);
    expect(stream.deliveryReport('unknown', 200, 'OK').events).toEqual([]);
    const closed = stream.close(pair.tick());
    expect(closed.send).toEqual([]); // Blink sends only the BYE
    expect(closed.events).toContainEqual({ kind: 'not-delivered', id: c.id, code: 0, reason: 'Stream ended' });
    expect(closed.events).toContainEqual({ kind: 'otr-state', state: 'plaintext', lock: 'none' });
    expect(() => stream.sendMessage('late', pair.tick())).toThrow(expect.objectContaining({ code: 'closed' }));
    expect(stream.close(pair.tick()).events).toEqual([]);
  });

  it('a new stream with the same peer starts a fresh session', () => {
    const pair = securePair();
    pair.apply(pair.alice, pair.alice.stream.close(pair.tick()));
    pair.apply(pair.bob, pair.bob.stream.close(pair.tick()));
    pair.openStreams();
    pair.startBoth();
    expect(lastState(pair.alice)).toMatchObject({ state: 'encrypted' });
    pair.apply(pair.alice, pair.alice.stream.sendMessage('second call', pair.tick()));
    pair.deliver();
    expect(pair.bob.eventsOf('message').at(-1)).toMatchObject({ text: 'second call', encryption: 'encrypted-unverified' });
  });
});

describe('received payloads a stream refuses', () => {
  it('answers 413 for an unwanted type, 400 for bad CPIM or is-composing, 200 for a keep-alive', () => {
    const pair = new Pair();
    const stream = pair.bob.stream;
    const receive = (contentType: string, body: string) => stream.receive({ contentType, body: enc.encode(body) }, pair.tick());
    expect(receive('application/octet-stream', 'x')).toMatchObject({ status: { code: 413 }, events: [{ kind: 'receive-error', problem: 'unwanted' }] });
    expect(receive('message/cpim', 'From: <sip:a@x>')).toMatchObject({ status: { code: 400, comment: 'CPIM Parser Error' } });
    expect(receive('message/cpim', 'To: <sip:b@x>\r\n\r\nContent-Type: application/pdf\r\n\r\n%PDF')).toMatchObject({ status: { code: 413 } });
    expect(receive('application/im-iscomposing+xml', '<!DOCTYPE x><isComposing/>')).toMatchObject({ status: { code: 400 } });
    expect(stream.receive({ contentType: 'text/plain', body: new Uint8Array() }, pair.tick())).toEqual({ send: [], events: [], status: { code: 200, comment: 'OK' } });
  });

  it('an image arrives as bytes', () => {
    const pair = new Pair({ bobPolicy: Policies.NEVER });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);
    const outcome = pair.bob.stream.receive({ contentType: 'image/png', body: png }, pair.tick());
    expect(outcome.events).toEqual([expect.objectContaining({ kind: 'message', contentType: 'image/png', text: '', body: png })]);
  });
});
