/**
 * The host's entry point: one account (one long-term identity and instance
 * tag) talking to many contacts. Every call takes the host's clock `now` and
 * returns an {@link Outcome}; nothing here does I/O or keeps timers.
 *
 * Theory of operation: `receive` hands the text to incoming.ts, which
 * classifies it (fragment, encoded message, query, error, plaintext with or
 * without whitespace tag), reassembles fragments, decodes OTR messages and
 * passes them to the contact's {@link Conversation}. Bad input from the network never throws: it becomes a
 * `dropped` or `protocol-error` event. Misuse by the host throws UsageError
 * before anything changes; a call the peer has made pointless (ending a
 * session the peer ended, SMP without a secure session) reports `refused`.
 */
import { DsaPrivateKey, fingerprint, systemRandom, type RandomSource, type Secret } from '../crypto/index.js';
import { UsageError } from '../errors.js';
import { MAX_CONVERSATIONS, MAX_SEND_TEXT_LENGTH, MAX_SMP_QUESTION_LENGTH, MIN_INSTANCE_TAG } from '../limits.js';
import { OutcomeBuilder, type Outcome, type RefusedCall } from '../outcome.js';
import type { V4Identity } from '../secure-channel.js';
import type { ProtocolVersion } from '../version.js';
import { Conversation, type ConversationContext } from './conversation.js';
import { receiveText } from './incoming.js';
import { findInstance, refuse, refuseUnlessSecure } from './refusals.js';
import { checkMaxMessageSize, checkNow, checkPeer, checkPolicy, checkTag, checkText, instanceOf, type InstanceOption } from './host-arguments.js';
import type { Instance } from './instance.js';
import { allowsOtr, Policies, type Policy } from './policy.js';
import { Reassembler } from './reassembly.js';
import { AccountV4Identity, type V4IdentityOptions } from './v4-identity.js';

export type { InstanceOption };

/** How an account is set up. */
export interface AccountOptions {
  /** The long-term DSA key. */
  readonly privateKey: DsaPrivateKey;
  /** Our instance tag, >= 0x100; the host keeps it stable across runs. */
  readonly instanceTag: number;
  /** Default policy for every contact (default OPPORTUNISTIC). */
  readonly policy?: Policy;
  /** Randomness (default: the operating system's CSPRNG). */
  readonly random?: RandomSource;
  /** The transport's largest message in characters; 0 = unlimited. */
  readonly maxMessageSize?: number;
  /** End secure sessions idle for this long; 0 = never. */
  readonly sessionExpiryMs?: number;
  /**
   * The OTRv4 identity (Ed448 key pair, forging key, Client Profile).
   * Without it the account speaks v3 and v2 only; with it, v4 is offered
   * and preferred wherever the policy allows 4.
   */
  readonly v4?: V4IdentityOptions;
}


/** A snapshot of one conversation for display. */
export interface ConversationStatus {
  readonly messageState: 'plaintext' | 'encrypted' | 'finished';
  readonly instance: number;
  readonly version?: ProtocolVersion;
  readonly fingerprint?: Uint8Array;
  readonly ssid?: Uint8Array;
  readonly ssidHalf?: 'first' | 'second';
  readonly smp: 'idle' | 'in-progress' | 'awaiting-answer';
  /** Tags of all known remote instances (0 is the master). */
  readonly instances: number[];
}

const utf8 = new TextEncoder();

/** TLV 8's value is the 4-byte use and the use data, in a 16-bit length. */
const MAX_EXTRA_KEY_USE_DATA_BYTES = 0xffff - 4;

let conversationOf: ((account: Account, peer: string) => Conversation | undefined) | undefined;

/**
 * Internal, for tests that check secrets are wiped: the account's
 * conversation with `peer`, if one exists. Not exported from the package.
 */
export function internalConversationOf(account: Account, peer: string): Conversation | undefined {
  return conversationOf?.(account, peer);
}

/** An OTR account: the object a host keeps per identity. */
export class Account {
  readonly #privateKey: DsaPrivateKey;
  readonly #random: RandomSource;
  readonly #ourTag: number;
  readonly #sessionExpiryMs: number;
  readonly #conversations = new Map<string, Conversation>();
  readonly #reassembler = new Reassembler();
  readonly #v4: AccountV4Identity | undefined;
  #policy: Policy;
  #maxMessageSize: number;
  #wiped = false;
  /** SHA-1 fingerprint of our public key (20 bytes). */
  readonly ourFingerprint: Uint8Array;
  /** Our OTRv4 fingerprint (56 bytes), when the account has a v4 identity. */
  readonly ourV4Fingerprint: Uint8Array | undefined;

