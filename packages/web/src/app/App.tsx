/** The page: accounts and registration, conversations as tabs with unread counts, the chat, settings, and the alerts. */
import { useEffect, useState } from 'preact/hooks';
import { MAX_ADDRESS_LENGTH } from '../protocol/index.js';
import { raiseAlert } from './alerts.js';
import { command, listen } from './connection.js';
import { apply, type PageState } from './state.js';
import { ChatView } from './components/ChatView.js';
import { LockIcon } from './components/LockIcon.js';
import { SettingsWindow } from './components/SettingsWindow.js';
import { LOCK_WORDS } from './format.js';

const SELECTED_KEY = 'sotto-selected';

export function App() {
  const [state, setState] = useState<PageState>({ app: null, notice: null });
  const [connected, setConnected] = useState(false);
  const [selected, setSelected] = useState<string | null>(() => window.sessionStorage.getItem(SELECTED_KEY));
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [address, setAddress] = useState('');

  useEffect(
    () =>
      listen(
        (message) => {
          if (message.type === 'alert') raiseAlert(message.id, message.text);
          setState((current) => apply(current, message));
        },
        (isConnected, problem) => {
          setConnected(isConnected);
          if (problem !== undefined) setState((current) => ({ ...current, notice: problem }));
        },
      ),
    [],
  );

  const app = state.app;
  const conversations = app?.conversations ?? [];
  const current = conversations.find((c) => c.peer === selected) ?? conversations[0];
  useEffect(() => {
    if (current !== undefined) window.sessionStorage.setItem(SELECTED_KEY, current.peer);
  }, [current?.peer]);
  // The conversation shown is read (when the page is visible).
  useEffect(() => {
    if (current !== undefined && current.unread > 0 && document.visibilityState === 'visible') void command({ type: 'read', peer: current.peer });
  }, [current?.peer, current?.unread]);

  if (app === null) {
    return <main class="loading">{connected ? 'Loading…' : 'Connecting to sotto…'}</main>;
  }
  const select = (peer: string): void => setSelected(peer);
  const onTabKey = (event: KeyboardEvent, index: number): void => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0 || conversations.length === 0) return;
    event.preventDefault();
    const next = conversations[(index + step + conversations.length) % conversations.length];
    if (next === undefined) return;
    select(next.peer);
    document.getElementById(`tab-${String((index + step + conversations.length) % conversations.length)}`)?.focus();
  };

  return (
    <div class="app">
      <header class="topbar">
        <h1>sotto</h1>
        <div class="account" aria-label="Account">
          <label>
            <span class="visually-hidden">Account</span>
            <select disabled={app.accounts.length <= 1} value={app.account.address} title="Accounts (another account: start sotto web --account)">
              {app.accounts.map((entry) => (
                <option key={entry} value={entry}>
                  {entry}
                </option>
              ))}
            </select>
          </label>
          <span class={`registration registration-${app.account.registration}`} role="status">
            {app.account.registration}
            {app.account.reason === null ? '' : `: ${app.account.reason}`}
          </span>
          {connected ? null : <span class="registration registration-failed">server unreachable</span>}
        </div>
        <span class="spacer" />
        <form
          class="new-chat"
          onSubmit={(event) => {
            event.preventDefault();
            const peer = address.trim();
            if (peer === '') return;
            void command({ type: 'call', peer }).then((reply) => {
              if (reply.ok) {
                select(peer);
                setAddress('');
              } else setState((s) => ({ ...s, notice: reply.message }));
            });
          }}
        >
          <label>
            <span class="visually-hidden">Address to chat with</span>
            <input type="text" placeholder="sip:friend@example.org" maxLength={MAX_ADDRESS_LENGTH} value={address} onInput={(event) => setAddress(event.currentTarget.value)} />
          </label>
          <button type="submit">Chat</button>
        </form>
        <button type="button" onClick={() => setSettingsOpen(true)}>
          Settings
        </button>
      </header>
      {state.notice === null ? null : (
        <div class="notice" role="status">
          <span>{state.notice}</span>
          <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => setState((s) => ({ ...s, notice: null }))}>
            ✕
          </button>
        </div>
      )}
      <nav class="tabs" role="tablist" aria-label="Conversations">
        {conversations.map((c, index) => (
          <button
            key={c.peer}
            id={`tab-${String(index)}`}
            type="button"
            role="tab"
            class="tab"
            aria-selected={c === current}
            aria-controls="chat-panel"
            tabIndex={c === current ? 0 : -1}
            onClick={() => select(c.peer)}
            onKeyDown={(event) => onTabKey(event, index)}
          >
            <LockIcon lock={c.lock} label={LOCK_WORDS[c.lock]} />
            <span class="tab-peer">{c.peer}</span>
            {c.unread > 0 ? (
              <span class="unread" aria-label={`${String(c.unread)} unread`}>
                {c.unread}
              </span>
            ) : null}
          </button>
        ))}
      </nav>
      <main>
        <div id="chat-panel" class="panel" role="tabpanel">
          {current === undefined ? <p class="empty">No conversations. Enter an address above to start one.</p> : <ChatView key={current.peer} conversation={current} account={app.account} />}
        </div>
      </main>
      {settingsOpen ? <SettingsWindow app={app} onClose={() => setSettingsOpen(false)} /> : null}
    </div>
  );
}
