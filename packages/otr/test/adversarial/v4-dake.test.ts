/**
 * Adversarial v4 DAKE messages: bad points (not on the curve, the identity,
 * small order), DH values out of range, scalars >= q and tampered ring
 * signatures, and expired, forged or mismatched Client Profiles. Each is
 * refused with a typed event, nothing is shown, no session starts on it,
 * and the genuine message delivered afterwards still completes the DAKE.
 */
import { describe, expect, it } from 'vitest';
import { decodePoint, isCryptoRejection } from '../../src/crypto/v4/index.js';
import { Ed448KeyPair } from '../../src/crypto/v4/index.js';
import { CLIENT_PROFILE_LIFETIME_MS, createClientProfile } from '../../src/v4/profile/index.js';
import type { ClientProfile } from '../../src/wire/v4/client-profile.js';
import { deterministicRandom } from '../../src/testing.js';
import { encodeRingSignature, type RingSignature } from '../../src/crypto/v4/ring-signature.js';
import { testKey } from '../pair/harness.js';
import { BAD_DH, BAD_POINTS, BAD_SCALARS, problems, V4Scene } from './v4-evil-peer.js';

/** The victim refused the message: one typed protocol error with `reason`, nothing shown, no session. */
function expectRefused(scene: V4Scene, text: string, reason: string): void {
  const shown = scene.victim.shown.length;
  const secure = scene.victim.eventsOf('secure').length;
  const outcome = scene.toVictim(text);
  expect(problems(outcome.events).map((e) => ('reason' in e ? e.reason : e.kind))).toEqual([reason]);
  expect(outcome.show).toEqual([]);
  expect(scene.victim.shown.length).toBe(shown);
  expect(scene.victim.eventsOf('secure').length).toBe(secure);
}

/** Delivers the genuine message and lets the DAKE finish: the session is v4 and works. */
function finishWith(scene: V4Scene, genuine: string): void {
  scene.toVictim(genuine);
  scene.pair.deliverAll();
  expect(scene.victim.eventsOf('secure').map((e) => e.version)).toEqual([4]);
  expect(scene.evil.eventsOf('secure').map((e) => e.version)).toEqual([4]);
  scene.expectIntact();
}

const tamperSigma = (sigma: RingSignature, field: keyof RingSignature, value: Uint8Array): RingSignature => ({ ...sigma, [field]: value });

describe('v4 adversarial: DAKE points, DH values and scalars', () => {
  it('the bad point encodings used here are refused by the point decoder itself', () => {
    for (const [name, bytes] of Object.entries(BAD_POINTS)) expect(isCryptoRejection(decodePoint(bytes)), name).toBe(true);
  });

  for (const field of ['ecdh', 'firstEcdh'] as const) {
    for (const [name, point] of Object.entries(BAD_POINTS)) {
      it(`an Identity message whose ${field} is ${name} is refused as bad-group-element`, () => {
        const scene = new V4Scene();
        const genuine = scene.victimStartsHoldingIdentity();
        expectRefused(scene, scene.alter(genuine, 'identity', (body) => ({ ...body, [field]: point })), 'bad-group-element');
        finishWith(scene, genuine);
      });
    }
  }

  for (const field of ['dh', 'firstDh'] as const) {
    for (const [name, value] of Object.entries(BAD_DH)) {
      it(`an Identity message whose ${field} is ${name} (out of range) is refused as bad-group-element`, () => {
        const scene = new V4Scene();
        const genuine = scene.victimStartsHoldingIdentity();
        expectRefused(scene, scene.alter(genuine, 'identity', (body) => ({ ...body, [field]: value })), 'bad-group-element');
        finishWith(scene, genuine);
      });
    }
  }

  for (const [name, point] of Object.entries(BAD_POINTS)) {
    it(`an Auth-R whose X is ${name} is refused as bad-group-element`, () => {
      const scene = new V4Scene();
      const genuine = scene.evilStartsHoldingAuthR();
      expectRefused(scene, scene.alter(genuine, 'auth-r', (body) => ({ ...body, ecdh: point })), 'bad-group-element');
      finishWith(scene, genuine);
    });
  }

  it('an Auth-R whose A is out of range is refused as bad-group-element', () => {
    const scene = new V4Scene();
    const genuine = scene.evilStartsHoldingAuthR();
    expectRefused(scene, scene.alter(genuine, 'auth-r', (body) => ({ ...body, dh: BAD_DH['p - 1']! })), 'bad-group-element');
    finishWith(scene, genuine);
  });
});

