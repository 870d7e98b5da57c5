/**
 * DH values at the edges of the 1536-bit MODP group. The spec's rule for
 * every received D-H value is "a legal value (2 <= g^x <= modulus-2)"
 * (Protocol-v3, "Authenticated Key Exchange", Bob's and Alice's checks of
 * g^y and g^x); the same applies to the next key of a data message, which
 * becomes their_y ("Key Management"). So 2 and p-2 are accepted, and 0, 1,
 * p-1, p, p+1 and 2^1536-1 are refused as bad-group-element; an MPI longer
 * than 192 bytes (2^1536) does not decode and is dropped as malformed.
 */
import { describe, expect, it } from 'vitest';
import { receiveAkeMessage, startAke, type AkeMessage } from '../../src/v3/ake/ake.js';
import { AUTH_NONE } from '../../src/v3/ake/auth-state.js';
import { mod } from '../../src/crypto/bigint.js';
import { aes128Ctr, deriveAkeKeys, sha256, ZERO_COUNTER, Secret } from '../../src/crypto/index.js';
import { sealSignature } from '../../src/v3/ake/signature-exchange.js';
import { Writer } from '../../src/wire/writer.js';
import { AKE_KEY_ID } from '../../src/v3/ake/ake.js';
import { eventsOf, expectDropped, expectProtocolError, mpiBody, P, Scene, TWO_1536, VICTIM_TAG, EVIL_TAG } from './evil-peer.js';

/** Values the spec refuses, by name. */
const ILLEGAL: [string, bigint][] = [
  ['0', 0n],
  ['1', 1n],
  ['p-1', P - 1n],
  ['p', P],
  ['p+1', P + 1n],
  ['2^1536-1', TWO_1536 - 1n],
];
/** The two ends of the legal range. */
const LEGAL: [string, bigint][] = [
  ['2', 2n],
  ['p-2', P - 2n],
];

const mpi = (value: Uint8Array): Uint8Array => new Writer().mpi(value).finish();

describe('the next DH key of a data message', () => {
  // The MAC covers the next key, and the evil peer computes it over the
  // hostile value: the group check, not the MAC, must refuse it.
  for (const [name, value] of ILLEGAL) {
    it(`next DH key ${name} with a valid MAC is refused as bad-group-element and not adopted`, () => {
      const scene = Scene.encrypted(`next-dh-${name}`);
      const before = scene.status();
      const outcome = scene.toVictim(scene.data('hostile next key', { fields: (f) => ({ ...f, nextDh: mpiBody(value) }) }));
      expectProtocolError(outcome, 'bad-group-element');
      scene.tick(10_000);
      // Not adopted: the evil peer's real next key still works, in both directions.
      scene.expectIntact(before);
      scene.expectIntact(before);
    });
  }

  for (const [name, value] of LEGAL) {
    it(`next DH key ${name} is legal and the message is read`, () => {
      const scene = Scene.encrypted(`next-dh-legal-${name}`);
      const outcome = scene.toVictim(scene.data('edge of the group', { fields: (f) => ({ ...f, nextDh: mpiBody(value) }) }));
      expect(outcome.show.map((m) => m.text)).toEqual(['edge of the group']);
      expect(outcome.events).toEqual([]);
    });
  }

  it('next DH key 2^1536 (193 bytes) does not decode and is dropped as malformed', () => {
    const scene = Scene.encrypted('next-dh-193');
    const before = scene.status();
    expectDropped(scene.toVictim(scene.data('too wide', { fields: (f) => ({ ...f, nextDh: mpiBody(TWO_1536) }) })), 'malformed');
    scene.expectIntact(before);
  });

  it('next DH key p-1 under the previous sender key id is not used, so the message is read', () => {
    // "If the sender keyid equals their_keyid, ... set their_y[their_keyid]
    // to the new DH pubkey": under their_keyid-1 the key is not adopted.
    const scene = Scene.encrypted('next-dh-old-id');
    scene.toVictim(scene.data('rotate their key'));
    const outcome = scene.toVictim(scene.data('old id, bad key', { fields: (f) => ({ ...f, nextDh: mpiBody(P - 1n) }) }));
    expect(outcome.show.map((m) => m.text)).toEqual(['old id, bad key']);
    expect(outcome.events).toEqual([]);
  });
});

/** The victim starts an AKE (query from the evil peer) and the evil peer answers the D-H Commit. */
function victimStartsAke(seed: string) {
  const scene = new Scene(seed);
  const [commit] = scene.read(scene.toVictim('?OTRv3?')).ake;
  expect(commit?.type).toBe('dh-commit');
  const answer = receiveAkeMessage(AUTH_NONE, commit!, scene.akeContext);
  scene.auth = answer.next;
  return { scene, dhKey: answer.reply! };
}

/** Finishes the victim-started AKE with the evil peer's honest D-H Key. */
function finishVictimAke(scene: Scene, dhKey: AkeMessage): void {
  const [reveal] = scene.read(scene.toVictim(scene.akeText(dhKey))).ake;
  expect(reveal?.type).toBe('reveal-signature');
  const step = receiveAkeMessage(scene.auth, reveal!, scene.akeContext);
  scene.auth = step.next;
  const outcome = scene.toVictim(scene.akeText(step.reply!));
  expect(eventsOf(outcome, 'secure')).toEqual([expect.objectContaining({ instance: EVIL_TAG, refreshed: false })]);
  scene.adopt(step.success!);
}

