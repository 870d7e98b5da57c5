/**
 * SMP states (Protocol-v3, "The SMP state machine", "Expected Message").
 * The spec's SMPSTATE_EXPECT1 is split in two: `idle`, and `awaiting-answer`
 * once a valid message 1 arrived and the user has yet to give a secret
 * (libotr stays in EXPECT1 then too). `expect2` .. `expect4` are the spec's
 * states of the same names. Each variant holds only the secrets its next
 * step needs, as opaque values of the version's math ({@link SmpTypes}).
 */
import type { SmpTypes, Wipeable } from './smp-math.js';

/** SMPSTATE_EXPECT1 with nothing pending. */
export interface SmpIdle {
  readonly kind: 'idle';
}

/** SMPSTATE_EXPECT1 after a valid message 1 (or 1Q): the user must answer. */
export interface SmpAwaitingAnswer<T extends SmpTypes> {
  readonly kind: 'awaiting-answer';
  /** The question of message 1Q, or null for message 1. */
  readonly question: string | null;
  /** g2a and g3a from the checked message 1. */
  readonly request: T['request'];
}

/** SMPSTATE_EXPECT2: we sent message 1. */
export interface SmpExpect2<T extends SmpTypes> {
  readonly kind: 'expect2';
  readonly secrets: T['aliceExpect2'];
}

/** SMPSTATE_EXPECT3: we sent message 2. */
export interface SmpExpect3<T extends SmpTypes> {
  readonly kind: 'expect3';
  readonly secrets: T['bobExpect3'];
}

/** SMPSTATE_EXPECT4: we sent message 3. */
export interface SmpExpect4<T extends SmpTypes> {
  readonly kind: 'expect4';
  readonly secrets: T['aliceExpect4'];
}

/** Every SMP state. */
export type SmpState<T extends SmpTypes> = SmpIdle | SmpAwaitingAnswer<T> | SmpExpect2<T> | SmpExpect3<T> | SmpExpect4<T>;

/** The initial state (shared: it holds nothing). */
export const SMP_IDLE: SmpIdle = Object.freeze({ kind: 'idle' });

/** The secrets a state holds: what a transition leaving it consumes. */
export function smpStateSecrets<T extends SmpTypes>(state: SmpState<T>): Wipeable[] {
  switch (state.kind) {
    case 'idle':
      return [];
    case 'awaiting-answer':
      return [state.request];
    case 'expect2':
    case 'expect3':
    case 'expect4':
      return [state.secrets];
  }
}

/** Wipes the secrets a state holds; the secure channel calls it when it is wiped (MSGSTATE_ENCRYPTED ends). */
export function wipeSmpState<T extends SmpTypes>(state: SmpState<T>): void {
  for (const secrets of smpStateSecrets(state)) secrets.wipe();
}