  static {
    conversationOf = (account, peer) => account.#conversations.get(peer);
  }

  /** Throws UsageError for options that are missing or of the wrong type. */
  constructor(options: AccountOptions) {
    if (typeof options !== 'object' || (options as AccountOptions | null) === null) {
      throw new UsageError('bad-options', 'new Account needs an options object with privateKey and instanceTag');
    }
    if (!((options.privateKey as unknown) instanceof DsaPrivateKey)) {
      throw new UsageError('bad-private-key', 'privateKey must be a DsaPrivateKey (from generateDsaKey or dsaPrivateKeyFromParts)');
    }
    const tag = options.instanceTag;
    if (!Number.isInteger(tag) || tag < MIN_INSTANCE_TAG || tag > 0xffffffff) {
      throw new UsageError('bad-instance-tag', 'instance tag must be an integer in [0x100, 0xffffffff]');
    }
    const random = options.random ?? systemRandom;
    if (typeof random !== 'function') throw new UsageError('bad-argument', 'random must be a RandomSource function');
    const expiry = options.sessionExpiryMs ?? 0;
    if (!Number.isSafeInteger(expiry) || expiry < 0) throw new UsageError('bad-argument', 'sessionExpiryMs must be a non-negative integer');
    this.#privateKey = options.privateKey;
    this.#ourTag = tag;
    this.#random = random;
    this.#policy = options.policy === undefined ? Policies.OPPORTUNISTIC : checkPolicy(options.policy);
    this.#maxMessageSize = checkMaxMessageSize(options.maxMessageSize ?? 0);
    this.#sessionExpiryMs = expiry;
    this.ourFingerprint = fingerprint(options.privateKey.publicKey);
    this.#v4 = options.v4 === undefined ? undefined : new AccountV4Identity(options.v4, tag);
    this.ourV4Fingerprint = this.#v4?.fingerprint;
  }

  /** Our instance tag. */
  get instanceTag(): number {
    return this.#ourTag;
  }

  /** Changes the default policy at run time. */
  setPolicy(policy: Policy): void {
    this.#live();
    this.#policy = checkPolicy(policy);
  }

  /** Sets (or with undefined clears) a contact's own policy. */
  setContactPolicy(peer: string, policy: Policy | undefined): void {
    this.#live();
    const checked = policy === undefined ? undefined : checkPolicy(policy);
    this.#conversation(peer, undefined).policy = checked;
  }

  /**
   * Changes our address as peers know it (`v4.address`), for example after
   * the transport gave us a new one: DAKEs begun from now on bind it in
   * their shared session state; sessions already established are unchanged.
   * UsageError without a v4 identity or for a non-string.
   */
  setV4Address(address: string): void {
    this.#live();
    if (this.#v4 === undefined) throw new UsageError('bad-options', 'the account has no v4 identity');
    this.#v4.setAddress(address);
  }

  /** Changes the transport's maximum message size (0 = unlimited). */
  setMaxMessageSize(size: number): void {
    this.#live();
    this.#maxMessageSize = checkMaxMessageSize(size);
  }

  /** Chooses the remote instance that calls for `peer` go to (undefined = automatic: the most recently active secure one). */
  selectInstance(peer: string, instance: number | undefined): void {
    this.#live();
    if (instance !== undefined) checkTag(instance);
    this.#conversation(peer, undefined).selectedTag = instance;
  }

  /** Handles a message received from `from`. Never throws for bad input; throws UsageError only for a non-string text, a bad `now` or a wiped account. */
  receive(from: string, text: string, now: number): Outcome {
    checkText(text, 'text', Number.POSITIVE_INFINITY);
    return this.#run(from, now, (conversation, context) => {
      try {
        receiveText(conversation, text, context, this.#reassembler, this.#ourTag);
      } catch {
        // A defect must not become an exception in the host, nor leak details.
        context.out.events.push({ kind: 'protocol-error', peer: from, reason: 'internal', detail: 'internal error while handling a received message' });
      }
    }, true);
  }

