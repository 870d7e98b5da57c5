/** The history of one contact, with search (the engine's history; nothing when logging is off). */
import { useEffect, useState } from 'preact/hooks';
import type { HistoryResult } from '../../protocol/index.js';
import { MAX_SEARCH_LENGTH } from '../../protocol/index.js';
import { command } from '../connection.js';
import { DELIVERY_WORDS, MESSAGE_LOCK_WORDS, dateTime } from '../format.js';
import { LockIcon } from './LockIcon.js';
import { Modal } from './Modal.js';

export function HistoryWindow({ peer, onClose }: { peer: string; onClose: () => void }) {
  const [search, setSearch] = useState('');
  const [result, setResult] = useState<HistoryResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = async (text: string): Promise<void> => {
    const reply = await command({ type: 'history', peer, search: text === '' ? null : text });
    if (reply.ok) {
      setResult(reply.history ?? null);
      setProblem(null);
    } else setProblem(reply.message);
  };
  useEffect(() => void load(''), [peer]);
  return (
    <Modal title={`History with ${peer}`} onClose={onClose} class="history-window">
      <form
        role="search"
        class="search"
        onSubmit={(event) => {
          event.preventDefault();
          void load(search);
        }}
      >
        <label>
          Search
          <input type="search" maxLength={MAX_SEARCH_LENGTH} value={search} onInput={(event) => setSearch(event.currentTarget.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      {problem === null ? null : <p role="alert">{problem}</p>}
      {result === null ? null : !result.logging ? (
        <p class="hint">Logging is off: no message is recorded. Turn it on in Settings.</p>
      ) : result.entries.length === 0 ? (
        <p class="hint">{search === '' ? 'No recorded messages.' : 'No recorded message matches.'}</p>
      ) : (
        <ol class="history-list" aria-label="Recorded messages">
          {result.hasOlder ? <li class="hint">Older messages are not shown.</li> : null}
          {result.entries.map((entry, index) => (
            <li key={index} class={`history-entry message-${entry.direction}`}>
              <LockIcon lock={entry.lock} label={MESSAGE_LOCK_WORDS[entry.lock]} />
              <span class="who">{entry.direction === 'in' ? entry.peer : 'me'}</span>
              <span class="text">{entry.text}</span>
              <time class="time">{dateTime(entry.time)}</time>
              {DELIVERY_WORDS[entry.delivery] === '' ? null : <span class="delivery">{DELIVERY_WORDS[entry.delivery]}</span>}
            </li>
          ))}
        </ol>
      )}
    </Modal>
  );
}
