/**
 * Calls a peer can make pointless (ending a session the peer ended, SMP
 * without a secure session, a chosen instance that is gone) are reported in
 * the outcome as `refused` events, so a host need not check `status` first.
 */
import { UsageError } from '../errors.js';
import type { RefusalReason, RefusedCall } from '../outcome.js';
import type { Conversation, ConversationContext } from './conversation.js';
import type { Instance } from './instance.js';

/** Reports that `call` did nothing, and why. */
export function refuse(context: ConversationContext, call: RefusedCall, instance: Instance, reason: RefusalReason): void {
  context.out.events.push({ kind: 'refused', peer: context.peer, instance: instance.theirTag, call, reason });
}

/** Refuses `call` unless the instance's session is secure; true if refused. */
export function refuseUnlessSecure(context: ConversationContext, call: RefusedCall, instance: Instance): boolean {
  const state = instance.message.kind;
  if (state === 'encrypted') return false;
  refuse(context, call, instance, state === 'finished' ? 'finished' : 'not-secure');
  return true;
}

/** The instance a call goes to (the host's choice or the automatic one), or undefined when the chosen tag is unknown. */
export function findInstance(conversation: Conversation, tag: number | undefined): Instance | undefined {
  try {
    return conversation.sendingInstance(tag);
  } catch (error) {
    if (error instanceof UsageError && error.code === 'unknown-instance') return undefined;
    throw error;
  }
}
