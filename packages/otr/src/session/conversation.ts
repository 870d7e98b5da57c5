/**
 * All instances of one contact (Protocol-v3, "Instance Tags" and the
 * per-message rules of "The protocol state machine"): routing received
 * messages to the instance named by the sender tag, choosing the instance to
 * send to, the whitespace-tag and query logic, and error replies that never
 * answer an error with an error.
 *
 * Theory of operation: instance 0 is the master. It runs v2 (which has no
 * tags) and every AKE we start before we know the peer's tag; when an
 * instance answers our broadcast D-H Commit, it adopts a copy of the master's
 * AKE state. v3 sessions live in the instance of the peer's tag.
 *
 * A peer controls how often it sends, so every reaction that costs us work
 * or the user attention is rate-limited per contact on the host's clock:
 * AKE starts from queries and whitespace tags, queries answering error
 * messages, error messages we send, and `peer-error` events (collapsed, the
 * rest reported by count at the next deadline).
 */
import {
  AKE_START_INTERVAL_MS,
  AKE_STARTS_PER_INTERVAL,
  ERROR_QUERY_INTERVAL_MS,
  ERROR_REPLY_INTERVAL_MS,
  MAX_INSTANCES_PER_CONTACT,
  MIN_INSTANCE_TAG,
  PEER_ERROR_EVENT_INTERVAL_MS,
  RESEND_INTERVAL_MS,
} from '../limits.js';
import { UsageError } from '../errors.js';
import { encodeErrorMessage, encodeQueryMessage } from '../wire/index.js';
import type { DecodedOtrMessage } from '../wire/index.js';
import { encodeV4ErrorMessage, encodeWhitespaceTagV4, type DecodedV4Message } from '../wire/v4/index.js';
import type { ProtocolVersion } from '../version.js';
import { Instance } from './instance.js';
import type { InstanceContext } from './instance-context.js';
import { allowedVersions, allowsOtr, allowsVersion, type Policy } from './policy.js';

/** The text of the error we send for an unreadable v2 or v3 message (libotr's wording). */
const UNREADABLE_ERROR = 'You transmitted an unreadable encrypted message.';

/** A received OTR error message: its human-readable text, and the OTRv4 code it starts with ("ERROR_1"), if any. */
export interface PeerError {
  readonly text: string;
  readonly code?: string;
}

/** Context for conversation calls: the instance context minus the per-instance reply hook. */
export type ConversationContext = Omit<InstanceContext, 'replyUnreadable' | 'onSecure'>;

/** One contact with all its instances. */
export class Conversation {
  readonly #instances = new Map<number, Instance>();
  /** Chosen by the host for sending; undefined = the best secure instance. */
  selectedTag: number | undefined;
  /** A per-contact policy overriding the account's. */
  policy: Policy | undefined;
  /** Whether the peer sent plaintext since we last offered the whitespace tag (stop tagging then). */
  #peerSentPlaintext = false;
  #lastErrorReply = Number.NEGATIVE_INFINITY;
  /** When queries or whitespace tags last started AKEs (the latest AKE_STARTS_PER_INTERVAL, oldest first). */
  readonly #akeStarts: number[] = [];
  /** When an error message was last answered with a query. */
  #lastErrorQuery = Number.NEGATIVE_INFINITY;
  /** When the last `peer-error` event was reported. */
  #lastPeerErrorEvent = Number.NEGATIVE_INFINITY;
  /** Error messages received since then and not yet reported: how many, and the latest text. */
  #unreportedErrors: (PeerError & { readonly count: number }) | undefined;
  /** A message held while encryption was required; sent when a session becomes secure, if recent. */
  #held: { readonly text: string; readonly at: number } | undefined;

  /** The master instance (tag 0); never forgotten. */
  readonly master = new Instance(0);

  constructor(readonly peer: string) {
    this.#instances.set(0, this.master);
  }

  /** All instances, master first. */
  instances(): Instance[] {
    return [...this.#instances.values()];
  }

  /**
   * The instance with this tag, created on first use. A new instance beyond
   * the cap takes the place of one holding nothing, or, when it brings an
   * AKE (`startsAke`), of the AKE that made progress least recently; when
   * neither exists, the message is dropped and reported (undefined).
   */
  #instanceFor(tag: number, startsAke: boolean, context: ConversationContext): Instance | undefined {
    const known = this.#instances.get(tag);
    if (known !== undefined) return known;
    if (this.#instances.size > MAX_INSTANCES_PER_CONTACT && !this.#evictOne(startsAke, context)) {
      context.out.events.push({
        kind: 'dropped',
        peer: this.peer,
        instance: tag,
        reason: 'instance-limit',
        detail: `message from a new instance refused: ${MAX_INSTANCES_PER_CONTACT} instances of this contact are busy`,
      });
      return undefined;
    }
    const instance = new Instance(tag);
    this.#instances.set(tag, instance);
    return instance;
  }

