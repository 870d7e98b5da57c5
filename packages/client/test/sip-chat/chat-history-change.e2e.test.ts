/**
 * End to end: per-message history statuses across a fingerprint change
 * (the lock turning red). Messages exchanged while the contact's key was
 * trusted stay recorded as encrypted-verified with that key; after the
 * contact comes back with another key, new messages are recorded as
 * encrypted-unverified with the new fingerprint: verification must be redone.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { memoryIo } from '../helpers/memory-io.js';
import { bothSecure, connect, historyRows, say, sipChatRig, startSipClient } from './harness.js';

const rig = sipChatRig();

describe('SIP chat history across a fingerprint change', () => {
  it('rows keep the status they had: verified with the old key before the change, unverified with the new key after', async () => {
    const aliceDir = rig.stateDir();
    expect(await main(['logging', 'on', '--state-dir', aliceDir], memoryIo().io)).toBe(0);
    const alice = await startSipClient(rig.kam, 'alice', { stateDir: aliceDir });
    const bob = await startSipClient(rig.kam, 'bob');
    await connect(alice, bob);
    await bothSecure(alice, bob);
    let a = alice.mark();
    alice.command({ cmd: 'trust', to: bob.address });
    await alice.next('trusted', a);
    await say(alice, bob, 'trusted out', 'v1');
    await say(bob, alice, 'trusted in', 'v2');
    a = alice.mark();
    alice.command({ cmd: 'hangup', to: bob.address });
    await alice.next('session-ended', a);
    await bob.quit();

    const newBob = await startSipClient(rig.kam, 'bob');
    expect(newBob.fingerprint).not.toBe(bob.fingerprint);
    a = alice.mark();
    await connect(alice, newBob);
    expect(await alice.next('fingerprint-changed', a)).toMatchObject({ peer: bob.address, fingerprint: newBob.fingerprint });
    expect(await alice.next('secure', a)).toMatchObject({ trusted: false });
    await say(alice, newBob, 'after the change out', 'u1');
    await say(newBob, alice, 'after the change in', 'u2');
    await newBob.quit();
    expect(await alice.quit()).toBe(0);

    const rows = await historyRows(aliceDir, alice.address, bob.address);
    expect(rows.map((row) => [row.direction, row.text, row.delivery, row.encryption])).toEqual([
      ['out', 'trusted out', 'delivered', { status: 'encrypted-verified', fingerprint: bob.fingerprint, otrVersion: 4 }],
      ['in', 'trusted in', 'not-requested', { status: 'encrypted-verified', fingerprint: bob.fingerprint, otrVersion: 4 }],
      ['out', 'after the change out', 'delivered', { status: 'encrypted-unverified', fingerprint: newBob.fingerprint, otrVersion: 4 }],
      ['in', 'after the change in', 'not-requested', { status: 'encrypted-unverified', fingerprint: newBob.fingerprint, otrVersion: 4 }],
    ]);
  });
});
