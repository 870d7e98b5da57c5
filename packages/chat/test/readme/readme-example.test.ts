/**
 * The host loop of packages/chat/README.md ("Driving a stream"), type-checked
 * and run: two hosts, each with an OTR account and a chat stream, joined by
 * an in-memory "MSRP session". Keep README.md in step with this file.
 */
import { expect, it } from 'vitest';
import { Account, Policies, generateDsaKey, generateInstanceTag } from '@sotto/otr';
import { CHAT_ACCEPT_TYPES, CHAT_ACCEPT_WRAPPED_TYPES, ChatStream, type ChatEvent, type ChatOutcome, type ChatPayload, type TrustView } from '../../src/index.js';

it('README example', () => {
  // --- README begin
  /** The host's trust records by peer address (a real host reads @sotto/store). */
  const verified = new Map<string, Set<string>>();
  const trust: TrustView = {
    isVerified: (peer, fingerprint) => verified.get(peer)?.has(fingerprint) ?? false,
    hasVerified: (peer) => (verified.get(peer)?.size ?? 0) > 0,
  };

  /** One host: an OTR account (one per identity) and the chat stream of one SIP session. */
  class Host {
    readonly account = new Account({ privateKey: generateDsaKey(), instanceTag: generateInstanceTag(), policy: Policies.OPPORTUNISTIC });
    readonly stream: ChatStream;
    readonly shown: string[] = [];
    /** What the MSRP session would send: here, a queue the other host reads. */
    readonly outbox: ChatPayload[] = [];

    constructor(me: string, peer: string) {
      this.stream = new ChatStream({
        account: this.account,
        local: { uri: me },
        remote: { uri: peer },
        // From the peer's SDP (a=accept-types, a=accept-wrapped-types); ours are CHAT_ACCEPT_TYPES and CHAT_ACCEPT_WRAPPED_TYPES.
        remoteAcceptTypes: CHAT_ACCEPT_TYPES,
        remoteAcceptWrappedTypes: CHAT_ACCEPT_WRAPPED_TYPES,
        policy: Policies.OPPORTUNISTIC,
        trust,
        focus: false, // true when the peer's Contact has ;isfocus
      });
    }

    /** Acts on an outcome: payloads to the MSRP session (reports and Message-ID as they say), events to the user and the history. */
    apply(outcome: ChatOutcome): void {
      for (const payload of outcome.send) this.outbox.push(payload); // SEND: Content-Type payload.contentType, Success-/Failure-Report yes|no, Message-ID payload.id ?? new
      for (const event of outcome.events) this.onEvent(event);
    }

    onEvent(event: ChatEvent): void {
      switch (event.kind) {
        case 'message':
          this.shown.push(`${event.text} [${event.encryption}]`); // history: direction, time, event.encryption, event.fingerprint
          return;
        case 'otr-state':
          // Lock: none / unverified / verified / fingerprint-changed (red: alert, bell, notification).
          return;
        case 'delivered':
        case 'not-delivered':
          return; // mark the message event.id in the history
        default:
          return; // composing, notice, receive-error, otr (SMP, errors, ...)
      }
    }

    /** The MSRP session delivered a whole message: answer it with the status (REPORT when asked). */
    receive(payload: ChatPayload, from: Host): void {
      const outcome = this.stream.receive({ contentType: payload.contentType, body: payload.body }, Date.now());
      this.apply(outcome);
      // Here the MSRP layer would send REPORT with outcome.status; the peer's MSRP layer gets it back:
      if (payload.reports && payload.id !== undefined) from.apply(from.stream.deliveryReport(payload.id, outcome.status.code, outcome.status.comment));
    }
  }

  const alice = new Host('sip:alice@example.org', 'sip:bob@example.org');
  const bob = new Host('sip:bob@example.org', 'sip:alice@example.org');
  const flush = () => {
    while (alice.outbox.length + bob.outbox.length > 0) {
      for (const payload of alice.outbox.splice(0)) bob.receive(payload, alice);
      for (const payload of bob.outbox.splice(0)) alice.receive(payload, bob);
    }
  };

  // The MSRP session is up on both sides: each stream sends its OTR query, the AKE runs.
  alice.apply(alice.stream.start(Date.now()));
  bob.apply(bob.stream.start(Date.now()));
  flush();
  alice.apply(alice.stream.sendComposing('active', Date.now()));
  const sent = alice.stream.sendMessage('<b>hello</b> bob', Date.now(), { contentType: 'text/html' });
  alice.apply(sent); // sent.id: its `delivered` event comes with the success REPORT
  flush();
  // The SIP session ends (BYE): pending messages are not delivered, OTR ends without a message.
  alice.apply(alice.stream.close(Date.now()));
  bob.apply(bob.stream.close(Date.now()));
  // --- README end
  expect(bob.shown).toEqual(['hello bob [encrypted-unverified]']);
  expect(alice.stream.lock).toBe('none'); // closed: the session ended here
});
