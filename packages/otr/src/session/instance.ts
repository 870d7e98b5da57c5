/**
 * One OTR session with one instance of a contact (Protocol-v3, "The protocol
 * state machine"): its key exchange and message state, routing received
 * exchange and data messages to them, user sends, ending, and the clock.
 *
 * Theory of operation: the conversation routes each decoded message to the
 * instance named by the sender's instance tag (tag 0 is the master instance,
 * which runs v2 and AKEs we start before the peer's tag is known). The
 * version's work happens behind the secure-channel interface: the key
 * exchange yields a channel, which seals and opens data messages and runs
 * SMP. The instance fragments what they produce, reports events and keeps the
 * clock. Every method appends its effects to the context's outcome. Leaving
 * the encrypted state wipes the channel. The secrets the version's
 * transitions consume are wiped here, in `wipeConsumed` only
 * (secure-channel.ts, "Wiping").
 */
import { HEARTBEAT_INTERVAL_MS } from '../limits.js';
import { UsageError } from '../errors.js';
import type { Secret, Wipeable } from '../crypto/index.js';
import type { ChannelContext, ChannelEffect, ExchangeStep, SecureChannel } from '../secure-channel.js';
import { V3KeyExchange, type AkeMessage } from '../v3/index.js';
import { V4KeyExchange, type DakeMessage } from '../v4/index.js';
import type { ProtocolVersion } from '../version.js';
import { DATA_FLAG_IGNORE_UNREADABLE } from '../wire/index.js';
import { fragmentForSending } from './fragmenter.js';
import type { InstanceContext } from './instance-context.js';
import { PLAINTEXT, type DataMessage, type Encrypted, type MessageState } from './message-state.js';

/** One remote instance of a contact (or the master instance, tag 0). */
export class Instance {
  /** The v3 (and v2) key exchange (the spec's authstate). */
  readonly exchange = new V3KeyExchange();
  /** The v4 interactive DAKE. */
  readonly v4Exchange = new V4KeyExchange();
  message: MessageState = PLAINTEXT;
  /** Host time of our last data message, for the heartbeat. */
  lastSent = 0;
  /** Host time of the last data message we accepted. */
  lastReceived = 0;
  /** A non-heartbeat message arrived since we last sent: a heartbeat is due after the interval. */
  #owesHeartbeat = false;

  constructor(readonly theirTag: number) {}

  /** The encrypted state, if the session is secure. */
  get encrypted(): Encrypted | undefined {
    return this.message.kind === 'encrypted' ? this.message : undefined;
  }

  /** Where SMP stands, for display. */
  get smpStatus(): 'idle' | 'in-progress' | 'awaiting-answer' {
    return this.encrypted?.channel.smpStatus ?? 'idle';
  }

  /** When the running key exchange (AKE or DAKE) last made progress; undefined when none runs. */
  get exchangeSince(): number | undefined {
    const v3 = this.exchange.since;
    const v4 = this.v4Exchange.since;
    if (v3 === undefined) return v4;
    return v4 === undefined ? v3 : Math.max(v3, v4);
  }

  /** Starts the key exchange of `version` (query or whitespace tag received): a fresh D-H Commit, or an Identity message for 4. */
  startAke(version: ProtocolVersion, context: InstanceContext): void {
    const exchange = version === 4 ? this.v4Exchange : this.exchange;
    this.#run(context, (cc) => this.#applyExchange(exchange.start(version, cc), context));
  }

  /** Takes over an AKE the master instance started (see V3KeyExchange.adopt). */
  adoptAke(master: Instance): void {
    wipeConsumed(this.exchange.adopt(master.exchange));
  }

  /** Takes over a DAKE the master instance started (see V4KeyExchange.adopt). */
  adoptDake(master: Instance): void {
    wipeConsumed(this.v4Exchange.adopt(master.v4Exchange));
  }

  /** True when the master's current AKE or DAKE is the one this instance took over. */
  tookOver(master: Instance): boolean {
    return this.exchange.tookOver(master.exchange) || this.v4Exchange.tookOver(master.v4Exchange);
  }

  /** Abandons the master's AKE or DAKE this instance took over (the master's copy holds the keys the session starts with). */
  releaseTakenOver(master: Instance): void {
    if (this.exchange.tookOver(master.exchange)) wipeConsumed(master.exchange.abandon());
    if (this.v4Exchange.tookOver(master.v4Exchange)) wipeConsumed(master.v4Exchange.abandon());
  }

  /** Gives up the AKE or DAKE in progress, wiping its secrets. */
  abandonAke(): void {
    wipeConsumed(this.exchange.abandon());
    wipeConsumed(this.v4Exchange.abandon());
  }

  /** Handles a received AKE message. */
  receiveAke(message: AkeMessage, context: InstanceContext): void {
    this.#run(context, (cc) => this.#applyExchange(this.exchange.receive(message, this.encrypted?.channel, cc), context));
  }

