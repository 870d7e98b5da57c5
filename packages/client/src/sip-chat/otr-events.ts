/**
 * The OTR events a chat stream passes through (`{ kind: 'otr' }`), as the
 * driver protocol tells them (shared/interop/DRIVER.md, "Events"), the
 * same sentences ChatHost uses on the echo network.
 */
import { toHex, type OtrEvent } from '@sotto/otr';
import { problemText } from '../session/chat-host.js';
import type { SipChatEvent } from './engine-api.js';

/** What the mapping needs from the engine. */
export interface OtrEventSink {
  emit(event: SipChatEvent): void;
  /** An error about the peer, rate-limited (a peer sending garbage must not flood the user). */
  tellError(peer: string, message: string): void;
  /** SMP succeeded: verify the fingerprint of the current session and tell `trusted`. */
  smpSucceeded(peer: string): void;
  log(line: string): void;
}

/** Tells one OTR event (profile-refreshed is the engine's, not here). */
export function tellOtrEvent(sink: OtrEventSink, event: Exclude<OtrEvent, { kind: 'profile-refreshed' }>): void {
  const peer = event.peer;
  switch (event.kind) {
    case 'secure':
    case 'insecure':
    case 'finished':
      return; // the stream tells these as otr-state
    case 'smp-request':
      sink.emit({ event: 'smp-request', peer, question: event.question });
      return;
    case 'smp-result':
      sink.emit({ event: 'smp-result', peer, success: event.success });
      if (event.success) sink.smpSucceeded(peer);
      return;
    case 'smp-aborted':
      sink.emit({ event: 'smp-aborted', peer });
      return;
    case 'extra-key': {
      const key = toHex(event.key.expose());
      event.key.wipe();
      sink.emit({ event: 'symkey', peer, use: event.use, usedata: toHex(event.useData), key });
      return;
    }
    case 'not-sent':
      if (event.reason === 'unknown-instance') sink.emit({ event: 'error', peer, message: `the message to ${peer} was not sent: that instance is gone` });
      else sink.emit({ event: 'not-sent', to: peer, reason: event.reason });
      return;
    case 'refused':
      switch (event.call) {
        case 'endOtr':
          sink.emit({ event: 'error', peer, message: `there is no private conversation with ${peer} to end` });
          return;
        case 'startSmp':
          sink.emit({ event: 'smp-aborted', peer });
          return;
        case 'answerSmp':
          sink.emit({ event: 'error', peer, message: `${peer} has not asked to authenticate; there is nothing to answer` });
          return;
        case 'useExtraSymmetricKey':
          sink.emit({ event: 'error', peer, message: event.reason === 'needs-version-3' ? 'the extra symmetric key needs OTR version 3 or 4' : 'the extra symmetric key needs a private conversation' });
          return;
      }
      return;
    case 'peer-error':
      sink.emit({ event: 'error', peer, message: problemText(event) });
      return;
    case 'protocol-error':
      sink.log(`protocol error from ${peer}: ${event.reason} (${event.detail})`);
      sink.tellError(peer, problemText(event));
      return;
    case 'dropped': {
      sink.log(`dropped a message from ${peer}: ${event.reason} (${event.detail})`);
      const text = problemText(event);
      if (text !== undefined) sink.tellError(peer, text);
      return;
    }
  }
}
