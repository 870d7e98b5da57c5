/**
 * Per-peer state in the client stays bounded whatever the relay sends: a
 * hostile relay can deliver from any number of addresses, and each address
 * used to leave an entry behind for good (the host's error times and latest
 * fingerprints, the terminal's conversation views, the trust book's refused
 * addresses).
 */
import { Account, generateDsaKey } from '@sotto/otr';
import { StoreError } from '@sotto/store';
import { describe, expect, it } from 'vitest';
import { ChatHost } from '../../src/session/chat-host.js';
import { Conversations } from '../../src/session/conversations.js';
import type { DriverEvent } from '../../src/session/driver-events.js';
import { MAX_REMEMBERED_PEERS } from '../../src/session/recent-map.js';
import { TrustBook, type TrustStorage } from '../../src/session/trust-book.js';
import { memoryTrust, memoryTrustBook } from '../helpers/memory-trust.js';

const key = generateDsaKey();

function host(tag: number, events: DriverEvent[], options: { maxRememberedPeers?: number; clock?: () => number } = {}): ChatHost {
  return new ChatHost({
    privateKey: key,
    instanceTag: tag,
    trust: memoryTrustBook(),
    policy: 'manual',
    versions: new Set([2, 3]),
    maxMessageSize: 0,
    emit: (event) => events.push(event),
    log: () => undefined,
    ...options,
  });
}

describe('per-peer maps of the client grow by one entry per peer address', () => {
  it("the host's error times stay at the cap after OTR messages from 5,000 distinct addresses", () => {
    // A data message for the victim's instance tag, from a session the victim does not have: a protocol error per address.
    const sender = new Account({ privateKey: key, instanceTag: 0x1111 });
    const other = new Account({ privateKey: key, instanceTag: 0x2222 });
    const queue = sender.startOtr('b', 0).send.map((message) => ({ to: 'b', text: message.text }));
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const toB = next.to === 'b';
      const outcome = toB ? other.receive('a', next.text, 0) : sender.receive('b', next.text, 0);
      queue.push(...outcome.send.map((message) => ({ to: toB ? 'a' : 'b', text: message.text })));
    }
    const data = sender.send('b', 'hello', 0).send[0]?.text ?? '';

    const events: DriverEvent[] = [];
    let now = 0;
    const victim = host(0x2222, events, { clock: () => now });
    // 5,000 rather than 100,000: the library itself keeps a conversation per address and scans them all on each call.
    for (let i = 0; i < 5_000; i += 1) {
      victim.receive(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:1`, data);
      now += 1;
    }
    expect(events.filter((event) => event.event === 'error')).toHaveLength(5_000);
    expect(victim.rememberedPeers.errorTimes).toBe(MAX_REMEMBERED_PEERS);
    victim.close();
  });

  it("the host's latest fingerprints stay at the cap, and a forgotten one of a running session is still found for /trust", () => {
    const events: DriverEvent[] = [];
    const victim = host(0x2222, events, { maxRememberedPeers: 2 });
    const peers = [0x3001, 0x3002, 0x3003].map((tag) => ({ name: `p${tag}`, host: host(tag, []) }));
    const wire: { to: string; from: string; text: string }[] = [];
    victim.attach((to, text) => wire.push({ to, from: 'victim', text }));
    for (const peer of peers) peer.host.attach((to, text) => wire.push({ to, from: peer.name, text }));
    for (const peer of peers) {
      peer.host.start('victim');
      for (let next = wire.shift(); next !== undefined; next = wire.shift()) {
        if (next.to === 'victim') victim.receive(next.from, next.text);
        else peers.find((p) => p.name === next.to)?.host.receive(next.from, next.text);
      }
    }
    expect(events.filter((event) => event.event === 'secure')).toHaveLength(3);
    expect(victim.rememberedPeers.fingerprints).toBe(2);
    expect(victim.lastFingerprint('p12289')).toBe(victim.fingerprintHex);
    victim.close();
    for (const peer of peers) peer.host.close();
  });

  it("the terminal's conversation views stay at the cap, keeping the current peer and encrypted conversations", () => {
    const views = new Conversations();
    views.apply({ event: 'secure', peer: 'friend', version: 3, fingerprint: 'f'.repeat(40), ssid: '0'.repeat(16), trusted: false });
    views.touch('current');
    views.pin('current');
    for (let i = 0; i < 100_000; i += 1) views.apply({ event: 'message', from: `10.0.${i >> 8}.${i & 255}:${i}`, text: 'hi', encrypted: false });
    expect(views.list()).toHaveLength(MAX_REMEMBERED_PEERS);
    expect(views.get('friend').lock).toBe('encrypted-unverified');
    expect(views.list().map((view) => view.peer)).toContain('current');
  });

  it("the trust book's refused addresses stay at the cap (a forgotten one is reported again)", async () => {
    const refusing: TrustStorage = { ...memoryTrust, recordSeen: () => Promise.reject(new StoreError('invalid', 'bad name')) };
    const reported: string[] = [];
    let current = '';
    const book = new TrustBook(refusing, 'default', () => reported.push(current));
    const fingerprint = 'a'.repeat(40);
    for (let i = 0; i <= MAX_REMEMBERED_PEERS; i += 1) {
      current = `peer${i}`;
      book.seen(current, fingerprint, new Date(0));
      await book.flush();
    }
    expect(reported).toHaveLength(MAX_REMEMBERED_PEERS + 1);
    // peer0 fell out of the bounded set: seen again, its refusal is told again, rather than the set keeping every address.
    current = 'peer0';
    book.seen('peer0', fingerprint, new Date(0));
    await book.flush();
    expect(reported).toHaveLength(MAX_REMEMBERED_PEERS + 2);
  });
});
