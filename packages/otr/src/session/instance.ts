/**
 * One OTR session with one instance of a contact (Protocol-v3, "The protocol
 * state machine"): its authstate, message state and SMP state, and the
 * handling of AKE and data messages, user sends, ending, and the clock.
 *
 * Theory of operation: the conversation routes each decoded message to the
 * instance named by the sender's instance tag (tag 0 is the master instance,
 * which runs v2 and AKEs we start before the peer's tag is known). Every
 * method appends its effects to the context's outcome. Leaving the encrypted
 * state wipes the key ring and resets SMP.
 */
import { fingerprint, type Secret } from '../crypto/index.js';
import { AKE_KEY_ID, akeDeadline, expireAke, receiveAkeMessage, startAke, type AkeMessage, type AkeSuccess } from '../ake/ake.js';
import { AUTH_NONE, wipeAuthState, type AkeVersion, type AuthState } from '../ake/auth-state.js';
import { KeyRing } from '../keys/key-ring.js';
import { AKE_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS } from '../limits.js';
import { UsageError } from '../errors.js';
import { SMP_IDLE, smpAbort, smpAnswer, smpReceive, smpStart, wipeSmpState, type SmpState, type SmpStep } from '../smp/index.js';
import { DATA_FLAG_IGNORE_UNREADABLE, TLV_DISCONNECTED, TLV_EXTRA_KEY, type Tlv } from '../wire/index.js';
import { encodeAkeText, encodeDataText, decodeDataPayload, encodeTextPayload, type ReceivedData } from '../wire/index.js';
import { openData, sealData } from './data-message.js';
import { fragmentForSending } from './fragmenter.js';
import type { InstanceContext } from './instance-context.js';
import { PLAINTEXT, type Encrypted, type MessageState } from './message-state.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** One remote instance of a contact (or the master instance, tag 0). */
export class Instance {
  auth: AuthState = AUTH_NONE;
  message: MessageState = PLAINTEXT;
  smp: SmpState = SMP_IDLE;
  /** Host time of our last data message, for the heartbeat. */
  lastSent = 0;
  /** Host time of the last data message we accepted. */
  lastReceived = 0;
  /** A non-heartbeat message arrived since we last sent: a heartbeat is due after the interval. */
  #owesHeartbeat = false;
  /** The master's AKE this instance last took over (compared by identity only). */
  #adopted: AuthState | undefined;

  constructor(readonly theirTag: number) {}

  /** The encrypted state, if the session is secure. */
  get encrypted(): Encrypted | undefined {
    return this.message.kind === 'encrypted' ? this.message : undefined;
  }

