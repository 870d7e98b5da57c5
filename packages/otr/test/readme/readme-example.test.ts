/**
 * The example of packages/otr/README.md, type-checked by the package's tsc
 * and run here: the region between the markers is the README's code block,
 * character for character (readme-sync.test.ts keeps them equal). Imports
 * are hoisted, so console.log is captured before the example runs.
 */
import { expect, it, vi } from 'vitest';

const printed: string[] = [];
vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
  printed.push(parts.join(' '));
});

// #region readme-example
import { Account, DeadlineTimer, Policies, formatFingerprint, generateDsaKey, generateInstanceTag, type OtrEvent, type Outcome } from '@sotto/otr';

// An in-memory transport: what a client sends waits here until deliver() hands it over.
const wire: { from: string; to: string; text: string }[] = [];

/** One user's chat client: an OTR account, one timer for its deadlines, and its screen (the console). */
class Client {
  readonly account = new Account({
    privateKey: generateDsaKey(), // keep it: your identity
    instanceTag: generateInstanceTag(), // keep it too, with the key
    policy: Policies.OPPORTUNISTIC,
    maxMessageSize: 0, // or your transport's limit: ?OTR: messages are fragmented to fit
  });
  // One timer for the account's next deadline (heartbeats, AKE timeouts, expiry), re-armed after each outcome.
  readonly timer = new DeadlineTimer({
    nextDeadline: () => this.account.nextDeadline(),
    onDeadline: (now) => this.apply(this.account.onDeadline(now)),
    now: Date.now,
    setTimeout: (run, ms) => setTimeout(run, ms).unref(),
    clearTimeout,
  });
  secure = false;
  smpQuestion: string | null | undefined;

  constructor(readonly name: string) {}

  /** Acts on what a call returned, in order: send, show, react to events, then re-arm the timer. */
  apply(outcome: Outcome): void {
    for (const { to, text } of outcome.send) wire.push({ from: this.name, to, text });
    for (const message of outcome.show) {
      console.log(`${this.name} <- ${message.from}: ${message.text}${message.encrypted ? '' : ' (NOT encrypted)'}`);
    }
    for (const event of outcome.events) this.onEvent(event);
    this.timer.reschedule();
  }

  onEvent(event: OtrEvent): void {
    switch (event.kind) {
      case 'secure':
        // Trust is the host's business: compare the fingerprint with the one stored for this peer.
        this.secure = true;
        console.log(`${this.name}: private with ${event.peer}, fingerprint ${formatFingerprint(event.fingerprint)}`);
        return;
      case 'insecure':
      case 'finished':
        this.secure = false;
        console.log(`${this.name}: ${event.kind} with ${event.peer}`);
        return;
      case 'smp-request':
        this.smpQuestion = event.question; // ask the user; the answer comes later, with answerSmp
        return;
      case 'smp-result':
        console.log(`${this.name}: ${event.peer} ${event.success ? 'is verified' : 'knows another secret'}`);
        return;
      default:
        console.log(`${this.name}: ${event.kind}`); // smp-aborted, refused, not-sent, protocol-error, dropped, ...
    }
  }
}

const alice = new Client('alice@example');
const bob = new Client('bob@example');
const clients = new Map([alice, bob].map((client) => [client.name, client]));

/** Delivers everything in flight, as the network would. */
function deliver(): void {
  for (let message = wire.shift(); message !== undefined; message = wire.shift()) {
    const to = clients.get(message.to);
    to?.apply(to.account.receive(message.from, message.text, Date.now()));
  }
}

alice.apply(alice.account.startOtr(bob.name, Date.now()));
deliver(); // the AKE runs; both sides see `secure`
// Never send before `secure`: under OPPORTUNISTIC an earlier message goes out in plaintext.
if (!alice.secure) throw new Error('no private conversation');
alice.apply(alice.account.send(bob.name, 'hello', Date.now()));
deliver();

// Authenticate the peer with a secret both users know (SMP); bob's user answers the question.
alice.apply(alice.account.startSmp(bob.name, 'the lake', 'Where did we meet?', Date.now()));
deliver();
if (bob.smpQuestion !== undefined) bob.apply(bob.account.answerSmp(alice.name, 'the lake', Date.now()));
deliver();

alice.apply(alice.account.endOtr(bob.name, Date.now())); // bob sees `finished`
deliver();
bob.apply(bob.account.endOtr(alice.name, Date.now()));
for (const client of clients.values()) {
  client.timer.close();
  client.account.wipe(); // forgets every session key; the account refuses further calls
}
// #endregion readme-example

it('the README example runs as a two-party program: private before hello, SMP verifies, both end', () => {
  vi.restoreAllMocks();
  const fingerprint = /[0-9A-F]{8}( [0-9A-F]{8}){4}$/;
  expect(printed).toHaveLength(8);
  expect(printed[0]).toMatch(/^alice@example: private with bob@example, fingerprint /);
  expect(printed[0]).toMatch(fingerprint);
  expect(printed[1]).toMatch(/^bob@example: private with alice@example, fingerprint /);
  expect(printed.slice(2)).toEqual([
    'bob@example <- alice@example: hello',
    'bob@example: alice@example is verified',
    'alice@example: bob@example is verified',
    'alice@example: insecure with bob@example',
    'bob@example: finished with alice@example',
    'bob@example: insecure with alice@example',
  ]);
  expect(bob.smpQuestion).toBe('Where did we meet?');
  expect(wire).toEqual([]);
  expect(alice.timer.armedFor).toBeUndefined();
});
