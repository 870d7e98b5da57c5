/**
 * Instance tags (Protocol-v3, "Instance Tags"): a 32-bit number per client
 * of an account, chosen at random once and kept across runs. Values below
 * 0x100 are reserved (0 means "no tag").
 */
import { systemRandom, type RandomSource } from '../crypto/index.js';
import { UsageError } from '../errors.js';
import { MIN_INSTANCE_TAG } from '../limits.js';

/** A fresh random instance tag in [0x100, 0xffffffff]; store it with the key and pass it to every Account of this client. */
export function generateInstanceTag(random: RandomSource = systemRandom): number {
  if (typeof random !== 'function') throw new UsageError('bad-argument', 'random must be a RandomSource function');
  // Values below 0x100 are drawn with probability 2^-24: draw again.
  for (;;) {
    const bytes = random(4);
    if (!(bytes instanceof Uint8Array) || bytes.length !== 4) throw new UsageError('bad-argument', 'random(4) must return 4 bytes');
    const tag = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
    if (tag >= MIN_INSTANCE_TAG) return tag;
  }
}
