/**
 * The host's entry point: one account (one long-term identity and instance
 * tag) talking to many contacts. Every call takes the host's clock `now` and
 * returns an {@link Outcome}; nothing here does I/O or keeps timers.
 *
 * Theory of operation: `receive` classifies the text (fragment, encoded
 * message, query, error, plaintext with or without whitespace tag), reassembles
 * fragments, decodes OTR messages and hands them to the contact's
 * {@link Conversation}. Bad input from the network never throws: it becomes a
 * `dropped` or `protocol-error` event. Misuse by the host throws UsageError.
 */
import { fingerprint, systemRandom, type DsaPrivateKey, type RandomSource, type Secret } from '../crypto/index.js';
import { UsageError, type DecodeErrorCode, type ProtocolErrorCode } from '../errors.js';
import { MIN_INSTANCE_TAG, MIN_MAX_MESSAGE_SIZE } from '../limits.js';
import { OutcomeBuilder, type Outcome } from '../outcome.js';
import { classifyIncoming } from '../wire/index.js';
import { decodeOtrMessage } from './codec.js';
import { Conversation, type ConversationContext } from './conversation.js';
import { allowsOtr, Policies, type Policy } from './policy.js';
import { Reassembler } from './reassembly.js';

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
}

/** Options that pick one instance of a contact. */
export interface InstanceOption {
  /** The remote instance tag; default: the selected or most recently active secure instance. */
  readonly instance?: number;
}

/** A snapshot of one conversation for display. */
export interface ConversationStatus {
  readonly messageState: 'plaintext' | 'encrypted' | 'finished';
  readonly instance: number;
  readonly version?: 2 | 3;
  readonly fingerprint?: Uint8Array;
  readonly ssid?: Uint8Array;
  readonly ssidHalf?: 'first' | 'second';
  readonly smp: 'idle' | 'in-progress' | 'awaiting-answer';
  /** Tags of all known remote instances (0 is the master). */
  readonly instances: number[];
}

