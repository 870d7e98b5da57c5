/**
 * Turns an inner payload (type, charset, bytes) into what goes on the MSRP
 * session: a CPIM message from our identity to the peer's, dated `now`, or
 * the bare payload with its Content-Type, as sipsimple chooses.
 */
import { encodeCpim } from '../cpim/encode.js';
import type { ChatIdentity } from '../identity.js';
import { routeFor, type RemoteAcceptTypes } from './accept-types.js';
import type { ChatPayload } from './types.js';

/** One payload to write. */
export interface InnerPayload {
  readonly kind: ChatPayload['kind'];
  readonly contentType: string;
  readonly charset?: string;
  readonly body: Uint8Array;
  readonly id?: string;
}

export class PayloadWriter {
  constructor(
    private readonly local: ChatIdentity,
    private readonly remote: ChatIdentity,
    private readonly accept: RemoteAcceptTypes,
  ) {}

  /** Whether a payload of `type` can be sent to the peer at all. */
  canSend(type: string): boolean {
    return routeFor(this.accept, type) !== undefined;
  }

  /** The payload on the wire, or undefined when the peer accepts its type neither bare nor wrapped. */
  write(inner: InnerPayload, now: number): ChatPayload | undefined {
    const route = routeFor(this.accept, inner.contentType);
    if (route === undefined) return undefined;
    const reports = inner.kind === 'message';
    const id = inner.id === undefined ? {} : { id: inner.id };
    if (route === 'bare') {
      const contentType = inner.charset === undefined ? inner.contentType : `${inner.contentType}; charset="${inner.charset}"`;
      return { contentType, body: inner.body, reports, kind: inner.kind, ...id };
    }
    const body = encodeCpim({
      from: this.local,
      to: [this.remote],
      dateTime: now,
      contentType: inner.contentType,
      ...(inner.charset === undefined ? {} : { charset: inner.charset }),
      body: inner.body,
    });
    return { contentType: 'message/cpim', body, reports, kind: inner.kind, ...id };
  }
}
