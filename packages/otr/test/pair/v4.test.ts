/**
 * Two accounts speaking OTRv4 on the virtual clock: the DAKE started by
 * either side or both at once, fallback to v3, the modes, long
 * conversations over the double ratchet with out-of-order, dropped and
 * duplicated delivery, heartbeats, expiry, the extra symmetric key, a new
 * DAKE after a restart, fragmentation at 140 characters, the end of a
 * session, the Client Profile's refresh, and SMP over Ed448.
 */
import { describe, expect, it } from 'vitest';
import { generateV4Identity, limits, Policies, type AccountOptions, type Policy } from '../../src/index.js';
import { UsageError } from '../../src/errors.js';
import { deterministicRandom, internalConversationOf } from '../../src/testing.js';
import { V4Channel } from '../../src/v4/channel.js';
import { MAX_RATCHET_COUNTER } from '../../src/v4/ratchet/index.js';
import { classifyIncoming, decodeFragment, encodeFragment } from '../../src/wire/index.js';
import { decodeV4Message, REVEALED_MAC_KEY_BYTES } from '../../src/wire/v4/index.js';
import { establish, makePair, testKey, type Pair, type Party } from './harness.js';

const START = 1_000_000;
let nextTag = 0x40_0000;

/** Account options with a fresh v4 identity (keys and profile) for `name`. */
function v4Options(name: string, extra: Partial<AccountOptions> = {}): Partial<AccountOptions> {
  const instanceTag = (nextTag += 0x101);
  const id = generateV4Identity({ instanceTag, privateKey: testKey(name), now: START, random: deterministicRandom(`v4-${name}-${instanceTag}`) });
  return { instanceTag, v4: { identityKey: id.identityKey, forgingKey: id.forgingKey, profile: id.profile, address: name }, ...extra };
}

function v4Pair(options: { alice?: Partial<AccountOptions>; bob?: Partial<AccountOptions>; link?: Pair['link'] } = {}): Pair {
  return makePair({ alice: v4Options('alice', options.alice), bob: v4Options('bob', options.bob), ...(options.link === undefined ? {} : { link: options.link }) });
}

function say(pair: Pair, from: Party, text: string): void {
  const to = from === pair.alice ? 'bob' : 'alice';
  pair.act(from, (account, now) => account.send(to, text, now));
}

/** Problems a clean conversation never has. */
function problems(party: Party): unknown[] {
  return party.events.filter((event) => event.kind === 'protocol-error' || event.kind === 'peer-error' || event.kind === 'dropped');
}

/** The v4 data messages a party put on the wire (whole messages only). */
function v4DataSent(party: Party) {
  return party.wire.flatMap((text) => {
    const incoming = classifyIncoming(text);
    if (incoming.kind !== 'encoded-v4') return [];
    const decoded = decodeV4Message(incoming.bytes);
    return 'code' in decoded || decoded.kind !== 'data' ? [] : [decoded.body];
  });
}

