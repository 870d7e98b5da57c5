/**
 * What the page of `sotto web` shows, kept on the server so that a reload (or
 * a second tab) gets it all back: the account, the conversations with their
 * latest messages, locks, unread counts and SMP state. It follows the
 * engine's events, asks the engine for each session's facts after each one,
 * and publishes every change as a {@link ServerMessage}.
 *
 * Everything is bounded: messages per conversation, conversations, and the
 * length of each text kept.
 */
import {
  MAX_ADDRESS_LENGTH,
  MAX_CONVERSATIONS,
  MAX_MESSAGES_KEPT,
  MAX_QUESTION_LENGTH,
  MAX_TEXT_LENGTH,
  type AccountInfo,
  type AppState,
  type ChatMessage,
  type ConversationInfo,
  type Delivery,
  type Lock,
  type MessageLock,
  type OurFingerprints,
  type ServerMessage,
  type Settings,
  type Smp,
} from '@sotto/web/protocol';
import type { SipChatEngine, SipChatEvent } from '../sip-chat/engine-api.js';

/** What the model needs besides the engine. */
export interface WebModelOptions {
  readonly engine: SipChatEngine;
  readonly publish: (message: ServerMessage) => void;
  readonly clock: () => number;
  readonly accounts: () => readonly string[];
  readonly settings: () => Settings;
}

interface Entry {
  info: Omit<ConversationInfo, 'peer'>;
  readonly messages: ChatMessage[];
  /** Order of first appearance, to evict the oldest ended conversation first. */
  readonly created: number;
}

/** A text cut to what the page takes, with a mark when cut. */
function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const mark = ' [...]';
  let cut = text.slice(0, max - mark.length);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + mark;
}

export function ourFingerprints(engine: SipChatEngine): OurFingerprints {
  return { v3: engine.fingerprints['3'] ?? null, v4: engine.fingerprints['4'] ?? null };
}

export class WebModel {
  #account: AccountInfo;
  readonly #entries = new Map<string, Entry>();
  readonly #options: WebModelOptions;
  #sequence = 0;

  constructor(options: WebModelOptions) {
    this.#options = options;
    this.#account = { address: options.engine.address, registration: 'registering', reason: null, fingerprints: ourFingerprints(options.engine) };
    for (const session of options.engine.sessions()) this.#refresh(session.peer);
  }