  /**
   * Forgets one instance to make room: the oldest that holds nothing, else
   * (if `ake`) the AKE that made progress least recently, reported as
   * dropped. Never the master, the host's selected instance, or one whose
   * session is encrypted or finished. False when none qualifies.
   */
  #evictOne(ake: boolean, context: ConversationContext): boolean {
    let stalest: Instance | undefined;
    let stalestSince = Number.POSITIVE_INFINITY;
    for (const [tag, instance] of this.#instances) {
      if (tag === 0 || tag === this.selectedTag || instance.message.kind !== 'plaintext') continue;
      const since = instance.exchangeSince;
      if (since === undefined) {
        this.#forget(instance);
        return true;
      }
      if (stalest === undefined || since < stalestSince) {
        stalest = instance;
        stalestSince = since;
      }
    }
    if (!ake || stalest === undefined) return false;
    this.#forget(stalest);
    context.out.events.push({
      kind: 'dropped',
      peer: this.peer,
      instance: stalest.theirTag,
      reason: 'instance-limit',
      detail: `stalled AKE abandoned for a new instance: more than ${MAX_INSTANCES_PER_CONTACT} instances of this contact`,
    });
    return true;
  }

  #forget(instance: Instance): void {
    instance.wipe();
    this.#instances.delete(instance.theirTag);
  }

  /** The instance sends go to: the host's choice, else the most recently active secure instance, else the master. */
  sendingInstance(tag?: number): Instance {
    const chosen = tag ?? this.selectedTag;
    if (chosen !== undefined) {
      const instance = this.#instances.get(chosen);
      if (instance === undefined) throw new UsageError('unknown-instance', `no instance ${chosen} for this contact`);
      return instance;
    }
    let best: Instance | undefined;
    for (const instance of this.#instances.values()) {
      if (instance.message.kind === 'plaintext') continue;
      if (best === undefined || Math.max(instance.lastReceived, instance.lastSent) > Math.max(best.lastReceived, best.lastSent)) best = instance;
    }
    return best ?? this.master;
  }

  /** Runs `body` on the sending instance (or the one named by `tag`) with a full instance context. */
  withInstance<T>(tag: number | undefined, context: ConversationContext, body: (instance: Instance, context: InstanceContext) => T): T {
    return body(this.sendingInstance(tag), this.#instanceContext(context));
  }

  #instanceContext(context: ConversationContext): InstanceContext {
    // Spelled out: object spread is a slow runtime call, and this runs for every message.
    const { peer, privateKey, ourFingerprint, v4, ourTag, random, policy, maxMessageSize, now, out } = context;
    return {
      peer,
      privateKey,
      ourFingerprint,
      v4,
      ourTag,
      random,
      policy,
      maxMessageSize,
      now,
      out,
      replyUnreadable: (version, notEncrypted) => this.#replyUnreadable(version, notEncrypted, context),
      onSecure: (instance) => this.#sendHeld(instance, context),
    };
  }

  /** Handles a plaintext message (with the whitespace tag removed, if any). */
  receivePlaintext(text: string, tagVersions: ReadonlySet<number> | undefined, context: ConversationContext): void {
    const policy = context.policy;
    this.#peerSentPlaintext = true;
    if (text.length > 0) context.out.show.push({ from: this.peer, text, encrypted: false });
    if (tagVersions !== undefined && policy.whitespaceStartAke) this.#startBestAke(tagVersions, context);
  }

  /** Handles a query message. */
  receiveQuery(versions: ReadonlySet<number>, context: ConversationContext): void {
    this.#startBestAke(versions, context);
  }

  /**
   * Handles an OTR error message (its text, and the OTRv4 code it starts
   * with, if any): shown to the user, never answered with an error. At most
   * one `peer-error` event and one query per interval.
   */
  receiveError(error: PeerError, context: ConversationContext): void {
    const { now, policy } = context;
    if (within(now, this.#lastPeerErrorEvent, PEER_ERROR_EVENT_INTERVAL_MS)) {
      this.#unreportedErrors = { ...error, count: (this.#unreportedErrors?.count ?? 0) + 1 };
    } else {
      const earlier = this.#unreportedErrors?.count ?? 0;
      this.#reportErrors({ ...error, count: earlier + 1 }, context);
    }
    if (policy.errorStartAke && allowsOtr(policy, context.v4 !== undefined) && !within(now, this.#lastErrorQuery, ERROR_QUERY_INTERVAL_MS)) {
      this.#lastErrorQuery = now;
      this.sendQuery(context);
    }
  }

  /** One `peer-error` event standing for `count` error messages, `text` (and `code`) the latest's. */
  #reportErrors(errors: PeerError & { readonly count: number }, context: ConversationContext): void {
    this.#unreportedErrors = undefined;
    this.#lastPeerErrorEvent = context.now;
    const { count, text, code } = errors;
    context.out.events.push({
      kind: 'peer-error',
      peer: this.peer,
      ...(code === undefined ? {} : { code }),
      text,
      ...(count > 1 ? { repeated: count } : {}),
    });
  }

  /** Routes a decoded AKE or data message to its instance. */
  receiveOtr(message: DecodedOtrMessage, context: ConversationContext): void {
    const { out } = context;
    if (!allowsVersion(context.policy, message.version, context.v4 !== undefined)) {
      out.events.push({ kind: 'dropped', peer: this.peer, reason: 'policy', detail: `version ${message.version} not allowed` });
      return;
    }
    if (message.version === 3) {
      if (message.senderTag < MIN_INSTANCE_TAG) {
        out.events.push({ kind: 'dropped', peer: this.peer, reason: 'wrong-instance', detail: 'sender instance tag below 0x100' });
        return;
      }
      const forUs = message.receiverTag === context.ourTag || (message.receiverTag === 0 && message.type === 'ake' && message.ake.type === 'dh-commit');
      if (!forUs) {
        out.events.push({ kind: 'dropped', peer: this.peer, instance: message.senderTag, reason: 'wrong-instance', detail: 'message for another instance of this account' });
        return;
      }
    }
    const tag = message.version === 3 ? message.senderTag : 0;
    const startsAke = message.type === 'ake' && (message.ake.type === 'dh-commit' || message.ake.type === 'dh-key');
    const instance = this.#instanceFor(tag, startsAke, context);
    if (instance === undefined) return;
    const instanceContext = this.#instanceContext(context);
    if (message.type === 'ake') {
      // An instance answering (or colliding with) our broadcast D-H Commit
      // continues the master's AKE, so the spec's collision rule can apply;
      // once per AKE of the master (see Instance.adoptAke).
      const answersBroadcast = message.ake.type === 'dh-key' || message.ake.type === 'dh-commit';
      if (tag !== 0 && answersBroadcast) instance.adoptAke(this.master);
      instance.receiveAke(message.ake, instanceContext);
      if (instance.exchangeSince === undefined && instance.message.kind === 'encrypted') this.#releaseMasterAke(instance);
    } else {
      const wasSecure = instance.message.kind === 'encrypted';
      instance.receiveData(message.data, instanceContext);
      if (wasSecure && instance.message.kind !== 'encrypted') this.#releaseMasterAke(instance);
    }
  }

  /**
   * Routes a decoded v4 message (OTRv4, "Instance Tags", "The Protocol State
   * Machine") to the instance of its sender tag: DAKE messages to the
   * instance's DAKE (an instance answering or crossing our broadcast
   * Identity message takes over the master's DAKE first), data messages to
   * its secure channel. The receiver tag must be ours, or 0 on an Identity
   * message (sent before the peer knew our tag).
   */
  receiveV4(message: DecodedV4Message, context: ConversationContext): void {
    const { out } = context;
    if (!allowsVersion(context.policy, 4, context.v4 !== undefined)) {
      out.events.push({ kind: 'dropped', peer: this.peer, reason: 'policy', detail: 'version 4 not allowed' });
      return;
    }
    const forUs = message.receiverTag === context.ourTag || (message.receiverTag === 0 && message.kind === 'identity');
    if (!forUs) {
      out.events.push({ kind: 'dropped', peer: this.peer, instance: message.senderTag, reason: 'wrong-instance', detail: 'message for another instance of this account' });
      return;
    }
    const tag = message.senderTag;
    const instance = this.#instanceFor(tag, message.kind === 'identity' || message.kind === 'auth-r', context);
    if (instance === undefined) return;
    const instanceContext = this.#instanceContext(context);
    if (message.kind === 'data') {
      const wasSecure = instance.message.kind === 'encrypted';
      const { senderTag, receiverTag, body } = message;
      instance.receiveData({ version: 4, flags: body.flags, senderTag, receiverTag, body }, instanceContext);
      if (wasSecure && instance.message.kind !== 'encrypted') this.#releaseMasterAke(instance);
      return;
    }
    if (message.kind === 'identity' || message.kind === 'auth-r') instance.adoptDake(this.master);
    instance.receiveDake(message, instanceContext);
    if (instance.exchangeSince === undefined && instance.message.kind === 'encrypted') this.#releaseMasterAke(instance);
  }

  /**
   * Once an instance has completed (or its session has left) the master's
   * AKE it took over, the master's copy goes: it holds the very DH exponent
   * the session starts with, which key rotation must be able to forget.
   * Another instance answering the same broadcast D-H Commit later is then
   * ignored, and starts an AKE of its own if its user wants one.
   */
  #releaseMasterAke(instance: Instance): void {
    instance.releaseTakenOver(this.master);
  }

  /** The user typed `text`: encrypt, tag, hold or refuse according to state and policy. */
  send(text: string, tag: number | undefined, context: ConversationContext): void {
    const { out, policy } = context;
    const instance = this.sendingInstance(tag);
    const instanceContext = this.#instanceContext(context);
    switch (instance.message.kind) {
      case 'encrypted':
        instance.sendText(text, instanceContext);
        return;
      case 'finished':
        out.events.push({ kind: 'not-sent', peer: this.peer, reason: 'finished' });
        return;
      case 'plaintext':
        if (policy.requireEncryption && allowsOtr(policy, context.v4 !== undefined)) {
          this.#held = { text, at: context.now };
          this.sendQuery(context);
          out.events.push({ kind: 'not-sent', peer: this.peer, reason: 'encryption-required' });
          return;
        }
        if (policy.sendWhitespaceTag && allowsOtr(policy, context.v4 !== undefined) && !this.#peerSentPlaintext) {
          out.send.push({ to: this.peer, text: text + encodeWhitespaceTagV4(allowedVersions(policy, context.v4 !== undefined)) });
        } else {
          out.send.push({ to: this.peer, text });
        }
        return;
    }
  }

  /** Sends a query message offering the allowed versions. */
  sendQuery(context: ConversationContext): void {
    const versions = allowedVersions(context.policy, context.v4 !== undefined);
    if (versions.length === 0) throw new UsageError('otr-disabled', 'the policy allows no OTR version');
    context.out.send.push({ to: this.peer, text: encodeQueryMessage(versions) });
  }

  /** Ends the session with one instance (or the sending instance); true if there was one. */
  end(tag: number | undefined, context: ConversationContext): boolean {
    const instance = this.sendingInstance(tag);
    const ended = instance.end(this.#instanceContext(context));
    if (ended) {
      this.#releaseMasterAke(instance);
      this.#peerSentPlaintext = false;
      context.out.events.push({ kind: 'insecure', peer: this.peer, instance: instance.theirTag });
    }
    return ended;
  }

  /**
   * Starts the AKE for the best version both sides allow, in the master
   * instance. While the master's AKE still runs (nobody completed it), at
   * most AKE_STARTS_PER_INTERVAL starts per interval: a query beyond that is
   * ignored, the D-H Commit already sent answers it.
   */
  #startBestAke(offered: ReadonlySet<number>, context: ConversationContext): void {
    // Highest first: v4 whenever both sides allow it.
    const version = allowedVersions(context.policy, context.v4 !== undefined).find((v) => offered.has(v));
    if (version === undefined) return;
    const starts = this.#akeStarts;
    if (this.master.exchangeSince === undefined) {
      starts.length = 0;
    } else {
      const oldest = starts.length >= AKE_STARTS_PER_INTERVAL ? starts[0] : undefined;
      if (oldest !== undefined && within(context.now, oldest, AKE_START_INTERVAL_MS)) return;
    }
    if (starts.length >= AKE_STARTS_PER_INTERVAL) starts.shift();
    starts.push(context.now);
    this.master.startAke(version, this.#instanceContext(context));
  }

  /** Sends the held message to a newly secure instance (spec: "If there is a recent stored message"). */
  #sendHeld(instance: Instance, context: ConversationContext): void {
    const held = this.#held;
    this.#held = undefined;
    if (held !== undefined && context.now - held.at <= RESEND_INTERVAL_MS) instance.sendText(held.text, this.#instanceContext(context));
  }

  /**
   * Replies to an unreadable data message with an OTR error, at most once
   * per interval: to a v4 message in the v4 form with the spec's code
   * (OTRv4, "OTR Error Messages", "Receiving an Encrypted Message":
   * ERROR_2 outside a secure session, ERROR_1 otherwise), to a v2 or v3
   * message with libotr's text.
   */
  #replyUnreadable(version: ProtocolVersion, notEncrypted: boolean, context: ConversationContext): void {
    if (within(context.now, this.#lastErrorReply, ERROR_REPLY_INTERVAL_MS)) return;
    this.#lastErrorReply = context.now;
    const text = version === 4 ? encodeV4ErrorMessage(notEncrypted ? 'ERROR_2' : 'ERROR_1') : encodeErrorMessage(UNREADABLE_ERROR);
    context.out.send.push({ to: this.peer, text });
  }

  /** Deadlines of all instances, and the end of the interval hiding unreported error messages. */
  nextDeadline(sessionExpiryMs: number): number | undefined {
    let earliest = this.#unreportedErrors === undefined ? undefined : this.#lastPeerErrorEvent + PEER_ERROR_EVENT_INTERVAL_MS;
    for (const instance of this.#instances.values()) {
      const deadline = instance.nextDeadline(sessionExpiryMs);
      if (deadline !== undefined && (earliest === undefined || deadline < earliest)) earliest = deadline;
    }
    return earliest;
  }

  /** Runs due work in every instance, and reports error messages held back by the interval. */
  onDeadline(sessionExpiryMs: number, context: ConversationContext): void {
    const unreported = this.#unreportedErrors;
    if (unreported !== undefined && !within(context.now, this.#lastPeerErrorEvent, PEER_ERROR_EVENT_INTERVAL_MS)) this.#reportErrors(unreported, context);
    for (const instance of this.#instances.values()) {
      const wasSecure = instance.message.kind === 'encrypted';
      instance.onDeadline(sessionExpiryMs, this.#instanceContext(context));
      if (wasSecure && instance.message.kind !== 'encrypted') this.#releaseMasterAke(instance);
    }
  }

  /**
   * True when forgetting this contact loses nothing: only the master, in
   * plaintext with no AKE, no host setting, nothing held or unreported, and
   * no rate limit still running (forgetting must not reset one early).
   */
  holdsNothing(now: number): boolean {
    const lastAkeStart = this.#akeStarts.at(-1);
    return (
      this.#instances.size === 1 &&
      this.master.message.kind === 'plaintext' &&
      this.master.exchangeSince === undefined &&
      !this.#hostChoseSomething() &&
      this.#unreportedErrors === undefined &&
      !within(now, this.#lastErrorReply, ERROR_REPLY_INTERVAL_MS) &&
      !within(now, this.#lastErrorQuery, ERROR_QUERY_INTERVAL_MS) &&
      !within(now, this.#lastPeerErrorEvent, PEER_ERROR_EVENT_INTERVAL_MS) &&
      (lastAkeStart === undefined || !within(now, lastAkeStart, AKE_START_INTERVAL_MS))
    );
  }

  /** True when no instance has a session (encrypted or finished) and the host chose nothing here: at most AKEs in progress are lost by forgetting it. */
  holdsNoSession(): boolean {
    if (this.#hostChoseSomething()) return false;
    for (const instance of this.#instances.values()) if (instance.message.kind !== 'plaintext') return false;
    return true;
  }

  #hostChoseSomething(): boolean {
    return this.policy !== undefined || this.selectedTag !== undefined || this.#held !== undefined;
  }

  /** Wipes all instances. */
  wipe(): void {
    for (const instance of this.#instances.values()) instance.wipe();
  }
}

/**
 * True when `now` is less than `intervalMs` after `since`. A clock that went
 * back counts as the interval having passed, so a host's clock adjustment
 * cannot silence the conversation for as long as it jumped.
 */
function within(now: number, since: number, intervalMs: number): boolean {
  return now >= since && now - since < intervalMs;
}