describe('v4 DAKE', () => {
  for (const starter of ['alice', 'bob'] as const) {
    it(`v4 started by ${starter}: both sides secure in version 4 with 56-byte fingerprints and one SSID`, () => {
      const pair = v4Pair();
      const party = pair[starter];
      pair.act(party, (account, now) => account.startOtr(starter === 'alice' ? 'bob' : 'alice', now));
      pair.deliverAll();
      const a = pair.alice.eventsOf('secure');
      const b = pair.bob.eventsOf('secure');
      expect(a.map((e) => e.version)).toEqual([4]);
      expect(b.map((e) => e.version)).toEqual([4]);
      expect(Buffer.from(a[0]!.fingerprint)).toEqual(Buffer.from(pair.bob.account.ourV4Fingerprint!));
      expect(Buffer.from(b[0]!.fingerprint)).toEqual(Buffer.from(pair.alice.account.ourV4Fingerprint!));
      expect(a[0]!.fingerprint).toHaveLength(56);
      expect(Buffer.from(a[0]!.ssid)).toEqual(Buffer.from(b[0]!.ssid));
      expect(a[0]!.ssidHalf).not.toBe(b[0]!.ssidHalf);
      expect(pair.alice.account.status('bob').version).toBe(4);
      // The query offers v4 first-class: "?OTRv234?".
      expect(party.wire[0]).toMatch(/^\?OTRv234\?/);
      say(pair, pair.alice, 'hello bob');
      say(pair, pair.bob, 'hello alice');
      pair.deliverAll();
      expect(pair.bob.texts()).toEqual(['hello bob']);
      expect(pair.alice.texts()).toEqual(['hello alice']);
      expect([...problems(pair.alice), ...problems(pair.bob)]).toEqual([]);
    });
  }

  it('simultaneous starts meet in one v4 session without a protocol error or a dropped message (the winner waits for the Auth-R)', () => {
    const pair = v4Pair();
    pair.act(pair.alice, (account, now) => account.startOtr('bob', now));
    pair.act(pair.bob, (account, now) => account.startOtr('alice', now));
    pair.deliverAll();
    const a = pair.alice.eventsOf('secure');
    const b = pair.bob.eventsOf('secure');
    expect(a.length).toBeGreaterThanOrEqual(1);
    expect(b.length).toBeGreaterThanOrEqual(1);
    expect(Buffer.from(a.at(-1)!.ssid)).toEqual(Buffer.from(b.at(-1)!.ssid));
    expect(a.at(-1)!.version).toBe(4);
    // The winner of the hash comparison sends nothing and the loser answers (SIMULTANEOUS_START_AS_OTR4J): one DAKE, nothing to drop.
    const events = [...pair.alice.events, ...pair.bob.events];
    expect(events.filter((e) => e.kind === 'protocol-error' || e.kind === 'peer-error')).toEqual([]);
    expect(events.filter((e) => e.kind === 'dropped')).toEqual([]);
    expect([a.length, b.length]).toEqual([1, 1]);
    say(pair, pair.alice, 'after the crossing');
    say(pair, pair.bob, 'me too');
    pair.deliverAll();
    expect(pair.bob.texts()).toEqual(['after the crossing']);
    expect(pair.alice.texts()).toEqual(['me too']);
  });

  it('a whitespace tag offering 4 starts a v4 DAKE', () => {
    const pair = v4Pair();
    say(pair, pair.alice, 'plain hello');
    pair.deliverAll();
    expect(pair.bob.texts()).toEqual(['plain hello']);
    expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([4]);
  });
});

describe('v4 to v3 fallback and the modes', () => {
  it('a v3-only peer (no v4 identity) meets a v4 account in version 3', () => {
    const pair = makePair({ alice: v4Options('alice') });
    establish(pair);
    expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([3]);
    expect(pair.bob.eventsOf('secure')[0]?.fingerprint).toHaveLength(20);
    say(pair, pair.bob, 'v3 works');
    pair.deliverAll();
    expect(pair.alice.texts()).toEqual(['v3 works']);
  });

  it('a v4 peer whose policy allows v3 only meets in version 3, whoever starts', () => {
    const v3Only: Policy = { ...Policies.OPPORTUNISTIC, versions: new Set([3]) };
    const pair = v4Pair({ bob: { policy: v3Only } });
    pair.act(pair.bob, (account, now) => account.startOtr('alice', now));
    pair.deliverAll();
    expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([3]);
    expect(pair.bob.eventsOf('secure').map((e) => e.version)).toEqual([3]);
  });

  it('the OTRv3-compatible mode prefers v4 and the OTRv4-interactive-only mode never speaks v3', () => {
    const compatible = v4Pair({ alice: { policy: Policies.OTRV3_COMPATIBLE }, bob: { policy: Policies.OTRV3_COMPATIBLE } });
    establish(compatible);
    expect(compatible.alice.eventsOf('secure').map((e) => e.version)).toEqual([4]);

    const strict = makePair({ alice: v4Options('alice', { policy: Policies.OTRV4_INTERACTIVE_ONLY }) });
    strict.act(strict.alice, (account, now) => account.send('bob', 'never in clear', now));
    expect(strict.alice.wire[0]).toMatch(/^\?OTRv4\?/);
    strict.deliverAll();
    expect(strict.alice.eventsOf('secure')).toEqual([]);
    expect(strict.bob.eventsOf('secure')).toEqual([]);
    expect(strict.alice.wire.some((text) => text.includes('never in clear'))).toBe(false);
  });

  it('policies change at run time: a contact switched to v3 only gets v3 next time', () => {
    const pair = v4Pair();
    pair.alice.account.setContactPolicy('bob', { ...Policies.OPPORTUNISTIC, versions: new Set([3]) });
    establish(pair);
    expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([3]);
    pair.act(pair.alice, (account, now) => account.endOtr('bob', now));
    pair.act(pair.bob, (account, now) => account.endOtr('alice', now));
    pair.queue.length = 0;
    pair.alice.account.setContactPolicy('bob', undefined);
    establish(pair);
    expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([3, 4]);
  });
});

