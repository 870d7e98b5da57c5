/** Whole-conversation SMP tests. */
import { describe, expect, it } from 'vitest';
import { establish, makePair } from './harness.js';

describe('SMP in a conversation', () => {
  it('succeeds with a question and the same secret on both sides', () => {
    const pair = makePair();
    establish(pair);
    pair.act(pair.alice, (account, now) => account.startSmp('bob', 'blue whale', 'Favourite animal?', now));
    pair.deliverAll();
    expect(pair.bob.eventsOf('smp-request')).toEqual([expect.objectContaining({ question: 'Favourite animal?' })]);
    pair.act(pair.bob, (account, now) => account.answerSmp('alice', 'blue whale', now));
    pair.deliverAll();
    expect(pair.alice.eventsOf('smp-result')).toEqual([expect.objectContaining({ success: true })]);
    expect(pair.bob.eventsOf('smp-result')).toEqual([expect.objectContaining({ success: true })]);
  });

  it('fails with different secrets, on both sides', () => {
    const pair = makePair();
    establish(pair);
    pair.act(pair.alice, (account, now) => account.startSmp('bob', 'one', undefined, now));
    pair.deliverAll();
    expect(pair.bob.eventsOf('smp-request')).toEqual([expect.objectContaining({ question: null })]);
    pair.act(pair.bob, (account, now) => account.answerSmp('alice', 'two', now));
    pair.deliverAll();
    expect(pair.alice.eventsOf('smp-result')).toEqual([expect.objectContaining({ success: false })]);
    expect(pair.bob.eventsOf('smp-result')).toEqual([expect.objectContaining({ success: false })]);
  });

  it('handles non-ASCII secrets as UTF-8', () => {
    const pair = makePair();
    establish(pair);
    pair.act(pair.alice, (account, now) => account.startSmp('bob', 'Grüße, 世界', undefined, now));
    pair.deliverAll();
    pair.act(pair.bob, (account, now) => account.answerSmp('alice', 'Grüße, 世界', now));
    pair.deliverAll();
    expect(pair.alice.eventsOf('smp-result')).toEqual([expect.objectContaining({ success: true })]);
  });

  it('an abort by the responder reaches the initiator', () => {
    const pair = makePair();
    establish(pair);
    pair.act(pair.alice, (account, now) => account.startSmp('bob', 's', undefined, now));
    pair.deliverAll();
    pair.act(pair.bob, (account, now) => account.abortSmp('alice', now));
    pair.deliverAll();
    expect(pair.alice.eventsOf('smp-aborted')).toEqual([expect.objectContaining({ by: 'peer' })]);
    expect(pair.bob.eventsOf('smp-aborted')).toEqual([expect.objectContaining({ by: 'us' })]);
    // A new SMP works afterwards.
    pair.act(pair.bob, (account, now) => account.startSmp('alice', 'again', undefined, now));
    pair.deliverAll();
    pair.act(pair.alice, (account, now) => account.answerSmp('bob', 'again', now));
    pair.deliverAll();
    expect(pair.bob.eventsOf('smp-result')).toEqual([expect.objectContaining({ success: true })]);
  });

  it('simultaneous starts end with both sides idle or one SMP that completes', () => {
    const pair = makePair();
    establish(pair);
    pair.act(pair.alice, (account, now) => account.startSmp('bob', 'same', undefined, now));
    pair.act(pair.bob, (account, now) => account.startSmp('alice', 'same', undefined, now));
    pair.deliverAll();
    const aliceState = pair.alice.account.status('bob').smp;
    const bobState = pair.bob.account.status('alice').smp;
    if (aliceState === 'awaiting-answer') {
      pair.act(pair.alice, (account, now) => account.answerSmp('bob', 'same', now));
      pair.deliverAll();
      expect(pair.alice.eventsOf('smp-result')).toEqual([expect.objectContaining({ success: true })]);
    } else if (bobState === 'awaiting-answer') {
      pair.act(pair.bob, (account, now) => account.answerSmp('alice', 'same', now));
      pair.deliverAll();
      expect(pair.bob.eventsOf('smp-result')).toEqual([expect.objectContaining({ success: true })]);
    } else {
      expect(aliceState).toBe('idle');
      expect(bobState).toBe('idle');
    }
  });

  it('SMP fragmented at 140 characters', () => {
    const pair = makePair({ alice: { maxMessageSize: 140 }, bob: { maxMessageSize: 140 } });
    establish(pair);
    pair.act(pair.alice, (account, now) => account.startSmp('bob', 'frag', undefined, now));
    pair.deliverAll();
    pair.act(pair.bob, (account, now) => account.answerSmp('alice', 'frag', now));
    pair.deliverAll();
    expect(pair.alice.eventsOf('smp-result')).toEqual([expect.objectContaining({ success: true })]);
  });
});
