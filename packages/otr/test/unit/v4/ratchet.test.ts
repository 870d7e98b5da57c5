/**
 * The OTRv4 double ratchet between two in-memory parties (otrv4.md, "Data
 * Exchange", "The Double Ratchet"): alternating and one-way traffic over many
 * ratchets, the DH ratchet every third, out-of-order, dropped and duplicated
 * messages, tampering, MAC key reveal and wiping.
 */
import { describe, expect, it } from 'vitest';
import { wipeRatchet } from '../../../src/v4/ratchet/index.js';
import { V4_TLV } from '../../../src/wire/v4/tlv.js';
import { encodeV4DataMessage } from '../../../src/wire/v4/data-message.js';
import { decode, deliver, makePair, openRaw, progress, refused, send, sealRaw, tamper, type Sent } from './ratchet-pair.js';

describe('double ratchet conversations', () => {
  it('alternating messages across many ratchets: one new chain per turn, a DH key in every third', () => {
    const { alice, bob } = makePair('alternating');
    const ids: number[] = [];
    for (let turn = 0; turn < 12; turn++) {
      const [from, to] = turn % 2 === 0 ? [bob, alice] : [alice, bob];
      const first = send(from, `turn ${turn} a`);
      const second = send(from, `turn ${turn} b`);
      for (const sent of [first, second]) {
        expect(sent.message.ratchetId).toBe(turn);
        expect(sent.message.dh !== undefined).toBe(turn % 3 === 0);
      }
      expect([first.message.messageId, second.message.messageId]).toEqual([0, 1]);
      deliver(to, first);
      deliver(to, second);
      ids.push(first.message.ratchetId);
    }
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(alice.state.nextRatchetId).toBe(12);
    expect(bob.state.nextRatchetId).toBe(12);
  });

  it('the side that received Auth-I may send first on the initial chain, with ratchet id 0 and its first DH key', () => {
    const { alice, bob } = makePair('alice-first');
    const a0 = send(alice, 'hello');
    expect([a0.message.ratchetId, a0.message.messageId, a0.message.dh !== undefined]).toEqual([0, 0, true]);
    deliver(bob, a0);
    const b0 = send(bob, 'hi');
    expect([b0.message.ratchetId, b0.message.dh !== undefined]).toEqual([0, true]);
    deliver(alice, b0);
    const a1 = send(alice, 'next');
    expect([a1.message.ratchetId, a1.message.previousChainLength, a1.message.dh]).toEqual([1, 1, undefined]);
    deliver(bob, a1);
  });

  it('one-way messages stay in one chain; pn counts the previous chain', () => {
    const { alice, bob } = makePair('one-way');
    for (let n = 0; n < 40; n++) deliver(bob, send(alice, `m${n}`));
    const reply = send(bob, 'reply');
    deliver(alice, reply);
    const next = send(alice, 'after');
    expect([next.message.ratchetId, next.message.messageId, next.message.previousChainLength]).toEqual([1, 0, 40]);
    deliver(bob, next);
  });

  it('out-of-order delivery within one chain', () => {
    const { alice, bob } = makePair('ooo-chain');
    const sent = [0, 1, 2, 3, 4].map((n) => send(alice, `m${n}`));
    for (const index of [4, 2, 0, 1, 3]) deliver(bob, sent[index] as Sent);
    expect(bob.state.skipped.size).toBe(0);
  });

  it('out-of-order delivery across ratchets: the old chain is stored up to the new message\'s pn', () => {
    const { alice, bob } = makePair('ooo-ratchets');
    const old = [0, 1, 2].map((n) => send(alice, `old ${n}`));
    deliver(bob, old[0] as Sent);
    deliver(alice, send(bob, 'reply'));
    const fresh = [send(alice, 'new 0'), send(alice, 'new 1')];
    deliver(bob, fresh[1] as Sent);
    expect(bob.state.skipped.positions()).toEqual([
      { ratchetId: 0, messageId: 1 },
      { ratchetId: 0, messageId: 2 },
      { ratchetId: 1, messageId: 0 },
    ]);
    deliver(bob, old[2] as Sent);
    deliver(bob, fresh[0] as Sent);
    deliver(bob, old[1] as Sent);
    expect(bob.state.skipped.size).toBe(0);
  });

  it('dropped messages: the conversation goes on and their keys wait in the store', () => {
    const { alice, bob } = makePair('dropped');
    for (let turn = 0; turn < 6; turn++) {
      const [from, to] = turn % 2 === 0 ? [alice, bob] : [bob, alice];
      send(from, 'lost');
      deliver(to, send(from, 'kept'));
    }
    expect(alice.state.skipped.size + bob.state.skipped.size).toBe(6);
  });

  it('a duplicate message is never accepted twice, in order or from the store', () => {
    const { alice, bob } = makePair('duplicates');
    const m0 = send(alice, 'zero');
    const m1 = send(alice, 'one');
    const m2 = send(alice, 'two');
    deliver(bob, m0);
    expect(refused(bob, m0.message)).toBe('no-key');
    deliver(bob, m2);
    deliver(bob, m1);
    const before = progress(bob.state);
    expect(refused(bob, m1.message)).toBe('no-key');
    expect(refused(bob, m2.message)).toBe('no-key');
    expect(progress(bob.state)).toEqual(before);
    deliver(alice, send(bob, 'reply'));
    const n0 = send(alice, 'new chain');
    deliver(bob, n0);
    expect(refused(bob, n0.message)).toBe('no-key');
  });
});

