/**
 * The v3 (and v2) AKE of one instance behind the key-exchange interface:
 * the authstate, the takeover of the master instance's broadcast AKE, the
 * timeout, and building the {@link V3Channel} when the AKE completes. The
 * secrets each step consumes go to the session to wipe (secure-channel.ts,
 * "Wiping").
 */
import { AKE_TIMEOUT_MS } from '../limits.js';
import type { ChannelContext, ExchangeStep, KeyExchange, SecureChannel } from '../secure-channel.js';
import { wipeAll, type Wipeable } from '../crypto/index.js';
import type { ProtocolVersion } from '../version.js';
import { AKE_KEY_ID, akeDeadline, expireAke, receiveAkeMessage, startAke, type AkeContext, type AkeMessage, type AkeStep } from './ake/ake.js';
import { AUTH_NONE, authStateSecrets, type AuthState } from './ake/auth-state.js';
import { encodeAkeText } from '../wire/index.js';
import { V3Channel, type V3DataMessage } from './channel.js';
import { KeyRing } from './keys/key-ring.js';

/** The AKE state of one instance (the spec's authstate). */
export class V3KeyExchange implements KeyExchange<AkeMessage, V3DataMessage> {
  #auth: AuthState = AUTH_NONE;
  /** The master's AKE this exchange last took over (compared by identity only). */
  #adopted: AuthState | undefined;

  /** The authstate (for tests). */
  get auth(): AuthState {
    return this.#auth;
  }

  get since(): number | undefined {
    return this.#auth.kind === 'none' ? undefined : this.#auth.since;
  }

  start(version: ProtocolVersion, context: ChannelContext): ExchangeStep<V3DataMessage> {
    if (version === 4) throw new RangeError('version 4 does not run the v3 AKE');
    context.consumed.push(...authStateSecrets(this.#auth));
    return this.#apply(startAke(version, akeContext(context)), undefined, context);
  }

  receive(message: AkeMessage, current: SecureChannel<V3DataMessage> | undefined, context: ChannelContext): ExchangeStep<V3DataMessage> {
    return this.#apply(receiveAkeMessage(this.#auth, message, akeContext(context)), current, context);
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
   * sides would never meet again. Returns the secrets of the AKE replaced,
   * for the session to wipe.
   */
  adopt(master: V3KeyExchange): readonly Wipeable[] {
    const auth = master.#auth;
    if (auth.kind !== 'awaiting-dhkey' || auth === this.#adopted) return [];
    this.#adopted = auth;
    const consumed = authStateSecrets(this.#auth);
    this.#auth = {
      ...auth,
      revealKey: auth.revealKey.clone(),
      ourDh: { publicKey: auth.ourDh.publicKey, privateKey: auth.ourDh.privateKey.clone() },
    };
    return consumed;
  }

  /** True when the master's current AKE is the one this exchange took over. */
  tookOver(master: V3KeyExchange): boolean {
    return master.#auth.kind !== 'none' && master.#auth === this.#adopted;
  }

  deadline(): number | undefined {
    return akeDeadline(this.#auth, AKE_TIMEOUT_MS);
  }

  expire(now: number): readonly Wipeable[] {
    const { next, consumed } = expireAke(this.#auth, now, AKE_TIMEOUT_MS);
    this.#auth = next;
    return consumed;
  }

  abandon(): readonly Wipeable[] {
    const consumed = authStateSecrets(this.#auth);
    this.#auth = AUTH_NONE;
    return consumed;
  }

  /** Wipes everything (instance shutdown): teardown, not a transition. */
  wipe(): void {
    wipeAll(...this.abandon());
    this.#adopted = undefined;
  }

  #apply(step: AkeStep, current: SecureChannel<V3DataMessage> | undefined, context: ChannelContext): ExchangeStep<V3DataMessage> {
    this.#auth = step.next;
    context.consumed.push(...step.consumed);
    const reply = step.reply;
    const send = reply === undefined ? [] : [{ text: encodeAkeText(reply, context.ourTag, context.theirTag), version: reply.version }];
    const rejected = step.rejected;
    const success = step.success;
    if (success === undefined) return rejected === undefined ? { send } : { send, rejected };
    if (current instanceof V3Channel && current.matchesAke(AKE_KEY_ID, success)) {
      context.consumed.push(success.ourDh.privateKey, success.shared);
      return { send, unchanged: true };
    }
    const keys = KeyRing.afterAke(AKE_KEY_ID, success.ourDh, success.theirKeyId, success.theirDhPublic, success.shared, context.random);
    context.consumed.push(success.shared);
    return { send, established: new V3Channel(success, keys) };
  }
}

function akeContext(context: ChannelContext): AkeContext {
  return { privateKey: context.privateKey, random: context.random, now: context.now };
}
