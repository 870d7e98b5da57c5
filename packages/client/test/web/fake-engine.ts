/**
 * A test double of the SIP chat engine: it records the commands it gets,
 * keeps sessions the tests set, answers some commands as the engine would
 * (secure after startOtr, trusted after trust), and emits what the tests tell
 * it to.
 */
import type { HistoryMessage, HistoryPage } from '@sotto/store';
import type { LockState, SipChatEngine, SipChatEvent, SipSessionInfo } from '../../src/sip-chat/engine-api.js';

export const OUR_V3 = '0123456789abcdef0123456789abcdef01234567';
export const OUR_V4 = 'ab'.repeat(56);
export const THEIR_V3 = 'fedcba9876543210fedcba9876543210fedcba98';
export const THEIR_NEW_V3 = '1111222233334444555566667777888899990000';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class FakeEngine implements SipChatEngine {
  readonly address = 'sip:alice@example.org';
  readonly fingerprints = { '3': OUR_V3, '4': OUR_V4 };
  readonly calls: [string, ...unknown[]][] = [];
  readonly #sessions = new Map<string, Mutable<SipSessionInfo>>();
  readonly #listeners = new Set<(event: SipChatEvent) => void>();
  readonly recorded: HistoryMessage[] = [];
  logging = true;
  #ids = 0;

  subscribe = (listener: (event: SipChatEvent) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  emit(event: SipChatEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** Sets (or adds) a session. */
  session(peer: string, change: Partial<SipSessionInfo> = {}): void {
    const current = this.#sessions.get(peer) ?? { peer, direction: 'out', state: 'active', focus: false, cpim: true, lock: 'none', composing: 'idle', alwaysOtr: false };
    this.#sessions.set(peer, { ...current, ...change });
  }

  lock(peer: string, lock: LockState, theirFingerprint?: string): void {
    this.session(peer, { lock, ...(theirFingerprint === undefined ? {} : { theirFingerprint, otrVersion: 3 }) });
    this.emit({ event: 'x-lock', peer, lock });
  }

  record(peer: string, direction: 'in' | 'out', text: string, status: 'plaintext' | 'encrypted-unverified' | 'encrypted-verified'): void {
    this.recorded.push({
      id: this.recorded.length + 1,
      account: this.address,
      peer,
      direction,
      time: new Date(Date.UTC(2026, 0, 2, 10, this.recorded.length)),
      contentType: 'text/plain',
      text,
      delivery: direction === 'out' ? 'delivered' : 'not-requested',
      encryption: status === 'plaintext' ? { status } : { status, fingerprint: THEIR_V3, otrVersion: 3 },
      truncated: false,
    });
  }

  call(peer: string): void {
    this.calls.push(['call', peer]);
    this.session(peer, { state: 'calling' });
  }
  accept(peer: string): void {
    this.calls.push(['accept', peer]);
  }
  reject(peer: string): void {
    this.calls.push(['reject', peer]);
  }
  hangup(peer: string): void {
    this.calls.push(['hangup', peer]);
  }
  send(peer: string, text: string): string | undefined {
    this.calls.push(['send', peer, text]);
    this.#ids += 1;
    const id = `m${String(this.#ids)}`;
    const encrypted = (this.#sessions.get(peer)?.lock ?? 'none') !== 'none';
    this.emit({ event: 'x-sent', peer, id, text, encrypted });
    return id;
  }
  composing(peer: string, state: 'active' | 'idle'): void {
    this.calls.push(['composing', peer, state]);
  }
  startOtr(peer: string): void {
    this.calls.push(['startOtr', peer]);
    this.session(peer, { lock: 'unverified', otrVersion: 3, theirFingerprint: THEIR_V3 });
    this.emit({ event: 'secure', peer, version: 3, fingerprint: THEIR_V3, ssid: '0011223344556677', trusted: false });
  }
  endOtr(peer: string): void {
    this.calls.push(['endOtr', peer]);
  }
  startSmp(peer: string, secret: string, question?: string): void {
    this.calls.push(['startSmp', peer, secret, question]);
  }
  answerSmp(peer: string, secret: string): void {
    this.calls.push(['answerSmp', peer, secret]);
  }
  abortSmp(peer: string): void {
    this.calls.push(['abortSmp', peer]);
  }
  trust(peer: string): void {
    this.calls.push(['trust', peer]);
    const fingerprint = this.#sessions.get(peer)?.theirFingerprint ?? THEIR_V3;
    this.session(peer, { lock: 'verified' });
    this.emit({ event: 'trusted', peer, fingerprint });
  }
  symkey(peer: string): void {
    this.calls.push(['symkey', peer]);
  }
  setAlwaysOtr(peer: string, on: boolean): Promise<void> {
    this.calls.push(['setAlwaysOtr', peer, on]);
    this.session(peer, { alwaysOtr: on });
    return Promise.resolve();
  }
  sessions(): readonly SipSessionInfo[] {
    return [...this.#sessions.values()];
  }
  history(peer: string, options?: { readonly search?: string; readonly limit?: number }): HistoryPage | 'logging-off' {
    this.calls.push(['history', peer, options?.search]);
    if (!this.logging) return 'logging-off';
    const search = options?.search;
    const messages = this.recorded.filter((message) => message.peer === peer && (search === undefined || message.text.includes(search)));
    return { messages, hasOlder: false };
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}
