/** The parts of a CPIM message (RFC 3862), as this package reads and writes them. */
import type { ChatIdentity } from '../identity.js';

/** The namespace of CPIM's own headers (RFC 3862 section 3.4). */
export const CPIM_STANDARD_NAMESPACE = 'urn:ietf:params:cpim-headers:';

/** A Subject header: its text and, for `Subject:;lang=fr ...`, the language. */
export interface CpimSubject {
  readonly text: string;
  readonly lang?: string;
}

/** A header outside CPIM's own set: an extension (`prefix.Name`, with its namespace URI when declared by `NS:`) or an unknown name. */
export interface CpimExtensionHeader {
  readonly name: string;
  readonly value: string;
  /** The prefix as written, when the header had one. */
  readonly prefix?: string;
  /** The namespace URI the prefix stands for (CPIM's own for an unknown unprefixed name). */
  readonly namespace?: string;
}

/** A decoded CPIM message. */
export interface CpimMessage {
  readonly from?: ChatIdentity;
  readonly to: readonly ChatIdentity[];
  readonly cc: readonly ChatIdentity[];
  readonly subjects: readonly CpimSubject[];
  /** The DateTime header as written. */
  readonly dateTime?: string;
  /** The DateTime header as ms since the epoch, when readable. */
  readonly dateTimeMs?: number;
  /** The Required (or Require) header's names. */
  readonly required: readonly string[];
  /** Other headers, in order. */
  readonly extensions: readonly CpimExtensionHeader[];
  /** The inner MIME part's type, `type/subtype` in lower case (`text/plain` when absent). */
  readonly contentType: string;
  /** The inner part's charset parameter, lower case. */
  readonly charset?: string;
  /** Every inner MIME header as written (MIME-Version, Content-Transfer-Encoding, ... are not interpreted). */
  readonly mimeHeaders: readonly { readonly name: string; readonly value: string }[];
  /** The inner part's body, bytes as received. */
  readonly body: Uint8Array;
}

/** What {@link encodeCpim} writes. */
export interface CpimEncodeInput {
  readonly from?: ChatIdentity;
  readonly to?: readonly ChatIdentity[];
  readonly cc?: readonly ChatIdentity[];
  readonly subject?: string;
  /** The DateTime header: host clock in ms (written in UTC with microseconds, as Python's isoformat). */
  readonly dateTime?: number;
  readonly required?: readonly string[];
  /** Extension headers; each new prefix is declared with an `NS:` header first. */
  readonly extensions?: readonly { readonly prefix: string; readonly namespace: string; readonly name: string; readonly value: string }[];
  /** The inner type, `type/subtype`. */
  readonly contentType: string;
  /** Adds `; charset="..."` (sipsimple: `utf8` for text a user typed, none for OTR's own messages and is-composing). */
  readonly charset?: string;
  readonly body: Uint8Array;
}
