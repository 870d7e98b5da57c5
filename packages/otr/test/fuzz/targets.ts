/** Every fuzz target, by name: one per decoder, and the whole conversation. */
import { conversationTarget } from './conversation.js';
import { decoderTargets } from './decoders.js';
import type { Target } from './engine.js';

export const targets: readonly Target<unknown>[] = [...decoderTargets, conversationTarget] as Target<unknown>[];

/** The target called `name`. */
export function targetNamed(name: string): Target<unknown> | undefined {
  return targets.find((target) => target.name === name);
}
