/**
 * The shared session state phi and the value t the DAKE's ring signatures
 * sign (OTRv4, "Shared Session State", "Auth-R Message", "Auth-I Message").
 *
 *   phi = sender's instance tag || receiver's instance tag ||
 *         sender's our_ecdh_first || sender's our_dh_first ||
 *         receiver's our_ecdh_first || receiver's our_dh_first ||
 *         DATA(sender's contact id) || DATA(receiver's contact id)
 *
 *   t = byte(0x00 for Auth-R, 0x01 for Auth-I) ||
 *       HWC(usage_auth_{r,i}_bob_client_profile || Bob's profile, 64) ||
 *       HWC(usage_auth_{r,i}_alice_client_profile || Alice's profile, 64) ||
 *       Y || X || B || A || HWC(usage_auth_{r,i}_phi || phi, 64)
 *
 * Bob sent the Identity message, Alice the Auth-R. Tags are INTs, ECDH keys
 * POINTs, DH keys MPIs, contact ids UTF-8 as DATA; B and A are MPIs in t.
 */
import { hwc, USAGE } from '../../crypto/v4/index.js';
import { Writer } from '../../wire/writer.js';

/** Which DAKE message a phi or t is for. */
export type AuthMessageKind = 'auth-r' | 'auth-i';

/** One side's part of phi. */
export interface PhiParty {
  readonly instanceTag: number;
  /** our_ecdh_first.public of this side (POINT). */
  readonly firstEcdh: Uint8Array;
  /** our_dh_first.public of this side (magnitude). */
  readonly firstDh: Uint8Array;
  /** The higher-level identifier of this side (e.g. the bare JID), as the application gives it. */
  readonly contactId: string;
}

/**
 * How phi orders the two sides.
 *
 * - `sender-receiver`: the side that sends the message carrying the ring
 *   signature comes first (Alice for Auth-R, Bob for Auth-I), for the tags,
 *   the first keys and the contact ids alike, the ids as given.
 * - `sorted`: the spec text ("To make sure both participants has the same
 *   phi during DAKE, sort the instance tag by numerical order and any string
 *   passed to phi' lexicographically"): the side with the lower instance tag
 *   first, with its first keys; the contact ids in byte order of their UTF-8.
 */
export type SharedSessionStateOrder = 'sender-receiver' | 'sorted';

/**
 * The one compatibility point for phi. The spec (section "Shared Session
 * State") sorts the instance tags numerically and the strings of phi'
 * lexicographically. otr4j (src/main/java/net/java/otr4j/messages/MysteriousT4.java,
 * `generatePhi`, with its own TODO saying it "violates OTRv4 spec";
 * called from session/dake/AbstractState.java, DAKEAwaitingAuthR.java and
 * DAKEAwaitingAuthI.java) writes them in sender/receiver order of the
 * message being signed, contact ids as given. Interoperating with otr4j
 * wins (issue 14): `sender-receiver`.
 */
export const SHARED_SESSION_STATE_ORDER: SharedSessionStateOrder = 'sender-receiver';

const UTF8 = new TextEncoder();

/** Byte-wise comparison of two strings' UTF-8 encodings. */
function compareUtf8(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** phi for a message sent by `sender` to `receiver` (not hashed; t hashes it). */
export function sharedSessionState(sender: PhiParty, receiver: PhiParty, order: SharedSessionStateOrder = SHARED_SESSION_STATE_ORDER): Uint8Array {
  const senderId = UTF8.encode(sender.contactId);
  const receiverId = UTF8.encode(receiver.contactId);
  let first = sender;
  let second = receiver;
  let ids = [senderId, receiverId];
  if (order === 'sorted') {
    if (receiver.instanceTag < sender.instanceTag) [first, second] = [receiver, sender];
    if (compareUtf8(receiverId, senderId) < 0) ids = [receiverId, senderId];
  }
  const writer = new Writer().u32(first.instanceTag).u32(second.instanceTag);
  writer.bytes(first.firstEcdh).mpi(first.firstDh).bytes(second.firstEcdh).mpi(second.firstDh);
  for (const id of ids) writer.data(id);
  return writer.finish();
}

/** The public values of one DAKE that t covers. */
export interface TranscriptValues {
  /** Bob's CLIENT-PROF bytes (the Identity message's). */
  readonly bobProfile: Uint8Array;
  /** Alice's CLIENT-PROF bytes (the Auth-R message's). */
  readonly aliceProfile: Uint8Array;
  /** Y, Bob's ephemeral ECDH key (POINT). */
  readonly y: Uint8Array;
  /** X, Alice's ephemeral ECDH key (POINT). */
  readonly x: Uint8Array;
  /** B, Bob's ephemeral DH key (magnitude). */
  readonly b: Uint8Array;
  /** A, Alice's ephemeral DH key (magnitude). */
  readonly a: Uint8Array;
}

const TRANSCRIPT_USAGE = {
  'auth-r': { prefix: 0x00, bob: USAGE.usage_auth_r_bob_client_profile, alice: USAGE.usage_auth_r_alice_client_profile, phi: USAGE.usage_auth_r_phi },
  'auth-i': { prefix: 0x01, bob: USAGE.usage_auth_i_bob_client_profile, alice: USAGE.usage_auth_i_alice_client_profile, phi: USAGE.usage_auth_i_phi },
} as const;

/** Bytes of each hash in t. */
const T_HASH_BYTES = 64;

/** t for the Auth-R or Auth-I message. */
export function authTranscript(kind: AuthMessageKind, values: TranscriptValues, phi: Uint8Array): Uint8Array {
  const usage = TRANSCRIPT_USAGE[kind];
  return new Writer()
    .u8(usage.prefix)
    .bytes(hwc(usage.bob, T_HASH_BYTES, values.bobProfile))
    .bytes(hwc(usage.alice, T_HASH_BYTES, values.aliceProfile))
    .bytes(values.y)
    .bytes(values.x)
    .mpi(values.b)
    .mpi(values.a)
    .bytes(hwc(usage.phi, T_HASH_BYTES, phi))
    .finish();
}
