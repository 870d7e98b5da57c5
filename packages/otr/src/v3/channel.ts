/**
 * A v3 (or v2) secure session behind the secure-channel interface: the key
 * ring, the data-message path (Protocol-v3, "Exchanging data") and SMP over
 * TLVs, with the AKE's result it was built from.
 *
 * Theory of operation: the session layer hands received data messages to
 * {@link V3Channel.open} and asks {@link V3Channel.seal} for outgoing ones;
 * the channel encodes them with the whole-message codec (wire/message.ts), so
 * the session never sees a key or a TLV. What its SMP steps and key
 * rotations consume goes to the session to wipe (secure-channel.ts,
 * "Wiping"); wiping the channel wipes the ring and SMP it still holds.
 */
import { fingerprint, type DsaPublicKey, type Secret } from '../crypto/index.js';
import { UsageError } from '../errors.js';
import type { ChannelContext, ChannelEffect, Opened, OpenFailure, SecureChannel, SmpStatus } from '../secure-channel.js';
import { SMP_IDLE, smpAbort, smpAnswer, smpReceive, smpStart, wipeSmpState, type SmpContext, type SmpState, type SmpStep } from './smp.js';
import { DATA_FLAG_IGNORE_UNREADABLE, TLV_DISCONNECTED, TLV_EXTRA_KEY, decodeDataPayload, encodeDataText, encodeTextPayload, type Tlv } from '../wire/index.js';
import type { AkeSuccess } from './ake/ake.js';
import type { AkeVersion } from './ake/auth-state.js';
import { openData, sealData, type ReceivedData } from './data-message.js';
import type { KeyRing } from './keys/key-ring.js';

/** A received v3 data message as the codec decodes it. */
export interface V3DataMessage extends ReceivedData {
  readonly version: AkeVersion;
  readonly flags: number;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** MSGSTATE_ENCRYPTED of a v3 or v2 session. */
export class V3Channel implements SecureChannel<V3DataMessage> {
  readonly version: AkeVersion;
  readonly theirPublicKey: DsaPublicKey;
  readonly theirFingerprint: Uint8Array;
  readonly ssid: Uint8Array;
  readonly ssidHalf: 'first' | 'second';
  readonly #keys: KeyRing;
  #smp: SmpState = SMP_IDLE;

  constructor(success: AkeSuccess, keys: KeyRing) {
    this.version = success.version;
    this.theirPublicKey = success.theirPublicKey;
    this.theirFingerprint = fingerprint(success.theirPublicKey);
    this.ssid = success.ssid;
    this.ssidHalf = success.ssidHalf;
    this.#keys = keys;
  }

  /** The key ring (for tests of key handling). */
  get keys(): KeyRing {
    return this.#keys;
  }

  /** The SMP state (for tests of SMP). */
  get smp(): SmpState {
    return this.#smp;
  }

  get smpStatus(): SmpStatus {
    const kind = this.#smp.kind;
    return kind === 'idle' ? 'idle' : kind === 'awaiting-answer' ? 'awaiting-answer' : 'in-progress';
  }

  /** True when an AKE result names the keys this channel already uses (a repeated AKE: nothing changes). */
  matchesAke(akeKeyId: number, success: AkeSuccess): boolean {
    return this.#keys.matchesAke(akeKeyId, success.ourDh.publicKey, success.theirKeyId, success.theirDhPublic);
  }

  seal(text: string, flags: number, context: ChannelContext): string | undefined {
    return this.#seal(text, [], flags, context)?.text;
  }

  end(context: ChannelContext): string | undefined {
    return this.#seal('', [{ type: TLV_DISCONNECTED, value: new Uint8Array(0) }], DATA_FLAG_IGNORE_UNREADABLE, context)?.text;
  }

