/**
 * SMP states (Protocol-v3, "The SMP state machine"): SMPSTATE_EXPECT1 is
 * `idle`, or `awaiting-answer` once a valid message 1 arrived and the user has
 * yet to give a secret; then `expect2`, `expect3`, `expect4`. Each variant
 * holds only its step's secrets.
 */
import type { SmpSecrets } from '../crypto/smp-math.js';

/** SMPSTATE_EXPECT1 with nothing pending. */
export interface SmpIdle {
  readonly kind: 'idle';
}

/** SMPSTATE_EXPECT1 after a valid message 1: the user must answer. */
export interface SmpAwaitingAnswer {
  readonly kind: 'awaiting-answer';
  readonly question: string | null;
  readonly received: SmpSecrets;
}

/** We sent message 1. */
export interface SmpExpect2 {
  readonly kind: 'expect2';
  readonly secrets: SmpSecrets;
}

/** We sent message 2. */
export interface SmpExpect3 {
  readonly kind: 'expect3';
  readonly secrets: SmpSecrets;
}

/** We sent message 3. */
export interface SmpExpect4 {
  readonly kind: 'expect4';
  readonly secrets: SmpSecrets;
}

/** Every SMP state. */
export type SmpState = SmpIdle | SmpAwaitingAnswer | SmpExpect2 | SmpExpect3 | SmpExpect4;

/** The initial state. */
export const SMP_IDLE: SmpIdle = { kind: 'idle' };

/** Forgets the secrets a state holds. */
export function wipeSmpState(state: SmpState): void {
  if (state.kind === 'idle') return;
  if (state.kind === 'awaiting-answer') state.received.wipe();
  else state.secrets.wipe();
}
