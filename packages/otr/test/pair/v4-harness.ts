/** Accounts with OTRv4 identities for the two-party harness (harness.ts). */
import { generateV4Identity, type AccountOptions } from '../../src/index.js';
import { deterministicRandom } from '../../src/testing.js';
import { makePair, testKey, type Pair } from './harness.js';

/** The virtual clock's start (as harness.ts's Pair). */
export const V4_START = 1_000_000;
let nextTag = 0x50_0000;

/** Account options with a fresh v4 identity (keys and profile) for `name`. */
export function v4Options(name: string, extra: Partial<AccountOptions> = {}): Partial<AccountOptions> {
  const instanceTag = (nextTag += 0x101);
  const id = generateV4Identity({ instanceTag, privateKey: testKey(name), now: V4_START, random: deterministicRandom(`v4h-${name}-${instanceTag}`) });
  return { instanceTag, v4: { identityKey: id.identityKey, forgingKey: id.forgingKey, profile: id.profile, address: name }, ...extra };
}

/** A pair of v4 accounts named alice and bob. */
export function v4Pair(options: { alice?: Partial<AccountOptions>; bob?: Partial<AccountOptions>; link?: Pair['link'] } = {}): Pair {
  return makePair({ alice: v4Options('alice', options.alice), bob: v4Options('bob', options.bob), ...(options.link === undefined ? {} : { link: options.link }) });
}