  /** Handles a received DAKE message. */
  receiveDake(message: DakeMessage, context: InstanceContext): void {
    this.#run(context, (cc) => this.#applyExchange(this.v4Exchange.receive(message, this.encrypted?.channel, cc), context));
  }

  /** Handles a received data message. */
  receiveData(message: DataMessage, context: InstanceContext): void {
    const { peer, out } = context;
    const channel = this.encrypted?.channel;
    const unreadable = (code: 'not-encrypted' | 'bad-mac' | 'bad-key-id' | 'replayed-counter' | 'bad-group-element' | 'malformed', detail: string): void => {
      if ((message.flags & DATA_FLAG_IGNORE_UNREADABLE) !== 0) {
        out.events.push({ kind: 'dropped', peer, instance: this.theirTag, reason: 'unreadable', detail });
        return;
      }
      out.events.push({ kind: 'protocol-error', peer, instance: this.theirTag, reason: code, detail });
      context.replyUnreadable(message.version, code === 'not-encrypted');
    };
    if (channel === undefined || channel.version !== message.version) {
      unreadable('not-encrypted', 'encrypted message received outside a secure session');
      return;
    }
    const opened = this.#run(context, (cc) => channel.open(message, cc));
    if (opened.kind === 'failure') {
      const code = opened.code;
      if (opened.duplicate === true) {
        out.events.push({ kind: 'dropped', peer, instance: this.theirTag, reason: code, detail: opened.detail });
        return;
      }
      unreadable(code === 'bad-mac' || code === 'bad-key-id' || code === 'replayed-counter' || code === 'bad-group-element' ? code : 'malformed', opened.detail);
      return;
    }
    this.lastReceived = context.now;
    if (opened.meaningful) this.#owesHeartbeat = true;
    if (opened.text.length > 0) out.show.push({ from: peer, text: opened.text, encrypted: true, instance: this.theirTag });
    this.#applyEffects(opened.effects, channel, context);
    if (opened.disconnected) {
      this.#leaveEncrypted({ kind: 'finished', version: channel.version });
      out.events.push({ kind: 'finished', peer, instance: this.theirTag });
      return;
    }
    if (context.now - this.lastSent >= HEARTBEAT_INTERVAL_MS) this.#sendData((c, cc) => c.seal('', DATA_FLAG_IGNORE_UNREADABLE, cc), context);
  }

  /** Sends user text; the caller has checked the message state is encrypted. */
  sendText(text: string, context: InstanceContext): void {
    this.#sendData((c, cc) => c.seal(text, 0, cc), context);
  }

  /** Ends the session (user request): TLV 1 if encrypted, then plaintext. */
  end(context: InstanceContext): boolean {
    const state = this.message;
    if (state.kind === 'plaintext') return false;
    if (state.kind === 'encrypted') this.#sendData((c, cc) => c.end(cc), context);
    this.#leaveEncrypted(PLAINTEXT);
    return true;
  }

  /** Starts SMP, optionally with a question. */
  startSmp(secret: Uint8Array, question: string | undefined, context: InstanceContext): void {
    const channel = this.#requireChannel();
    this.#applyEffects(this.#run(context, (cc) => channel.startSmp(secret, question, cc)), channel, context);
  }

  /** Answers the peer's SMP request. */
  answerSmp(secret: Uint8Array, context: InstanceContext): void {
    const channel = this.#requireChannel();
    this.#applyEffects(this.#run(context, (cc) => channel.answerSmp(secret, cc)), channel, context);
  }

  /** Aborts SMP (TLV 6). */
  abortSmp(context: InstanceContext): void {
    const channel = this.#requireChannel();
    this.#applyEffects(this.#run(context, (cc) => channel.abortSmp(cc)), channel, context);
  }

  /** Announces use of the extra symmetric key (TLV 8); returns the key, which the caller owns. */
  useExtraKey(use: number, useData: Uint8Array, context: InstanceContext): Secret {
    const channel = this.#requireChannel();
    const used = this.#run(context, (cc) => channel.useExtraKey(use, useData, cc));
    if (used === undefined) throw new UsageError('not-secure', 'no secure session with this instance');
    this.#sent(used.send, channel, context);
    return used.key;
  }

