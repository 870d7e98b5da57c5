/**
 * The host-facing API of Account: misuse is a typed UsageError before
 * anything happens, calls the peer can make pointless report through the
 * outcome, outcomes are read-only, and events share one vocabulary of reasons.
 */
import { describe, expect, it } from 'vitest';
import * as root from '../../../src/index.js';
import {
  Account,
  Policies,
  UsageError,
  generateInstanceTag,
  limits,
  type OtrEvent,
  type Outcome,
  type Policy,
  type ProtocolErrorCode,
  type UsageErrorCode,
} from '../../../src/index.js';
import * as testing from '../../../src/testing.js';
import { establish, makePair, testKey, type Pair } from '../../pair/harness.js';

/** The UsageError `action` throws (fails if it throws anything else, or nothing). */
function usageError(action: () => unknown): UsageError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

const account = (): Account => new Account({ privateKey: testKey('alice'), instanceTag: 0x1234, random: testing.deterministicRandom('api') });

/** A secure pair in which bob has ended the session: alice sees `finished`. */
function peerEnded(): Pair {
  const pair = makePair();
  establish(pair);
  pair.act(pair.bob, (bob, now) => bob.endOtr('alice', now));
  pair.deliverAll();
  expect(pair.alice.account.status('bob').messageState).toBe('finished');
  return pair;
}

const refusals = (outcome: Outcome): OtrEvent[] => outcome.events.filter((event) => event.kind === 'refused');

describe('UsageErrorCode is a union and untyped exceptions do not escape on misuse', () => {
  it('UsageError.code is a UsageErrorCode', () => {
    const error = usageError(() => account().send('bob', 'x', Number.NaN));
    const code: UsageErrorCode = error.code;
    expect(code).toBe('bad-argument');
    // @ts-expect-error a code outside the union does not type-check
    const wrong: UsageErrorCode = 'no-such-code';
    expect(wrong).toBe('no-such-code');
  });

  it('new Account() is a usage error, not a TypeError', () => {
    // @ts-expect-error the options are missing
    expect(usageError(() => new Account()).code).toBe('bad-options');
    expect(usageError(() => new Account(null as never)).code).toBe('bad-options');
  });

  it('new Account({ privateKey: {} }) is a usage error, not a TypeError', () => {
    expect(usageError(() => new Account({ privateKey: {} } as never)).code).toBe('bad-private-key');
    expect(usageError(() => new Account({ privateKey: {}, instanceTag: 0x1234 } as never)).code).toBe('bad-private-key');
    expect(usageError(() => new Account({ privateKey: testKey('alice'), instanceTag: 0x1234, random: 7 } as never)).code).toBe('bad-argument');
    expect(usageError(() => new Account({ privateKey: testKey('alice'), instanceTag: 0x1234, sessionExpiryMs: -1 })).code).toBe('bad-argument');
    expect(usageError(() => new Account({ privateKey: testKey('alice'), instanceTag: 0x1234, policy: {} as Policy })).code).toBe('bad-policy');
  });

  it('setPolicy(undefined) is a usage error, and the account keeps its policy', () => {
    const alice = account();
    expect(usageError(() => alice.setPolicy(undefined as never)).code).toBe('bad-policy');
    expect(usageError(() => alice.setPolicy({ ...Policies.MANUAL, versions: [2, 3] } as never)).code).toBe('bad-policy');
    expect(usageError(() => alice.setPolicy({ ...Policies.MANUAL, versions: new Set([1, 3]) } as never)).code).toBe('bad-policy');
    expect(usageError(() => alice.setPolicy({ ...Policies.MANUAL, requireEncryption: 'yes' } as never)).code).toBe('bad-policy');
    expect(usageError(() => alice.setContactPolicy('bob', null as never)).code).toBe('bad-policy');
    // Still OPPORTUNISTIC: plaintext goes out with the whitespace tag.
    expect(alice.send('bob', 'hi', 0).send[0]?.text).toMatch(/^hi \t/);
  });

  it('send(undefined) is a usage error, not the text undefined', () => {
    const alice = account();
    expect(usageError(() => alice.send('bob', undefined as never, 0)).code).toBe('bad-argument');
    expect(usageError(() => alice.send('bob', 42 as never, 0)).code).toBe('bad-argument');
    expect(usageError(() => alice.receive('bob', undefined as never, 0)).code).toBe('bad-argument');
    expect(usageError(() => alice.startSmp('bob', undefined as never, undefined, 0)).code).toBe('bad-argument');
    expect(usageError(() => alice.send('bob', 'x', 0, null as never)).code).toBe('bad-argument');
    expect(usageError(() => alice.send('bob', 'x', 0, { instance: 1.5 })).code).toBe('bad-argument');
    expect(usageError(() => alice.useExtraSymmetricKey('bob', 1, 'data' as never, 0)).code).toBe('bad-argument');
  });

  it('a 400-million-character send is a usage error: texts are bounded by limits.MAX_SEND_TEXT_LENGTH', () => {
    const alice = account();
    // A rope: V8 builds this without 400 MB of memory, and only its length is read.
    const huge = 'x'.repeat(400_000_000);
    expect(usageError(() => alice.send('bob', huge, 0)).code).toBe('text-too-long');
    expect(usageError(() => alice.startSmp('bob', huge, undefined, 0)).code).toBe('text-too-long');
    expect(usageError(() => alice.send('bob', 'x'.repeat(limits.MAX_SEND_TEXT_LENGTH + 1), 0)).code).toBe('text-too-long');
    expect(alice.send('bob', 'x'.repeat(limits.MAX_SEND_TEXT_LENGTH), 0).send).toHaveLength(1);
    expect(usageError(() => alice.startSmp('bob', 's', 'q'.repeat(limits.MAX_SMP_QUESTION_LENGTH + 1), 0)).code).toBe('text-too-long');
  });
});

