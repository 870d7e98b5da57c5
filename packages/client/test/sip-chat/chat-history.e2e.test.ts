/**
 * End to end: the history of SIP chats (logging on): every user message in
 * and out with its encryption status, the peer's fingerprint and the OTR
 * version, the delivery status updated on the success REPORT; OTR's own
 * messages never; logging off records nothing.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { memoryIo } from '../helpers/memory-io.js';
import { bothSecure, connect, historyRows, say, sipChatRig, startSipClient } from './harness.js';

const rig = sipChatRig();
const { stateDir } = rig;

describe('SIP chat history', () => {
  it('records each user message with its encryption, fingerprint, version and delivery; OTR\'s own messages never; logging off records nothing', async () => {
    const aliceDir = stateDir();
    const bobDir = stateDir();
    expect(await main(['logging', 'on', '--state-dir', aliceDir], memoryIo().io)).toBe(0);
    const alice = await startSipClient(rig.kam, 'alice', { stateDir: aliceDir });
    const bob = await startSipClient(rig.kam, 'bob', { stateDir: bobDir });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    await say(alice, bob, 'one', 'h1');
    await say(bob, alice, 'two', 'h2');
    expect(await alice.quit()).toBe(0);
    expect(await bob.quit()).toBe(0);

    const aliceRows = await historyRows(aliceDir, alice.address, bob.address);
    expect(aliceRows.map((row) => [row.direction, row.text, row.delivery, row.encryption])).toEqual([
      ['out', 'one', 'delivered', { status: 'encrypted-unverified', fingerprint: bob.fingerprint, otrVersion: 4 }],
      ['in', 'two', 'not-requested', { status: 'encrypted-unverified', fingerprint: bob.fingerprint, otrVersion: 4 }],
    ]);
    expect(aliceRows.every((row) => row.peer === bob.address && row.account === alice.address)).toBe(true);
    expect(await historyRows(bobDir, bob.address, alice.address)).toEqual([]);
  });

  it('a plaintext chat is recorded as plaintext', async () => {
    const aliceDir = stateDir();
    expect(await main(['logging', 'on', '--state-dir', aliceDir], memoryIo().io)).toBe(0);
    const alice = await startSipClient(rig.kam, 'alice2', { stateDir: aliceDir, policy: 'never' });
    const bob = await startSipClient(rig.kam, 'bob2', { policy: 'never' });
    await connect(alice, bob);
    await say(alice, bob, 'in the clear', 'c1');
    await say(bob, alice, 'also clear', 'c2');
    await alice.quit();
    await bob.quit();
    const aliceRows = await historyRows(aliceDir, alice.address, bob.address);
    expect(aliceRows.map((row) => [row.direction, row.text, row.delivery, row.encryption.status])).toEqual([
      ['out', 'in the clear', 'delivered', 'plaintext'],
      ['in', 'also clear', 'not-requested', 'plaintext'],
    ]);
  });
});
