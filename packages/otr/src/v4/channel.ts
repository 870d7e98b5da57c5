/**
 * A v4 secure session behind the secure-channel interface: the double
 * ratchet (v4/ratchet/) started from the DAKE's hand-over, the data message
 * (OTRv4, "Data Message", "Data Exchange") and its TLVs ("TLV Record
 * Types"): padding, Disconnected, SMP (channel-smp.ts) and the extra
 * symmetric key with its context ("Extra Symmetric Key").
 *
 * Theory of operation: the session hands received v4 data messages to
 * {@link V4Channel.open} and asks {@link V4Channel.seal} for outgoing ones;
 * every ratchet step returns the secrets it used up and the channel wipes
 * them here, in one place, once the ratchet state moved on. Ending the
 * session sends the Disconnected TLV in a message that reveals every MAC
 * key not yet revealed, those of the stored skipped keys included
 * ("Session Expiration"); wiping the channel then wipes the ratchet.
 */
import type { Wipeable } from '../crypto/index.js';
import type { Secret } from '../crypto/secret.js';
import type { ProtocolErrorCode } from '../errors.js';
import type { ChannelContext, ChannelEffect, ChannelEvent, Opened, OpenFailure, SecureChannel, SmpStatus } from '../secure-channel.js';
import { encodeEncoded } from '../wire/envelope.js';
import type { Tlv } from '../wire/tlv.js';
import { V4_DATA_FLAG_IGNORE_UNREADABLE, type V4DataMessage } from '../wire/v4/data-message.js';
import { encodeV4Message } from '../wire/v4/message.js';
import { decodeExtraSymmetricKeyUse, encodeExtraSymmetricKeyUse, V4_TLV } from '../wire/v4/tlv.js';
import { isDecodeError, UsageError } from '../errors.js';
import { createV4Smp, isV4SmpTlv, type V4Smp, type V4SmpContext, type V4SmpStep } from './channel-smp.js';
import type { DakeEstablished } from './dake/index.js';
import type { ValidatedClientProfile } from './profile/index.js';
import { initializeRatchet, openDataMessage, sealDataMessage, wipeRatchet, type OpenRefusal, type RatchetEvent, type RatchetState } from './ratchet/index.js';

/** A received v4 data message as the session routes it: the header's tags and the decoded body. */
export interface V4ReceivedData {
  readonly version: 4;
  readonly flags: number;
  readonly senderTag: number;
  readonly receiverTag: number;
  readonly body: V4DataMessage;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
const DISCONNECTED: Tlv = { type: V4_TLV.DISCONNECTED, value: new Uint8Array(0) };

/** The event code of a refused data message. */
function failureCode(refused: OpenRefusal): ProtocolErrorCode {
  switch (refused) {
    case 'ended':
      return 'not-encrypted';
    case 'ratchet-id-out-of-range':
    case 'message-id-out-of-range':
    case 'ecdh-mismatch':
      return 'bad-key-id';
    case 'no-key':
      return 'replayed-counter';
    case 'bad-group-element':
      return 'bad-group-element';
    case 'bad-dh-presence':
      return 'malformed';
    case 'bad-authenticator':
      return 'bad-mac';
  }
}

/** What a ratchet event tells the session (a message lost to eviction), or undefined. */
function ratchetEvent(event: RatchetEvent): ChannelEvent | undefined {
  if (event.kind === 'skipped-key-evicted') {
    return { kind: 'dropped', reason: 'keys-evicted', detail: `the stored key of skipped message ${event.messageId} of ratchet ${event.ratchetId} was evicted: that message can no longer be read` };
  }
  return undefined;
}

/** ENCRYPTED_MESSAGES of a v4 session. */
export class V4Channel implements SecureChannel<V4ReceivedData> {
  readonly version = 4 as const;
  readonly theirFingerprint: Uint8Array;
  readonly ssid: Uint8Array;
  readonly ssidHalf: 'first' | 'second';
  /** The peer's validated Client Profile. */
  readonly theirProfile: ValidatedClientProfile;
  /** The peer's instance tag (the receiver tag of what we send). */
  readonly theirTag: number;
  readonly #ratchet: RatchetState;
  readonly #smp: V4Smp = createV4Smp();

  /**
   * Builds the channel from a completed DAKE; the ratchet's secrets pass to
   * the channel. What initialising the ratchet used up (Bob's first ECDH
   * and DH secrets) goes to `consumed`, the call's list the session wipes
   * (secure-channel.ts, "Wiping").
   */
  constructor(established: DakeEstablished, consumed: Wipeable[]) {
    const initialised = initializeRatchet(established.ratchet);
    consumed.push(...initialised.consumed);
    this.#ratchet = initialised.state;
    this.theirProfile = established.theirProfile;
    this.theirFingerprint = established.theirProfile.fingerprint;
    this.theirTag = established.theirInstanceTag;
    this.ssid = established.ssid;
    // "Secure Session ID": the side that sent Auth-R (Alice) shows the second half in bold, Bob the first.
    this.ssidHalf = established.sent === 'auth-r' ? 'second' : 'first';
  }

  /** The ratchet (for tests of key handling). */
  get ratchet(): RatchetState {
    return this.#ratchet;
  }

  get smpStatus(): SmpStatus {
    return this.#smp.status;
  }

  seal(text: string, flags: number, context: ChannelContext): string | undefined {
    const message = utf8Encoder.encode(text);
    try {
      return this.#seal(message, [], flags, context)?.text;
    } finally {
      message.fill(0);
    }
  }

  end(context: ChannelContext): string | undefined {
    return this.#seal(new Uint8Array(0), [DISCONNECTED], V4_DATA_FLAG_IGNORE_UNREADABLE, context, { revealAll: true })?.text;
  }