describe('after wipe() every call refuses with a UsageError', () => {
  it('every call refuses with a UsageError, and send does not go out in plaintext to a peer still encrypted', () => {
    const pair = makePair();
    establish(pair);
    const alice = pair.alice.account;
    alice.wipe();
    const calls: [string, () => unknown][] = [
      ['send', () => alice.send('bob', 'after wipe', pair.now)],
      ['receive', () => alice.receive('bob', 'hello', pair.now)],
      ['startOtr', () => alice.startOtr('bob', pair.now)],
      ['endOtr', () => alice.endOtr('bob', pair.now)],
      ['startSmp', () => alice.startSmp('bob', 's', undefined, pair.now)],
      ['answerSmp', () => alice.answerSmp('bob', 's', pair.now)],
      ['abortSmp', () => alice.abortSmp('bob', pair.now)],
      ['useExtraSymmetricKey', () => alice.useExtraSymmetricKey('bob', 1, new Uint8Array(0), pair.now)],
      ['nextDeadline', () => alice.nextDeadline()],
      ['onDeadline', () => alice.onDeadline(pair.now)],
      ['status', () => alice.status('bob')],
      ['setPolicy', () => alice.setPolicy(Policies.MANUAL)],
      ['setContactPolicy', () => alice.setContactPolicy('bob', undefined)],
      ['setMaxMessageSize', () => alice.setMaxMessageSize(0)],
      ['selectInstance', () => alice.selectInstance('bob', undefined)],
    ];
    for (const [name, call] of calls) expect(usageError(call).code, name).toBe('wiped');
    expect(pair.queue).toEqual([]);
    // wipe() itself may be repeated (a host's shutdown path).
    expect(() => alice.wipe()).not.toThrow();
  });
});

describe('one vocabulary for reasons', () => {
  it('protocol-error, dropped and smp-aborted all carry `reason` from ProtocolErrorCode', () => {
    const pair = makePair();
    establish(pair);
    const outcome = pair.alice.account.receive('bob', '?OTR:AAMDgarbage.', pair.now);
    const dropped = outcome.events.find((event) => event.kind === 'dropped');
    expect(dropped?.reason).toBe('malformed');
    // A data message outside a secure session: a protocol-error with a reason, no `code` field.
    const fresh = makePair();
    establish(fresh);
    const data = fresh.bob.account.send('alice', 'hello', fresh.now).send[0]?.text ?? '';
    const stranger = new Account({ privateKey: testKey('alice'), instanceTag: fresh.alice.account.instanceTag });
    const error = stranger.receive('bob', data, 0).events.find((event) => event.kind === 'protocol-error');
    expect(error).toMatchObject({ reason: 'not-encrypted' });
    expect(error !== undefined && 'code' in error).toBe(false);
    const reasons: ProtocolErrorCode[] = [];
    for (const event of [...outcome.events, ...(error === undefined ? [] : [error])]) {
      if (event.kind === 'protocol-error' || event.kind === 'dropped') reasons.push(event.reason);
      if (event.kind === 'smp-aborted' && event.by === 'protocol') reasons.push(event.reason);
    }
    expect(reasons).toEqual(['malformed', 'not-encrypted']);
  });

  it('codes never produced are gone from ProtocolErrorCode', () => {
    // @ts-expect-error nothing produces smp-failed-check
    const failedCheck: ProtocolErrorCode = 'smp-failed-check';
    // @ts-expect-error nothing produces smp-unexpected
    const unexpected: ProtocolErrorCode = 'smp-unexpected';
    const smpReason: ProtocolErrorCode = 'unexpected';
    expect([failedCheck, unexpected, smpReason]).toHaveLength(3);
  });
});