describe('v4 conversations over the double ratchet', () => {
  it('messages both ways across many ratchet steps', () => {
    const pair = v4Pair();
    establish(pair);
    const expected: Record<'alice' | 'bob', string[]> = { alice: [], bob: [] };
    for (let round = 0; round < 25; round++) {
      const from = round % 2 === 0 ? pair.alice : pair.bob;
      const to = from === pair.alice ? 'bob' : 'alice';
      for (let i = 0; i <= round % 3; i++) {
        const text = `round ${round} message ${i}`;
        say(pair, from, text);
        expected[to].push(text);
      }
      pair.deliverAll();
    }
    expect(pair.alice.texts()).toEqual(expected.alice);
    expect(pair.bob.texts()).toEqual(expected.bob);
    expect([...problems(pair.alice), ...problems(pair.bob)]).toEqual([]);
    // 25 turns of the conversation are 25 sending chains: DH ratchets every third included.
    const ratchetIds = new Set(v4DataSent(pair.alice).map((m) => m.ratchetId));
    expect(ratchetIds.size).toBeGreaterThanOrEqual(12);
    expect(v4DataSent(pair.alice).some((m) => m.dh !== undefined)).toBe(true);
  });

  for (const seed of ['one', 'two', 'three']) {
    it(`out-of-order and duplicated delivery across ratchet steps: every message read exactly once (seed ${seed})`, () => {
      const pair = v4Pair({ link: { reorder: true, duplicate: 0.3, seed: `v4-faults-${seed}` } });
      pair.link = {};
      establish(pair);
      pair.link = { reorder: true, duplicate: 0.3, seed: `v4-faults-${seed}` };
      const sent: Record<'alice' | 'bob', string[]> = { alice: [], bob: [] };
      for (let round = 0; round < 12; round++) {
        for (let i = 0; i < 4; i++) {
          const from = (round + i) % 3 === 0 ? pair.bob : pair.alice;
          const text = `${from.name} ${round}.${i}`;
          say(pair, from, text);
          sent[from === pair.alice ? 'bob' : 'alice'].push(text);
        }
        pair.deliverAll();
      }
      expect([...pair.bob.texts()].sort()).toEqual([...sent.bob].sort());
      expect([...pair.alice.texts()].sort()).toEqual([...sent.alice].sort());
      // Duplicates are dropped quietly: no error message, no new DAKE.
      for (const party of [pair.alice, pair.bob]) {
        expect(party.events.filter((e) => e.kind === 'protocol-error' || e.kind === 'peer-error')).toEqual([]);
        expect(party.eventsOf('secure')).toHaveLength(1);
        for (const event of party.eventsOf('dropped')) expect(event.reason).toBe('replayed-counter');
      }
    });
  }

  it('dropped messages are lost alone: the rest are read, across ratchet steps', () => {
    const pair = v4Pair();
    establish(pair);
    pair.link = { drop: 0.25, reorder: true, seed: 'v4-drops' };
    const sent: string[] = [];
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 5; i++) {
        const text = `to bob ${round}.${i}`;
        say(pair, pair.alice, text);
        sent.push(text);
      }
      pair.deliverAll();
      // Bob answers over a clean link, so Alice's ratchet moves on.
      pair.link = {};
      say(pair, pair.bob, `ack ${round}`);
      pair.deliverAll();
      pair.link = { drop: 0.25, reorder: true, seed: `v4-drops-${round}` };
    }
    const received = pair.bob.texts();
    expect(received.length).toBeGreaterThan(sent.length / 2);
    expect(received.length).toBeLessThan(sent.length);
    expect(received.every((text) => sent.includes(text))).toBe(true);
    expect(new Set(received).size).toBe(received.length);
    expect(pair.alice.texts()).toHaveLength(10);
    expect(pair.bob.events.filter((e) => e.kind === 'protocol-error')).toEqual([]);
  });
});

