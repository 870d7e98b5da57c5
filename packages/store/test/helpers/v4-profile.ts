/** Client profiles for the store's tests, made by @sotto/otr as the library makes them. */
import { createClientProfile, decodePoint, Ed448Point, systemRandom } from '@sotto/otr';
import type { Store } from '../../src/index.js';

/** A fresh profile of `account` (identity, instance tag and DSA key created if missing), made at `now` (ms). */
export async function makeProfile(store: Store, account: string, now: number, lifetimeMs?: number): Promise<{ encoded: Uint8Array; expiresAt: number }> {
  const v4 = await store.getOrCreateV4Identity(account);
  const tag = await store.getOrCreateInstanceTag(account);
  const forgingKey = decodePoint(v4.forgingPublicKey);
  if (!(forgingKey instanceof Ed448Point)) throw new Error('the stored forging key does not decode');
  const own = createClientProfile({
    ownerInstanceTag: tag,
    identityKey: v4.identityKey,
    forgingKey,
    versions: '34',
    dsaKey: await store.getOrCreateKey(account),
    now,
    random: systemRandom,
    ...(lifetimeMs === undefined ? {} : { lifetimeMs }),
  });
  return { encoded: own.encoded, expiresAt: own.expiresAt };
}
