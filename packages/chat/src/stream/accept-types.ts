/**
 * The SDP accept lists of a chat stream, as sipsimple's ChatStream
 * advertises them (`a=accept-types`, `a=accept-wrapped-types`), and the
 * choice sipsimple makes for each outgoing message between a CPIM wrapper
 * and the bare payload.
 */
import { containsMimeType } from '../content-type.js';

/** What a chat stream accepts: `a=accept-types:message/cpim text/* image/* application/im-iscomposing+xml`. */
export const CHAT_ACCEPT_TYPES: readonly string[] = ['message/cpim', 'text/*', 'image/*', 'application/im-iscomposing+xml'];

/** What it accepts inside CPIM: `a=accept-wrapped-types:text/* image/* application/im-iscomposing+xml`. */
export const CHAT_ACCEPT_WRAPPED_TYPES: readonly string[] = ['text/*', 'image/*', 'application/im-iscomposing+xml'];

/** The peer's lists, from its SDP. */
export interface RemoteAcceptTypes {
  readonly acceptTypes: readonly string[];
  readonly acceptWrappedTypes: readonly string[];
}

/** CPIM is used when both sides list message/cpim in accept-types (sipsimple's `cpim_enabled`). */
export function cpimEnabled(remote: RemoteAcceptTypes): boolean {
  return containsMimeType(CHAT_ACCEPT_TYPES, 'message/cpim') && containsMimeType(remote.acceptTypes, 'message/cpim');
}

/**
 * How a message of `type` goes to the peer (sipsimple's `_message_queue_handler`):
 * wrapped in CPIM whenever CPIM is on and the peer accepts the type wrapped
 * (`prefer_cpim`), else bare when the peer accepts it, else wrapped when it
 * accepts it only wrapped; undefined when it cannot be sent at all.
 */
export function routeFor(remote: RemoteAcceptTypes, type: string): 'cpim' | 'bare' | undefined {
  const cpim = cpimEnabled(remote);
  const wrappable = cpim && containsMimeType(remote.acceptWrappedTypes, type);
  if (wrappable) return 'cpim';
  return containsMimeType(remote.acceptTypes, type) ? 'bare' : undefined;
}