  useExtraKey(use: number, useData: Uint8Array, context: ChannelContext): { send: string; key: Secret } | undefined {
    const tlv: Tlv = { type: V4_TLV.EXTRA_SYMMETRIC_KEY, value: encodeExtraSymmetricKeyUse({ context: use, data: useData }) };
    const sealed = this.#seal(new Uint8Array(0), [tlv], V4_DATA_FLAG_IGNORE_UNREADABLE, context, { wantExtraKey: true });
    if (sealed?.extraKey === undefined) return undefined;
    return { send: sealed.text, key: sealed.extraKey };
  }

  open(message: V4ReceivedData, context: ChannelContext): Opened | OpenFailure {
    const opened = openDataMessage(this.#ratchet, { route: { senderTag: message.senderTag, receiverTag: message.receiverTag }, message: message.body });
    context.consumed.push(...opened.consumed);
    if (!opened.ok) {
      const failure: OpenFailure = { kind: 'failure', code: failureCode(opened.refused), detail: `v4 data message refused: ${opened.refused}` };
      // The ratchet keeps the key of every message not yet read (within its bounds): no key for a past message means it was read already.
      return opened.refused === 'no-key' ? { ...failure, duplicate: true } : failure;
    }
    try {
      const effects: ChannelEffect[] = [];
      for (const event of opened.events) {
        const told = ratchetEvent(event);
        if (told !== undefined) effects.push({ kind: 'event', event: told });
      }
      let disconnected = false;
      let meaningful = opened.payload.message.length > 0;
      for (const tlv of opened.payload.tlvs) {
        if (tlv.type === V4_TLV.PADDING) continue;
        meaningful = true;
        if (tlv.type === V4_TLV.DISCONNECTED) disconnected = true;
        else if (tlv.type === V4_TLV.EXTRA_SYMMETRIC_KEY) this.#receivedExtraKey(tlv, opened.extraKey, effects);
        else if (isV4SmpTlv(tlv.type)) effects.push(...this.#applySmp(this.#smp.receive(tlv, this.#smpContext(context)), context, true));
      }
      return { kind: 'opened', text: utf8Decoder.decode(opened.payload.message), meaningful, disconnected, effects };
    } finally {
      // The TLVs are views of the plaintext: wipe it only once they are handled.
      opened.plaintext.fill(0);
      opened.extraKey?.wipe();
    }
  }

  startSmp(secret: Uint8Array, question: string | undefined, context: ChannelContext): ChannelEffect[] {
    return this.#applySmp(this.#smp.start(secret, question, this.#smpContext(context)), context);
  }

  answerSmp(secret: Uint8Array, context: ChannelContext): ChannelEffect[] {
    return this.#applySmp(this.#smp.answer(secret, this.#smpContext(context)), context);
  }

  abortSmp(context: ChannelContext): ChannelEffect[] {
    return this.#applySmp(this.#smp.abort(), context);
  }

  wipe(): void {
    for (const secret of wipeRatchet(this.#ratchet)) secret.wipe();
    this.#smp.wipe();
  }

  #seal(
    message: Uint8Array,
    tlvs: readonly Tlv[],
    flags: number,
    context: ChannelContext,
    options: { readonly wantExtraKey?: boolean; readonly revealAll?: boolean } = {},
  ): { text: string; extraKey: Secret | undefined } | undefined {
    const route = { senderTag: context.ourTag, receiverTag: this.theirTag };
    const sealed = sealDataMessage(this.#ratchet, { route, message, tlvs, flags, ...options }, context.random);
    context.consumed.push(...sealed.consumed);
    if (!sealed.ok) return undefined;
    return { text: encodeEncoded(encodeV4Message(route, { kind: 'data', body: sealed.body })), extraKey: sealed.extraKey };
  }

  /** A type 7 TLV: its context (the 4-byte use) and data, with a copy of the message's extra symmetric key. */
  #receivedExtraKey(tlv: Tlv, key: Secret | undefined, effects: ChannelEffect[]): void {
    const use = decodeExtraSymmetricKeyUse(tlv.value);
    if (isDecodeError(use) || key === undefined) return;
    effects.push({ kind: 'event', event: { kind: 'extra-key', use: use.context, useData: Uint8Array.from(use.data), key: key.clone() } });
  }

  /**
   * Installs an SMP step's effects: its TLVs sealed in one data message,
   * then its events. When the ratchet can seal nothing more (the session
   * ended, or its message ids are exhausted), a command of our user throws
   * UsageError 'not-secure', as in v3 (and as sending text does); a step
   * answering a received message cannot throw (the message's text is
   * shown regardless), so the SMP is given up and a `dropped` event says
   * the reply was not sent.
   */
  #applySmp(step: V4SmpStep, context: ChannelContext, received = false): ChannelEffect[] {
    context.consumed.push(...step.consumed);
    const effects: ChannelEffect[] = [];
    if (step.send.length > 0) {
      const sealed = this.#seal(new Uint8Array(0), step.send, V4_DATA_FLAG_IGNORE_UNREADABLE, context);
      if (sealed === undefined) {
        if (!received) throw new UsageError('not-secure', 'no secure session with this instance');
        context.consumed.push(...this.#smp.abort().consumed);
        const detail = 'the SMP reply could not be sent (the session can encrypt no more messages): SMP given up';
        return [{ kind: 'event', event: { kind: 'dropped', reason: 'not-encrypted', detail } }];
      }
      effects.push({ kind: 'send', text: sealed.text });
    }
    for (const event of step.events) effects.push({ kind: 'event', event });
    return effects;
  }

  #smpContext(context: ChannelContext): V4SmpContext {
    return { ourFingerprint: context.v4?.fingerprint ?? new Uint8Array(0), theirFingerprint: this.theirFingerprint, ssid: this.ssid, random: context.random };
  }
}