describe('v4 session services', () => {
  it('a heartbeat answers a message left unanswered, flagged IGNORE_UNREADABLE and never shown', () => {
    const pair = v4Pair();
    establish(pair);
    say(pair, pair.alice, 'anyone there?');
    pair.deliverAll();
    const before = v4DataSent(pair.bob).length;
    pair.advance(limits.HEARTBEAT_INTERVAL_MS + 1);
    const heartbeats = v4DataSent(pair.bob).slice(before);
    expect(heartbeats).toHaveLength(1);
    expect(heartbeats[0]!.flags & 1).toBe(1);
    expect(pair.alice.texts()).toEqual([]);
    expect(problems(pair.alice)).toEqual([]);
  });

  it('session expiry ends the session with a Disconnected message revealing the MAC keys, those of skipped messages included', () => {
    const expiry = limits.HEARTBEAT_INTERVAL_MS / 2;
    const pair = v4Pair({ alice: { sessionExpiryMs: expiry } });
    establish(pair);
    say(pair, pair.bob, 'one');
    say(pair, pair.bob, 'lost');
    say(pair, pair.bob, 'three');
    pair.queue.splice(1, 1);
    pair.deliverAll();
    expect(pair.alice.texts()).toEqual(['one', 'three']);
    pair.advance(expiry + 1);
    expect(pair.alice.eventsOf('insecure')).toHaveLength(1);
    expect(pair.bob.eventsOf('finished')).toHaveLength(1);
    const last = v4DataSent(pair.alice).at(-1)!;
    // Two MAC keys of messages read and one of the skipped message go out with the Disconnected TLV.
    expect(last.revealedMacKeys.length).toBe(3 * REVEALED_MAC_KEY_BYTES);
    expect(pair.alice.account.status('bob').messageState).toBe('plaintext');
  });

  it('the extra symmetric key (TLV 7 with its context) reaches both sides equal', () => {
    const pair = v4Pair();
    establish(pair);
    const useData = new TextEncoder().encode('file.txt');
    pair.act(pair.alice, (account, now) => account.useExtraSymmetricKey('bob', 0x1234, useData, now));
    pair.deliverAll();
    const sent = pair.alice.eventsOf('extra-key');
    const received = pair.bob.eventsOf('extra-key');
    expect(sent).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.use).toBe(0x1234);
    expect(Buffer.from(received[0]!.useData).toString()).toBe('file.txt');
    expect(received[0]!.key.length).toBe(64);
    expect(Buffer.from(received[0]!.key.expose())).toEqual(Buffer.from(sent[0]!.key.expose()));
    expect(pair.bob.texts()).toEqual([]);
  });

  it('a new DAKE after a restart replaces the old session', () => {
    const pair = v4Pair();
    establish(pair);
    const first = Buffer.from(pair.alice.eventsOf('secure')[0]!.ssid);
    pair.bob.restart();
    pair.act(pair.bob, (account, now) => account.startOtr('alice', now));
    pair.deliverAll();
    const again = pair.alice.eventsOf('secure');
    expect(again).toHaveLength(2);
    expect(again[1]!.refreshed).toBe(true);
    expect(Buffer.from(again[1]!.ssid).equals(first)).toBe(false);
    say(pair, pair.alice, 'welcome back');
    pair.deliverAll();
    expect(pair.bob.texts()).toEqual(['welcome back']);
  });

  it('everything, DAKE included, travels in v4 fragments of at most 140 characters', () => {
    const pair = v4Pair({ alice: { maxMessageSize: 140 }, bob: { maxMessageSize: 140 } });
    establish(pair);
    const long = 'y'.repeat(3000);
    say(pair, pair.alice, long);
    say(pair, pair.bob, 'short reply');
    pair.deliverAll();
    expect(pair.bob.texts()).toEqual([long]);
    expect(pair.alice.texts()).toEqual(['short reply']);
    expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([4]);
    for (const text of [...pair.alice.wire, ...pair.bob.wire]) if (text.startsWith('?OTR')) expect(text.length).toBeLessThanOrEqual(140);
    // v4 fragments carry an identifier before the two instance tags.
    const fragments = pair.alice.wire.filter((text) => text.startsWith('?OTR|'));
    expect(fragments.length).toBeGreaterThan(20);
    expect(fragments.every((text) => /^\?OTR\|[0-9a-f]{8}\|[0-9a-f]{8}\|[0-9a-f]{8},/.test(text))).toBe(true);
  });

  it('the global fragment memory cap covers v4: incomplete v4 messages beyond the cap evict the oldest', () => {
    const pair = v4Pair({ alice: { maxMessageSize: 140 } });
    establish(pair);
    const bob = pair.bob.account;
    /** Sends `text` in fragments, with the first pieces of `others` other v4 messages after its own first piece; what Bob shows. */
    const floodAndFinish = (text: string, others: number, base: number): string[] => {
      say(pair, pair.alice, text);
      const pieces = pair.queue.splice(0).map((message) => decodeFragment(message.text));
      const first = pieces[0];
      if (first === undefined || 'code' in first || first.version !== 4) throw new Error('expected v4 fragments');
      bob.receive('alice', encodeFragment(first), pair.now);
      for (let n = 1; n <= others; n++) bob.receive('alice', encodeFragment({ ...first, identifier: (base + n) >>> 0 }), pair.now);
      return pieces.slice(1).flatMap((piece) => ('code' in piece ? [] : bob.receive('alice', encodeFragment(piece), pair.now).show.map((m) => m.text)));
    };
    // MAX_INCOMPLETE_MESSAGES other messages after ours: ours, the oldest, is evicted and never completes.
    expect(floodAndFinish('z'.repeat(400), limits.MAX_INCOMPLETE_MESSAGES, 0x1000)).toEqual([]);
    // One fewer: ours stays and completes.
    expect(floodAndFinish('w'.repeat(400), limits.MAX_INCOMPLETE_MESSAGES - 1, 0x2000)).toEqual(['w'.repeat(400)]);
  });

  it('ending a v4 session: the peer sees finished and nothing more is sent', () => {
    const pair = v4Pair();
    establish(pair);
    pair.act(pair.alice, (account, now) => account.endOtr('bob', now));
    pair.deliverAll();
    expect(pair.alice.eventsOf('insecure')).toHaveLength(1);
    expect(pair.bob.eventsOf('finished')).toHaveLength(1);
    const outcome = pair.act(pair.bob, (account, now) => account.send('alice', 'secret', now));
    expect(outcome.send).toEqual([]);
  });
});

