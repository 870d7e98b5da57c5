/**
 * The `?OTR:` armour and the markers around it (Protocol-v3, "Encoded
 * messages", "Unencoded messages"): bad base64, missing parts, markers in
 * the middle of plain text, unknown versions and types. Every one arrives
 * while the victim is in a secure session, which must not notice.
 */
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/wire/base64.js';
import { encodeEncoded } from '../../src/wire/envelope.js';
import { expectDropped, EVIL, EVIL_TAG, patchU32, Scene, VICTIM_TAG } from './evil-peer.js';

describe('bad armour', () => {
  const cases: [string, string][] = [
    ['?OTR:===.', 'only padding'],
    ['?OTR:.', 'no bytes at all'],
    ['?OTR:AAB=.', 'non-zero unused bits before the padding'],
    ['?OTR:AA=A.', 'padding in the middle of a group'],
    ['?OTR:A===.', 'three padding characters'],
    ['?OTR:AAAA====.', 'a whole group of padding'],
    ['?OTR:AAM.', 'a length that is not a multiple of 4'],
    ['?OTR:AA*A.', 'a character outside the alphabet'],
    ['?OTR:AAMD', 'no final "."'],
    ['?OTR:', 'the prefix alone'],
    ['?OTR:AAMC.', 'a header cut short'],
  ];
  for (const [text, what] of cases) {
    it(`${JSON.stringify(text)} (${what}) is dropped as malformed`, () => {
      const scene = Scene.encrypted(`armour-${text}`);
      const before = scene.status();
      expectDropped(scene.toVictim(text), 'malformed');
      scene.expectIntact(before);
    });
  }

  it('a valid data message without its final "." is dropped as malformed and not shown', () => {
    const scene = Scene.encrypted('armour-no-dot');
    const before = scene.status();
    expectDropped(scene.toVictim(scene.data('cut').slice(0, -1)), 'malformed');
    scene.expectIntact(before);
  });

  it('a valid data message with one base64 character changed is dropped, or refused by its MAC, never shown', () => {
    const scene = Scene.encrypted('armour-flip');
    const before = scene.status();
    const text = scene.data('flipped');
    const at = text.length - 30;
    const changed = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const outcome = scene.toVictim(changed);
    expect(outcome.show).toEqual([]);
    expect(outcome.events.map((event) => (event.kind === 'dropped' ? event.reason : event.kind === 'protocol-error' ? event.reason : event.kind))).toEqual(['bad-mac']);
    scene.tick(10_000);
    scene.expectIntact(before);
  });

  it('text after the final "." is ignored, as libotr does: the message is read once', () => {
    const scene = Scene.encrypted('armour-trailing');
    const outcome = scene.toVictim(`${scene.data('with a tail')} and some trailing words`);
    expect(outcome.show).toEqual([{ from: EVIL, text: 'with a tail', encrypted: true, instance: EVIL_TAG }]);
  });

  it('an encoded message of protocol version 4 is dropped as unsupported-version', () => {
    const scene = Scene.encrypted('armour-v4');
    const before = scene.status();
    const bytes = scene.dataBytes('from the future');
    bytes[1] = 4;
    expectDropped(scene.toVictim(encodeEncoded(bytes)), 'unsupported-version');
    scene.expectIntact(before);
  });

  it('an encoded message of protocol version 1 is dropped as unsupported-version', () => {
    const scene = Scene.encrypted('armour-v1');
    const before = scene.status();
    expectDropped(scene.toVictim(`?OTR:${encodeBase64(Uint8Array.of(0, 1, 3, 0, 0, 0))}.`), 'unsupported-version');
    scene.expectIntact(before);
  });

  it('an unknown message type is dropped as malformed', () => {
    const scene = Scene.encrypted('armour-type');
    const before = scene.status();
    const bytes = scene.dataBytes('odd type');
    bytes[2] = 0x99;
    expectDropped(scene.toVictim(encodeEncoded(bytes)), 'malformed');
    scene.expectIntact(before);
  });

  it('a sender instance tag below 0x100 is dropped as wrong-instance (spec: "discard")', () => {
    // "Instance Tags": "Clients ... should discard messages ... with a sender instance tag less than 0x100".
    const scene = Scene.encrypted('armour-sender-tag');
    const before = scene.status();
    expectDropped(scene.toVictim(encodeEncoded(patchU32(scene.dataBytes('low tag'), 3, 0xff))), 'wrong-instance');
    scene.expectIntact(before);
  });

  it('a receiver instance tag between 1 and 0xff is dropped as wrong-instance', () => {
    const scene = Scene.encrypted('armour-receiver-tag');
    const before = scene.status();
    expectDropped(scene.toVictim(encodeEncoded(patchU32(scene.dataBytes('low tag'), 7, 0x01))), 'wrong-instance');
    expect(scene.victim.instanceTag).toBe(VICTIM_TAG);
    scene.expectIntact(before);
  });
});

describe('markers inside plain text', () => {
  for (const text of ['look: ?OTR| is how fragments start', 'a ?OTR|5678ef01|1234abcd,00001,00002,broken in the middle', 'what is ?OTR: anyway', 'the prefix ?OTR:AAMD. in prose']) {
    it(`${JSON.stringify(text)} is shown as the plain text it is, and the session stays encrypted`, () => {
      const scene = Scene.encrypted(`marker-${text}`);
      const before = scene.status();
      const outcome = scene.toVictim(text);
      expect(outcome.show).toEqual([{ from: EVIL, text, encrypted: false }]);
      expect(outcome.send).toEqual([]);
      expect(outcome.events).toEqual([]);
      scene.expectIntact(before);
    });
  }
});

describe('regressions', () => {
  it('regression: a message of an unknown protocol version is reported as unsupported-version, not malformed', () => {
    const scene = Scene.encrypted('regression-version');
    const bytes = scene.dataBytes('v4');
    bytes[1] = 4;
    expect(scene.toVictim(encodeEncoded(bytes)).events).toEqual([expect.objectContaining({ kind: 'dropped', reason: 'unsupported-version' })]);
  });

  it('regression: a sender instance tag below 0x100 is reported as wrong-instance, not malformed', () => {
    const scene = Scene.encrypted('regression-tag');
    const outcome = scene.toVictim(encodeEncoded(patchU32(scene.dataBytes('low'), 3, 0x01)));
    expect(outcome.events).toEqual([expect.objectContaining({ kind: 'dropped', reason: 'wrong-instance' })]);
  });
});
