/**
 * Blink's SMP window: verify the contact's identity by a question and its
 * answer, a shared secret, or by comparing fingerprints by hand; answer a
 * question the contact asked; progress, then success or failure.
 */
import { useState } from 'preact/hooks';
import type { AccountInfo, ConversationInfo } from '../../protocol/index.js';
import { MAX_QUESTION_LENGTH, MAX_SECRET_LENGTH } from '../../protocol/index.js';
import { command } from '../connection.js';
import { Fingerprint } from './Fingerprint.js';
import { Modal } from './Modal.js';

type Method = 'question' | 'secret' | 'manual';

export function SmpWindow({ conversation, account, onClose }: { conversation: ConversationInfo; account: AccountInfo; onClose: () => void }) {
  const [method, setMethod] = useState<Method>('question');
  const [question, setQuestion] = useState('');
  const [secret, setSecret] = useState('');
  const peer = conversation.peer;
  const smp = conversation.smp;
  const ours = conversation.otrVersion === 4 ? account.fingerprints.v4 : account.fingerprints.v3;
  const cancel = (): void => {
    if (smp.phase === 'in-progress' || smp.phase === 'asked') void command({ type: 'smp-abort', peer });
    onClose();
  };

  let body;
  if (smp.phase === 'asked') {
    body = (
      <form
        class="smp-form"
        onSubmit={(event) => {
          event.preventDefault();
          void command({ type: 'smp-answer', peer, secret });
          setSecret('');
        }}
      >
        <p>{peer} wants to verify your identity.</p>
        {smp.question === null ? (
          <p>They ask for the secret you both know.</p>
        ) : (
          <div class="smp-question">
            <div class="label">Their question</div>
            <p class="question-text">{smp.question}</p>
          </div>
        )}
        <label>
          Answer
          <input type="password" autocomplete="off" required maxLength={MAX_SECRET_LENGTH} value={secret} onInput={(event) => setSecret(event.currentTarget.value)} />
        </label>
        <div class="buttons">
          <button type="button" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" class="primary">
            Answer
          </button>
        </div>
      </form>
    );
  } else if (smp.phase === 'in-progress') {
    body = (
      <div class="smp-progress" role="status">
        <p>Verifying… waiting for {peer}.</p>
        <progress aria-label="Verification in progress" />
        <div class="buttons">
          <button type="button" onClick={cancel}>
            Cancel verification
          </button>
        </div>
      </div>
    );
  } else {
    body = (
      <div>
        {smp.phase === 'succeeded' ? (
          <p class="result result-success" role="status">
            Verification succeeded: {peer} is verified.
          </p>
        ) : null}
        {smp.phase === 'failed' ? (
          <p class="result result-failure" role="alert">
            Verification failed: the answers were not the same. Your contact may not be who they claim, or one of you mistyped.
          </p>
        ) : null}
        {smp.phase === 'aborted' ? (
          <p class="result" role="status">
            Verification was cancelled.
          </p>
        ) : null}
        <fieldset class="methods">
          <legend>How do you want to verify {peer}?</legend>
          <label class="check">
            <input type="radio" name="method" checked={method === 'question'} onChange={() => setMethod('question')} /> Ask a question only they can answer
          </label>
          <label class="check">
            <input type="radio" name="method" checked={method === 'secret'} onChange={() => setMethod('secret')} /> Use a secret you both know
          </label>
          <label class="check">
            <input type="radio" name="method" checked={method === 'manual'} onChange={() => setMethod('manual')} /> Compare fingerprints
          </label>
        </fieldset>
        {method === 'manual' ? (
          <div class="manual">
            <p>Read both fingerprints to each other over another channel (a call, in person). Mark theirs verified only if every group matches.</p>
            <Fingerprint label="Your fingerprint" hex={ours} />
            <Fingerprint label={`Fingerprint of ${peer}`} hex={conversation.theirFingerprint} />
            <div class="buttons">
              <button
                type="button"
                class="primary"
                disabled={conversation.theirFingerprint === null}
                onClick={() => {
                  void command({ type: 'trust', peer });
                  onClose();
                }}
              >
                They match: mark verified
              </button>
            </div>
          </div>
        ) : (
          <form
            class="smp-form"
            onSubmit={(event) => {
              event.preventDefault();
              void command({ type: 'smp-start', peer, secret, question: method === 'question' && question !== '' ? question : null });
              setSecret('');
            }}
          >
            {method === 'question' ? (
              <label>
                Question
                <input type="text" required maxLength={MAX_QUESTION_LENGTH} value={question} onInput={(event) => setQuestion(event.currentTarget.value)} />
              </label>
            ) : null}
            <label>
              {method === 'question' ? 'Answer (they must give the same)' : 'Shared secret'}
              <input type="password" autocomplete="off" required maxLength={MAX_SECRET_LENGTH} value={secret} onInput={(event) => setSecret(event.currentTarget.value)} />
            </label>
            <div class="buttons">
              <button type="button" onClick={onClose}>
                Close
              </button>
              <button type="submit" class="primary">
                Verify
              </button>
            </div>
          </form>
        )}
      </div>
    );
  }
  return (
    <Modal title={`Verify ${peer}`} onClose={cancel} class="smp-window">
      {body}
    </Modal>
  );
}