describe('v4 error messages', () => {
  /** Alice's next data message, taken off the link before delivery. */
  function interceptData(pair: Pair, text: string): string {
    say(pair, pair.alice, text);
    const message = pair.queue.pop();
    expect(message?.text.startsWith('?OTR:')).toBe(true);
    return message!.text;
  }

  it('an unreadable v4 data message is answered with the v4 error form: ERROR_1 for one failing its checks, ERROR_2 outside a session', () => {
    const tampered = v4Pair();
    establish(tampered);
    const text = interceptData(tampered, 'tampered with');
    // A character inside the authenticator (the message's last bytes, no MAC key revealed yet).
    const at = text.length - 10;
    const flipped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const outcome = tampered.bob.account.receive('alice', flipped, tampered.now);
    expect(outcome.events.map((e) => e.kind)).toEqual(['protocol-error']);
    expect(outcome.send.map((m) => m.text)).toEqual(['?OTR Error: ERROR_1: Unreadable message']);

    const restarted = v4Pair();
    establish(restarted);
    restarted.bob.restart();
    const lost = interceptData(restarted, 'to a forgotten session');
    const reply = restarted.bob.account.receive('alice', lost, restarted.now);
    expect(reply.events.map((e) => (e.kind === 'protocol-error' ? e.reason : e.kind))).toEqual(['not-encrypted']);
    expect(reply.send.map((m) => m.text)).toEqual(['?OTR Error: ERROR_2: Not in private state message']);
  });

  it('an unreadable v3 data message is still answered with the v3 text', () => {
    const pair = makePair({ alice: v4Options('alice', { policy: { ...Policies.OPPORTUNISTIC, versions: new Set([2, 3]) } }), bob: v4Options('bob') });
    establish(pair);
    expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([3]);
    pair.bob.restart();
    const lost = interceptData(pair, 'to a forgotten v3 session');
    const reply = pair.bob.account.receive('alice', lost, pair.now);
    expect(reply.send.map((m) => m.text)).toEqual(['?OTR Error: You transmitted an unreadable encrypted message.']);
  });

  it('a received v4 error message is reported with its code in the peer-error event', () => {
    const pair = v4Pair();
    establish(pair);
    pair.bob.restart();
    say(pair, pair.alice, 'to a forgotten session');
    pair.deliverAll();
    const errors = pair.alice.eventsOf('peer-error');
    expect(errors).toEqual([{ kind: 'peer-error', peer: 'bob', code: 'ERROR_2', text: 'ERROR_2: Not in private state message' }]);
    // Alice's policy restarts the DAKE on an error message: the conversation recovers in version 4.
    expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([4, 4]);
    const plain = pair.alice.account.receive('bob', '?OTR Error: no code here', pair.now + limits.PEER_ERROR_EVENT_INTERVAL_MS);
    expect(plain.events).toEqual([{ kind: 'peer-error', peer: 'bob', text: 'no code here' }]);
  });
});