  /** Everything, for a page that (re)connects. */
  snapshot(): AppState {
    return {
      account: this.#account,
      accounts: this.#options.accounts(),
      settings: this.#options.settings(),
      conversations: [...this.#entries].map(([peer, entry]) => ({ peer, ...entry.info, messages: [...entry.messages] })),
    };
  }

  /** Our fingerprints changed (a regenerated key). */
  setFingerprints(fingerprints: OurFingerprints): void {
    this.#account = { ...this.#account, fingerprints };
    this.#options.publish({ type: 'account', account: this.#account });
  }

  settingsChanged(): void {
    this.#options.publish({ type: 'settings', settings: this.#options.settings() });
  }

  /** The page shows this conversation: its unread count goes to zero. */
  markRead(peer: string): void {
    this.#update(peer, { unread: 0 }, false);
  }

  /** Removes an ended conversation's tab (its history stays recorded). */
  close(peer: string): boolean {
    const entry = this.#entries.get(peer);
    if (entry === undefined || entry.info.session !== 'ended') return false;
    this.#entries.delete(peer);
    this.#options.publish({ type: 'state', state: this.snapshot() });
    return true;
  }

  /** The page opened a conversation (an outgoing call). */
  opened(peer: string): void {
    this.#entry(peer, 'out');
    this.#refresh(peer);
  }

  /** We sent `text` as `id`; its lock follows the conversation's until the engine says how it went out. */
  sent(peer: string, id: string, text: string): void {
    const entry = this.#entry(peer, 'out');
    const existing = entry.messages.find((message) => message.id === id);
    if (existing !== undefined) return;
    this.#push(peer, entry, { id, direction: 'out', text: bounded(text, MAX_TEXT_LENGTH), time: this.#options.clock(), lock: this.#messageLock(entry, entry.info.lock !== 'none'), delivery: 'pending', warning: false });
  }

  smp(peer: string, smp: Smp): void {
    if (this.#entries.has(peer)) this.#update(peer, { smp }, false);
  }

  /** One engine event. */
  onEvent(event: SipChatEvent): void {
    switch (event.event) {
      case 'ready':
        this.#account = { ...this.#account, fingerprints: { v3: event.fingerprints['3'] ?? null, v4: event.fingerprints['4'] ?? null } };
        this.#options.publish({ type: 'account', account: this.#account });
        return;
      case 'x-registration':
        this.#account = { ...this.#account, registration: event.state, reason: event.reason === undefined ? null : bounded(event.reason, MAX_QUESTION_LENGTH) };
        this.#options.publish({ type: 'account', account: this.#account });
        return;
      case 'symkey':
        return;
      case 'error':
      case 'x-notice': {
        const text = event.event === 'error' ? event.message : event.text;
        if (event.peer === null || !this.#fits(event.peer)) this.#options.publish({ type: 'notice', text: bounded(text, MAX_QUESTION_LENGTH) });
        else this.#system(event.peer, text, event.event === 'error');
        return;
      }
      case 'not-sent':
        if (!this.#fits(event.to)) return;
        this.#system(event.to, event.reason === 'finished' ? 'Not sent: your contact ended the encryption. End it too, or start it again.' : 'Not sent: this contact needs encryption; it is being started.', true);
        this.#refresh(event.to);
        return;
      case 'message': {
        if (!this.#fits(event.from)) return;
        const entry = this.#entry(event.from, 'in');
        this.#refresh(event.from);
        this.#push(event.from, entry, {
          id: this.#nextId('in'),
          direction: 'in',
          text: bounded(event.text, MAX_TEXT_LENGTH),
          time: this.#options.clock(),
          lock: this.#messageLock(entry, event.encrypted),
          delivery: 'not-requested',
          warning: false,
        });
        this.#update(event.from, { unread: entry.info.unread + 1, composing: false }, false);
        return;
      }
      default:
        break;
    }
    const peer = 'peer' in event ? event.peer : undefined;
    if (peer === undefined || !this.#fits(peer)) return;
    const entry = this.#entry(peer, event.event === 'incoming' ? 'in' : 'out');
    switch (event.event) {
      case 'incoming':
        this.#update(peer, { session: 'incoming', direction: 'in', focus: event.focus, unread: entry.info.unread + 1 }, false);
        this.#system(peer, `${peer} wants to chat.`, false);
        break;
      case 'session-started':
        this.#update(peer, { session: 'active' }, false);
        this.#system(peer, 'Chat session started.', false);
        break;
      case 'session-ended':
        this.#update(peer, { session: 'ended', lock: 'none', composing: false, otrVersion: null, smp: { phase: 'idle' } }, false);
        this.#system(peer, `Chat session ended (${event.by === 'local' ? 'by you' : event.by === 'remote' ? 'by your contact' : 'error'}${event.reason === '' ? '' : `: ${bounded(event.reason, 200)}`}).`, event.by === 'error');
        return;
      case 'secure':
        this.#update(peer, { lock: event.trusted ? 'verified' : 'unverified', otrVersion: event.version, theirFingerprint: event.fingerprint }, false);
        this.#system(peer, `Encrypted with OTR version ${String(event.version)}; ${event.trusted ? 'the fingerprint is verified' : 'the fingerprint is not verified yet'}.`, false);
        break;
      case 'fingerprint-changed': {
        if (event.crossVersion === true) {
          this.#system(peer, 'Your contact now uses another OTR version, with a key you have not verified yet.', false);
          break;
        }
        this.#update(peer, { lock: 'fingerprint-changed', theirFingerprint: event.fingerprint }, false);
        const text = `Warning: the fingerprint of ${peer} has changed. Someone may be impersonating your contact. Verify the new fingerprint before trusting this conversation.`;
        this.#system(peer, text, true);
        this.#options.publish({ type: 'alert', id: this.#nextId('alert'), peer, text: bounded(text, MAX_QUESTION_LENGTH) });
        break;
      }
      case 'insecure':
        this.#update(peer, { lock: 'none', otrVersion: null }, false);
        this.#system(peer, 'Encryption ended: messages are now sent in the clear.', false);
        break;
      case 'finished':
        this.#system(peer, 'Your contact ended the encryption: stop it too, or start it again, before writing.', true);
        break;
      case 'smp-request':
        this.#update(peer, { smp: { phase: 'asked', question: event.question === null ? null : bounded(event.question, MAX_QUESTION_LENGTH) } }, false);
        this.#system(peer, 'Your contact asks you to verify your identities.', false);
        break;
      case 'smp-result':
        this.#update(peer, { smp: { phase: event.success ? 'succeeded' : 'failed' } }, false);
        this.#system(peer, event.success ? 'Identity verification succeeded.' : 'Identity verification failed: the secrets were not the same.', !event.success);
        break;
      case 'smp-aborted':
        this.#update(peer, { smp: { phase: 'aborted' } }, false);
        this.#system(peer, 'Identity verification was cancelled.', false);
        break;
      case 'trusted':
        this.#update(peer, { lock: 'verified', theirFingerprint: event.fingerprint }, false);
        this.#system(peer, 'Fingerprint verified.', false);
        break;
      case 'x-lock':
        this.#update(peer, { lock: event.lock }, false);
        break;
      case 'x-sent': {
        const existing = entry.messages.find((message) => message.id === event.id);
        const lock = this.#messageLock(entry, event.encrypted);
        if (existing === undefined) {
          this.#push(peer, entry, { id: event.id, direction: 'out', text: bounded(event.text, MAX_TEXT_LENGTH), time: this.#options.clock(), lock, delivery: 'pending', warning: false });
        } else {
          this.#replace(peer, entry, { ...existing, lock, delivery: existing.delivery === 'held' ? 'pending' : existing.delivery });
        }
        break;
      }
      case 'x-held':
        this.#delivery(peer, entry, event.id, 'held');
        break;
      case 'delivered':
        this.#delivery(peer, entry, event.id, 'delivered');
        break;
      case 'not-delivered':
        this.#delivery(peer, entry, event.id, 'failed');
        break;
      case 'composing':
        this.#update(peer, { composing: event.state === 'active' }, false);
        return;
    }
    this.#refresh(peer);
  }

  #fits(peer: string): boolean {
    return peer !== '' && peer.length <= MAX_ADDRESS_LENGTH;
  }

  #nextId(prefix: string): string {
    this.#sequence += 1;
    return `${prefix}-${String(this.#sequence)}`;
  }

  #messageLock(entry: Entry, encrypted: boolean): MessageLock {
    if (!encrypted) return 'plaintext';
    return entry.info.lock === 'verified' ? 'encrypted-verified' : 'encrypted-unverified';
  }

  #entry(peer: string, direction: 'in' | 'out'): Entry {
    let entry = this.#entries.get(peer);
    if (entry === undefined) {
      if (this.#entries.size >= MAX_CONVERSATIONS) this.#evict();
      entry = {
        info: { session: 'ended', direction, focus: false, lock: 'none', otrVersion: null, theirFingerprint: null, composing: false, alwaysOtr: false, unread: 0, smp: { phase: 'idle' } },
        messages: [],
        created: this.#sequence++,
      };
      this.#entries.set(peer, entry);
    }
    return entry;
  }

  /** Drops the oldest ended conversation (or the oldest at all): the page gets the whole state again. */
  #evict(): void {
    const all = [...this.#entries];
    const victim = all.find(([, entry]) => entry.info.session === 'ended') ?? all[0];
    if (victim !== undefined) this.#entries.delete(victim[0]);
    this.#options.publish({ type: 'state', state: this.snapshot() });
  }

  /** Takes the session's facts from the engine (a session it no longer has has ended). */
  #refresh(peer: string): void {
    const session = this.#options.engine.sessions().find((candidate) => candidate.peer === peer);
    const entry = this.#entries.get(peer) ?? (session === undefined ? undefined : this.#entry(peer, session.direction));
    if (entry === undefined) return;
    if (session === undefined) {
      if (entry.info.session !== 'ended' && entry.info.session !== 'calling') this.#update(peer, { session: 'ended', composing: false }, true);
      return;
    }
    const lock: Lock = session.lock;
    this.#update(
      peer,
      {
        session: session.state,
        direction: session.direction,
        focus: session.focus,
        lock,
        otrVersion: session.otrVersion ?? (lock === 'none' ? null : entry.info.otrVersion),
        theirFingerprint: session.theirFingerprint ?? entry.info.theirFingerprint,
        composing: session.composing === 'active',
        alwaysOtr: session.alwaysOtr,
      },
      true,
    );
  }

  #update(peer: string, change: Partial<Omit<ConversationInfo, 'peer'>>, onlyIfChanged: boolean): void {
    const entry = this.#entries.get(peer);
    if (entry === undefined) return;
    const next = { ...entry.info, ...change };
    if (onlyIfChanged && JSON.stringify(next) === JSON.stringify(entry.info)) return;
    entry.info = next;
    this.#options.publish({ type: 'conversation', conversation: { peer, ...next } });
  }

  #system(peer: string, text: string, warning: boolean): void {
    const entry = this.#entry(peer, 'in');
    this.#push(peer, entry, { id: this.#nextId('system'), direction: 'system', text: bounded(text, MAX_QUESTION_LENGTH), time: this.#options.clock(), lock: 'plaintext', delivery: 'not-requested', warning });
  }

  #push(peer: string, entry: Entry, message: ChatMessage): void {
    entry.messages.push(message);
    if (entry.messages.length > MAX_MESSAGES_KEPT) entry.messages.splice(0, entry.messages.length - MAX_MESSAGES_KEPT);
    this.#options.publish({ type: 'message', peer, message });
  }

  #replace(peer: string, entry: Entry, message: ChatMessage): void {
    const index = entry.messages.findIndex((candidate) => candidate.id === message.id);
    if (index < 0) return;
    entry.messages[index] = message;
    this.#options.publish({ type: 'message', peer, message });
  }

  #delivery(peer: string, entry: Entry, id: string, delivery: Delivery): void {
    const message = entry.messages.find((candidate) => candidate.id === id);
    if (message !== undefined && message.delivery !== delivery) this.#replace(peer, entry, { ...message, delivery });
  }
}
