/**
 * What the SMP state machine needs from a protocol version: the group
 * arithmetic and zero-knowledge proofs of each step (v3: the 1536-bit MODP
 * group; v4: Ed448), and how the four messages travel as TLVs. The machine
 * (smp.ts) holds the returned secrets opaquely and, once a step is done with
 * them, returns them as consumed {@link Wipeable}s.
 */
import type { RandomSource, Secret, Wipeable } from '../crypto/index.js';
import type { DecodeError, SmpAbortReason } from '../errors.js';
import type { Tlv } from '../wire/tlv.js';

/** Secrets held between two steps. */
export type { Wipeable };

/** The types one version's SMP math works with. */
export interface SmpTypes {
  readonly message1: unknown;
  readonly message2: unknown;
  readonly message3: unknown;
  readonly message4: unknown;
  /** Bob's view of a checked message 1, kept until the user answers. */
  readonly request: Wipeable;
  readonly aliceExpect2: Wipeable;
  readonly bobExpect3: Wipeable;
  readonly aliceExpect4: Wipeable;
}

/** A check of a received value failed: the SMP aborts with this reason. */
export type SmpCheckReason = Exclude<SmpAbortReason, 'unexpected' | 'malformed'>;

/** The session values the secret is bound to (fingerprints, SSID) and the randomness. */
export interface SmpContext {
  /** Fingerprint of our long-term public key in this session. */
  readonly ourFingerprint: Uint8Array;
  /** Fingerprint of the peer's long-term public key in this session. */
  readonly theirFingerprint: Uint8Array;
  /** The session's SSID. */
  readonly ssid: Uint8Array;
  readonly random: RandomSource;
}

/** One version's SMP: math steps (Alice: 1, 3, 5; Bob: 2a, 2b, 4) and TLV coding. */
export interface SmpMath<T extends SmpTypes> {
  /** The value compared, from the user's secret; the initiator's fingerprint comes first. */
  secret(initiatorFingerprint: Uint8Array, responderFingerprint: Uint8Array, ssid: Uint8Array, userSecret: Uint8Array): Secret;
  step1(secret: Secret, random: RandomSource): { message: T['message1']; state: T['aliceExpect2'] };
  step2a(message: T['message1']): T['request'] | SmpCheckReason;
  step2b(request: T['request'], secret: Secret, random: RandomSource): { message: T['message2']; state: T['bobExpect3'] };
  step3(state: T['aliceExpect2'], message: T['message2'], random: RandomSource): { message: T['message3']; state: T['aliceExpect4'] } | SmpCheckReason;
  step4(state: T['bobExpect3'], message: T['message3'], random: RandomSource): { message: T['message4']; success: boolean } | SmpCheckReason;
  step5(state: T['aliceExpect4'], message: T['message4']): { success: boolean } | SmpCheckReason;
  /** Which SMP message a TLV is (undefined: not an SMP TLV). */
  stepOf(tlv: Tlv): 'abort' | 1 | 2 | 3 | 4 | undefined;
  decode1(tlv: Tlv): { question: string | null; message: T['message1'] } | DecodeError;
  decode2(tlv: Tlv): T['message2'] | DecodeError;
  decode3(tlv: Tlv): T['message3'] | DecodeError;
  decode4(tlv: Tlv): T['message4'] | DecodeError;
  encode1(message: T['message1'], question: string | undefined): Tlv;
  encode2(message: T['message2']): Tlv;
  encode3(message: T['message3']): Tlv;
  encode4(message: T['message4']): Tlv;
  abort(): Tlv;
}
