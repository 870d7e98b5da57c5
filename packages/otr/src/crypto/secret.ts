/**
 * Secret bytes: a wipeable `Uint8Array` holder whose inspection, JSON and
 * string forms are redacted, so a key never reaches a log by accident.
 */
import { inspect } from 'node:util';

const REDACTED = '[Secret: redacted]';

/** While a test tracks secrets: every Secret created since (see {@link trackSecrets}). */
let tracked: Set<Secret> | undefined;

/**
 * For tests: records every Secret created from now until `stop()`, so a
 * test can check that all of them were wiped. Never used by the library.
 */
export function trackSecrets(): { readonly secrets: ReadonlySet<Secret>; stop(): void } {
  const secrets = new Set<Secret>();
  tracked = secrets;
  return {
    secrets,
    stop: () => {
      if (tracked === secrets) tracked = undefined;
    },
  };
}

/**
 * Anything holding secrets that can be wiped: a {@link Secret}, or a
 * group of them (a state of a version's math, a set of derived keys).
 */
export interface Wipeable {
  wipe(): void;
}

/** Wipeable secret bytes. Read them with {@link Secret.expose} inside crypto/ only. */
export class Secret implements Wipeable {
  #bytes: Uint8Array;
  #wiped = false;

  /** Takes ownership of `bytes`; the caller must not keep other references. */
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    tracked?.add(this);
  }

  /** Number of secret bytes (0 once wiped). */
  get length(): number {
    return this.#bytes.length;
  }

  /** True once {@link Secret.wipe} has run. */
  get wiped(): boolean {
    return this.#wiped;
  }

  /** The underlying bytes; do not copy them out of crypto/ or the session. */
  expose(): Uint8Array {
    if (this.#wiped) throw new Error('secret used after wipe');
    return this.#bytes;
  }

  /** A new secret holding a copy of these bytes. */
  clone(): Secret {
    return new Secret(Uint8Array.from(this.expose()));
  }

  /** Overwrites the bytes with zeros and forgets them. Idempotent. */
  wipe(): void {
    this.#bytes.fill(0);
    this.#bytes = new Uint8Array(0);
    this.#wiped = true;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Wipes every given secret that is defined. */
export function wipeAll(...secrets: (Wipeable | undefined | null)[]): void {
  for (const secret of secrets) secret?.wipe();
}
