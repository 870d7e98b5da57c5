/**
 * The SMP state machine (Protocol-v3, "The SMP state machine"), two
 * instances talking directly: full runs, aborts at every step by either
 * side, replays, simultaneous starts, restarts, forged messages, usage
 * errors, wiping of left states. Every TLV in every state: smp-table.test.ts.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { SMP_IDLE, type SmpState } from '../../../src/v3/smp.js';
import { TLV_SMP1, TLV_SMP1Q, TLV_SMP2, TLV_SMP3, TLV_SMP4, TLV_SMP_ABORT } from '../../../src/wire/tlv.js';
import { abort, answer, deliver, fpA, fpB, pair, receive, runTo, sent, start, types, utf8 } from './smp-pair.js';

describe('complete runs', () => {
  it('equal secrets: message 1 to 4, then both report success and are idle', () => {
    const { alice, bob } = pair();
    start(alice, 'blue whale');
    expect(sent(alice)).toEqual([[TLV_SMP1]]);
    expect(alice.state.kind).toBe('expect2');
    deliver(alice, bob);
    expect(bob.state.kind).toBe('awaiting-answer');
    expect(bob.events).toEqual([{ kind: 'smp-request', question: null }]);
    answer(bob, 'blue whale');
    expect(sent(bob)).toEqual([[TLV_SMP2]]);
    expect(bob.state.kind).toBe('expect3');
    deliver(bob, alice);
    expect(sent(alice)).toEqual([[TLV_SMP3]]);
    expect(alice.state.kind).toBe('expect4');
    deliver(alice, bob);
    expect(sent(bob)).toEqual([[TLV_SMP4]]);
    expect(bob.state).toBe(SMP_IDLE);
    deliver(bob, alice);
    expect(alice.state).toBe(SMP_IDLE);
    expect(alice.outbox).toEqual([]);
    expect(alice.events).toEqual([{ kind: 'smp-result', success: true }]);
    expect(bob.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
  });

  it('different secrets: both report failure', () => {
    const { alice, bob } = runTo(4, ['one', 'two']);
    expect(alice.events).toEqual([{ kind: 'smp-result', success: false }]);
    expect(bob.events).toEqual([{ kind: 'smp-request', question: null }, { kind: 'smp-result', success: false }]);
  });

  it('with a question (TLV 7) and UTF-8 secrets', () => {
    const { alice, bob } = pair();
    start(alice, 'Grüße, 世界', 'Wo treffen wir uns? 何処');
    expect(sent(alice)).toEqual([[TLV_SMP1Q]]);
    deliver(alice, bob);
    expect(bob.events).toEqual([{ kind: 'smp-request', question: 'Wo treffen wir uns? 何処' }]);
    expect(bob.state).toMatchObject({ kind: 'awaiting-answer', question: 'Wo treffen wir uns? 何処' });
    answer(bob, 'Grüße, 世界');
    deliver(bob, alice);
    deliver(alice, bob);
    deliver(bob, alice);
    expect(alice.events).toEqual([{ kind: 'smp-result', success: true }]);
  });

  it('the secret binds the roles: the same typed secret with the fingerprints swapped fails', () => {
    const { alice, bob } = pair();
    // Bob's context claims the initiator was himself: his y is hashed in the wrong order.
    const confused = { ...bob, context: { ...bob.context, ourFingerprint: fpA, theirFingerprint: fpB } };
    start(alice, 's');
    deliver(alice, confused);
    answer(confused, 's');
    deliver(confused, alice);
    deliver(alice, confused);
    deliver(confused, alice);
    expect(alice.events).toEqual([{ kind: 'smp-result', success: false }]);
  });
});

describe('aborts at every step, by either side', () => {
  for (const until of [0, 1, 2, 3] as const) {
    for (const who of ['alice', 'bob'] as const) {
      it(`after ${until} deliveries, ${who} aborts; both end idle and a new SMP works`, () => {
        const parties = runTo(until);
        const [aborter, other] = who === 'alice' ? [parties.alice, parties.bob] : [parties.bob, parties.alice];
        // Whatever was in flight is lost with the abort.
        parties.alice.outbox.length = 0;
        parties.bob.outbox.length = 0;
        const wasRunning = aborter.state.kind !== 'idle';
        const otherRunning = other.state.kind !== 'idle';
        aborter.events.length = 0;
        other.events.length = 0;
        abort(aborter);
        expect(sent(aborter)).toEqual([[TLV_SMP_ABORT]]);
        expect(aborter.events).toEqual(wasRunning ? [{ kind: 'smp-aborted', by: 'us' }] : []);
        deliver(aborter, other);
        expect(other.events).toEqual(otherRunning ? [{ kind: 'smp-aborted', by: 'peer' }] : []);
        expect([aborter.state, other.state]).toEqual([SMP_IDLE, SMP_IDLE]);
        expect(other.outbox).toEqual([]);
        start(other, 'again');
        deliver(other, aborter);
        answer(aborter, 'again');
        deliver(aborter, other);
        deliver(other, aborter);
        deliver(aborter, other);
        expect(other.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
        expect(aborter.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
      });
    }
  }

  it('an abort in idle changes nothing and sends nothing back', () => {
    const { alice } = pair();
    const step = receive(alice, { type: TLV_SMP_ABORT, value: new Uint8Array(0) });
    expect(step).toEqual({ next: SMP_IDLE, send: [], events: [], consumed: [] });
  });
});

describe('replays', () => {
  it('message 1 replayed after message 3: Alice (expecting 4) aborts; Bob (expecting 3) aborts', () => {
    const { alice, bob } = pair();
    start(alice, 's');
    const message1 = alice.outbox[0]?.[0];
    if (message1 === undefined) throw new Error('no message 1');
    deliver(alice, bob);
    answer(bob, 's');
    deliver(bob, alice);
    expect(alice.state.kind).toBe('expect4');
    expect(receive(alice, message1).events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected' }]);
    expect(receive(bob, message1).events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected' }]);
    expect([alice.state, bob.state]).toEqual([SMP_IDLE, SMP_IDLE]);
  });

  it('message 1 replayed after the run ended is, per the spec, a new request (the data layer drops replays first)', () => {
    const { alice, bob } = pair();
    start(alice, 's');
    const message1 = alice.outbox[0]?.[0];
    if (message1 === undefined) throw new Error('no message 1');
    deliver(alice, bob);
    answer(bob, 's');
    deliver(bob, alice);
    deliver(alice, bob);
    expect(bob.state).toBe(SMP_IDLE);
    expect(receive(bob, message1).events).toEqual([{ kind: 'smp-request', question: null }]);
    // Bob's answer reaches an Alice who expects nothing: she aborts, and so does Bob on her abort.
    answer(bob, 's');
    alice.outbox.length = 0;
    deliver(bob, alice);
    expect(sent(alice)).toEqual([[TLV_SMP_ABORT]]);
    deliver(alice, bob);
    expect([alice.state, bob.state]).toEqual([SMP_IDLE, SMP_IDLE]);
  });

  it('message 3 replayed to Bob after he answered it: unexpected, abort', () => {
    const { alice, bob } = runTo(3);
    const { alice: other } = runTo(2, ['s', 's'], 'other');
    const message3 = other.outbox[0]?.[0];
    if (message3 === undefined) throw new Error('no message 3');
    expect(receive(bob, message3).events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected' }]);
    expect(alice.state.kind).toBe('expect4');
  });
});

describe('simultaneous starts', () => {
  it('both abort; the crossing aborts are absorbed; both end idle, and a later start works', () => {
    const { alice, bob } = pair();
    start(alice, 'same');
    start(bob, 'same');
    // The two messages 1 cross on the network.
    const fromAlice = alice.outbox.splice(0);
    const fromBob = bob.outbox.splice(0);
    for (const tlv of fromAlice.flat()) receive(bob, tlv);
    for (const tlv of fromBob.flat()) receive(alice, tlv);
    for (const p of [alice, bob]) {
      expect(p.events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected' }]);
      expect(sent(p)).toEqual([[TLV_SMP_ABORT]]);
      expect(p.state).toBe(SMP_IDLE);
    }
    deliver(alice, bob);
    deliver(bob, alice);
    expect([alice.outbox, bob.outbox]).toEqual([[], []]);
    expect([alice.events.length, bob.events.length]).toEqual([1, 1]);
    start(bob, 'same');
    deliver(bob, alice);
    answer(alice, 'same');
    deliver(alice, bob);
    deliver(bob, alice);
    deliver(alice, bob);
    expect(bob.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
  });

  it('a start while a request waits restarts with the roles swapped: abort and message 1 in one data message', () => {
    const { alice, bob } = runTo(0);
    deliver(alice, bob);
    expect(bob.state.kind).toBe('awaiting-answer');
    const pending = bob.state;
    start(bob, 'swap', 'mine?');
    expect(sent(bob)).toEqual([[TLV_SMP_ABORT, TLV_SMP1Q]]);
    expect(bob.events.at(-1)).toEqual({ kind: 'smp-aborted', by: 'us' });
    if (pending.kind === 'awaiting-answer') expect(pending.request.wiped).toBe(true);
    deliver(bob, alice);
    expect(alice.events).toEqual([{ kind: 'smp-aborted', by: 'peer' }, { kind: 'smp-request', question: 'mine?' }]);
    answer(alice, 'swap');
    deliver(alice, bob);
    deliver(bob, alice);
    deliver(alice, bob);
    expect(bob.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
  });
});

describe('forged and damaged messages', () => {
  for (const [name, until, index] of [
    ['message 1', 0, 0],
    ['message 2', 1, 0],
    ['message 3', 2, 0],
    ['message 4', 3, 0],
  ] as const) {
    it(`${name} with a changed byte in its last MPI (a D value): abort with a check failure`, () => {
      const { alice, bob } = runTo(until);
      const [from, to] = until % 2 === 0 ? [alice, bob] : [bob, alice];
      const tlv = from.outbox.at(-1)?.[index];
      if (tlv === undefined) throw new Error('nothing in flight');
      const value = Uint8Array.from(tlv.value);
      value[value.length - 1] = (value[value.length - 1] ?? 0) ^ 1;
      const step = receive(to, { type: tlv.type, value });
      expect(types(step.send)).toEqual([TLV_SMP_ABORT]);
      expect(step.events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'bad-proof' }]);
    });
  }

  it('message 1Q without its NUL: malformed', () => {
    const { bob } = pair();
    expect(receive(bob, { type: TLV_SMP1Q, value: utf8('no terminator') }).events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'malformed' }]);
  });
});

describe('usage errors and secrets', () => {
  it('answering without a request, or asking a question containing NUL, is a UsageError', () => {
    const { alice } = pair();
    expect(() => answer(alice, 's')).toThrow(UsageError);
    expect(() => start(alice, 's', 'a\0b')).toThrow(UsageError);
    expect(alice.state).toBe(SMP_IDLE);
  });

  it('abort by the user in idle still sends TLV 6 but reports nothing', () => {
    const { alice } = pair();
    expect(abort(alice)).toEqual({ next: SMP_IDLE, send: [{ type: TLV_SMP_ABORT, value: new Uint8Array(0) }], events: [], consumed: [] });
  });

  it('every left state is wiped, and no state, step or event shows a secret', () => {
    const { alice, bob } = pair();
    const seen: SmpState[] = [];
    const secret = 'hunter2-secret';
    start(alice, secret);
    seen.push(alice.state);
    deliver(alice, bob);
    seen.push(bob.state);
    answer(bob, secret);
    seen.push(bob.state);
    deliver(bob, alice);
    seen.push(alice.state);
    deliver(alice, bob);
    deliver(bob, alice);
    for (const state of seen) {
      if (state.kind === 'awaiting-answer') expect(state.request.wiped).toBe(true);
      else if (state.kind !== 'idle') expect(state.secrets.wiped).toBe(true);
      expect(inspect(state, { depth: 10 })).not.toContain(secret);
      expect(JSON.stringify(state)).not.toContain(secret);
    }
    expect(JSON.stringify([alice.events, bob.events])).not.toContain(secret);
  });
});
