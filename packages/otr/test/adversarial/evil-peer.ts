/**
 * The adversarial catalogue's evil peer: a victim {@link Account} and a
 * hostile correspondent built from the library's internal modules (AKE
 * steps, key ring, data-message sealing, wire encoders, SMP state machine),
 * so hostile messages can carry valid MACs and signatures and reach the
 * check under test.
 *
 * Every text handed to the victim goes through {@link Scene.toVictim}, which
 * fails the test if the library threw into the host or reported an internal
 * error. {@link Scene.expectIntact} checks the session survived: same
 * message state, SSID and SMP state, and a fresh legitimate message still
 * decrypts and is shown exactly once in each direction.
 */
import { expect } from 'vitest';
import { AKE_KEY_ID, receiveAkeMessage, startAke, type AkeContext, type AkeMessage, type AkeSuccess } from '../../src/v3/ake/ake.js';
import { AUTH_NONE, type AuthState } from '../../src/v3/ake/auth-state.js';
import { bigintToBytes, bytesToBigint, mod } from '../../src/crypto/bigint.js';
import { deterministicRandom, fingerprint, generateDsaKey, type DsaPrivateKey, type RandomSource } from '../../src/crypto/index.js';
import { MODP_ORDER, MODP_PRIME, modpPow } from '../../src/crypto/v3/modp.js';
import { G1, mulP, smpHash } from '../../src/crypto/v3/smp-proofs.js';
import { Account, Policies, type AccountOptions, type ConversationStatus, type OtrEvent, type Outcome } from '../../src/index.js';
import { KeyRing } from '../../src/v3/keys/key-ring.js';
import { openData, sealData } from '../../src/v3/data-message.js';
import { SMP_IDLE, smpReceive, type SmpContext, type SmpState, type SmpStep } from '../../src/v3/smp.js';
import {
  classifyIncoming,
  decodeDataPayload,
  decodeOtrBody,
  encodeAkeText,
  encodeAuthenticatedDataMessage,
  encodeEncoded,
  encodeFragments,
  encodeSmpPayload,
  encodeTextPayload,
  type DataFields,
  type DecodedOtrMessage,
  type Route,
  type Tlv,
} from '../../src/wire/index.js';

/** The victim's name for the evil peer, and the evil peer's name for the victim. */
export const EVIL = 'mallory';
export const VICTIM = 'victim';
export const VICTIM_TAG = 0x1234abcd;
export const EVIL_TAG = 0x5678ef01;
/** An instance tag that belongs to nobody here. */
export const OTHER_TAG = 0x0badcafe;
/** Data message flag IGNORE_UNREADABLE. */
export const IGNORE_UNREADABLE = 0x01;
/** The error text sotto sends for an unreadable data message. */
export const UNREADABLE_ERROR = '?OTR Error: You transmitted an unreadable encrypted message.';

const utf8 = new TextEncoder();

/** Long-term keys are slow to make: one pair per test file. */
let keys: { victim: DsaPrivateKey; evil: DsaPrivateKey } | undefined;
function testKeys(): { victim: DsaPrivateKey; evil: DsaPrivateKey } {
  keys ??= { victim: generateDsaKey(), evil: generateDsaKey() };
  return keys;
}

/** Group elements and other values at the edges of the 1536-bit MODP group. */
export const P = MODP_PRIME;
export const Q = MODP_ORDER;
export const TWO_1536 = 1n << 1536n;

/** MPI bodies (minimal big-endian) of a bigint; 0 is the empty MPI. */
export const mpiBody = (value: bigint): Uint8Array => bigintToBytes(value);

/** A text as the evil peer receives it, decoded. */
export interface Received {
  /** Human-readable parts of the data messages the victim sent (heartbeats give ''). */
  readonly texts: string[];
  /** TLVs of each data message, in order. */
  readonly tlvs: Tlv[][];
  /** OTR error messages the victim sent. */
  readonly errors: string[];
  /** AKE messages the victim sent. */
  readonly ake: AkeMessage[];
  /** Anything else (queries, plaintext). */
  readonly other: string[];
}

/** Options for a crafted data message. */
export interface DataOptions {
  readonly flags?: number;
  readonly tlvs?: readonly Tlv[];
  /** Raw plaintext to encrypt instead of `text` and `tlvs`. */
  readonly plaintext?: Uint8Array;
  /** Changes the fields before the MAC is computed: the MAC stays valid over the changed bytes. */
  readonly fields?: (fields: DataFields) => DataFields;
  /** The old-MAC-keys field (not covered by the MAC). */
  readonly oldMacKeys?: Uint8Array;
  /** Changes the encoded bytes after the MAC is computed. */
  readonly after?: (bytes: Uint8Array) => Uint8Array;
  /** Header fields to use instead of ours. */
  readonly route?: Partial<Route>;
}