describe('refusals leave the state untouched', () => {
  const flip = (bytes: Uint8Array, at = 0): Uint8Array => {
    const copy = Uint8Array.from(bytes);
    copy[at] = (copy[at] ?? 0) ^ 1;
    return copy;
  };

  it('tampered authenticator or ciphertext is refused with no state change, in a chain and on a new chain', () => {
    const { alice, bob } = makePair('tamper');
    const inChain = send(alice, 'in chain');
    for (const forged of [tamper(inChain.message, { authenticator: flip(inChain.message.authenticator) }), tamper(inChain.message, { encryptedMessage: flip(inChain.message.encryptedMessage) })]) {
      const before = progress(bob.state);
      expect(refused(bob, forged)).toBe('bad-authenticator');
      expect(progress(bob.state)).toEqual(before);
    }
    deliver(bob, inChain);
    const reply = send(bob, 'first of a new chain');
    for (const forged of [tamper(reply.message, { authenticator: flip(reply.message.authenticator, 63) }), tamper(reply.message, { encryptedMessage: flip(reply.message.encryptedMessage, 3) })]) {
      const before = progress(alice.state);
      expect(refused(alice, forged)).toBe('bad-authenticator');
      expect(progress(alice.state)).toEqual(before);
    }
    deliver(alice, reply);
  });

  it('a new chain with a bad or reused ECDH key or a wrongly present DH key is refused before any change', () => {
    const { alice, bob } = makePair('bad-keys');
    deliver(bob, send(alice, 'a'));
    const reply = send(bob, 'b');
    const before = progress(alice.state);
    const notOnCurve = new Uint8Array(57).fill(0xff);
    notOnCurve[56] = 0;
    expect(refused(alice, tamper(reply.message, { ecdh: notOnCurve }))).toBe('bad-group-element');
    expect(refused(alice, tamper(reply.message, { ecdh: alice.state.ourEcdhPublic }))).toBe('bad-group-element');
    expect(refused(alice, tamper(reply.message, { dh: undefined }))).toBe('bad-dh-presence');
    expect(refused(alice, tamper(reply.message, { dh: Uint8Array.of(1) }))).toBe('bad-group-element');
    expect(refused(alice, tamper(reply.message, { ecdh: bob.state.ourEcdhPublic.map((b, i) => (i === 0 ? b ^ 4 : b)) }))).not.toBe(undefined);
    expect(progress(alice.state)).toEqual(before);
    deliver(alice, reply);
    const inChain = send(bob, 'c');
    expect(refused(alice, tamper(inChain.message, { ecdh: alice.state.ourEcdhPublic }))).toBe('ecdh-mismatch');
    deliver(alice, inChain);
  });
});

describe('MAC keys and the extra symmetric key', () => {
  it('MAC keys of read messages are revealed in the first message of the reader\'s next chain, once', () => {
    const { alice, bob } = makePair('reveal');
    const read = [send(alice, 'x'), send(alice, 'y')].map((sent) => deliver(bob, sent));
    expect(read).toHaveLength(2);
    const pending = bob.state.macKeysToReveal.map((key) => Uint8Array.from(key.expose()));
    const first = send(bob, 'first of chain');
    const second = send(bob, 'second of chain');
    expect(first.message.revealedMacKeys).toEqual(new Uint8Array(Buffer.concat(pending)));
    expect(second.message.revealedMacKeys.length).toBe(0);
  });

  it('both sides derive the same extra symmetric key for a message carrying a type 7 TLV', () => {
    const { alice, bob } = makePair('extra-key');
    const tlv = { type: V4_TLV.EXTRA_SYMMETRIC_KEY, value: Uint8Array.of(0, 0, 0, 1) };
    const sealed = sealRaw(alice, '', [tlv], true);
    if (!sealed.ok || sealed.extraKey === undefined) throw new Error('no extra key');
    const opened = openRaw(bob, decode(encodeV4DataMessage(sealed.body)));
    if (!opened.ok) throw new Error(opened.refused);
    expect(opened.extraKey?.expose()).toEqual(sealed.extraKey.expose());
  });
});

describe('wiping', () => {
  it('every step hands back the keys it used, and the ratchet\'s own keys stay intact until it ends', () => {
    const { alice, bob } = makePair('wipe');
    const m0 = send(alice, 'a');
    const m1 = send(alice, 'b');
    deliver(bob, m1);
    const stored = bob.state.skipped.peek({ ratchetId: 0, messageId: 0 });
    deliver(bob, m0);
    expect(stored?.encryptionKey.wiped).toBe(true);
    expect(stored?.extraKey.wiped).toBe(true);
    expect(alice.wiped.length).toBeGreaterThan(0);
    expect(bob.state.rootKey.wiped).toBe(false);
    deliver(alice, send(bob, 'c'));
    send(alice, 'lost');
    deliver(bob, send(alice, 'd'));
    const held = [bob.state.rootKey, bob.state.braceKey, ...bob.state.macKeysToReveal];
    const secrets = wipeRatchet(bob.state);
    for (const secret of secrets) secret.wipe();
    for (const secret of held) expect(secret.wiped).toBe(true);
    expect(bob.state.skipped.size).toBe(0);
    expect(refused(bob, send(alice, 'after end').message)).toBe('ended');
  });
});
