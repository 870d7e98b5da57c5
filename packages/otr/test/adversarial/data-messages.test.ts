/**
 * Hostile data messages (Protocol-v3, "Data Message", "Key Management",
 * "Receiving a Data Message"): replays and reordering, MACs, key ids, the
 * revealed-MAC-keys field and DATA length fields. Each message is sealed
 * with the evil peer's real keys, so only the check under test can stop it.
 */
import { describe, expect, it } from 'vitest';
import { patchU32, dataOffsets, eventsOf, expectDropped, expectProtocolError, IGNORE_UNREADABLE, Scene, UNREADABLE_ERROR, EVIL_TAG } from './evil-peer.js';

describe('replayed and reordered data messages', () => {
  // "Check that the counter in the Data message is strictly larger than the
  // last counter you saw using this pair of keys. If not, reject the
  // message." A rejected message is "unreadable": inform the user and reply
  // with an Error Message ("Receiving a Data Message").
  it('a data message delivered twice is shown once; the copy is refused as replayed-counter', () => {
    const scene = Scene.encrypted('replay');
    const before = scene.status();
    const message = scene.data('only once');
    expect(scene.toVictim(message).show.map((m) => m.text)).toEqual(['only once']);
    const again = scene.toVictim(message);
    expectProtocolError(again, 'replayed-counter');
    expect(again.send.map((m) => m.text)).toEqual([UNREADABLE_ERROR]);
    scene.tick(10_000);
    scene.expectIntact(before);
  });

  it('an older counter after a newer one (reordering) is refused as replayed-counter', () => {
    const scene = Scene.encrypted('reorder');
    const before = scene.status();
    const first = scene.data('first');
    const second = scene.data('second');
    expect(scene.toVictim(second).show.map((m) => m.text)).toEqual(['second']);
    expectProtocolError(scene.toVictim(first), 'replayed-counter');
    scene.tick(10_000);
    scene.expectIntact(before);
  });

  it('a replay flagged IGNORE_UNREADABLE is dropped silently (reported, no error reply)', () => {
    const scene = Scene.encrypted('replay-ignore');
    const before = scene.status();
    const message = scene.data('', { flags: IGNORE_UNREADABLE, tlvs: [{ type: 0, value: new Uint8Array(3) }] });
    expect(scene.toVictim(message).events).toEqual([]);
    const dropped = expectDropped(scene.toVictim(message), 'unreadable');
    expect(dropped.detail).toMatch(/counter/);
    scene.expectIntact(before);
  });

  it('a counter of zero (below the first one ever sent) is refused as replayed-counter', () => {
    const scene = Scene.encrypted('counter-zero');
    const before = scene.status();
    expectProtocolError(scene.toVictim(scene.data('zero', { fields: (f) => ({ ...f, counter: new Uint8Array(8) }) })), 'replayed-counter');
    scene.tick(10_000);
    scene.expectIntact(before);
  });

  it('the error reply to a run of unreadable messages is rate-limited (one per interval)', () => {
    const scene = Scene.encrypted('replay-storm');
    const message = scene.data('x');
    scene.toVictim(message);
    const replies = Array.from({ length: 20 }, () => scene.toVictim(message).send.length);
    expect(replies.reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe('MACs', () => {
  it('a wrong MAC (one bit flipped) is refused as bad-mac', () => {
    const scene = Scene.encrypted('mac-flip');
    const before = scene.status();
    const text = scene.data('forged', {
      after: (bytes) => {
        const out = Uint8Array.from(bytes);
        out[dataOffsets(out).mac]! ^= 0x01;
        return out;
      },
    });
    const outcome = scene.toVictim(text);
    expectProtocolError(outcome, 'bad-mac');
    expect(outcome.send.map((m) => m.text)).toEqual([UNREADABLE_ERROR]);
    scene.tick(10_000);
    scene.expectIntact(before);
  });

  it('a truncated MAC (19 bytes) does not decode and is dropped as malformed', () => {
    const scene = Scene.encrypted('mac-short');
    const before = scene.status();
    const text = scene.data('short mac', {
      after: (bytes) => {
        const { mac } = dataOffsets(bytes);
        return Uint8Array.from([...bytes.subarray(0, mac + 19), ...bytes.subarray(mac + 20)]);
      },
    });
    expectDropped(scene.toVictim(text), 'malformed');
    scene.expectIntact(before);
  });

  it('a message with the MAC cut off entirely is dropped as malformed', () => {
    const scene = Scene.encrypted('mac-none');
    const before = scene.status();
    expectDropped(scene.toVictim(scene.data('no mac', { after: (bytes) => bytes.subarray(0, dataOffsets(bytes).mac) })), 'malformed');
    scene.expectIntact(before);
  });

  const changes: [string, (offsets: ReturnType<typeof dataOffsets>) => number][] = [
    ['the flags', () => 11],
    ['the next DH key', (o) => o.nextDh + 4 + 100],
    ['the counter', (o) => o.counter + 7],
    ['the encrypted message', (o) => o.encrypted + 4],
  ];
  for (const [what, where] of changes) {
    it(`a valid MAC over bytes changed afterwards (${what}) is refused as bad-mac`, () => {
      const scene = Scene.encrypted(`mac-over-${what}`);
      const before = scene.status();
      const text = scene.data('changed after the MAC', {
        after: (bytes) => {
          const out = Uint8Array.from(bytes);
          // 0x02, not IGNORE_UNREADABLE, so the error path stays visible.
          out[where(dataOffsets(out))]! ^= 0x02;
          return out;
        },
      });
      expectProtocolError(scene.toVictim(text), 'bad-mac');
      scene.tick(10_000);
      scene.expectIntact(before);
    });
  }

  it('setting IGNORE_UNREADABLE after the MAC silences the error reply but does not get the message read', () => {
    const scene = Scene.encrypted('mac-flag');
    const before = scene.status();
    const text = scene.data('flag added later', {
      after: (bytes) => {
        const out = Uint8Array.from(bytes);
        out[11]! |= IGNORE_UNREADABLE;
        return out;
      },
    });
    expect(expectDropped(scene.toVictim(text), 'unreadable').detail).toMatch(/MAC/);
    scene.expectIntact(before);
  });
});

describe('key ids', () => {
  // "If the keyids do not represent either the most recent key or the
  // previous key (for either the sender or receiver), reject the message."
  // Key id 0 is never used: ids start at 1 and only increase.
  const cases: [string, { sender?: number; recipient?: number }][] = [
    ['sender key id 0', { sender: 0 }],
    ['recipient key id 0', { recipient: 0 }],
    ['both key ids 0', { sender: 0, recipient: 0 }],
    ['a sender key id from the future (5)', { sender: 5 }],
    ['a recipient key id from the future (9)', { recipient: 9 }],
    ['sender key id 0xffffffff', { sender: 0xffffffff }],
    ['recipient key id 0x80000000', { recipient: 0x80000000 }],
    // The victim's our_keyid is 2, but it has not advertised that key yet.
    ['a recipient key id of a key never advertised (2)', { recipient: 2 }],
  ];
  for (const [name, ids] of cases) {
    it(`${name} is refused as bad-key-id, with a valid MAC`, () => {
      const scene = Scene.encrypted(`keyid-${name}`);
      const before = scene.status();
      const text = scene.data('wrong key', {
        fields: (f) => ({ ...f, senderKeyId: ids.sender ?? f.senderKeyId, recipientKeyId: ids.recipient ?? f.recipientKeyId }),
      });
      const outcome = scene.toVictim(text);
      expectProtocolError(outcome, 'bad-key-id');
      expect(outcome.send.map((m) => m.text)).toEqual([UNREADABLE_ERROR]);
      scene.tick(10_000);
      scene.expectIntact(before);
    });
  }

  it('a message for keys the victim has since forgotten is refused as bad-key-id', () => {
    const scene = Scene.encrypted('keyid-forgotten');
    const old = scene.data('under the first keys');
    // Two rounds trip: both sides rotate twice, so the (1, 1) pairing is gone.
    for (let i = 0; i < 2; i++) {
      scene.toVictim(scene.data(`round ${i}`));
      scene.victimSends(`answer ${i}`);
    }
    const before = scene.status();
    expectProtocolError(scene.toVictim(old), 'bad-key-id');
    scene.tick(10_000);
    scene.expectIntact(before);
  });
});

describe('the revealed MAC keys field', () => {
  // The old MAC keys are not covered by the MAC ("Data Message": the
  // authenticator ends with the encrypted message) and are published for
  // deniability only; libotr accepts any length there, and so do we: the
  // message is read and shown once, whatever the field holds.
  for (const length of [1, 19, 21, 39, 41]) {
    it(`an old-MAC-keys field of ${length} bytes (not a multiple of 20) does not stop a valid message`, () => {
      const scene = Scene.encrypted(`oldmac-${length}`);
      const before = scene.status();
      const outcome = scene.toVictim(scene.data('with odd reveal', { oldMacKeys: new Uint8Array(length).fill(0x5a) }));
      expect(outcome.show.map((m) => m.text)).toEqual(['with odd reveal']);
      expect(outcome.events).toEqual([]);
      scene.expectIntact(before);
    });
  }

  it('an old-MAC-keys length field longer than the message is dropped as malformed', () => {
    const scene = Scene.encrypted('oldmac-long');
    const before = scene.status();
    const text = scene.data('reveal overflows', { after: (bytes) => patchU32(bytes, dataOffsets(bytes).oldMacKeys, 21) });
    expectDropped(scene.toVictim(text), 'malformed');
    scene.expectIntact(before);
  });
});

describe('DATA length fields', () => {
  for (const [name, value] of [
    ['0xFFFFFFFF', 0xffffffff],
    ['2^31', 0x80000000],
    ['2^31 - 1', 0x7fffffff],
    ['one more than the rest of the message', -1],
  ] as const) {
    for (const field of ['encrypted', 'oldMacKeys', 'nextDh'] as const) {
      it(`${field} length ${name} is dropped as malformed without an exception`, () => {
        const scene = Scene.encrypted(`length-${field}-${name}`);
        const before = scene.status();
        const text = scene.data('length attack', {
          after: (bytes) => {
            const offset = dataOffsets(bytes)[field];
            return patchU32(bytes, offset, value === -1 ? bytes.length - offset - 4 + 1 : value);
          },
        });
        expectDropped(scene.toVictim(text), 'malformed');
        scene.expectIntact(before);
      });
    }
  }

  it('an encrypted message of length 0 with a valid MAC is read as an empty message (nothing shown, no error)', () => {
    const scene = Scene.encrypted('length-zero');
    const before = scene.status();
    const outcome = scene.toVictim(scene.data('ignored', { fields: (f) => ({ ...f, encryptedMessage: new Uint8Array(0) }) }));
    expect(outcome.show).toEqual([]);
    expect(outcome.events).toEqual([]);
    scene.expectIntact(before);
  });

  it('a TLV whose length runs past the plaintext keeps the text and ignores the broken TLV', () => {
    const scene = Scene.encrypted('tlv-overrun');
    const before = scene.status();
    // "hi", NUL, then a TLV header claiming 0xFFFF bytes with 2 present (libotr keeps the whole records before it).
    const plaintext = Uint8Array.of(0x68, 0x69, 0, 0x00, 0x02, 0xff, 0xff, 1, 2);
    const outcome = scene.toVictim(scene.data('', { plaintext }));
    expect(outcome.show.map((m) => m.text)).toEqual(['hi']);
    expect(outcome.events).toEqual([]);
    scene.expectIntact(before);
  });
});

describe('data messages outside a session', () => {
  it('a data message for an instance that has no session is refused as not-encrypted', () => {
    const scene = Scene.encrypted('no-session');
    const before = scene.status();
    const outcome = scene.toVictim(scene.data('to nowhere', { route: { senderTag: EVIL_TAG + 1 } }));
    const error = expectProtocolError(outcome, 'not-encrypted');
    expect(error.instance).toBe(EVIL_TAG + 1);
    expect(eventsOf(outcome, 'protocol-error')).toHaveLength(1);
    scene.tick(10_000);
    scene.expectIntact(before);
  });
});