describe('v4 adversarial: ring signatures', () => {
  for (const field of ['c1', 'r2', 'c3'] as const) {
    it(`an Auth-R whose ring signature has ${field} altered in one bit is refused as bad-signature`, () => {
      const scene = new V4Scene();
      const genuine = scene.evilStartsHoldingAuthR();
      const forged = scene.alter(genuine, 'auth-r', (body) => {
        const value = Uint8Array.from(body.sigma[field]);
        value[0]! ^= 1;
        return { ...body, sigma: tamperSigma(body.sigma, field, value) };
      });
      expectRefused(scene, forged, 'bad-signature');
      finishWith(scene, genuine);
    });
  }

  for (const [name, scalar] of Object.entries(BAD_SCALARS)) {
    it(`an Auth-R whose ring signature carries a scalar >= q (${name}) is refused with a typed event`, () => {
      const scene = new V4Scene();
      const genuine = scene.evilStartsHoldingAuthR();
      const forged = scene.alter(genuine, 'auth-r', (body) => ({ ...body, sigma: tamperSigma(body.sigma, 'r1', scalar) }));
      const outcome = scene.toVictim(forged);
      expect(problems(outcome.events).map((e) => ('reason' in e ? e.reason : e.kind))).toEqual([expect.stringMatching(/^(bad-signature|bad-exponent|malformed)$/)]);
      expect(outcome.show).toEqual([]);
      finishWith(scene, genuine);
    });
  }

  it('an Auth-I whose ring signature is tampered is refused as bad-signature; the genuine Auth-I completes the DAKE', () => {
    const scene = new V4Scene();
    const identity = scene.victimStartsHoldingIdentity();
    scene.toVictim(identity);
    scene.deliverToEvil();
    const genuine = scene.takeFromEvil();
    const forged = scene.alter(genuine, 'auth-i', (body) => {
      const c2 = Uint8Array.from(body.sigma.c2);
      c2[3]! ^= 0x10;
      return { sigma: tamperSigma(body.sigma, 'c2', c2) };
    });
    expectRefused(scene, forged, 'bad-signature');
    expect(scene.victim.account.status(scene.evil.name).messageState).toBe('plaintext');
    scene.toVictim(genuine);
    expect(scene.victim.eventsOf('secure').map((e) => e.version)).toEqual([4]);
    scene.expectIntact();
  });

  it('a ring signature replayed from another DAKE does not verify', () => {
    const first = new V4Scene();
    const old = first.decode(first.evilStartsHoldingAuthR());
    const scene = new V4Scene();
    const genuine = scene.evilStartsHoldingAuthR();
    if (old.kind !== 'auth-r') throw new Error('expected Auth-R');
    expect(encodeRingSignature(old.body.sigma)).toHaveLength(342);
    expectRefused(scene, scene.alter(genuine, 'auth-r', (body) => ({ ...body, sigma: old.body.sigma })), 'bad-signature');
    finishWith(scene, genuine);
  });
});

describe('v4 adversarial: Client Profiles', () => {
  /** A correctly signed Client Profile of the evil peer's own keys, made at `now` for `instanceTag`. */
  function evilProfile(scene: V4Scene, options: { now?: number; instanceTag?: number }): ClientProfile {
    const v4 = scene.evil.options.v4!;
    return createClientProfile({
      ownerInstanceTag: options.instanceTag ?? scene.evil.account.instanceTag,
      identityKey: v4.identityKey,
      forgingKey: scene.forgingKey(),
      versions: '34',
      dsaKey: testKey('alice'),
      now: options.now ?? scene.pair.now,
      random: deterministicRandom('evil-profile'),
    }).profile;
  }

  it('an Identity message with an expired (validly signed) Client Profile is refused', () => {
    const scene = new V4Scene();
    const madeAt = scene.pair.now;
    // Eight days on (both accounts refresh their own profiles); a profile made at the start has expired.
    scene.pair.advance(CLIENT_PROFILE_LIFETIME_MS + 24 * 3600 * 1000);
    const expired = evilProfile(scene, { now: madeAt });
    const genuine = scene.victimStartsHoldingIdentity();
    const forged = scene.alter(genuine, 'identity', (body) => ({ ...body, profile: expired }));
    expectRefused(scene, forged, 'bad-signature');
    finishWith(scene, genuine);
  });

  it('an Identity message with a forged Client Profile (signature altered) is refused', () => {
    const scene = new V4Scene();
    const genuine = scene.victimStartsHoldingIdentity();
    const forged = scene.alter(genuine, 'identity', (body) => {
      const signature = Uint8Array.from(body.profile.signature);
      signature[10]! ^= 0x01;
      return { ...body, profile: { ...body.profile, signature } };
    });
    expectRefused(scene, forged, 'bad-signature');
    finishWith(scene, genuine);
  });

  it('an Identity message with a Client Profile whose fields were changed after signing (versions, expiry) is refused', () => {
    const scene = new V4Scene();
    const genuine = scene.victimStartsHoldingIdentity();
    const forged = scene.alter(genuine, 'identity', (body) => ({ ...body, profile: { ...body.profile, expiration: body.profile.expiration + 1_000_000n } }));
    expectRefused(scene, forged, 'bad-signature');
    finishWith(scene, genuine);
  });

  it("an Identity message carrying a valid Client Profile of another instance (mismatched owner tag) is refused", () => {
    const scene = new V4Scene();
    const genuine = scene.victimStartsHoldingIdentity();
    const other = evilProfile(scene, { instanceTag: scene.evil.account.instanceTag + 1 });
    const forged = scene.alter(genuine, 'identity', (body) => ({ ...body, profile: other }));
    expectRefused(scene, forged, 'bad-signature');
    finishWith(scene, genuine);
  });

  it("an Auth-R carrying a valid Client Profile of another identity is refused (the ring signature names other keys)", () => {
    const scene = new V4Scene();
    const genuine = scene.evilStartsHoldingAuthR();
    const random = deterministicRandom('carol');
    const carol = createClientProfile({
      ownerInstanceTag: scene.evil.account.instanceTag,
      identityKey: Ed448KeyPair.generate(random),
      forgingKey: Ed448KeyPair.generate(random).publicKey,
      versions: '4',
      now: scene.pair.now,
      random,
    }).profile;
    const forged = scene.alter(genuine, 'auth-r', (body) => ({ ...body, profile: carol }));
    expectRefused(scene, forged, 'bad-signature');
    finishWith(scene, genuine);
  });
});
