/**
 * The toolbar's lock and its Encryption menu (Blink's): start or stop OTR,
 * our fingerprint and theirs in groups, "always use OTR" for this contact,
 * verify (the SMP window).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountInfo, ConversationInfo } from '../../protocol/index.js';
import { command } from '../connection.js';
import { LOCK_WORDS } from '../format.js';
import { Fingerprint } from './Fingerprint.js';
import { LockIcon } from './LockIcon.js';

export function EncryptionMenu({ conversation, account, onVerify }: { conversation: ConversationInfo; account: AccountInfo; onVerify: () => void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const peer = conversation.peer;
  const encrypted = conversation.lock !== 'none';
  const usable = conversation.session === 'active' && !conversation.focus;
  const close = (): void => {
    setOpen(false);
    button.current?.focus();
  };
  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>('button, input')?.focus();
  }, [open]);
  const ours = conversation.otrVersion === 4 ? account.fingerprints.v4 : (account.fingerprints.v3 ?? account.fingerprints.v4);
  return (
    <div class="encryption">
      <button
        ref={button}
        type="button"
        class={`lock-button lock-state-${conversation.lock}`}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls="encryption-menu"
        onClick={() => setOpen(!open)}
      >
        <LockIcon lock={conversation.lock} label={LOCK_WORDS[conversation.lock]} />
        <span class="lock-text">{LOCK_WORDS[conversation.lock]}</span>
      </button>
      {open ? (
        <div
          id="encryption-menu"
          ref={panel}
          class="menu"
          role="group"
          aria-label="Encryption"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              close();
            }
          }}
        >
          <h3>Encryption</h3>
          {conversation.focus ? <p class="hint">This is a conference: OTR is not available.</p> : null}
          <div class="menu-actions">
            {encrypted ? (
              <button type="button" disabled={!usable} onClick={() => void command({ type: 'end-otr', peer }).then(close)}>
                Stop OTR encryption
              </button>
            ) : (
              <button type="button" disabled={!usable} onClick={() => void command({ type: 'start-otr', peer }).then(close)}>
                Start OTR encryption
              </button>
            )}
            <button
              type="button"
              disabled={!usable || !encrypted}
              onClick={() => {
                setOpen(false);
                onVerify();
              }}
            >
              Verify identity…
            </button>
          </div>
          <label class="check">
            <input type="checkbox" checked={conversation.alwaysOtr} onChange={(event) => void command({ type: 'always-otr', peer, on: event.currentTarget.checked })} />
            Always use OTR with this contact
          </label>
          <Fingerprint label={`Your fingerprint${conversation.otrVersion === null ? '' : ` (OTR version ${String(conversation.otrVersion)})`}`} hex={ours} />
          <Fingerprint label={`Fingerprint of ${peer}`} hex={conversation.theirFingerprint} />
          {conversation.otrVersion === null && account.fingerprints.v4 !== null && account.fingerprints.v3 !== null ? (
            <Fingerprint label="Your OTRv4 fingerprint" hex={account.fingerprints.v4} />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