  /** The earliest time this instance wants the clock. */
  nextDeadline(sessionExpiryMs: number): number | undefined {
    const times: number[] = [];
    for (const exchange of [this.exchange.deadline(), this.v4Exchange.deadline()]) if (exchange !== undefined) times.push(exchange);
    if (this.message.kind === 'encrypted') {
      if (this.#owesHeartbeat) times.push(this.lastSent + HEARTBEAT_INTERVAL_MS);
      if (sessionExpiryMs > 0) times.push(Math.max(this.lastSent, this.lastReceived) + sessionExpiryMs);
    }
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** Runs what is due at `now`: AKE timeout, heartbeat, session expiry. */
  onDeadline(sessionExpiryMs: number, context: InstanceContext): void {
    wipeConsumed(this.exchange.expire(context.now));
    wipeConsumed(this.v4Exchange.expire(context.now));
    if (this.message.kind !== 'encrypted') return;
    const idleSince = Math.max(this.lastSent, this.lastReceived);
    if (sessionExpiryMs > 0 && context.now - idleSince >= sessionExpiryMs) {
      this.end(context);
      context.out.events.push({ kind: 'insecure', peer: context.peer, instance: this.theirTag });
      return;
    }
    if (this.#owesHeartbeat && context.now - this.lastSent >= HEARTBEAT_INTERVAL_MS) {
      this.#sendData((c, cc) => c.seal('', DATA_FLAG_IGNORE_UNREADABLE, cc), context);
    }
  }

  /** Wipes every secret (account shutdown or eviction). */
  wipe(): void {
    this.exchange.wipe();
    this.v4Exchange.wipe();
    this.#leaveEncrypted(PLAINTEXT);
  }

  #applyExchange(step: ExchangeStep<DataMessage>, context: InstanceContext): void {
    const { peer, out } = context;
    const rejected = step.rejected;
    if (rejected !== undefined) {
      // The spec's expected path (a resent Identity message after simultaneous starts) is no fault of the peer.
      const event = { peer, instance: this.theirTag, reason: rejected.code, detail: rejected.detail };
      out.events.push(rejected.expected === true ? { kind: 'dropped', ...event } : { kind: 'protocol-error', ...event });
    }
    for (const { text, version } of step.send) out.sendAll(peer, fragmentForSending(text, version, context.ourTag, this.theirTag, context.maxMessageSize, context.random));
    if (step.established !== undefined) this.#goSecure(step.established, context);
  }

  #goSecure(channel: SecureChannel<DataMessage>, context: InstanceContext): void {
    const { peer, out } = context;
    const refreshed = this.message.kind === 'encrypted';
    this.#leaveEncrypted({ kind: 'encrypted', channel });
    this.lastSent = context.now;
    this.lastReceived = context.now;
    out.events.push({
      kind: 'secure',
      peer,
      instance: this.theirTag,
      version: channel.version,
      fingerprint: channel.theirFingerprint,
      ssid: channel.ssid,
      ssidHalf: channel.ssidHalf,
      refreshed,
    });
    context.onSecure(this);
  }

  #leaveEncrypted(next: MessageState): void {
    if (this.message.kind === 'encrypted') this.message.channel.wipe();
    this.message = next;
  }

  #requireChannel(): SecureChannel<DataMessage> {
    const state = this.encrypted;
    if (state === undefined) throw new UsageError('not-secure', 'no secure session with this instance');
    return state.channel;
  }

  #sendData(seal: (channel: SecureChannel<DataMessage>, context: ChannelContext) => string | undefined, context: InstanceContext): void {
    const channel = this.#requireChannel();
    const text = this.#run(context, (cc) => seal(channel, cc));
    if (text === undefined) throw new UsageError('not-secure', 'no secure session with this instance');
    this.#sent(text, channel, context);
  }

  #sent(text: string, channel: SecureChannel<DataMessage>, context: InstanceContext): void {
    context.out.sendAll(context.peer, fragmentForSending(text, channel.version, context.ourTag, this.theirTag, context.maxMessageSize, context.random));
    this.lastSent = context.now;
    this.#owesHeartbeat = false;
  }

  #applyEffects(effects: readonly ChannelEffect[], channel: SecureChannel<DataMessage>, context: InstanceContext): void {
    for (const effect of effects) {
      if (effect.kind === 'send') this.#sent(effect.text, channel, context);
      else if (effect.event.kind === 'extra-key') context.out.events.push({ ...effect.event, peer: context.peer, instance: this.theirTag, direction: 'received' });
      else context.out.events.push({ ...effect.event, peer: context.peer, instance: this.theirTag });
    }
  }

  /** Runs one call into the version with a fresh `consumed`, wiped once the call returns or throws. */
  #run<T>(context: InstanceContext, call: (channelContext: ChannelContext) => T): T {
    const consumed: Wipeable[] = [];
    try {
      return call({
        privateKey: context.privateKey,
        ourFingerprint: context.ourFingerprint,
        v4: context.v4,
        peer: context.peer,
        random: context.random,
        now: context.now,
        ourTag: context.ourTag,
        theirTag: this.theirTag,
        consumed,
      });
    } finally {
      wipeConsumed(consumed);
    }
  }
}

/** The one place the secrets a version's transitions consumed are wiped (secure-channel.ts, "Wiping"). */
function wipeConsumed(consumed: readonly Wipeable[]): void {
  for (const secret of consumed) secret.wipe();
}