  useExtraKey(use: number, useData: Uint8Array, context: ChannelContext): { send: string; key: Secret } | undefined {
    const value = new Uint8Array(4 + useData.length);
    new DataView(value.buffer).setUint32(0, use >>> 0);
    value.set(useData, 4);
    const sealed = this.#seal('', [{ type: TLV_EXTRA_KEY, value }], DATA_FLAG_IGNORE_UNREADABLE, context);
    return sealed === undefined ? undefined : { send: sealed.text, key: sealed.extraKey.clone() };
  }

  open(message: V3DataMessage, context: ChannelContext): Opened | OpenFailure {
    const opened = openData(this.#keys, message);
    if ('failure' in opened) return { kind: 'failure', code: opened.failure, detail: opened.detail };
    context.consumed.push(...opened.consumed, opened.extraKey);
    try {
      const payload = decodeDataPayload(opened.plaintext);
      const effects: ChannelEffect[] = [];
      let disconnected = false;
      for (const tlv of payload.tlvs) {
        if (tlv.type === TLV_DISCONNECTED) disconnected = true;
        else if (tlv.type === TLV_EXTRA_KEY) this.#receivedExtraKey(tlv, opened.extraKey, effects);
        else {
          const step = smpReceive(this.#smp, tlv, this.#smpContext(context));
          if (step !== undefined) effects.push(...this.#applySmp(step, context));
        }
      }
      return {
        kind: 'opened',
        text: utf8Decoder.decode(payload.message),
        meaningful: payload.message.length > 0 || payload.tlvs.length > 0,
        disconnected,
        effects,
      };
    } finally {
      // The TLVs are views of the plaintext: clear it only once they are handled.
      opened.plaintext.fill(0);
    }
  }

  startSmp(secret: Uint8Array, question: string | undefined, context: ChannelContext): ChannelEffect[] {
    return this.#applySmp(smpStart(this.#smp, secret, question, this.#smpContext(context)), context);
  }

  answerSmp(secret: Uint8Array, context: ChannelContext): ChannelEffect[] {
    return this.#applySmp(smpAnswer(this.#smp, secret, this.#smpContext(context)), context);
  }

  abortSmp(context: ChannelContext): ChannelEffect[] {
    return this.#applySmp(smpAbort(this.#smp), context);
  }

  wipe(): void {
    this.#keys.wipe();
    wipeSmpState(this.#smp);
    this.#smp = SMP_IDLE;
  }

  #seal(text: string, tlvs: readonly Tlv[], flags: number, context: ChannelContext): { text: string; extraKey: Secret } | undefined {
    const plaintext = encodeTextPayload(text, tlvs);
    const sealed = sealData(this.#keys, plaintext, flags);
    plaintext.fill(0);
    if (sealed === undefined) return undefined;
    const encoded = encodeDataText(this.version, context.ourTag, context.theirTag, sealed.fields, sealed.mac, sealed.oldMacKeys);
    return { text: encoded, extraKey: sealed.extraKey };
  }

  #receivedExtraKey(tlv: Tlv, key: Secret, effects: ChannelEffect[]): void {
    if (tlv.value.length < 4) return;
    const use = new DataView(tlv.value.buffer, tlv.value.byteOffset, 4).getUint32(0);
    effects.push({ kind: 'event', event: { kind: 'extra-key', use, useData: Uint8Array.from(tlv.value.subarray(4)), key: key.clone() } });
  }

  #applySmp(step: SmpStep, context: ChannelContext): ChannelEffect[] {
    this.#smp = step.next;
    context.consumed.push(...step.consumed);
    const effects: ChannelEffect[] = [];
    if (step.send.length > 0) {
      const sealed = this.#seal('', step.send, DATA_FLAG_IGNORE_UNREADABLE, context);
      if (sealed === undefined) throw new UsageError('not-secure', 'no secure session with this instance');
      effects.push({ kind: 'send', text: sealed.text });
    }
    for (const event of step.events) effects.push({ kind: 'event', event });
    return effects;
  }

  #smpContext(context: ChannelContext): SmpContext {
    return { ourFingerprint: context.ourFingerprint, theirFingerprint: this.theirFingerprint, ssid: this.ssid, random: context.random };
  }
}
