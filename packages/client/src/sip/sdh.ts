/**
 * SIP.js glue for chat SDP: a SessionDescriptionHandler that offers or
 * answers the `m=message` body the host supplies and parses the peer's.
 * No MSRP here: the host builds its path (relay Use-Path + own URI) and
 * reads the peer's from the parsed description.
 */
import type { BodyAndContentType, Session, SessionDescriptionHandler } from 'sip.js';
import { buildChatSdp, parseChatSdp, type ChatSdp, type ChatSdpInput } from './sdp.js';

/** The local chat description, or a function that makes it when SIP.js asks (relay AUTH may happen there). */
export type ChatDescriptionSource = ChatSdpInput | (() => ChatSdpInput | Promise<ChatSdpInput>);

/** What a session's handler knows; the account fills it per SIP.js session. */
export interface ChatDescriptionContext {
  local: ChatDescriptionSource | undefined;
  localSdp: string | undefined;
  remote: ChatSdp | undefined;
  remoteSdp: string | undefined;
}

export const SDP_CONTENT_TYPE = 'application/sdp';

export class MsrpSessionDescriptionHandler implements SessionDescriptionHandler {
  constructor(private readonly context: ChatDescriptionContext) {}

  close(): void {
    // nothing to release: the MSRP connection belongs to the host
  }

  async getDescription(): Promise<BodyAndContentType> {
    const source = this.context.local;
    if (source === undefined) throw new Error('no local chat description');
    const input = typeof source === 'function' ? await source() : source;
    const body = buildChatSdp(input);
    this.context.localSdp = body;
    return { body, contentType: SDP_CONTENT_TYPE };
  }

  hasDescription(contentType: string): boolean {
    return contentType.split(';')[0]?.trim().toLowerCase() === SDP_CONTENT_TYPE;
  }

  setDescription(sdp: string): Promise<void> {
    try {
      this.context.remote = parseChatSdp(sdp);
      this.context.remoteSdp = sdp;
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('bad SDP'));
    }
  }

  sendDtmf(): boolean {
    return false;
  }
}

/** A SIP.js sessionDescriptionHandlerFactory over a per-session context table. */
export function chatDescriptionHandlerFactory(contexts: WeakMap<Session, ChatDescriptionContext>) {
  return (session: Session): SessionDescriptionHandler => {
    let context = contexts.get(session);
    if (context === undefined) {
      context = { local: undefined, localSdp: undefined, remote: undefined, remoteSdp: undefined };
      contexts.set(session, context);
    }
    return new MsrpSessionDescriptionHandler(context);
  };
}
