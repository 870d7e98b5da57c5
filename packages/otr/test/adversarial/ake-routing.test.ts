/**
 * AKE messages from the wrong place or at the wrong time (Protocol-v3,
 * "Instance Tags", "The protocol state machine"): receiver tags that are
 * not ours, messages from another sender instance than the AKE's, a new
 * AKE while encrypted, and signatures that do not verify.
 */
import { describe, expect, it } from 'vitest';
import { AKE_KEY_ID, receiveAkeMessage, startAke, type AkeMessage } from '../../src/v3/ake/ake.js';
import { AUTH_NONE } from '../../src/v3/ake/auth-state.js';
import { deriveAkeKeys, dhSharedSecret, type DhKeyPair } from '../../src/crypto/index.js';
import { sealSignature } from '../../src/v3/ake/signature-exchange.js';
import { limits } from '../../src/index.js';
import { eventsOf, expectDropped, expectProtocolError, EVIL, EVIL_TAG, OTHER_TAG, Scene } from './evil-peer.js';

describe('instance tags of AKE messages', () => {
  it('a D-H Commit for another receiver instance is discarded (wrong-instance) and not answered', () => {
    const scene = new Scene('ake-commit-other');
    const start = startAke(3, scene.akeContext);
    expectDropped(scene.toVictim(scene.akeText(start.reply!, OTHER_TAG)), 'wrong-instance');
    expect(scene.victim.status(EVIL).instances).toEqual([0]);
    scene.runAke();
  });

  it('a D-H Key with receiver tag 0 is discarded (only a D-H Commit may be broadcast)', () => {
    const scene = new Scene('ake-dhkey-zero');
    const [commit] = scene.read(scene.toVictim('?OTRv3?')).ake;
    const answer = receiveAkeMessage(AUTH_NONE, commit!, scene.akeContext);
    expectDropped(scene.toVictim(scene.akeText(answer.reply!, 0)), 'wrong-instance');
  });

  it('a Reveal Signature from another sender instance than the D-H Commit is ignored; the real one still completes', () => {
    const scene = new Scene('ake-reveal-other');
    const start = startAke(3, scene.akeContext);
    scene.auth = start.next;
    const dhKey = scene.read(scene.toVictim(scene.akeText(start.reply!, 0))).ake[0]!;
    const reveal = receiveAkeMessage(scene.auth, dhKey, scene.akeContext);
    // The spec: a Reveal Signature in AUTHSTATE_NONE (the other instance's state) is ignored.
    const foreign = scene.toVictim(scene.akeText(reveal.reply!, undefined, OTHER_TAG));
    expect(foreign).toEqual({ send: [], show: [], events: [] });
    expect(scene.victim.status(EVIL, { instance: OTHER_TAG }).messageState).toBe('plaintext');
    const real = scene.toVictim(scene.akeText(reveal.reply!));
    expect(eventsOf(real, 'secure')).toEqual([expect.objectContaining({ instance: EVIL_TAG })]);
  });

  it('a data message for another receiver instance is discarded (wrong-instance), not answered with an error', () => {
    const scene = Scene.encrypted('data-other-receiver');
    const before = scene.status();
    expectDropped(scene.toVictim(scene.data('elsewhere', { route: { receiverTag: OTHER_TAG } })), 'wrong-instance');
    scene.expectIntact(before);
  });
});