  /** Sends a fresh D-H Commit for `version` (query or whitespace tag received). */
  startAke(version: AkeVersion, context: InstanceContext): void {
    wipeAuthState(this.auth);
    const step = startAke(version, this.#akeContext(context));
    this.auth = step.next;
    if (step.reply !== undefined) this.#sendAke(step.reply, context);
  }

  /**
   * Takes over an AKE the master instance started (a D-H Key from this
   * instance answers our broadcast D-H Commit, or its D-H Commit collides
   * with ours): the copy keeps its own secrets. Each AKE of the master is
   * taken over once, and replaces whatever AKE this instance was running:
   * the master started it because the peer asked for a new AKE, which the
   * spec's single authstate would enter at once. Without that, a stale AKE
   * here (say, waiting for a Reveal Signature that was lost) would ignore
   * every D-H Key answering the master's newer D-H Commits, and two such
   * sides would never meet again.
   */
  adoptAke(master: AuthState): void {
    if (master.kind !== 'awaiting-dhkey' || master === this.#adopted) return;
    this.#adopted = master;
    wipeAuthState(this.auth);
    this.auth = {
      ...master,
      revealKey: master.revealKey.clone(),
      ourDh: { publicKey: master.ourDh.publicKey, privateKey: master.ourDh.privateKey.clone() },
    };
  }

  /** True when `master` is the master's AKE this instance took over. */
  tookOver(master: AuthState): boolean {
    return master.kind !== 'none' && master === this.#adopted;
  }

  /** Gives up the AKE in progress, wiping its secrets. */
  abandonAke(): void {
    wipeAuthState(this.auth);
    this.auth = AUTH_NONE;
  }

  /** Handles a received AKE message. */
  receiveAke(message: AkeMessage, context: InstanceContext): void {
    const step = receiveAkeMessage(this.auth, message, this.#akeContext(context));
    this.auth = step.next;
    if (step.rejected !== undefined) {
      context.out.events.push({ kind: 'protocol-error', peer: context.peer, instance: this.theirTag, reason: step.rejected.code, detail: step.rejected.detail });
    }
    if (step.reply !== undefined) this.#sendAke(step.reply, context);
    if (step.success !== undefined) this.#goSecure(step.success, context);
  }

  /** Handles a received data message. */
  receiveData(message: ReceivedData, context: InstanceContext): void {
    const { peer, out } = context;
    const state = this.encrypted;
    const unreadable = (code: 'not-encrypted' | 'bad-mac' | 'bad-key-id' | 'replayed-counter' | 'bad-group-element' | 'malformed', detail: string): void => {
      if ((message.flags & DATA_FLAG_IGNORE_UNREADABLE) !== 0) {
        out.events.push({ kind: 'dropped', peer, instance: this.theirTag, reason: 'unreadable', detail });
        return;
      }
      out.events.push({ kind: 'protocol-error', peer, instance: this.theirTag, reason: code, detail });
      context.replyUnreadable();
    };
    if (state === undefined || state.version !== message.version) {
      unreadable('not-encrypted', 'encrypted message received outside a secure session');
      return;
    }
    const opened = openData(state.keys, message);
    if ('failure' in opened) {
      unreadable(opened.failure === 'bad-mac' || opened.failure === 'bad-key-id' || opened.failure === 'replayed-counter' || opened.failure === 'bad-group-element' ? opened.failure : 'malformed', opened.detail);
      return;
    }
    this.lastReceived = context.now;
    let finished = false;
    try {
      const payload = decodeDataPayload(opened.plaintext);
      if (payload.message.length > 0 || payload.tlvs.length > 0) this.#owesHeartbeat = true;
      const text = utf8Decoder.decode(payload.message);
      if (text.length > 0) out.show.push({ from: peer, text, encrypted: true, instance: this.theirTag });
      for (const tlv of payload.tlvs) {
        if (tlv.type === TLV_DISCONNECTED) finished = true;
        else if (tlv.type === TLV_EXTRA_KEY) this.#receivedExtraKey(tlv, opened.extraKey, context);
        else this.#receiveSmpTlv(tlv, state, context);
      }
    } finally {
      // The TLVs are views of the plaintext: wipe it only once they are handled.
      opened.plaintext.fill(0);
      opened.extraKey.wipe();
    }
    if (finished) {
      this.#leaveEncrypted({ kind: 'finished', version: state.version });
      out.events.push({ kind: 'finished', peer, instance: this.theirTag });
      return;
    }
    if (context.now - this.lastSent >= HEARTBEAT_INTERVAL_MS) this.#sendData('', [], DATA_FLAG_IGNORE_UNREADABLE, context);
  }

  /** Sends user text; the caller has checked the message state is encrypted. */
  sendText(text: string, context: InstanceContext): void {
    this.#sendData(text, [], 0, context);
  }

  /** Ends the session (user request): TLV 1 if encrypted, then plaintext. */
  end(context: InstanceContext): boolean {
    const state = this.message;
    if (state.kind === 'plaintext') return false;
    if (state.kind === 'encrypted') this.#sendData('', [{ type: TLV_DISCONNECTED, value: new Uint8Array(0) }], DATA_FLAG_IGNORE_UNREADABLE, context);
    this.#leaveEncrypted(PLAINTEXT);
    return true;
  }

  /** Starts SMP, optionally with a question. */
  startSmp(secret: Uint8Array, question: string | undefined, context: InstanceContext): void {
    const state = this.#requireEncrypted();
    this.#applySmp(smpStart(this.smp, secret, question, this.#smpContext(state, context)), state, context);
  }

  /** Answers the peer's SMP request. */
  answerSmp(secret: Uint8Array, context: InstanceContext): void {
    const state = this.#requireEncrypted();
    this.#applySmp(smpAnswer(this.smp, secret, this.#smpContext(state, context)), state, context);
  }

  /** Aborts SMP (TLV 6). */
  abortSmp(context: InstanceContext): void {
    const state = this.#requireEncrypted();
    this.#applySmp(smpAbort(this.smp), state, context);
  }

  /** Announces use of the extra symmetric key (TLV 8); returns the key. */
  useExtraKey(use: number, useData: Uint8Array, context: InstanceContext): Secret {
    const value = new Uint8Array(4 + useData.length);
    new DataView(value.buffer).setUint32(0, use >>> 0);
    value.set(useData, 4);
    return this.#sendData('', [{ type: TLV_EXTRA_KEY, value }], DATA_FLAG_IGNORE_UNREADABLE, context);
  }

  /** The earliest time this instance wants the clock. */
  nextDeadline(sessionExpiryMs: number): number | undefined {
    const times: number[] = [];
    const ake = akeDeadline(this.auth, AKE_TIMEOUT_MS);
    if (ake !== undefined) times.push(ake);
    if (this.message.kind === 'encrypted') {
      if (this.#owesHeartbeat) times.push(this.lastSent + HEARTBEAT_INTERVAL_MS);
      if (sessionExpiryMs > 0) times.push(Math.max(this.lastSent, this.lastReceived) + sessionExpiryMs);
    }
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** Runs what is due at `now`: AKE timeout, heartbeat, session expiry. */
  onDeadline(sessionExpiryMs: number, context: InstanceContext): void {
    this.auth = expireAke(this.auth, context.now, AKE_TIMEOUT_MS);
    if (this.message.kind !== 'encrypted') return;
    const idleSince = Math.max(this.lastSent, this.lastReceived);
    if (sessionExpiryMs > 0 && context.now - idleSince >= sessionExpiryMs) {
      this.end(context);
      context.out.events.push({ kind: 'insecure', peer: context.peer, instance: this.theirTag });
      return;
    }
    if (this.#owesHeartbeat && context.now - this.lastSent >= HEARTBEAT_INTERVAL_MS) {
      this.#sendData('', [], DATA_FLAG_IGNORE_UNREADABLE, context);
    }
  }

  /** Wipes every secret (account shutdown or eviction). */
  wipe(): void {
    wipeAuthState(this.auth);
    this.auth = AUTH_NONE;
    this.#adopted = undefined;
    this.#leaveEncrypted(PLAINTEXT);
  }

  #goSecure(success: AkeSuccess, context: InstanceContext): void {
    const { peer, out } = context;
    const previous = this.encrypted;
    if (previous?.keys.matchesAke(AKE_KEY_ID, success.ourDh.publicKey, success.theirKeyId, success.theirDhPublic) === true) {
      success.ourDh.privateKey.wipe();
      success.shared.wipe();
      return;
    }
    const refreshed = previous !== undefined;
    const keys = KeyRing.afterAke(AKE_KEY_ID, success.ourDh, success.theirKeyId, success.theirDhPublic, success.shared, context.random);
    this.#leaveEncrypted(PLAINTEXT);
    const theirFingerprint = fingerprint(success.theirPublicKey);
    this.message = {
      kind: 'encrypted',
      version: success.version,
      theirPublicKey: success.theirPublicKey,
      theirFingerprint,
      ssid: success.ssid,
      ssidHalf: success.ssidHalf,
      keys,
    };
    this.lastSent = context.now;
    this.lastReceived = context.now;
    out.events.push({
      kind: 'secure',
      peer,
      instance: this.theirTag,
      version: success.version,
      fingerprint: theirFingerprint,
      ssid: success.ssid,
      ssidHalf: success.ssidHalf,
      refreshed,
    });
    context.onSecure(this);
  }

  #leaveEncrypted(next: MessageState): void {
    if (this.message.kind === 'encrypted') this.message.keys.wipe();
    wipeSmpState(this.smp);
    this.smp = SMP_IDLE;
    this.message = next;
  }

  #requireEncrypted(): Encrypted {
    const state = this.encrypted;
    if (state === undefined) throw new UsageError('not-secure', 'no secure session with this instance');
    return state;
  }

  #sendAke(message: AkeMessage, context: InstanceContext): void {
    const encoded = encodeAkeText(message, context.ourTag, this.theirTag);
    context.out.sendAll(context.peer, fragmentForSending(encoded, message.version, context.ourTag, this.theirTag, context.maxMessageSize));
  }

  #sendData(text: string, tlvs: readonly Tlv[], flags: number, context: InstanceContext): Secret {
    const state = this.#requireEncrypted();
    const plaintext = encodeTextPayload(text, tlvs);
    const sealed = sealData(state.keys, plaintext, flags);
    plaintext.fill(0);
    if (sealed === undefined) throw new UsageError('not-secure', 'no secure session with this instance');
    const encoded = encodeDataText(state.version, context.ourTag, this.theirTag, sealed.fields, sealed.mac, sealed.oldMacKeys);
    context.out.sendAll(context.peer, fragmentForSending(encoded, state.version, context.ourTag, this.theirTag, context.maxMessageSize));
    this.lastSent = context.now;
    this.#owesHeartbeat = false;
    return sealed.extraKey.clone();
  }