describe('calls the peer can make invalid report through the outcome', () => {
  it('endOtr after the peer ended reports through the outcome', () => {
    const pair = peerEnded();
    const first = pair.act(pair.alice, (alice, now) => alice.endOtr('bob', now));
    expect(first.events.map((event) => event.kind)).toEqual(['insecure']);
    const again = pair.act(pair.alice, (alice, now) => alice.endOtr('bob', now));
    expect(again.events).toMatchObject([{ kind: 'refused', peer: 'bob', call: 'endOtr', reason: 'not-secure' }]);
    expect(again.send).toEqual([]);
  });

  it('startSmp once finished reports through the outcome', () => {
    const pair = peerEnded();
    const outcome = pair.act(pair.alice, (alice, now) => alice.startSmp('bob', 'secret', 'question?', now));
    expect(refusals(outcome)).toEqual([{ kind: 'refused', peer: 'bob', instance: pair.bob.account.instanceTag, call: 'startSmp', reason: 'finished' }]);
    expect(outcome.send).toEqual([]);
    expect(refusals(account().startSmp('bob', 'secret', undefined, 0))).toMatchObject([{ call: 'startSmp', reason: 'not-secure' }]);
  });

  it('answerSmp after the peer aborted reports through the outcome', () => {
    const pair = makePair();
    establish(pair);
    pair.act(pair.alice, (alice, now) => alice.startSmp('bob', 'secret', undefined, now));
    pair.deliverAll();
    pair.act(pair.alice, (alice, now) => alice.abortSmp('bob', now));
    pair.deliverAll();
    const outcome = pair.act(pair.bob, (bob, now) => bob.answerSmp('alice', 'secret', now));
    expect(refusals(outcome)).toMatchObject([{ call: 'answerSmp', reason: 'no-smp-request' }]);
    expect(outcome.send).toEqual([]);
  });

  it('useExtraSymmetricKey without a secure session reports through the outcome', () => {
    expect(refusals(account().useExtraSymmetricKey('bob', 1, new Uint8Array(0), 0))).toMatchObject([{ call: 'useExtraSymmetricKey', reason: 'not-secure' }]);
    const v2 = makePair({ alice: { policy: { ...Policies.MANUAL, versions: new Set([2]) } }, bob: { policy: { ...Policies.MANUAL, versions: new Set([2]) } } });
    establish(v2);
    expect(v2.alice.account.status('bob').version).toBe(2);
    expect(refusals(v2.alice.account.useExtraSymmetricKey('bob', 1, new Uint8Array(0), v2.now))).toMatchObject([{ call: 'useExtraSymmetricKey', reason: 'needs-version-3' }]);
  });

  it('a policy allowing version 4 offers, starts and accepts version 4 only with a v4 identity', () => {
    expect(root.IMPLEMENTED_VERSIONS).toEqual([4, 3, 2]);
    const withV4 = new Account({ privateKey: testKey('alice'), instanceTag: 0x1234, policy: { ...Policies.OPPORTUNISTIC, versions: new Set([3, 4]) } });
    expect(withV4.startOtr('bob', 0).send[0]?.text).toMatch(/^\?OTRv3\?/);
    expect(withV4.send('carol', 'hi', 0).send[0]?.text).toBe(`hi \t  \t\t\t\t \t \t \t    \t\t  \t\t`);
    // Without a v4 identity a version 4 query starts nothing; one offering 3 as well starts v3.
    expect(withV4.receive('dave', '?OTRv4?', 0).send).toEqual([]);
    expect(withV4.receive('erin', '?OTRv43?', 0).send[0]?.text).toMatch(/^\?OTR:AAMC/);
    // A policy allowing only version 4 allows no OTR this account speaks.
    const onlyV4 = new Account({ privateKey: testKey('alice'), instanceTag: 0x1234, policy: { ...Policies.OPPORTUNISTIC, versions: new Set([4]) } });
    expect(() => onlyV4.startOtr('bob', 0)).toThrow(UsageError);
    expect(onlyV4.send('bob', 'hi', 0).send).toEqual([{ to: 'bob', text: 'hi' }]);
    // Both sides allowing 2, 3 and 4 (the presets) without v4 identities meet in version 3.
    const pair = makePair();
    expect([...Policies.MANUAL.versions].sort()).toEqual([2, 3, 4]);
    establish(pair);
    expect(pair.alice.account.status('bob').version).toBe(3);
  });

  it('a chosen instance the account does not know reports through the outcome', () => {
    const alice = account();
    expect(alice.send('bob', 'hi', 0, { instance: 0x4242 }).events).toEqual([{ kind: 'not-sent', peer: 'bob', reason: 'unknown-instance' }]);
    expect(refusals(alice.endOtr('bob', 0, { instance: 0x4242 }))).toMatchObject([{ call: 'endOtr', reason: 'unknown-instance' }]);
  });

  it('abortSmp on an idle SMP reports smp-aborted itself', () => {
    const pair = makePair();
    establish(pair);
    const idle = pair.act(pair.alice, (alice, now) => alice.abortSmp('bob', now));
    expect(idle.events).toEqual([{ kind: 'smp-aborted', peer: 'bob', instance: pair.bob.account.instanceTag, by: 'us' }]);
    expect(idle.send).toHaveLength(1); // the abort TLV: the peer may be in an SMP we do not know of
    pair.deliverAll();
    const noSession = account().abortSmp('bob', 0);
    expect(noSession.events).toEqual([{ kind: 'smp-aborted', peer: 'bob', instance: 0, by: 'us' }]);
    expect(noSession.send).toEqual([]);
    // A running SMP: exactly one smp-aborted, not two.
    pair.act(pair.alice, (alice, now) => alice.startSmp('bob', 'secret', undefined, now));
    const running = pair.act(pair.alice, (alice, now) => alice.abortSmp('bob', now));
    expect(running.events.filter((event) => event.kind === 'smp-aborted')).toHaveLength(1);
  });
});

