/** Every fuzz target, by name: one per decoder, the whole conversation, and the long-lived receiver. */
import { conversationTarget } from './conversation.js';
import { decoderTargets } from './decoders.js';
import type { Target } from './engine.js';
import { receiverTarget } from './receiver.js';

export const targets: readonly Target<unknown>[] = [...decoderTargets, conversationTarget, receiverTarget] as Target<unknown>[];

/** The target called `name`. */
export function targetNamed(name: string): Target<unknown> | undefined {
  return targets.find((target) => target.name === name);
}
