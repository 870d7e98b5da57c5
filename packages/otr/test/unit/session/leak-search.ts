/** Searching dumps and byte arrays for 8-byte windows of secrets (the no-secret-leak tests), and collecting what a host could see. */
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { UsageError, type Account, type Outcome } from '../../../src/index.js';
import { internalConversationOf } from '../../../src/testing.js';

/** Adds to `observed` the conversations of each account with its peer, as a debugging host might dump them at a quiet moment. */
export function snapshotConversations(observed: unknown[], pairs: readonly (readonly [Account, string])[]): void {
  for (const [account, peer] of pairs) {
    const conversation = internalConversationOf(account, peer);
    observed.push(conversation, conversation?.instances());
    observed.push(inspect(conversation, { depth: Infinity, showHidden: true }));
  }
}

/** Runs a call that must throw a UsageError, and adds the error in every form a host could print to `observed`. */
export function observeUsageError(observed: unknown[], action: () => unknown): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    observed.push(error, String(error), (error as Error).message, (error as Error).stack, inspect(error, { depth: Infinity, showHidden: true }));
    return;
  }
  throw new Error('expected a UsageError');
}

/** Hex windows of 8 bytes of every secret (uniform runs, which say nothing, left out). */
export function secretWindows(secrets: readonly Uint8Array[]): Set<string> {
  const windows = new Set<string>();
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const window = secret.subarray(i, i + 8);
      if (!window.every((byte) => byte === window[0])) windows.add(Buffer.from(window).toString('hex'));
    }
  }
  return windows;
}

/**
 * Whether a text shows 8 consecutive bytes of a secret: as hex, as base64,
 * or as the decimal lists util.inspect (padded, wrapped) and JSON print
 * (arrays, and typed arrays as {"0":n,...}).
 */
export function textLeaks(text: string, secrets: readonly Uint8Array[], windows: ReadonlySet<string>): string | undefined {
  const lower = text.toLowerCase();
  for (const window of windows) if (lower.includes(window)) return `hex ${window}`;
  for (const secret of secrets) {
    if (secret.length < 12) continue;
    const base64 = Buffer.from(secret).toString('base64');
    for (let i = 0; i + 16 <= base64.length; i += 4) if (text.includes(base64.slice(i, i + 16))) return `base64 ${base64.slice(i, i + 16)}`;
  }
  const streams = [[...text.matchAll(/\d+/g)].map((m) => Number(m[0])), [...text.matchAll(/"\d+":(\d+)/g)].map((m) => Number(m[1]))];
  for (const stream of streams) {
    for (let i = 0; i + 8 <= stream.length; i++) {
      const run = stream.slice(i, i + 8);
      if (run.some((n) => n > 255)) continue;
      const hex = Buffer.from(run).toString('hex');
      if (windows.has(hex)) return `decimal ${run.join(',')}`;
    }
  }
  return undefined;
}

/** True when `bytes` holds 8 consecutive bytes of a secret. */
export function holdsSecret(bytes: Uint8Array, windows: ReadonlySet<string>): boolean {
  for (let i = 0; i + 8 <= bytes.length; i++) if (windows.has(Buffer.from(bytes.subarray(i, i + 8)).toString('hex'))) return true;
  return false;
}

/** Every byte array reachable from `root` through own properties, Maps, Sets and arrays (not private fields). */
export function byteArrays(root: unknown): Uint8Array[] {
  const found: Uint8Array[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Uint8Array) {
      found.push(value);
      continue;
    }
    if (value instanceof Map) for (const [k, v] of value) stack.push(k, v);
    else if (value instanceof Set) for (const v of value) stack.push(v);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor !== undefined && 'value' in descriptor) stack.push(descriptor.value);
    }
  }
  return found;
}

/**
 * Alice and Bob (addressed as 'alice' and 'bob') joined by an in-memory wire,
 * with everything a host could see collected: each outcome's show and events
 * in `observed`, what went on the wire in `wire` (checked apart: r and old
 * MAC keys are revealed there on purpose). `harvest` collects the secrets the
 * test searches for after each exchange.
 */
export function observedPair(alice: Account, bob: Account, harvest: () => void) {
  const observed: unknown[] = [];
  const wire: string[] = [];
  const queue: { to: Account; from: string; text: string }[] = [];
  const take = (from: string, outcome: Outcome): void => {
    observed.push({ show: outcome.show, events: outcome.events });
    wire.push(...outcome.send.map((message) => message.text));
    for (const message of outcome.send) queue.push({ to: message.to === 'bob' ? bob : alice, from, text: message.text });
  };
  return {
    observed,
    wire,
    /** The messages in flight, in order (a test may reorder them). */
    queue,
    take,
    /** Delivers everything in flight, then harvests. */
    pump: (): void => {
      while (queue.length > 0) {
        const next = queue.shift()!;
        take(next.to === bob ? 'bob' : 'alice', next.to.receive(next.from, next.text, 0));
      }
      harvest();
    },
    snapshot: (): void =>
      snapshotConversations(observed, [
        [alice, 'bob'],
        [bob, 'alice'],
      ]),
    thrown: (action: () => unknown): void => observeUsageError(observed, action),
  };
}