describe('outcomes are readonly', () => {
  it('an Outcome cannot be pushed into (checked by tsc)', () => {
    const typeOnly = (outcome: Outcome, event: OtrEvent): void => {
      // @ts-expect-error the events of an outcome are read-only
      outcome.events.push(event);
      // @ts-expect-error so are the texts to send
      outcome.send.push({ to: 'bob', text: 'x' });
    };
    expect(typeof typeOnly).toBe('function');
  });
});

describe('an instance-tag generator and a testing entry point', () => {
  it('generateInstanceTag draws tags in [0x100, 0xffffffff], drawing again below 0x100', () => {
    const draws = [Uint8Array.of(0, 0, 0, 0xff), Uint8Array.of(0xff, 0xff, 0xff, 0xff)];
    expect(generateInstanceTag(() => draws.shift() ?? new Uint8Array(4))).toBe(0xffffffff);
    for (let i = 0; i < 20; i++) {
      const tag = generateInstanceTag();
      expect(tag).toBeGreaterThanOrEqual(0x100);
      expect(tag).toBeLessThanOrEqual(0xffffffff);
      expect(() => new Account({ privateKey: testKey('alice'), instanceTag: tag })).not.toThrow();
    }
  });

  it('OutcomeBuilder, deterministicRandom, internalConversationOf and trackSecrets live in the testing entry point only', async () => {
    expect(Object.keys(root)).not.toContain('OutcomeBuilder');
    expect(Object.keys(root)).not.toContain('deterministicRandom');
    expect(Object.keys(root)).not.toContain('internalConversationOf');
    expect(Object.keys(root)).not.toContain('trackSecrets');
    const viaPackage = await import('@sotto/otr/testing');
    expect(Object.keys(viaPackage).sort()).toEqual(['OutcomeBuilder', 'deterministicRandom', 'internalConversationOf', 'trackSecrets']);
    expect(viaPackage.deterministicRandom).toBe(testing.deterministicRandom);
  });
});
