/**
 * The adversarial catalogue's v4 evil peer: a victim account (bob) and a
 * hostile correspondent (alice) whose account makes genuine OTRv4 messages
 * that the test intercepts and alters with the library's own codecs before
 * the victim reads them, or whose ratchet (reached through the session's
 * internals) seals hostile plaintexts, so a hostile data message carries a
 * valid Authenticator and reaches the check under test.
 *
 * Every text handed to the victim goes through {@link V4Scene.toVictim},
 * which fails the test if the library threw into the host or reported an
 * internal error. {@link V4Scene.expectIntact} checks the session survived:
 * still version 4 with the same SSID, SMP idle, and a fresh message read
 * exactly once in each direction.
 */
import { expect } from 'vitest';
import { deterministicRandom, type RandomSource } from '../../src/crypto/index.js';
import { Ed448Point } from '../../src/crypto/v4/index.js';
import { ORDER, bigintToLe } from '../../src/crypto/v4/scalar.js';
import { DH3072_PRIME } from '../../src/crypto/v4/dh3072.js';
import { bigintToBytes } from '../../src/crypto/bigint.js';
import type { OtrEvent, Outcome } from '../../src/index.js';
import { internalConversationOf } from '../../src/testing.js';
import { V4Channel } from '../../src/v4/channel.js';
import { sealDataMessage } from '../../src/v4/ratchet/index.js';
import { classifyIncoming, encodeEncoded, type Tlv } from '../../src/wire/index.js';
import { decodeV4Message, encodeV4Message, type DecodedV4Message } from '../../src/wire/v4/message.js';
import type { Pair, Party } from '../pair/harness.js';
import { v4Pair } from '../pair/v4-harness.js';

/** Encodings of points every v4 decoder must refuse (57 bytes each). */
export const BAD_POINTS: Readonly<Record<string, Uint8Array>> = (() => {
  const point = (y: bigint, sign = 0): Uint8Array => {
    const bytes = bigintToLe(y, 57);
    bytes[56] = (bytes[56] ?? 0) | sign;
    return bytes;
  };
  const p = (1n << 448n) - (1n << 224n) - 1n;
  return {
    // y = 2: x^2 = (y^2 - 1) / (d y^2 - 1) has no root for y = 2 on Ed448 (checked by the tests that use it).
    'not on the curve': point(2n),
    identity: point(1n),
    // (0, -1) has order 2; (1, 0) and (-1, 0) have order 4.
    'small order 2': point(p - 1n),
    'small order 4': point(0n),
    'small order 4 (negative x)': point(0n, 0x80),
    'y >= p': point(p),
  };
})();

/** Scalars >= q (57 bytes each). */
export const BAD_SCALARS: Readonly<Record<string, Uint8Array>> = {
  'q itself': bigintToLe(ORDER, 57),
  'q + 1': bigintToLe(ORDER + 1n, 57),
  'all ones': new Uint8Array(57).fill(0xff),
};

/** DH values outside [2, p - 2] (MPIs of the 3072-bit group). */
export const BAD_DH: Readonly<Record<string, Uint8Array>> = {
  zero: new Uint8Array([0]),
  one: new Uint8Array([1]),
  'p - 1': bigintToBytes(DH3072_PRIME - 1n),
  p: bigintToBytes(DH3072_PRIME),
  'p + 1': bigintToBytes(DH3072_PRIME + 1n),
};

/** Event kinds that say something went wrong. */
export function problems(events: readonly OtrEvent[]): OtrEvent[] {
  return events.filter((event) => event.kind === 'protocol-error' || event.kind === 'peer-error' || event.kind === 'dropped');
}

export class V4Scene {
  readonly pair: Pair;
  readonly evil: Party;
  readonly victim: Party;
  readonly random: RandomSource = deterministicRandom('v4-evil-peer');
  #legit = 0;

  constructor() {
    this.pair = v4Pair();
    this.evil = this.pair.alice;
    this.victim = this.pair.bob;
  }

  /** Hands `text` to the victim (its replies are queued to the evil peer); never an exception or an internal error. */
  toVictim(text: string): Outcome {
    let outcome: Outcome | undefined;
    expect(() => {
      outcome = this.victim.account.receive(this.evil.name, text, this.pair.now);
    }).not.toThrow();
    expect(outcome!.events.filter((event) => event.kind === 'protocol-error' && event.reason === 'internal')).toEqual([]);
    return this.pair.absorb(this.victim, outcome!);
  }

  /** Takes the evil peer's next queued message off the link. */
  takeFromEvil(): string {
    const index = this.pair.queue.findIndex((message) => message.from === this.evil.name);
    expect(index).toBeGreaterThanOrEqual(0);
    return this.pair.queue.splice(index, 1)[0]!.text;
  }

