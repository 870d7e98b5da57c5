/** Trust for chat-host tests: storage that keeps nothing, so every fingerprint is new and unverified. */
import type { ChatHost } from '../../src/session/chat-host.js';
import type { DriverEvent } from '../../src/session/driver-events.js';
import { TrustBook, type TrustStorage } from '../../src/session/trust-book.js';

export const memoryTrust: TrustStorage = {
  fingerprints: () => [],
  recordSeen: () => Promise.resolve(),
  setTrust: () => Promise.resolve(),
};

/** A trust book over {@link memoryTrust} that reports nothing. */
export function memoryTrustBook(): TrustBook {
  return new TrustBook(memoryTrust, 'default', () => undefined);
}

/** A chat host and the events it emitted, in order. */
export interface HostSide {
  readonly host: ChatHost;
  readonly events: DriverEvent[];
}
