/**
 * Checks of the host's arguments to Account: each throws a typed
 * UsageError before anything changes, so no untyped exception (a TypeError
 * from a missing option, say) escapes the public API.
 */
import { UsageError } from '../errors.js';
import { MIN_MAX_MESSAGE_SIZE } from '../limits.js';
import { isProtocolVersion } from '../version.js';
import type { Policy } from './policy.js';

/** Options that pick one instance of a contact. */
export interface InstanceOption {
  /** The remote instance tag; default: the selected or most recently active secure instance. */
  readonly instance?: number;
}

/** The `instance` of an {@link InstanceOption}, checked. */
export function instanceOf(options: InstanceOption): number | undefined {
  if (typeof options !== 'object' || (options as InstanceOption | null) === null) throw new UsageError('bad-argument', 'options must be an object');
  const tag = options.instance;
  if (tag !== undefined) checkTag(tag);
  return tag;
}

/** A remote instance tag chosen by the host (0 = the master instance). */
export function checkTag(tag: number): void {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffffff) throw new UsageError('bad-argument', 'an instance tag must be an integer in [0, 0xffffffff]');
}

/** A contact's name: any non-empty string. */
export function checkPeer(peer: string): void {
  if (typeof peer !== 'string' || peer.length === 0) throw new UsageError('bad-argument', 'peer must be a non-empty string');
}

/** The host clock: a finite number of milliseconds. */
export function checkNow(now: number): void {
  if (!Number.isFinite(now)) throw new UsageError('bad-argument', 'now must be a finite number');
}

/** A string argument no longer than `max` UTF-16 code units (a message sent as the text "undefined" is the bug this prevents). */
export function checkText(value: string, name: string, max: number): void {
  if (typeof value !== 'string') throw new UsageError('bad-argument', `${name} must be a string`);
  if (value.length > max) throw new UsageError('text-too-long', `${name} is longer than ${max} characters`);
}

const POLICY_FLAGS = ['requireEncryption', 'sendWhitespaceTag', 'whitespaceStartAke', 'errorStartAke'] as const;

/**
 * A copy of `policy` with its versions and four flags checked (a copy: the
 * host cannot change it behind our back).
 */
export function checkPolicy(policy: Policy): Policy {
  const shape = `a policy is an object with versions (a Set of 2, 3 and 4) and booleans ${POLICY_FLAGS.join(', ')} (see Policies)`;
  if (typeof policy !== 'object' || (policy as Policy | null) === null || POLICY_FLAGS.some((flag) => typeof policy[flag] !== 'boolean')) {
    throw new UsageError('bad-policy', shape);
  }
  const versions: unknown = policy.versions;
  if (!(versions instanceof Set) || ![...(versions as Set<unknown>)].every(isProtocolVersion)) throw new UsageError('bad-policy', shape);
  const { requireEncryption, sendWhitespaceTag, whitespaceStartAke, errorStartAke } = policy;
  return { versions: new Set(policy.versions), requireEncryption, sendWhitespaceTag, whitespaceStartAke, errorStartAke };
}

/** A transport limit: 0 (unlimited) or at least MIN_MAX_MESSAGE_SIZE characters. */
export function checkMaxMessageSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0 || (size > 0 && size < MIN_MAX_MESSAGE_SIZE)) {
    throw new UsageError('bad-max-size', `maxMessageSize must be 0 or at least ${MIN_MAX_MESSAGE_SIZE}`);
  }
  return size;
}
