/**
 * Every Secret the library creates during a whole conversation is wiped once
 * both accounts are wiped, apart from what the host owns: the long-term keys
 * and the extra symmetric keys handed over in `extra-key` events (which the
 * host here wipes, as a host should).
 */
import { describe, expect, it } from 'vitest';
import { trackSecrets } from '../../../src/testing.js';
import type { Secret } from '../../../src/crypto/secret.js';
import { establish, makePair, testKey } from '../../pair/harness.js';

describe('Secret registry', () => {
  it('no Secret stays unwiped after Account.wipe()', () => {
    // The long-term keys are the host's (Account.wipe leaves them): made before tracking starts.
    testKey('alice');
    testKey('bob');
    const tracking = trackSecrets();
    try {
      const pair = makePair();
      const hostKeys: Secret[] = [];
      const keep = (outcome: { events: readonly { kind: string; key?: Secret }[] }): void => {
        for (const event of outcome.events) if (event.kind === 'extra-key' && event.key !== undefined) hostKeys.push(event.key);
      };
      const act = (who: 'alice' | 'bob', action: Parameters<typeof pair.act>[1]): void => {
        keep(pair.act(pair[who], action));
        pair.deliverAll();
      };
      establish(pair);
      for (let n = 0; n < 4; n++) {
        act('alice', (a, now) => a.send('bob', `ping ${n}`, now));
        act('bob', (b, now) => b.send('alice', `pong ${n}`, now));
      }
      act('alice', (a, now) => a.startSmp('bob', 'napkin', 'Where?', now));
      act('bob', (b, now) => b.answerSmp('alice', 'napkin', now));
      act('bob', (b, now) => b.startSmp('alice', 'one', undefined, now));
      act('alice', (a, now) => a.answerSmp('bob', 'two', now));
      act('alice', (a, now) => a.startSmp('bob', 'aborted', undefined, now));
      act('bob', (b, now) => b.abortSmp('alice', now));
      act('alice', (a, now) => a.useExtraSymmetricKey('bob', 7, new Uint8Array([1, 2]), now));
      act('bob', (b, now) => b.useExtraSymmetricKey('alice', 8, new Uint8Array(0), now));
      act('bob', (b, now) => b.startOtr('alice', now)); // re-AKE of the secure session
      act('alice', (a, now) => a.send('bob', 'after the re-AKE', now));
      act('alice', (a, now) => a.endOtr('bob', now));
      act('bob', (b, now) => b.endOtr('alice', now));
      establish(pair);
      act('bob', (b, now) => b.send('alice', 'a second session', now));
      for (const event of [...pair.alice.events, ...pair.bob.events]) if (event.kind === 'extra-key') hostKeys.push(event.key);
      expect(new Set(hostKeys.map((k) => k)).size).toBeGreaterThanOrEqual(4);
      expect(pair.alice.eventsOf('smp-result').length + pair.bob.eventsOf('smp-result').length).toBe(4);
      expect(pair.alice.eventsOf('secure').length).toBeGreaterThanOrEqual(3);
      // The host wipes the keys it was given; the accounts wipe the rest.
      for (const key of hostKeys) key.wipe();
      pair.alice.account.wipe();
      pair.bob.account.wipe();
      expect(tracking.secrets.size).toBeGreaterThan(50);
      const unwiped = [...tracking.secrets].filter((secret) => !secret.wiped);
      expect(unwiped.length).toBe(0);
    } finally {
      tracking.stop();
    }
  });
});