describe('g^y in a D-H Key message', () => {
  for (const [name, value] of ILLEGAL) {
    it(`g^y ${name} is refused as bad-group-element and the AKE can still complete`, () => {
      const { scene, dhKey } = victimStartsAke(`gy-${name}`);
      const outcome = scene.toVictim(scene.akeText({ type: 'dh-key', version: 3, body: { gy: mpiBody(value) } }));
      expectProtocolError(outcome, 'bad-group-element');
      expect(outcome.send).toEqual([]);
      expect(scene.status().messageState).toBe('plaintext');
      finishVictimAke(scene, dhKey);
      scene.expectIntact(scene.status());
    });
  }

  for (const [name, value] of LEGAL) {
    it(`g^y ${name} is legal: the victim answers with its Reveal Signature`, () => {
      const { scene } = victimStartsAke(`gy-legal-${name}`);
      const outcome = scene.toVictim(scene.akeText({ type: 'dh-key', version: 3, body: { gy: mpiBody(value) } }));
      expect(outcome.events).toEqual([]);
      expect(scene.read(outcome).ake.map((m) => m.type)).toEqual(['reveal-signature']);
    });
  }

  it('g^y 2^1536 (193 bytes) does not decode and is dropped as malformed; the AKE can still complete', () => {
    const { scene, dhKey } = victimStartsAke('gy-193');
    expectDropped(scene.toVictim(scene.akeText({ type: 'dh-key', version: 3, body: { gy: mpiBody(TWO_1536) } })), 'malformed');
    finishVictimAke(scene, dhKey);
  });
});

/**
 * The evil peer commits to a hostile g^x in its D-H Commit, then reveals it
 * with a Reveal Signature whose MAC and signature are computed with the
 * shared secret the victim would get without the range check (g^x = 0 or 1
 * mod p makes s = 0 or 1 whatever y is; for others the guess s = 1), so the
 * commitment check passes and only the group check stands in the way.
 */
function revealHostileGx(seed: string, gx: bigint) {
  const scene = new Scene(seed);
  const gxBody = mpiBody(gx);
  const gxMpi = mpi(gxBody);
  const r = scene.random(16);
  const commit: AkeMessage = { type: 'dh-commit', version: 3, body: { encryptedGx: aes128Ctr(r, ZERO_COUNTER, gxMpi), hashedGx: sha256(gxMpi) } };
  const [dhKey] = scene.read(scene.toVictim(scene.akeText(commit, 0))).ake;
  expect(dhKey?.type).toBe('dh-key');
  const gy = (dhKey as AkeMessage & { type: 'dh-key' }).body.gy;
  const residue = mod(gx, P);
  const keys = deriveAkeKeys(new Secret(mpiBody(residue <= 1n ? residue : 1n)));
  const sealed = sealSignature({ encryptionKey: keys.c, authenticatorKey: keys.m1, macKey: keys.m2 }, gxBody, gy, scene.evilKey, AKE_KEY_ID, scene.random);
  const reveal: AkeMessage = { type: 'reveal-signature', version: 3, body: { revealedKey: r, ...sealed } };
  return { scene, reveal };
}

describe('g^x committed in a D-H Commit and revealed in a Reveal Signature', () => {
  for (const [name, value] of ILLEGAL) {
    it(`g^x ${name} is refused as bad-group-element and no session starts`, () => {
      const { scene, reveal } = revealHostileGx(`gx-${name}`, value);
      const outcome = scene.toVictim(scene.akeText(reveal));
      const error = expectProtocolError(outcome, 'bad-group-element');
      expect(error.detail).toMatch(/g\^x/);
      expect(outcome.send).toEqual([]);
      expect(scene.status().messageState).toBe('plaintext');
      // The victim still runs a fresh, honest AKE with the same instance.
      scene.runAke();
      scene.expectIntact(scene.status());
    });
  }

  it('a g^x that does not match its committed hash is refused (bad-signature) and no session starts', () => {
    const scene = new Scene('gx-hash');
    const start = startAke(3, scene.akeContext);
    const body = start.reply!.body as { encryptedGx: Uint8Array; hashedGx: Uint8Array };
    const hashedGx = Uint8Array.from(body.hashedGx);
    hashedGx[0]! ^= 1;
    scene.auth = start.next;
    const [dhKey] = scene.read(scene.toVictim(scene.akeText({ type: 'dh-commit', version: 3, body: { ...body, hashedGx } }, 0))).ake;
    const reveal = receiveAkeMessage(scene.auth, dhKey!, scene.akeContext);
    const outcome = scene.toVictim(scene.akeText(reveal.reply!));
    expect(expectProtocolError(outcome, 'bad-signature').detail).toMatch(/hash/);
    expect(scene.status().messageState).toBe('plaintext');
    expect(VICTIM_TAG).toBe(scene.victim.instanceTag);
  });
});

describe('regressions', () => {
  it('regression: a D-H Key with g^y out of range is reported as bad-group-element, not bad-signature', () => {
    const { scene } = victimStartsAke('regression-gy');
    const outcome = scene.toVictim(scene.akeText({ type: 'dh-key', version: 3, body: { gy: mpiBody(1n) } }));
    expect(eventsOf(outcome, 'protocol-error').map((event) => event.reason)).toEqual(['bad-group-element']);
  });

  it('regression: a revealed g^x out of range is reported as bad-group-element, not bad-signature', () => {
    const { scene, reveal } = revealHostileGx('regression-gx', P - 1n);
    expect(eventsOf(scene.toVictim(scene.akeText(reveal)), 'protocol-error').map((event) => event.reason)).toEqual(['bad-group-element']);
  });
});