/** The victim and the evil peer, on one clock. */
export class Scene {
  now = 1_000_000;
  readonly victim: Account;
  readonly evilKey: DsaPrivateKey;
  readonly random: RandomSource;
  /** The evil peer's AKE state while it runs one itself. */
  auth: AuthState = AUTH_NONE;
  /** The evil peer's keys once secure. */
  ring: KeyRing | undefined;
  ssid: Uint8Array | undefined;
  /** The evil peer's SMP state machine. */
  smp: SmpState = SMP_IDLE;
  /** Every outcome the victim produced. */
  readonly outcomes: Outcome[] = [];
  #legitCount = 0;

  constructor(seed: string, options: Partial<AccountOptions> = {}) {
    const { victim, evil } = testKeys();
    this.evilKey = evil;
    this.random = deterministicRandom(`evil-${seed}`);
    this.victim = new Account({
      privateKey: victim,
      instanceTag: VICTIM_TAG,
      policy: Policies.OPPORTUNISTIC,
      random: deterministicRandom(`victim-${seed}`),
      ...options,
    });
  }

  /** A scene whose victim is in a secure v3 session with the evil peer (the evil peer ran an honest AKE). */
  static encrypted(seed: string, options: Partial<AccountOptions> = {}): Scene {
    const scene = new Scene(seed, options);
    scene.runAke();
    return scene;
  }

  /** The evil peer's AKE context. */
  get akeContext(): AkeContext {
    return { privateKey: this.evilKey, random: this.random, now: this.now };
  }

  /** The SMP context the evil peer's own state machine runs with. */
  get smpContext(): SmpContext {
    return { ourFingerprint: fingerprint(this.evilKey.publicKey), theirFingerprint: this.victim.ourFingerprint, ssid: this.ssid!, random: this.random };
  }

  /** The victim's view of its session with the evil peer's instance. */
  status(): ConversationStatus {
    return this.victim.status(EVIL, { instance: EVIL_TAG });
  }

  /** Hands `text` to the victim; the host must never see an exception or an internal error. */
  toVictim(text: string): Outcome {
    let outcome: Outcome | undefined;
    expect(() => {
      outcome = this.victim.receive(EVIL, text, this.now);
    }).not.toThrow();
    const result = outcome!;
    expect(result.events.filter((event) => event.kind === 'protocol-error' && event.reason === 'internal')).toEqual([]);
    this.outcomes.push(result);
    return result;
  }

  /** Moves the clock on (past the error-reply interval, say). */
  tick(ms: number): void {
    this.now += ms;
  }

  /** Encodes an AKE message from the evil peer's instance. */
  akeText(message: AkeMessage, receiverTag = VICTIM_TAG, senderTag = EVIL_TAG): string {
    return encodeAkeText(message, senderTag, receiverTag);
  }

  /** Runs an honest AKE started by the evil peer's D-H Commit; the victim ends secure. */
  runAke(): AkeSuccess {
    const start = startAke(3, this.akeContext);
    this.auth = start.next;
    const dhKey = this.read(this.toVictim(this.akeText(start.reply!, 0))).ake[0]!;
    const reveal = receiveAkeMessage(this.auth, dhKey, this.akeContext);
    this.auth = reveal.next;
    const afterReveal = this.toVictim(this.akeText(reveal.reply!));
    expect(afterReveal.events.filter((event) => event.kind === 'secure')).toHaveLength(1);
    const signature = this.read(afterReveal).ake[0]!;
    const done = receiveAkeMessage(this.auth, signature, this.akeContext);
    this.auth = done.next;
    return this.adopt(done.success!);
  }

  /** Takes over the keys of a completed AKE (wiping the previous ring, if any). */
  adopt(success: AkeSuccess): AkeSuccess {
    this.ring?.wipe();
    this.ring = KeyRing.afterAke(AKE_KEY_ID, success.ourDh, success.theirKeyId, success.theirDhPublic, success.shared, this.random);
    this.ssid = success.ssid;
    this.smp = SMP_IDLE;
    return success;
  }