describe('v4 identity and Client Profile', () => {
  it('the profile is refreshed before it expires, reported with its bytes, and still works in a DAKE', () => {
    const pair = v4Pair();
    const deadline = pair.alice.account.nextDeadline();
    expect(deadline).toBeDefined();
    expect(deadline!).toBeGreaterThan(pair.now);
    pair.advance(deadline! - pair.now);
    const refreshed = pair.alice.eventsOf('profile-refreshed');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.expiresAt).toBeGreaterThan(deadline!);
    expect(pair.alice.account.nextDeadline()).toBeGreaterThan(deadline!);
    establish(pair);
    expect(pair.bob.eventsOf('secure').map((e) => e.version)).toEqual([4]);
  });

  it('an account given no profile makes one at its first call', () => {
    const options = v4Options('alice');
    const v4 = options.v4!;
    const pair = makePair({ alice: { ...options, v4: { identityKey: v4.identityKey, forgingKey: v4.forgingKey, address: 'alice' } }, bob: v4Options('bob') });
    expect(pair.alice.account.nextDeadline()).toBe(0);
    establish(pair);
    expect(pair.alice.eventsOf('profile-refreshed')).toHaveLength(1);
    expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([4]);
  });
});

/** Runs SMP to its end: `from` asks (with `question`), the other answers; the link runs until quiet after each step. */
function smp(pair: Pair, from: Party, secret: string, answer: string, question?: string): void {
  const other = from === pair.alice ? pair.bob : pair.alice;
  pair.act(from, (account, now) => account.startSmp(other.name, secret, question, now));
  pair.deliverAll();
  pair.act(other, (account, now) => account.answerSmp(from.name, answer, now));
  pair.deliverAll();
}

/** SMP outcomes of a party, in order (requests, results, aborts). */
function smpEvents(party: Party): unknown[] {
  return party.events.filter((e) => e.kind.startsWith('smp-')).map((e) => ({ kind: e.kind, ...('success' in e ? { success: e.success } : {}), ...('by' in e ? { by: e.by } : {}), ...('question' in e ? { question: e.question } : {}) }));
}

