/**
 * End to end: the history of SIP chats (logging on): every user message in
 * and out with its encryption status, the peer's fingerprint and the OTR
 * version, the delivery status updated on the success REPORT; OTR's own
 * messages never; logging off records nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHistory, openStore } from '@sotto/store';
import { main } from '../../src/main.js';
import { memoryIo } from '../helpers/memory-io.js';
import { startKamailio, type Kamailio } from '../sip/kamailio/harness.js';
import { bothSecure, connect, say, startSipClient } from './harness.js';

let kam: Kamailio;
const dirs: string[] = [];

beforeAll(async () => {
  kam = await startKamailio();
});
afterAll(async () => {
  await kam.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sotto-sip-history-'));
  dirs.push(dir);
  return dir;
}

async function rows(dir: string, account: string, peer: string) {
  const store = await openStore(dir);
  try {
    const history = openHistory(store);
    try {
      return history.messages(account, peer).messages;
    } finally {
      history.close();
    }
  } finally {
    await store.close();
  }
}

describe('SIP chat history', () => {
  it('records each user message with its encryption, fingerprint, version and delivery; OTR\'s own messages never; logging off records nothing', async () => {
    const aliceDir = stateDir();
    const bobDir = stateDir();
    expect(await main(['logging', 'on', '--state-dir', aliceDir], memoryIo().io)).toBe(0);
    const alice = await startSipClient(kam, 'alice', { stateDir: aliceDir });
    const bob = await startSipClient(kam, 'bob', { stateDir: bobDir });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    await say(alice, bob, 'one', 'h1');
    await say(bob, alice, 'two', 'h2');
    expect(await alice.quit()).toBe(0);
    expect(await bob.quit()).toBe(0);

    const aliceRows = await rows(aliceDir, alice.address, bob.address);
    expect(aliceRows.map((row) => [row.direction, row.text, row.delivery, row.encryption])).toEqual([
      ['out', 'one', 'delivered', { status: 'encrypted-unverified', fingerprint: bob.fingerprint, otrVersion: 4 }],
      ['in', 'two', 'not-requested', { status: 'encrypted-unverified', fingerprint: bob.fingerprint, otrVersion: 4 }],
    ]);
    expect(aliceRows.every((row) => row.peer === bob.address && row.account === alice.address)).toBe(true);
    expect(await rows(bobDir, bob.address, alice.address)).toEqual([]);
  });

  it('a plaintext chat is recorded as plaintext', async () => {
    const aliceDir = stateDir();
    expect(await main(['logging', 'on', '--state-dir', aliceDir], memoryIo().io)).toBe(0);
    const alice = await startSipClient(kam, 'alice2', { stateDir: aliceDir, policy: 'never' });
    const bob = await startSipClient(kam, 'bob2', { policy: 'never' });
    await connect(alice, bob);
    await say(alice, bob, 'in the clear', 'c1');
    await say(bob, alice, 'also clear', 'c2');
    await alice.quit();
    await bob.quit();
    const aliceRows = await rows(aliceDir, alice.address, bob.address);
    expect(aliceRows.map((row) => [row.direction, row.text, row.delivery, row.encryption.status])).toEqual([
      ['out', 'in the clear', 'delivered', 'plaintext'],
      ['in', 'also clear', 'not-requested', 'plaintext'],
    ]);
  });
});