  /** A data message from the evil peer, sealed with its real keys, then changed as `options` say. */
  data(text: string, options: DataOptions = {}): string {
    return encodeEncoded(this.dataBytes(text, options));
  }

  /** The binary form of {@link data}. */
  dataBytes(text: string, options: DataOptions = {}): Uint8Array {
    const ring = this.ring;
    if (ring === undefined) throw new Error('the evil peer has no secure session');
    const plaintext = options.plaintext ?? encodeTextPayload(text, options.tlvs ?? []);
    const sealed = sealData(ring, plaintext, options.flags ?? 0);
    if (sealed === undefined) throw new Error('the evil peer cannot send');
    const fields = options.fields === undefined ? sealed.fields : options.fields(sealed.fields);
    const route: Route = { version: 3, senderTag: EVIL_TAG, receiverTag: VICTIM_TAG, ...options.route };
    const bytes = encodeAuthenticatedDataMessage(route, fields, options.oldMacKeys ?? sealed.oldMacKeys, sealed.mac);
    return options.after === undefined ? bytes : options.after(bytes);
  }

  /** TLVs in a data message the way SMP sends them (no text, IGNORE_UNREADABLE). */
  tlvMessage(tlvs: readonly Tlv[]): string {
    return this.data('', { tlvs, flags: IGNORE_UNREADABLE });
  }

  /** An SMP TLV of `type` carrying `values` as MPIs. */
  smpTlv(type: number, values: readonly Uint8Array[]): string {
    return this.tlvMessage([{ type, value: encodeSmpPayload(values) }]);
  }

  /** Reads what the victim sent to the evil peer: data messages are opened with the evil peer's keys. */
  read(outcome: Outcome): Received {
    const received: Received = { texts: [], tlvs: [], errors: [], ake: [], other: [] };
    for (const { to, text } of outcome.send) {
      expect(to).toBe(EVIL);
      if (text.startsWith('?OTR Error:')) {
        received.errors.push(text);
        continue;
      }
      const incoming = classifyIncoming(text);
      if (incoming.kind !== 'encoded') {
        received.other.push(text);
        continue;
      }
      const decoded = decodeOtrBody(incoming.header, incoming.bytes);
      if ('code' in decoded) throw new Error(`the victim sent an undecodable message: ${decoded.detail}`);
      expect(decoded.senderTag).toBe(VICTIM_TAG);
      if (decoded.type === 'ake') {
        received.ake.push(decoded.ake);
        continue;
      }
      const opened = openData(this.ring!, decoded.data);
      if ('failure' in opened) throw new Error(`the evil peer cannot read the victim: ${opened.failure}`);
      const payload = decodeDataPayload(Uint8Array.from(opened.plaintext));
      received.texts.push(new TextDecoder().decode(payload.message));
      received.tlvs.push(payload.tlvs.map((tlv) => ({ type: tlv.type, value: Uint8Array.from(tlv.value) })));
    }
    return received;
  }

  /** Decodes one OTR text (for tests that look inside the victim's messages). */
  decode(text: string): DecodedOtrMessage {
    const incoming = classifyIncoming(text);
    if (incoming.kind !== 'encoded') throw new Error('not an encoded message');
    const decoded = decodeOtrBody(incoming.header, incoming.bytes);
    if ('code' in decoded) throw new Error(decoded.detail);
    return decoded;
  }

  /** Runs the evil peer's SMP state machine on TLVs the victim sent; returns the steps. */
  smpAbsorb(received: Received): SmpStep[] {
    const steps: SmpStep[] = [];
    for (const tlvs of received.tlvs) {
      for (const tlv of tlvs) {
        const step = smpReceive(this.smp, tlv, this.smpContext);
        if (step === undefined) continue;
        this.smp = step.next;
        steps.push(step);
      }
    }
    return steps;
  }

  /** Applies an evil SMP step to its own state and returns the TLVs it would send. */
  smpApply(step: SmpStep): Tlv[] {
    this.smp = step.next;
    return step.send;
  }

  /** The victim's user sends a message; the evil peer reads it. */
  victimSends(text: string): Received {
    const outcome = this.victim.send(EVIL, text, this.now, { instance: EVIL_TAG });
    this.outcomes.push(outcome);
    return this.read(outcome);
  }

  /** Fragments of `text` from the evil peer's instance. */
  fragments(text: string, maxSize: number, receiverTag = VICTIM_TAG): string[] {
    return encodeFragments(text, maxSize, 3, EVIL_TAG, receiverTag);
  }

