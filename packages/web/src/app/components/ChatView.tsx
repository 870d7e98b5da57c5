/** One conversation: the toolbar (lock and Encryption menu, history, hang up), the messages with their locks, delivery and time, is-composing, and the input. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountInfo, Conversation } from '../../protocol/index.js';
import { MAX_TEXT_LENGTH } from '../../protocol/index.js';
import { command } from '../connection.js';
import { DELIVERY_WORDS, MESSAGE_LOCK_WORDS, dateTime, time } from '../format.js';
import { EncryptionMenu } from './EncryptionMenu.js';
import { HistoryWindow } from './HistoryWindow.js';
import { LockIcon } from './LockIcon.js';
import { SmpWindow } from './SmpWindow.js';

/** Idle after this long without typing (RFC 3994's refresh is longer; this is the page's own). */
const COMPOSING_IDLE_MS = 5000;

export function ChatView({ conversation, account }: { conversation: Conversation; account: AccountInfo }) {
  const [text, setText] = useState('');
  const [smpOpen, setSmpOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const composing = useRef<{ active: boolean; timer: number | undefined }>({ active: false, timer: undefined });
  const list = useRef<HTMLDivElement>(null);
  const peer = conversation.peer;
  const asked = conversation.smp.phase === 'asked';

  useEffect(() => {
    if (asked) setSmpOpen(true);
  }, [asked]);
  useEffect(() => {
    const element = list.current;
    if (element !== null) element.scrollTop = element.scrollHeight;
  }, [conversation.messages.length]);

  const setComposing = (active: boolean): void => {
    const state = composing.current;
    window.clearTimeout(state.timer);
    if (active) state.timer = window.setTimeout(() => setComposing(false), COMPOSING_IDLE_MS);
    if (state.active === active) return;
    state.active = active;
    if (conversation.session === 'active') void command({ type: 'composing', peer, active });
  };
  const submit = (): void => {
    if (text.trim() === '') return;
    void command({ type: 'send', peer, text });
    setText('');
    setComposing(false);
  };

  return (
    <section class="chat" aria-label={`Chat with ${peer}`}>
      <div class="toolbar" role="toolbar" aria-label="Chat">
        <EncryptionMenu conversation={conversation} account={account} onVerify={() => setSmpOpen(true)} />
        <span class="session-state">{sessionWords(conversation.session, conversation.direction)}</span>
        <span class="spacer" />
        <button type="button" onClick={() => setHistoryOpen(true)}>
          History
        </button>
        {conversation.session === 'incoming' ? (
          <>
            <button type="button" class="primary" onClick={() => void command({ type: 'accept', peer })}>
              Accept
            </button>
            <button type="button" onClick={() => void command({ type: 'reject', peer })}>
              Reject
            </button>
          </>
        ) : conversation.session === 'ended' ? (
          <>
            <button type="button" class="primary" onClick={() => void command({ type: 'call', peer })}>
              Call again
            </button>
            <button type="button" onClick={() => void command({ type: 'close', peer })}>
              Close tab
            </button>
          </>
        ) : (
          <button type="button" onClick={() => void command({ type: 'hangup', peer })}>
            Hang up
          </button>
        )}
      </div>
      <div class="messages" ref={list} role="log" aria-label="Messages" aria-live="polite" tabIndex={0}>
        {conversation.messages.map((message) =>
          message.direction === 'system' ? (
            <div key={message.id} class={`message message-system${message.warning ? ' warning' : ''}`} data-id={message.id}>
              <span class="text">{message.text}</span>
              <time class="time" title={dateTime(message.time)}>
                {time(message.time)}
              </time>
            </div>
          ) : (
            <div key={message.id} class={`message message-${message.direction}`} data-id={message.id} data-lock={message.lock}>
              <LockIcon lock={message.lock} label={MESSAGE_LOCK_WORDS[message.lock]} />
              <span class="who">{message.direction === 'in' ? peer : 'me'}</span>
              <span class="text">{message.text}</span>
              <span class="meta">
                {DELIVERY_WORDS[message.delivery] === '' ? null : <span class={`delivery delivery-${message.delivery}`}>{DELIVERY_WORDS[message.delivery]}</span>}
                <time class="time" title={dateTime(message.time)}>
                  {time(message.time)}
                </time>
              </span>
            </div>
          ),
        )}
      </div>
      <div class="composing" aria-live="polite">
        {conversation.composing ? `${peer} is typing…` : ''}
      </div>
      <form
        class="compose"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label class="visually-hidden" for="message-input">
          Message to {peer}
        </label>
        <textarea
          id="message-input"
          rows={2}
          maxLength={MAX_TEXT_LENGTH}
          value={text}
          disabled={conversation.session !== 'active'}
          placeholder={conversation.session === 'active' ? 'Write a message (Enter sends, Shift+Enter for a new line)' : 'No chat session'}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setComposing(event.currentTarget.value !== '');
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <button type="submit" class="primary" disabled={conversation.session !== 'active'}>
          Send
        </button>
      </form>
      {smpOpen ? <SmpWindow conversation={conversation} account={account} onClose={() => setSmpOpen(false)} /> : null}
      {historyOpen ? <HistoryWindow peer={peer} onClose={() => setHistoryOpen(false)} /> : null}
    </section>
  );
}

function sessionWords(state: Conversation['session'], direction: 'in' | 'out'): string {
  switch (state) {
    case 'incoming':
      return 'wants to chat';
    case 'calling':
      return 'calling…';
    case 'connecting':
      return 'connecting…';
    case 'active':
      return direction === 'in' ? 'connected (they called)' : 'connected';
    case 'ended':
      return 'session ended';
  }
}