describe('v4 SMP over Ed448 in a session', () => {
  it('SMP with a question succeeds on both sides with the same secret', () => {
    const pair = v4Pair();
    establish(pair);
    smp(pair, pair.alice, 'the lake', 'the lake', 'Where did we meet?');
    expect(smpEvents(pair.bob)).toEqual([
      { kind: 'smp-request', question: 'Where did we meet?' },
      { kind: 'smp-result', success: true },
    ]);
    expect(smpEvents(pair.alice)).toEqual([{ kind: 'smp-result', success: true }]);
    expect([pair.alice.account.status('bob').smp, pair.bob.account.status('alice').smp]).toEqual(['idle', 'idle']);
    expect([...pair.alice.texts(), ...pair.bob.texts()]).toEqual([]);
    expect([...problems(pair.alice), ...problems(pair.bob)]).toEqual([]);
  });

  it('SMP without a question: the request carries null, and Bob may start it too', () => {
    const pair = v4Pair();
    establish(pair);
    smp(pair, pair.bob, 'Grüße, 世界', 'Grüße, 世界');
    expect(smpEvents(pair.alice)).toEqual([
      { kind: 'smp-request', question: null },
      { kind: 'smp-result', success: true },
    ]);
    expect(smpEvents(pair.bob)).toEqual([{ kind: 'smp-result', success: true }]);
  });

  it('SMP with different secrets fails on both sides, and the session goes on', () => {
    const pair = v4Pair();
    establish(pair);
    smp(pair, pair.alice, 'one', 'two', 'Which?');
    expect(pair.alice.eventsOf('smp-result').map((e) => e.success)).toEqual([false]);
    expect(pair.bob.eventsOf('smp-result').map((e) => e.success)).toEqual([false]);
    say(pair, pair.bob, 'still here');
    pair.deliverAll();
    expect(pair.alice.texts()).toEqual(['still here']);
    expect([...problems(pair.alice), ...problems(pair.bob)]).toEqual([]);
  });

  for (const aborter of ['alice', 'bob'] as const) {
    for (const point of ['awaiting the answer', 'with message 2 in flight'] as const) {
      it(`SMP aborted by ${aborter} mid-way (${point}): both sides idle, the peer told, and a new SMP succeeds`, () => {
        const pair = v4Pair();
        establish(pair);
        pair.act(pair.alice, (account, now) => account.startSmp('bob', 'secret', 'Q?', now));
        pair.deliverAll();
        expect(pair.bob.account.status('alice').smp).toBe('awaiting-answer');
        if (point === 'with message 2 in flight') {
          pair.act(pair.bob, (account, now) => account.answerSmp('alice', 'secret', now));
          expect(pair.queue).toHaveLength(1);
        }
        const us = pair[aborter];
        const peer = aborter === 'alice' ? pair.bob : pair.alice;
        pair.act(us, (account, now) => account.abortSmp(peer.name, now));
        pair.deliverAll();
        expect(us.eventsOf('smp-aborted')[0]).toEqual(expect.objectContaining({ by: 'us' }));
        expect(peer.eventsOf('smp-aborted').map((e) => e.by)).toContain('peer');
        expect([...pair.alice.eventsOf('smp-result'), ...pair.bob.eventsOf('smp-result')]).toEqual([]);
        expect([pair.alice.account.status('bob').smp, pair.bob.account.status('alice').smp]).toEqual(['idle', 'idle']);
        smp(pair, peer, 'again', 'again');
        expect(pair.alice.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
        expect(pair.bob.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
        expect([...problems(pair.alice), ...problems(pair.bob)]).toEqual([]);
      });
    }
  }

  it('SMP after ratchet steps, with messages crossing it, succeeds', () => {
    const pair = v4Pair();
    establish(pair);
    for (let round = 0; round < 6; round++) {
      say(pair, round % 2 === 0 ? pair.alice : pair.bob, `turn ${round}`);
      pair.deliverAll();
    }
    const ratchetIds = new Set(v4DataSent(pair.alice).map((m) => m.ratchetId));
    expect(ratchetIds.size).toBeGreaterThanOrEqual(3);
    pair.act(pair.alice, (account, now) => account.startSmp('bob', 'shared', undefined, now));
    say(pair, pair.bob, 'crossing the request');
    pair.deliverAll();
    pair.act(pair.bob, (account, now) => account.answerSmp('alice', 'shared', now));
    say(pair, pair.alice, 'crossing the answer');
    pair.deliverAll();
    expect(pair.alice.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
    expect(pair.bob.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
    expect(pair.bob.texts()).toEqual(['turn 0', 'turn 2', 'turn 4', 'crossing the answer']);
    expect(pair.alice.texts()).toEqual(['turn 1', 'turn 3', 'turn 5', 'crossing the request']);
    expect([...problems(pair.alice), ...problems(pair.bob)]).toEqual([]);
  });

  it('SMP with a question, every message fragmented at 140 characters', () => {
    const pair = v4Pair({ alice: { maxMessageSize: 140 }, bob: { maxMessageSize: 140 } });
    establish(pair);
    const before = pair.alice.wire.length + pair.bob.wire.length;
    smp(pair, pair.alice, 'fragmented secret', 'fragmented secret', 'A question long enough to need its own fragment or two?');
    expect(pair.bob.eventsOf('smp-request').map((e) => e.question)).toEqual(['A question long enough to need its own fragment or two?']);
    expect(pair.alice.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
    expect(pair.bob.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
    const smpWire = [...pair.alice.wire, ...pair.bob.wire];
    expect(smpWire.length - before).toBeGreaterThan(20);
    for (const text of smpWire) expect(text.length).toBeLessThanOrEqual(140);
    expect([...problems(pair.alice), ...problems(pair.bob)]).toEqual([]);
  });

  it('v4 SMP when sealing fails (keys spent): our command throws not-secure as in v3, and a received step needing a reply is reported as dropped', () => {
    const pair = v4Pair();
    establish(pair);
    /** Exhausts the message ids of alice's current sending chain, so it can seal nothing more (and still read Bob's chain). */
    const spendAliceKeys = (): void => {
      const channel = internalConversationOf(pair.alice.account, 'bob')
        ?.instances()
        .find((instance) => instance.encrypted !== undefined)?.encrypted?.channel;
      if (!(channel instanceof V4Channel)) throw new Error('no v4 channel');
      expect(channel.ratchet.nextRotation).toBe('receiving');
      channel.ratchet.sending!.nextMessageId = MAX_RATCHET_COUNTER;
    };
    // Bob answers Alice's request (SMP2) after a text in the same chain of his; Alice reads the text,
    // replies (her sending chain is then current), and her keys run out before SMP2 arrives: she cannot send SMP3.
    pair.act(pair.alice, (account, now) => account.startSmp('bob', 'spent', undefined, now));
    pair.deliverAll();
    say(pair, pair.bob, 'first');
    pair.act(pair.bob, (account, now) => account.answerSmp('alice', 'spent', now));
    pair.deliverSome(1);
    say(pair, pair.alice, 'reply');
    spendAliceKeys();
    const before = pair.alice.events.length;
    pair.deliverSome(1);
    const events = pair.alice.events.slice(before);
    expect(events.map((e) => (e.kind === 'dropped' ? `${e.kind} ${e.reason}` : e.kind))).toEqual(['dropped not-encrypted']);
    expect(pair.alice.account.status('bob').smp).toBe('idle');
    // A command of Alice's user is refused like sending text: UsageError not-secure.
    let thrown: unknown;
    try {
      pair.alice.account.startSmp('bob', 'again', undefined, pair.now);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).code).toBe('not-secure');
  });

  it('a restarted SMP (start while one runs) aborts the old one and completes the new one', () => {
    const pair = v4Pair();
    establish(pair);
    pair.act(pair.alice, (account, now) => account.startSmp('bob', 'old', 'Old?', now));
    pair.deliverAll();
    smp(pair, pair.alice, 'new', 'new', 'New?');
    expect(pair.bob.eventsOf('smp-request').map((e) => e.question)).toEqual(['Old?', 'New?']);
    expect(pair.alice.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
    expect(pair.bob.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
  });
});