  #receivedExtraKey(tlv: Tlv, key: Secret, context: InstanceContext): void {
    if (tlv.value.length < 4) return;
    const use = new DataView(tlv.value.buffer, tlv.value.byteOffset, 4).getUint32(0);
    context.out.events.push({
      kind: 'extra-key',
      peer: context.peer,
      instance: this.theirTag,
      direction: 'received',
      use,
      useData: Uint8Array.from(tlv.value.subarray(4)),
      key: key.clone(),
    });
  }

  #receiveSmpTlv(tlv: Tlv, state: Encrypted, context: InstanceContext): void {
    const step = smpReceive(this.smp, tlv, this.#smpContext(state, context));
    if (step !== undefined) this.#applySmp(step, state, context);
  }

  #applySmp(step: SmpStep, _state: Encrypted, context: InstanceContext): void {
    this.smp = step.next;
    if (step.send.length > 0) this.#sendData('', step.send, DATA_FLAG_IGNORE_UNREADABLE, context);
    for (const event of step.events) context.out.events.push({ ...event, peer: context.peer, instance: this.theirTag });
  }

  #smpContext(state: Encrypted, context: InstanceContext) {
    return { ourFingerprint: context.ourFingerprint, theirFingerprint: state.theirFingerprint, ssid: state.ssid, random: context.random };
  }

  #akeContext(context: InstanceContext) {
    return { privateKey: context.privateKey, random: context.random, now: context.now };
  }
}