  /**
   * The user sends `text` to `to`: encrypted in a secure session, else as the
   * policy says (plaintext, whitespace-tagged, or held with `not-sent`
   * 'encryption-required'); `not-sent` 'finished' once the peer ended.
   */
  send(to: string, text: string, now: number, options: InstanceOption = {}): Outcome {
    checkText(text, 'text', MAX_SEND_TEXT_LENGTH);
    const tag = instanceOf(options);
    return this.#run(to, now, (conversation, context) => {
      if (!allowsOtr(context.policy, context.v4 !== undefined)) {
        context.out.send.push({ to, text });
        return;
      }
      if (findInstance(conversation, tag) === undefined) {
        context.out.events.push({ kind: 'not-sent', peer: to, reason: 'unknown-instance' });
        return;
      }
      conversation.send(text, tag, context);
    });
  }

  /** Asks `to` for a private conversation (sends a query message). Throws UsageError when the policy allows no OTR. */
  startOtr(to: string, now: number): Outcome {
    return this.#run(to, now, (conversation, context) => conversation.sendQuery(context));
  }

  /** Ends the private conversation with `to` (`insecure`), or reports `refused` 'not-secure' when there is none. */
  endOtr(to: string, now: number, options: InstanceOption = {}): Outcome {
    const tag = instanceOf(options);
    return this.#runOn('endOtr', to, now, tag, (conversation, context, instance) => {
      if (instance.message.kind === 'plaintext') refuse(context, 'endOtr', instance, 'not-secure');
      else conversation.end(tag, context);
    });
  }

  /**
   * Starts SMP with `to`, with an optional question; secrets are UTF-8
   * encoded. Without a secure session: `refused` ('not-secure' or 'finished').
   */
  startSmp(to: string, secret: string, question: string | undefined, now: number, options: InstanceOption = {}): Outcome {
    checkText(secret, 'secret', MAX_SEND_TEXT_LENGTH);
    if (question !== undefined) checkText(question, 'question', MAX_SMP_QUESTION_LENGTH);
    if (question?.includes('\0') === true) throw new UsageError('bad-smp-question', 'an SMP question cannot contain NUL');
    const tag = instanceOf(options);
    return this.#runOn('startSmp', to, now, tag, (conversation, context, instance) => {
      if (refuseUnlessSecure(context, 'startSmp', instance)) return;
      conversation.withInstance(tag, context, (i, c) => withEncoded(secret, (bytes) => i.startSmp(bytes, question, c)));
    });
  }

  /** Answers the SMP request of `to`; `refused` 'no-smp-request' when none waits (say the peer aborted it). */
  answerSmp(to: string, secret: string, now: number, options: InstanceOption = {}): Outcome {
    checkText(secret, 'secret', MAX_SEND_TEXT_LENGTH);
    const tag = instanceOf(options);
    return this.#runOn('answerSmp', to, now, tag, (conversation, context, instance) => {
      if (refuseUnlessSecure(context, 'answerSmp', instance)) return;
      if (instance.smpStatus !== 'awaiting-answer') {
        refuse(context, 'answerSmp', instance, 'no-smp-request');
        return;
      }
      conversation.withInstance(tag, context, (i, c) => withEncoded(secret, (bytes) => i.answerSmp(bytes, c)));
    });
  }

  /**
   * Aborts SMP with `to`. Always reports `smp-aborted` (by: 'us'), even when
   * no SMP ran; in a secure session it also sends the abort (TLV 6), since the
   * peer may be in an SMP state we do not know of.
   */
  abortSmp(to: string, now: number, options: InstanceOption = {}): Outcome {
    const tag = instanceOf(options);
    return this.#run(to, now, (conversation, context) => {
      const instance = findInstance(conversation, tag);
      const running = instance !== undefined && instance.smpStatus !== 'idle';
      if (instance?.message.kind === 'encrypted') conversation.withInstance(tag, context, (i, c) => i.abortSmp(c));
      if (!running) context.out.events.push({ kind: 'smp-aborted', peer: to, instance: instance?.theirTag ?? tag ?? 0, by: 'us' });
    });
  }

  /**
   * Tells `to` we use the extra symmetric key (v3: TLV 8 with the 4-byte
   * use; v4: TLV 7 with `use` as its 4-byte context); an `extra-key` event
   * carries the key. `refused` without a secure session or in a version 2
   * session.
   */
  useExtraSymmetricKey(to: string, use: number, useData: Uint8Array, now: number, options: InstanceOption = {}): Outcome {
    if (!Number.isInteger(use) || use < 0 || use > 0xffffffff) throw new UsageError('bad-argument', 'use must be a 32-bit unsigned integer');
    if (!(useData instanceof Uint8Array) || useData.length > MAX_EXTRA_KEY_USE_DATA_BYTES) {
      throw new UsageError('bad-argument', `useData must be a Uint8Array of at most ${MAX_EXTRA_KEY_USE_DATA_BYTES} bytes`);
    }
    const tag = instanceOf(options);
    return this.#runOn('useExtraSymmetricKey', to, now, tag, (conversation, context, instance) => {
      if (refuseUnlessSecure(context, 'useExtraSymmetricKey', instance)) return;
      const version = instance.encrypted?.channel.version;
      if (version !== 3 && version !== 4) {
        refuse(context, 'useExtraSymmetricKey', instance, 'needs-version-3');
        return;
      }
      conversation.withInstance(tag, context, (i, c) => {
        const key: Secret = i.useExtraKey(use, useData, c);
        c.out.events.push({ kind: 'extra-key', peer: to, instance: i.theirTag, direction: 'sent', use, useData: Uint8Array.from(useData), key });
      });
    });
  }

  /** The earliest host time at which {@link onDeadline} has work to do. */
  nextDeadline(): number | undefined {
    this.#live();
    let earliest = this.#reassembler.nextDeadline();
    const profileDeadline = this.#v4?.deadline();
    if (profileDeadline !== undefined && (earliest === undefined || profileDeadline < earliest)) earliest = profileDeadline;
    for (const conversation of this.#conversations.values()) {
      const deadline = conversation.nextDeadline(this.#sessionExpiryMs);
      if (deadline !== undefined && (earliest === undefined || deadline < earliest)) earliest = deadline;
    }
    return earliest;
  }

  /** Runs due timers: AKE timeouts, heartbeats, session expiry, stale fragments, the Client Profile's refresh. */
  onDeadline(now: number): Outcome {
    this.#live();
    checkNow(now);
    const out = new OutcomeBuilder();
    this.#reassembler.expire(now);
    const v4 = this.#v4Identity(now, out);
    for (const conversation of this.#conversations.values()) {
      conversation.onDeadline(this.#sessionExpiryMs, this.#context(conversation, now, out, v4));
    }
    return out.build();
  }

  /** Our v4 identity for a call at `now`, replacing the Client Profile first when it is due (reported as `profile-refreshed`). */
  #v4Identity(now: number, out: OutcomeBuilder): V4Identity | undefined {
    if (this.#v4 === undefined) return undefined;
    const { identity, refreshed } = this.#v4.at(now, this.#privateKey, this.#ourTag, this.#random);
    if (refreshed !== undefined) out.events.push({ kind: 'profile-refreshed', profile: Uint8Array.from(refreshed.encoded), expiresAt: refreshed.expiresAt });
    return identity;
  }

  /** What the host shows about its conversation with `peer`. */
  status(peer: string, options: InstanceOption = {}): ConversationStatus {
    this.#live();
    checkPeer(peer);
    const conversation = this.#conversations.get(peer) ?? new Conversation(peer);
    const instance = conversation.sendingInstance(instanceOf(options));
    const state = instance.message;
    const base = {
      messageState: state.kind,
      instance: instance.theirTag,
      smp: instance.smpStatus,
      instances: conversation.instances().map((i) => i.theirTag),
    } as const;
    if (state.kind !== 'encrypted') return state.kind === 'finished' ? { ...base, version: state.version } : base;
    const channel = state.channel;
    return { ...base, version: channel.version, fingerprint: channel.theirFingerprint, ssid: channel.ssid, ssidHalf: channel.ssidHalf };
  }

  /**
   * Forgets every conversation and wipes all session secrets (not the
   * private key, which the host owns). Every later call throws UsageError
   * 'wiped'; calling wipe() again does nothing.
   */
  wipe(): void {
    if (this.#wiped) return;
    this.#wiped = true;
    for (const conversation of this.#conversations.values()) conversation.wipe();
    this.#conversations.clear();
    this.#reassembler.expire(Number.POSITIVE_INFINITY);
  }

  /**
   * The conversation with `peer`, created on first use and marked as the
   * most recently used. Beyond MAX_CONVERSATIONS a new one takes the place
   * of a contact that holds nothing, when one exists and `now` is known.
   */
  #conversation(peer: string, now: number | undefined): Conversation {
    checkPeer(peer);
    const conversations = this.#conversations;
    let conversation = conversations.get(peer);
    if (conversation !== undefined) {
      // Map order is insertion order: re-inserting keeps it least recently used first.
      conversations.delete(peer);
      conversations.set(peer, conversation);
      return conversation;
    }
    if (now !== undefined && conversations.size >= MAX_CONVERSATIONS) this.#forgetOne(now, undefined);
    conversation = new Conversation(peer);
    conversations.set(peer, conversation);
    return conversation;
  }

  /** Whether a message from `peer` may have a conversation: known, or room is made (limits.MAX_CONVERSATIONS); else reported as dropped. */
  #admit(peer: string, now: number, out: OutcomeBuilder): boolean {
    if (this.#conversations.has(peer) || this.#conversations.size < MAX_CONVERSATIONS || this.#forgetOne(now, out)) return true;
    out.events.push({ kind: 'dropped', peer, reason: 'conversation-limit', detail: `message from a new contact refused: ${MAX_CONVERSATIONS} contacts hold sessions` });
    return false;
  }

  /**
   * Forgets the least recently used contact that holds nothing, else (when
   * `out` takes the report: a sender's message) the least recently used one
   * holding only AKEs in progress. False when none qualifies.
   */
  #forgetOne(now: number, out: OutcomeBuilder | undefined): boolean {
    let stalled: Conversation | undefined;
    for (const candidate of this.#conversations.values()) {
      if (candidate.holdsNothing(now)) return this.#forget(candidate);
      if (stalled === undefined && candidate.holdsNoSession()) stalled = candidate;
    }
    if (stalled === undefined || out === undefined) return false;
    out.events.push({ kind: 'dropped', peer: stalled.peer, reason: 'conversation-limit', detail: `AKE abandoned for a new contact: more than ${MAX_CONVERSATIONS} contacts` });
    return this.#forget(stalled);
  }

  #forget(conversation: Conversation): true {
    conversation.wipe();
    this.#conversations.delete(conversation.peer);
    return true;
  }

  #context(conversation: Conversation, now: number, out: OutcomeBuilder, v4: V4Identity | undefined): ConversationContext {
    return {
      peer: conversation.peer,
      privateKey: this.#privateKey,
      ourFingerprint: this.ourFingerprint,
      v4,
      ourTag: this.#ourTag,
      random: this.#random,
      policy: conversation.policy ?? this.#policy,
      maxMessageSize: this.#maxMessageSize,
      now,
      out,
    };
  }

  /** Refuses every call once the account is wiped. */
  #live(): void {
    if (this.#wiped) throw new UsageError('wiped', 'this account was wiped; create a new Account');
  }

  /** Runs `body` on the conversation with `peer`; `fromPeer` for a received message (which may be refused at MAX_CONVERSATIONS). */
  #run(peer: string, now: number, body: (conversation: Conversation, context: ConversationContext) => void, fromPeer = false): Outcome {
    this.#live();
    checkNow(now);
    checkPeer(peer);
    const out = new OutcomeBuilder();
    const v4 = this.#v4Identity(now, out);
    if (fromPeer && !this.#admit(peer, now, out)) return out.build();
    const conversation = this.#conversation(peer, now);
    body(conversation, this.#context(conversation, now, out, v4));
    return out.build();
  }

  /** Runs `body` on the instance a call is for, or reports `refused` 'unknown-instance'. */
  #runOn(call: RefusedCall, peer: string, now: number, tag: number | undefined, body: (conversation: Conversation, context: ConversationContext, instance: Instance) => void): Outcome {
    return this.#run(peer, now, (conversation, context) => {
      const instance = findInstance(conversation, tag);
      if (instance === undefined) context.out.events.push({ kind: 'refused', peer, call, reason: 'unknown-instance' });
      else body(conversation, context, instance);
    });
  }
}

/** Runs `body` on the UTF-8 bytes of a user's secret and wipes them afterwards (the string itself cannot be wiped). */
function withEncoded(secret: string, body: (bytes: Uint8Array) => void): void {
  const bytes = utf8.encode(secret);
  try {
    body(bytes);
  } finally {
    bytes.fill(0);
  }
}