  /**
   * Asserts the secure session survived: the same message state, SSID and
   * SMP state as `before`, and a fresh legitimate message goes through in
   * both directions, shown exactly once.
   */
  expectIntact(before: ConversationStatus): void {
    const now = this.status();
    expect(now.messageState).toBe(before.messageState);
    expect(now.smp).toBe(before.smp);
    if (before.ssid !== undefined) expect(Buffer.from(now.ssid ?? [])).toEqual(Buffer.from(before.ssid));
    if (before.messageState !== 'encrypted') return;
    const text = `legitimate message ${++this.#legitCount}`;
    const outcome = this.toVictim(this.data(text));
    expect(outcome.show).toEqual([{ from: EVIL, text, encrypted: true, instance: EVIL_TAG }]);
    expect(outcome.events.filter((event) => event.kind === 'protocol-error' || event.kind === 'dropped')).toEqual([]);
    const reply = `reply ${this.#legitCount}`;
    expect(this.victimSends(reply).texts).toEqual([reply]);
  }
}

/** Events of one kind, typed. */
export function eventsOf<K extends OtrEvent['kind']>(outcome: Outcome, kind: K): (OtrEvent & { kind: K })[] {
  return outcome.events.filter((event): event is OtrEvent & { kind: K } => event.kind === kind);
}

/** Asserts the outcome is exactly one `protocol-error` with `code` and nothing shown; returns it. */
export function expectProtocolError(outcome: Outcome, code: string): OtrEvent & { kind: 'protocol-error' } {
  expect(outcome.show).toEqual([]);
  const errors = eventsOf(outcome, 'protocol-error');
  expect(errors.map((event) => event.reason)).toEqual([code]);
  expect(outcome.events.filter((event) => event.kind !== 'protocol-error')).toEqual([]);
  return errors[0]!;
}

/** Asserts the outcome is exactly one `dropped` event with `reason`, nothing shown and nothing sent; returns it. */
export function expectDropped(outcome: Outcome, reason: string): OtrEvent & { kind: 'dropped' } {
  expect(outcome.show).toEqual([]);
  expect(outcome.send).toEqual([]);
  expect(outcome.events.map((event) => (event.kind === 'dropped' ? event.reason : event.kind))).toEqual([reason]);
  return eventsOf(outcome, 'dropped')[0]!;
}

/** Replaces 4 bytes at `offset` with a big-endian unsigned `value` (a copy). */
export function patchU32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  new DataView(out.buffer).setUint32(offset, value >>> 0);
  return out;
}

/** Byte offsets inside a v3 data message: header 11, flags 1, key ids 4 + 4, then the next-key MPI. */
export function dataOffsets(bytes: Uint8Array): { nextDh: number; counter: number; encrypted: number; mac: number; oldMacKeys: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nextDh = 11 + 1 + 4 + 4;
  const counter = nextDh + 4 + view.getUint32(nextDh);
  const encrypted = counter + 8;
  const mac = encrypted + 4 + view.getUint32(encrypted);
  return { nextDh, counter, encrypted, mac, oldMacKeys: mac + 20 };
}

/**
 * A proof of knowledge of log_g1(element) that verifies for an element
 * whose residue is 0, 1 or +-g1^k (k known): c = h(version, g1^D element^c).
 * Such elements have no honest proof, so only the range or subgroup check
 * can stop them. Undefined when no proof was found in `tries`.
 */
export function forgeKnowLog(version: number, element: bigint, log: bigint | undefined, random: RandomSource, tries = 64): { c: bigint; d: bigint } | undefined {
  const residue = mod(element, P);
  for (let i = 0; i < tries; i++) {
    const r = mod(bytesToBigint(random(192)), Q - 1n) + 1n;
    if (residue === 0n) return { c: smpHash(version, 0n), d: r };
    const c = smpHash(version, modpPow(G1, r));
    // element^c = sign^c g1^(k c); for sign = -1 only an even c works.
    const sign = log === undefined ? residue : mod(residue * modpPow(modpPow(G1, log), P - 2n), P);
    if (sign === 1n || (sign === P - 1n && c % 2n === 0n)) {
      const k = log ?? 0n;
      const d = mod(r - k * c, Q);
      if (d === 0n) continue;
      if (mulP(modpPow(G1, d), modpPow(residue, c)) === modpPow(G1, r)) return { c, d };
    }
  }
  return undefined;
}

/** UTF-8 bytes of a text. */
export const bytesOf = (text: string): Uint8Array => utf8.encode(text);
