/**
 * The interactive DAKE of one instance behind the key-exchange interface:
 * the DAKE state (v4/dake/), the takeover of the master instance's
 * broadcast Identity message, the timeout, and building the
 * {@link V4Channel} when the DAKE completes. Every transition's consumed
 * secrets go to the call's `consumed` for the session to wipe
 * (secure-channel.ts, "Wiping"); what expire and abandon drop is returned.
 *
 * A running DAKE never disturbs the instance's encrypted session: only a
 * completed one replaces it (the session installs the new channel and
 * wipes the old).
 */
import { UsageError } from '../errors.js';
import { AKE_TIMEOUT_MS } from '../limits.js';
import type { Wipeable } from '../crypto/index.js';
import type { ChannelContext, ExchangeStep, KeyExchange, SecureChannel } from '../secure-channel.js';
import type { ProtocolVersion } from '../version.js';
import { encodeEncoded } from '../wire/envelope.js';
import { V4Channel, type V4ReceivedData } from './channel.js';
import {
  DAKE_START,
  dakeRejectionReason,
  dakeStateSecrets,
  isExpectedRejection,
  receiveDakeMessage,
  startDake,
  type DakeContext,
  type DakeMessage,
  type DakeState,
  type DakeTransition,
} from './dake/index.js';

/** The DAKE state of one instance. */
export class V4KeyExchange implements KeyExchange<DakeMessage, V4ReceivedData> {
  #state: DakeState = DAKE_START;
  #since: number | undefined;
  /** The master's DAKE this exchange last took over (compared by identity only). */
  #adopted: DakeState | undefined;

  /** The DAKE state (for tests). */
  get state(): DakeState {
    return this.#state;
  }

  get since(): number | undefined {
    return this.#state.kind === 'start' ? undefined : this.#since;
  }

  start(version: ProtocolVersion, context: ChannelContext): ExchangeStep<V4ReceivedData> {
    if (version !== 4) throw new RangeError('only version 4 runs the DAKE');
    return this.#apply(startDake(this.#state, dakeContext(context), context.theirTag), context);
  }

  receive(message: DakeMessage, _current: SecureChannel<V4ReceivedData> | undefined, context: ChannelContext): ExchangeStep<V4ReceivedData> {
    return this.#apply(receiveDakeMessage(this.#state, message, dakeContext(context)), context);
  }

  /**
   * Takes over the DAKE the master instance started (an Auth-R from this
   * instance answers our broadcast Identity message, or its Identity
   * message crosses ours): the copy keeps its own secrets. Each DAKE of the
   * master is taken over once, and replaces whatever this instance ran (as
   * V3KeyExchange.adopt does for the v3 AKE).
   */
  adopt(master: V4KeyExchange): readonly Wipeable[] {
    const state = master.#state;
    if (state.kind !== 'waiting-auth-r' || state === this.#adopted) return [];
    this.#adopted = state;
    const dropped = this.#replace({
      ...state,
      ecdh: { publicKey: state.ecdh.publicKey, secret: state.ecdh.secret.clone() },
      dh: { publicKey: state.dh.publicKey, privateKey: state.dh.privateKey.clone() },
      firstEcdh: { publicKey: state.firstEcdh.publicKey, secret: state.firstEcdh.secret.clone() },
      firstDh: { publicKey: state.firstDh.publicKey, privateKey: state.firstDh.privateKey.clone() },
    });
    this.#since = master.#since;
    return dropped;
  }

  /** True when the master's current DAKE is the one this exchange took over. */
  tookOver(master: V4KeyExchange): boolean {
    return master.#state.kind !== 'start' && master.#state === this.#adopted;
  }

  deadline(): number | undefined {
    const since = this.since;
    return since === undefined ? undefined : since + AKE_TIMEOUT_MS;
  }

  expire(now: number): readonly Wipeable[] {
    const deadline = this.deadline();
    return deadline !== undefined && now >= deadline ? this.abandon() : [];
  }

  abandon(): readonly Wipeable[] {
    this.#since = undefined;
    return this.#replace(DAKE_START);
  }

  /** Wipes everything (instance shutdown). */
  wipe(): void {
    for (const secret of this.abandon()) secret.wipe();
    this.#adopted = undefined;
  }

  /** Installs `next`; the secrets of the state it replaces are returned, for the caller's one wiping point. */
  #replace(next: DakeState): readonly Wipeable[] {
    const old = this.#state;
    this.#state = next;
    return old === next ? [] : dakeStateSecrets(old);
  }

  #apply(transition: DakeTransition, context: ChannelContext): ExchangeStep<V4ReceivedData> {
    const changed = transition.state !== this.#state;
    this.#state = transition.state;
    context.consumed.push(...transition.consumed);
    if (changed) this.#since = this.#state.kind === 'start' ? undefined : context.now;
    const send = transition.send === undefined ? [] : [{ text: encodeEncoded(transition.send), version: 4 as const }];
    const rejected =
      transition.rejected === undefined
        ? undefined
        : {
            code: dakeRejectionReason(transition.rejected),
            detail: `DAKE message ignored: ${transition.rejected.reason}${transition.rejected.detail === undefined ? '' : ` (${transition.rejected.detail})`}`,
            ...(isExpectedRejection(transition.rejected) ? { expected: true as const } : {}),
          };
    const established = transition.established === undefined ? undefined : new V4Channel(transition.established, context.consumed);
    return {
      send,
      ...(rejected === undefined ? {} : { rejected }),
      ...(established === undefined ? {} : { established }),
    };
  }
}

/** The DAKE's view of a call. */
function dakeContext(context: ChannelContext): DakeContext {
  const v4 = context.v4;
  if (v4 === undefined) throw new UsageError('not-secure', 'a v4 DAKE needs the account\'s v4 identity');
  return {
    ourInstanceTag: context.ourTag,
    identityKey: v4.identityKey,
    ourProfile: v4.profile,
    ourContactId: v4.address,
    theirContactId: context.peer,
    random: context.random,
    now: context.now,
  };
}
