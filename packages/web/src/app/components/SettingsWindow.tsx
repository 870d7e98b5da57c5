/** Settings: the global logging switch, desktop notifications, our key and its regeneration (with its consequences). */
import { useState } from 'preact/hooks';
import type { AppState } from '../../protocol/index.js';
import { askNotifications, notificationsState } from '../alerts.js';
import { command } from '../connection.js';
import { Fingerprint } from './Fingerprint.js';
import { Modal } from './Modal.js';

export function SettingsWindow({ app, onClose }: { app: AppState; onClose: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [notifications, setNotifications] = useState(notificationsState());
  return (
    <Modal title="Settings" onClose={onClose} class="settings-window">
      <section>
        <h3>History</h3>
        <label class="check">
          <input type="checkbox" checked={app.settings.logging} onChange={(event) => void command({ type: 'logging', on: event.currentTarget.checked })} />
          Record messages (logging)
        </label>
        <p class="hint">
          {app.settings.logging
            ? 'Every message you send and receive is recorded on this computer with its encryption status.'
            : 'Nothing is recorded. What was recorded before stays until you delete it.'}
        </p>
      </section>
      <section>
        <h3>Alerts</h3>
        <p class="hint">A changed fingerprint is spoken aloud and, if you allow it, shown as a desktop notification.</p>
        {notifications === 'default' ? (
          <button type="button" onClick={() => void askNotifications().then(setNotifications)}>
            Allow desktop notifications
          </button>
        ) : (
          <p>Desktop notifications: {notifications === 'granted' ? 'allowed' : notifications === 'denied' ? 'blocked (change it in the browser)' : 'not available'}</p>
        )}
      </section>
      <section>
        <h3>Your key</h3>
        <Fingerprint label="Fingerprint (OTR versions 2 and 3)" hex={app.account.fingerprints.v3} />
        <Fingerprint label="Fingerprint (OTR version 4)" hex={app.account.fingerprints.v4} />
        {confirming ? (
          <div class="danger" role="alertdialog" aria-label="Regenerate your key?">
            <p>Regenerating your key means:</p>
            <ul>
              <li>every contact sees a new fingerprint, and their client warns them it changed;</li>
              <li>every contact who verified you must verify you again (a question, a shared secret, or comparing fingerprints);</li>
              <li>sotto web goes on using the old key, in every chat, until you restart it;</li>
              <li>the old key is kept in retired-keys.json, not used again.</li>
            </ul>
            <div class="buttons">
              <button type="button" onClick={() => setConfirming(false)}>
                Keep my key
              </button>
              <button
                type="button"
                class="destructive"
                onClick={() =>
                  void command({ type: 'regenerate-key', confirm: true }).then((reply) => {
                    setConfirming(false);
                    setStatus(reply.ok ? 'A new key was made. Restart sotto web to use it.' : `The key was not regenerated: ${reply.message}`);
                  })
                }
              >
                Regenerate my key
              </button>
            </div>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Regenerate key…
          </button>
        )}
        {status === null ? null : <p role="status">{status}</p>}
      </section>
    </Modal>
  );
}