describe('a new AKE while encrypted', () => {
  // "Receiving a D-H Commit Message" applies in every message state, and
  // msgstate changes only when the AKE completes ("Transition msgstate to
  // MSGSTATE_ENCRYPTED" on the Reveal Signature / Signature): until then
  // the existing session keeps its keys.
  it('a D-H Commit while encrypted is answered, and the old session keeps working until the new AKE completes', () => {
    const scene = Scene.encrypted('reake');
    const before = scene.status();
    const start = startAke(3, scene.akeContext);
    scene.auth = start.next;
    const answer = scene.toVictim(scene.akeText(start.reply!));
    const [dhKey] = scene.read(answer).ake;
    expect(dhKey?.type).toBe('dh-key');
    expect(answer.events).toEqual([]);
    // Mid-AKE: same session, both directions.
    scene.expectIntact(before);
    const reveal = receiveAkeMessage(scene.auth, dhKey!, scene.akeContext);
    scene.auth = reveal.next;
    scene.expectIntact(before);
    const done = scene.toVictim(scene.akeText(reveal.reply!));
    expect(eventsOf(done, 'secure')).toEqual([expect.objectContaining({ refreshed: true, instance: EVIL_TAG })]);
    const signature = scene.read(done).ake[0]!;
    scene.adopt(receiveAkeMessage(scene.auth, signature, scene.akeContext).success!);
    const after = scene.status();
    expect(Buffer.from(after.ssid!).equals(Buffer.from(before.ssid!))).toBe(false);
    scene.expectIntact(after);
  });

  it('a D-H Commit while encrypted that is never followed up leaves the session as it was, even after the AKE timeout', () => {
    const scene = Scene.encrypted('reake-abandoned');
    const before = scene.status();
    scene.toVictim(scene.akeText(startAke(3, scene.akeContext).reply!));
    scene.tick(limits.AKE_TIMEOUT_MS);
    scene.victim.onDeadline(scene.now);
    scene.expectIntact(before);
  });

  it('a Reveal Signature with a bad signature during a re-AKE is refused (bad-signature) and the session keeps working', () => {
    const scene = Scene.encrypted('reake-bad');
    const before = scene.status();
    const start = startAke(3, scene.akeContext);
    const dhKey = scene.read(scene.toVictim(scene.akeText(start.reply!))).ake[0]!;
    const reveal = receiveAkeMessage(start.next, dhKey, scene.akeContext).reply! as AkeMessage & { type: 'reveal-signature' };
    const mac = Uint8Array.from(reveal.body.mac);
    mac[3]! ^= 0x10;
    expectProtocolError(scene.toVictim(scene.akeText({ ...reveal, body: { ...reveal.body, mac } })), 'bad-signature');
    scene.expectIntact(before);
  });
});

describe('signatures', () => {
  it('a Reveal Signature signed over key id 0 is refused (bad-signature): key ids start at 1', () => {
    const scene = new Scene('ake-keyid-zero');
    const start = startAke(3, scene.akeContext);
    const dhKey = scene.read(scene.toVictim(scene.akeText(start.reply!, 0))).ake[0]! as AkeMessage & { type: 'dh-key' };
    const state = start.next as { ourDh: DhKeyPair; revealKey: { expose(): Uint8Array } };
    const keys = deriveAkeKeys(dhSharedSecret(state.ourDh, dhKey.body.gy)!);
    const sealed = sealSignature({ encryptionKey: keys.c, authenticatorKey: keys.m1, macKey: keys.m2 }, state.ourDh.publicKey, dhKey.body.gy, scene.evilKey, 0, scene.random);
    const reveal: AkeMessage = { type: 'reveal-signature', version: 3, body: { revealedKey: Uint8Array.from(state.revealKey.expose()), ...sealed } };
    const outcome = scene.toVictim(scene.akeText(reveal));
    expectProtocolError(outcome, 'bad-signature');
    expect(outcome.send).toEqual([]);
    // The same exchange with key id 1 goes through: only the key id was wrong.
    const good = sealSignature({ encryptionKey: keys.c, authenticatorKey: keys.m1, macKey: keys.m2 }, state.ourDh.publicKey, dhKey.body.gy, scene.evilKey, AKE_KEY_ID, scene.random);
    const fine = scene.toVictim(scene.akeText({ type: 'reveal-signature', version: 3, body: { revealedKey: Uint8Array.from(state.revealKey.expose()), ...good } }));
    expect(eventsOf(fine, 'secure')).toHaveLength(1);
  });

  it('a tampered Signature message is refused (bad-signature); the victim keeps waiting and the honest one completes', () => {
    const scene = new Scene('ake-sig-tampered');
    const [commit] = scene.read(scene.toVictim('?OTRv3?')).ake;
    const answer = receiveAkeMessage(AUTH_NONE, commit!, scene.akeContext);
    const [reveal] = scene.read(scene.toVictim(scene.akeText(answer.reply!))).ake;
    const step = receiveAkeMessage(answer.next, reveal!, scene.akeContext);
    const signature = step.reply! as AkeMessage & { type: 'signature' };
    const encryptedSignature = Uint8Array.from(signature.body.encryptedSignature);
    encryptedSignature[10]! ^= 0x01;
    const outcome = scene.toVictim(scene.akeText({ ...signature, body: { ...signature.body, encryptedSignature } }));
    expectProtocolError(outcome, 'bad-signature');
    expect(scene.status().messageState).toBe('plaintext');
    expect(eventsOf(scene.toVictim(scene.akeText(signature)), 'secure')).toHaveLength(1);
    scene.adopt(step.success!);
    scene.expectIntact(scene.status());
  });
});
