/**
 * `instance-tags.json`: our instance tag per account (Protocol-v3 "Instance
 * Tags": a 32-bit value, 0x100 or more; smaller values are reserved).
 */
import { decodeVersioned, encodeVersioned, entries, integer, sortedObject } from './shape.js';

/** The smallest valid instance tag (values below are reserved by the spec). */
export const MIN_INSTANCE_TAG = 0x100;
/** The largest instance tag (unsigned 32-bit). */
export const MAX_INSTANCE_TAG = 0xffffffff;

/** Reads `instance-tags.json`; throws a 'corrupt' StoreError naming `path`. */
export function decodeInstanceTagsFile(bytes: Uint8Array, path: string): Map<string, number> {
  return decodeVersioned(bytes, path, (body) => {
    const tags = new Map<string, number>();
    for (const [account, value] of entries(body.accounts, 'accounts')) {
      tags.set(account, integer(value, `accounts[${JSON.stringify(account)}]`, MIN_INSTANCE_TAG, MAX_INSTANCE_TAG));
    }
    return tags;
  });
}

/** The text of `instance-tags.json`. */
export function encodeInstanceTagsFile(tags: ReadonlyMap<string, number>): string {
  return encodeVersioned({ accounts: sortedObject(tags, (tag) => tag) });
}