const utf8 = new TextEncoder();

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
  #policy: Policy;
  #maxMessageSize: number;
  /** SHA-1 fingerprint of our public key (20 bytes). */
  readonly ourFingerprint: Uint8Array;

  static {
    conversationOf = (account, peer) => account.#conversations.get(peer);
  }

  constructor(options: AccountOptions) {
    const tag = options.instanceTag;
    if (!Number.isInteger(tag) || tag < MIN_INSTANCE_TAG || tag > 0xffffffff) {
      throw new UsageError('bad-instance-tag', 'instance tag must be an integer in [0x100, 0xffffffff]');
    }
    this.#privateKey = options.privateKey;
    this.#ourTag = tag;
    this.#random = options.random ?? systemRandom;
    this.#policy = options.policy ?? Policies.OPPORTUNISTIC;
    this.#maxMessageSize = checkMaxMessageSize(options.maxMessageSize ?? 0);
    this.#sessionExpiryMs = options.sessionExpiryMs ?? 0;
    this.ourFingerprint = fingerprint(options.privateKey.publicKey);
  }

  /** Our instance tag. */
  get instanceTag(): number {
    return this.#ourTag;
  }

  /** Changes the default policy at run time. */
  setPolicy(policy: Policy): void {
    this.#policy = policy;
  }

  /** Sets (or with undefined clears) a contact's own policy. */
  setContactPolicy(peer: string, policy: Policy | undefined): void {
    this.#conversation(peer).policy = policy;
  }

  /** Changes the transport's maximum message size (0 = unlimited). */
  setMaxMessageSize(size: number): void {
    this.#maxMessageSize = checkMaxMessageSize(size);
  }

  /** Chooses the remote instance that sends to `peer` go to (undefined = automatic). */
  selectInstance(peer: string, instance: number | undefined): void {
    this.#conversation(peer).selectedTag = instance;
  }

  /** Handles a message received from `from`. Never throws for bad input. */
  receive(from: string, text: string, now: number): Outcome {
    return this.#run(from, now, (conversation, context) => {
      try {
        this.#receive(conversation, text, context);
      } catch {
        // A defect must not become an exception in the host, nor leak details.
        context.out.events.push({ kind: 'protocol-error', peer: from, code: 'internal', detail: 'internal error while handling a received message' });
      }
    });
  }

  /** The user sends `text` to `to`. */
  send(to: string, text: string, now: number, options: InstanceOption = {}): Outcome {
    return this.#run(to, now, (conversation, context) => {
      if (!allowsOtr(context.policy)) context.out.send.push({ to, text });
      else conversation.send(text, options.instance, context);
    });
  }

  /** Asks `to` for a private conversation (sends a query message). */
  startOtr(to: string, now: number): Outcome {
    return this.#run(to, now, (conversation, context) => conversation.sendQuery(context));
  }

  /** Ends the private conversation with `to` (emits `insecure` if there was one). */
  endOtr(to: string, now: number, options: InstanceOption = {}): Outcome {
    return this.#run(to, now, (conversation, context) => {
      if (!conversation.end(options.instance, context)) throw new UsageError('not-secure', 'no private conversation to end');
    });
  }

  /** Starts SMP with `to`, with an optional question. Secrets are UTF-8 encoded. */
  startSmp(to: string, secret: string, question: string | undefined, now: number, options: InstanceOption = {}): Outcome {
    return this.#run(to, now, (conversation, context) =>
      conversation.withInstance(options.instance, context, (instance, c) => withEncoded(secret, (bytes) => instance.startSmp(bytes, question, c))),
    );
  }

  /** Answers the SMP request of `to`. */
  answerSmp(to: string, secret: string, now: number, options: InstanceOption = {}): Outcome {
    return this.#run(to, now, (conversation, context) =>
      conversation.withInstance(options.instance, context, (instance, c) => withEncoded(secret, (bytes) => instance.answerSmp(bytes, c))),
    );
  }

  /** Aborts SMP with `to`. */
  abortSmp(to: string, now: number, options: InstanceOption = {}): Outcome {
    return this.#run(to, now, (conversation, context) =>
      conversation.withInstance(options.instance, context, (instance, c) => instance.abortSmp(c)),
    );
  }

  /** Tells `to` we use the extra symmetric key (TLV 8, v3 only); an `extra-key` event carries the key. */
  useExtraSymmetricKey(to: string, use: number, useData: Uint8Array, now: number, options: InstanceOption = {}): Outcome {
    if (!Number.isInteger(use) || use < 0 || use > 0xffffffff) throw new UsageError('bad-argument', 'use must be a 32-bit unsigned integer');
    return this.#run(to, now, (conversation, context) =>
      conversation.withInstance(options.instance, context, (instance, c) => {
        const state = instance.encrypted;
        if (state === undefined) throw new UsageError('not-secure', 'no private conversation');
        if (state.version !== 3) throw new UsageError('unsupported', 'the extra symmetric key needs OTR version 3');
        const key: Secret = instance.useExtraKey(use, useData, c);
        c.out.events.push({ kind: 'extra-key', peer: to, instance: instance.theirTag, direction: 'sent', use, useData: Uint8Array.from(useData), key });
      }),
    );
  }

  /** The earliest host time at which {@link onDeadline} has work to do. */
  nextDeadline(): number | undefined {
    let earliest = this.#reassembler.nextDeadline();
    for (const conversation of this.#conversations.values()) {
      const deadline = conversation.nextDeadline(this.#sessionExpiryMs);
      if (deadline !== undefined && (earliest === undefined || deadline < earliest)) earliest = deadline;
    }
    return earliest;
  }

  /** Runs due timers: AKE timeouts, heartbeats, session expiry, stale fragments. */
  onDeadline(now: number): Outcome {
    const out = new OutcomeBuilder();
    this.#reassembler.expire(now);
    for (const conversation of this.#conversations.values()) {
      conversation.onDeadline(this.#sessionExpiryMs, this.#context(conversation, now, out));
    }
    return out.build();
  }

  /** What the host shows about its conversation with `peer`. */
  status(peer: string, options: InstanceOption = {}): ConversationStatus {
    const conversation = this.#conversations.get(peer) ?? new Conversation(peer);
    const instance = conversation.sendingInstance(options.instance);
    const state = instance.message;
    const base = {
      messageState: state.kind,
      instance: instance.theirTag,
      smp: instance.smp.kind === 'idle' ? 'idle' : instance.smp.kind === 'awaiting-answer' ? 'awaiting-answer' : 'in-progress',
      instances: conversation.instances().map((i) => i.theirTag),
    } as const;
    if (state.kind !== 'encrypted') return state.kind === 'finished' ? { ...base, version: state.version } : base;
    return { ...base, version: state.version, fingerprint: state.theirFingerprint, ssid: state.ssid, ssidHalf: state.ssidHalf };
  }

  /** Forgets every conversation and wipes all session secrets. */
  wipe(): void {
    for (const conversation of this.#conversations.values()) conversation.wipe();
    this.#conversations.clear();
  }

  #receive(conversation: Conversation, text: string, context: ConversationContext): void {
    const { out, policy } = context;
    const peer = conversation.peer;
    if (!allowsOtr(policy)) {
      out.show.push({ from: peer, text, encrypted: false });
      return;
    }
    const incoming = classifyIncoming(text);
    switch (incoming.kind) {
      case 'plaintext':
        conversation.receivePlaintext(incoming.text, incoming.whitespaceVersions, context);
        return;
      case 'query':
        conversation.receiveQuery(incoming.versions, context);
        return;
      case 'error':
        conversation.receiveError(incoming.text, context);
        return;
      case 'fragment': {
        const fragment = incoming.fragment;
        if (fragment.version === 3 && fragment.receiverTag !== 0 && fragment.receiverTag !== this.#ourTag) {
          out.events.push({ kind: 'dropped', peer, instance: fragment.senderTag, reason: 'wrong-instance', detail: 'fragment for another instance' });
          return;
        }
        const result = this.#reassembler.add(peer, fragment, context.now);
        if (result.kind === 'dropped') out.events.push({ kind: 'dropped', peer, reason: 'fragment-limit', detail: result.reason });
        else if (result.kind === 'complete') this.#receive(conversation, result.message, context);
        return;
      }
      case 'encoded': {
        const decoded = decodeOtrMessage(incoming.bytes);
        if ('code' in decoded) {
          out.events.push({ kind: 'dropped', peer, reason: dropReason(decoded.code), detail: decoded.detail });
          return;
        }
        conversation.receiveOtr(decoded, context);
        return;
      }
      case 'malformed':
        out.events.push({ kind: 'dropped', peer, reason: dropReason(incoming.error.code), detail: incoming.error.detail });
        return;
    }
  }

  #conversation(peer: string): Conversation {
    if (typeof peer !== 'string' || peer.length === 0) throw new UsageError('bad-argument', 'peer must be a non-empty string');
    let conversation = this.#conversations.get(peer);
    if (conversation === undefined) {
      conversation = new Conversation(peer);
      this.#conversations.set(peer, conversation);
    }
    return conversation;
  }

  #context(conversation: Conversation, now: number, out: OutcomeBuilder): ConversationContext {
    return {
      peer: conversation.peer,
      privateKey: this.#privateKey,
      ourFingerprint: this.ourFingerprint,
      ourTag: this.#ourTag,
      random: this.#random,
      policy: conversation.policy ?? this.#policy,
      maxMessageSize: this.#maxMessageSize,
      now,
      out,
    };
  }

  #run(peer: string, now: number, body: (conversation: Conversation, context: ConversationContext) => void): Outcome {
    if (!Number.isFinite(now)) throw new UsageError('bad-argument', 'now must be a finite number');
    const conversation = this.#conversation(peer);
    const out = new OutcomeBuilder();
    body(conversation, this.#context(conversation, now, out));
    return out.build();
  }
}

/**
 * The code of a `dropped` event for a text that did not decode: the header
 * checks (version, instance tags) are made while classifying, so their
 * codes must survive to here.
 */
function dropReason(code: DecodeErrorCode): ProtocolErrorCode {
  if (code === 'bad-version') return 'unsupported-version';
  if (code === 'bad-instance-tag') return 'wrong-instance';
  return 'malformed';
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

function checkMaxMessageSize(size: number): number {
  if (!Number.isInteger(size) || size < 0 || (size > 0 && size < MIN_MAX_MESSAGE_SIZE)) {
    throw new UsageError('bad-argument', `maxMessageSize must be 0 or at least ${MIN_MAX_MESSAGE_SIZE}`);
  }
  return size;
}