  /** Delivers everything queued to the evil peer only (its replies stay queued). */
  deliverToEvil(): void {
    for (;;) {
      const index = this.pair.queue.findIndex((message) => message.to === this.evil.name);
      if (index < 0) return;
      const message = this.pair.queue.splice(index, 1)[0]!;
      this.pair.absorb(this.evil, this.evil.account.receive(message.from, message.text, this.pair.now));
    }
  }

  /** The evil peer's public forging key F. */
  forgingKey(): Ed448Point {
    const forging = this.evil.options.v4!.forgingKey;
    return forging instanceof Ed448Point ? forging : forging.publicKey;
  }

  /** The v4 message inside an encoded text. */
  decode(text: string): DecodedV4Message {
    const incoming = classifyIncoming(text);
    if (incoming.kind !== 'encoded-v4') throw new Error(`not an encoded v4 message: ${incoming.kind}`);
    const decoded = decodeV4Message(incoming.bytes);
    if ('code' in decoded) throw new Error(`does not decode: ${decoded.code}`);
    return decoded;
  }

  /** Re-encodes a decoded message with its body altered by `alter`. */
  alter<K extends DecodedV4Message['kind']>(text: string, kind: K, alter: (body: Extract<DecodedV4Message, { kind: K }>['body']) => object): string {
    const decoded = this.decode(text);
    expect(decoded.kind).toBe(kind);
    const body = (alter as (body: unknown) => object)(decoded.body);
    return encodeEncoded(encodeV4Message({ senderTag: decoded.senderTag, receiverTag: decoded.receiverTag }, { kind, body } as Parameters<typeof encodeV4Message>[1]));
  }

  /** The evil peer's (or the victim's) v4 channel. */
  channelOf(party: Party): V4Channel {
    const other = party === this.evil ? this.victim.name : this.evil.name;
    const channel = internalConversationOf(party.account, other)
      ?.instances()
      .find((instance) => instance.encrypted !== undefined)?.encrypted?.channel;
    if (!(channel instanceof V4Channel)) throw new Error('no v4 channel');
    return channel;
  }

  /** A data message from the evil peer with a valid Authenticator over whatever plaintext: its ratchet seals it. */
  sealed(message: string, tlvs: readonly Tlv[], flags = 0): string {
    const route = { senderTag: this.evil.account.instanceTag, receiverTag: this.victim.account.instanceTag };
    const sealed = sealDataMessage(this.channelOf(this.evil).ratchet, { route, message: new TextEncoder().encode(message), tlvs, flags }, this.random);
    for (const secret of sealed.consumed) secret.wipe();
    if (!sealed.ok) throw new Error(`could not seal: ${sealed.refused}`);
    sealed.extraKey?.wipe();
    return encodeEncoded(encodeV4Message(route, { kind: 'data', body: sealed.body }));
  }

  /** The victim starts; the evil peer answers with its Identity message, held back and returned. */
  victimStartsHoldingIdentity(): string {
    this.pair.act(this.victim, (account, now) => account.startOtr(this.evil.name, now));
    this.deliverToEvil();
    return this.takeFromEvil();
  }

  /** The evil peer starts; the victim sends its Identity message; the evil peer's Auth-R is held back and returned. */
  evilStartsHoldingAuthR(): string {
    this.pair.act(this.evil, (account, now) => account.startOtr(this.victim.name, now));
    const query = this.takeFromEvil();
    this.toVictim(query);
    this.deliverToEvil();
    return this.takeFromEvil();
  }

  /** Establishes the v4 session over a clean link. */
  establish(): void {
    this.pair.act(this.evil, (account, now) => account.startOtr(this.victim.name, now));
    this.pair.deliverAll();
    expect(this.victim.eventsOf('secure').at(-1)?.version).toBe(4);
  }

  /** The session survived: v4 with the SSID of `ssid` (if given), SMP idle, and a message read once each way. */
  expectIntact(ssid?: Uint8Array): void {
    const status = this.victim.account.status(this.evil.name);
    expect(status.messageState).toBe('encrypted');
    expect(status.version).toBe(4);
    expect(status.smp).toBe('idle');
    if (ssid !== undefined) expect(Buffer.from(status.ssid ?? [])).toEqual(Buffer.from(ssid));
    const n = ++this.#legit;
    const shown = this.victim.shown.length;
    this.pair.act(this.evil, (account, now) => account.send(this.victim.name, `legitimate ${n}`, now));
    const outcome = this.toVictim(this.takeFromEvil());
    expect(outcome.show.map((m) => m.text)).toEqual([`legitimate ${n}`]);
    expect(problems(outcome.events)).toEqual([]);
    expect(this.victim.shown.length).toBe(shown + 1);
    this.pair.act(this.victim, (account, now) => account.send(this.evil.name, `reply ${n}`, now));
    const before = this.evil.shown.length;
    this.deliverToEvil();
    expect(this.evil.shown.slice(before).map((m) => m.text)).toEqual([`reply ${n}`]);
  }

  /** The SSID the victim's session has now. */
  ssid(): Uint8Array {
    return Uint8Array.from(this.victim.account.status(this.evil.name).ssid ?? []);
  }
}
