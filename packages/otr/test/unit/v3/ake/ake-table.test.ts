/** Walks every cell of the AKE table (authstate x message) with real messages. */
import { describe, expect, it } from 'vitest';
import { AKE_TABLE, receiveAkeMessage, startAke, type AkeContext, type AkeMessage } from '../../../../src/v3/ake/ake.js';
import { AUTH_NONE, type AuthState } from '../../../../src/v3/ake/auth-state.js';
import { deterministicRandom, generateDsaKey } from '../../../../src/crypto/index.js';

const bobKey = generateDsaKey();
const aliceKey = generateDsaKey();
const bob = (seed: string): AkeContext => ({ privateKey: bobKey, random: deterministicRandom(`bob-${seed}`), now: 0 });
const alice = (seed: string): AkeContext => ({ privateKey: aliceKey, random: deterministicRandom(`alice-${seed}`), now: 0 });

/** Runs a full AKE and keeps every message and intermediate state. */
function transcript(seed: string) {
  const start = startAke(3, bob(seed));
  const commit = start.reply!;
  const afterCommit = receiveAkeMessage(AUTH_NONE, commit, alice(seed));
  const dhKey = afterCommit.reply!;
  const afterKey = receiveAkeMessage(start.next, dhKey, bob(seed));
  const reveal = afterKey.reply!;
  const afterReveal = receiveAkeMessage(afterCommit.next, reveal, alice(seed));
  const signature = afterReveal.reply!;
  // Transitions consume (wipe) the states they leave, so rebuild fresh ones with the same randomness.
  const freshDhKey = startAke(3, bob(seed)).next;
  const freshRevealSig = receiveAkeMessage(AUTH_NONE, commit, alice(seed)).next;
  return { commit, dhKey, reveal, signature, states: { none: AUTH_NONE, 'awaiting-dhkey': freshDhKey, 'awaiting-revealsig': freshRevealSig, 'awaiting-sig': afterKey.next } };
}

describe('the AKE table', () => {
  it('completes a full exchange with matching SSIDs and opposite halves', () => {
    const seed = 'full';
    const start = startAke(3, bob(seed));
    const a1 = receiveAkeMessage(AUTH_NONE, start.reply!, alice(seed));
    const b1 = receiveAkeMessage(start.next, a1.reply!, bob(seed));
    const a2 = receiveAkeMessage(a1.next, b1.reply!, alice(seed));
    const b2 = receiveAkeMessage(b1.next, a2.reply!, bob(seed));
    expect(a2.success && b2.success).toBeTruthy();
    expect(Buffer.from(a2.success!.ssid)).toEqual(Buffer.from(b2.success!.ssid));
    expect([a2.success!.ssidHalf, b2.success!.ssidHalf].sort()).toEqual(['first', 'second']);
    expect(a2.next.kind).toBe('none');
    expect(b2.next.kind).toBe('none');
  });

  // Expected outcome of each cell: the reply type, 'ignore' (state kept, nothing sent) or 'success'.
  const expected: Record<AuthState['kind'], Record<AkeMessage['type'], string>> = {
    none: { 'dh-commit': 'dh-key', 'dh-key': 'ignore', 'reveal-signature': 'ignore', signature: 'ignore' },
    'awaiting-dhkey': { 'dh-commit': 'dh-key|dh-commit', 'dh-key': 'reveal-signature', 'reveal-signature': 'ignore', signature: 'ignore' },
    'awaiting-revealsig': { 'dh-commit': 'dh-key', 'dh-key': 'ignore', 'reveal-signature': 'signature', signature: 'ignore' },
    'awaiting-sig': { 'dh-commit': 'dh-key', 'dh-key': 'reveal-signature', 'reveal-signature': 'ignore', signature: 'success' },
  };

  for (const stateKind of Object.keys(AKE_TABLE) as AuthState['kind'][]) {
    for (const messageType of ['dh-commit', 'dh-key', 'reveal-signature', 'signature'] as const) {
      it(`${stateKind} x ${messageType}`, () => {
        // The state belongs to the party that would receive this message in a normal run.
        const t = transcript(`${stateKind}-${messageType}`);
        const state = t.states[stateKind];
        const message = { 'dh-commit': t.commit, 'dh-key': t.dhKey, 'reveal-signature': t.reveal, signature: t.signature }[messageType];
        const receiverIsAlice = stateKind === 'none' || stateKind === 'awaiting-revealsig';
        const step = receiveAkeMessage(state, message, receiverIsAlice ? alice('x') : bob('x'));
        const want = expected[stateKind][messageType];
        if (want === 'ignore') {
          expect(step.reply).toBeUndefined();
          expect(step.success).toBeUndefined();
          expect(step.next).toBe(state);
        } else if (want === 'success') {
          expect(step.success).toBeDefined();
          expect(step.next.kind).toBe('none');
        } else {
          expect(want.split('|')).toContain(step.reply?.type);
        }
      });
    }
  }

  it('resends the same D-H Key for a repeated commit, and the same Reveal Signature for a repeated D-H Key', () => {
    const t = transcript('repeat');
    const again = receiveAkeMessage(t.states['awaiting-revealsig'], t.commit, alice('r'));
    expect(again.reply).toEqual(t.dhKey);
    const afterKey = receiveAkeMessage(t.states['awaiting-dhkey'], t.dhKey, bob('r'));
    const repeated = receiveAkeMessage(afterKey.next, t.dhKey, bob('r2'));
    expect(repeated.reply).toEqual(afterKey.reply);
    const other = transcript('other');
    expect(receiveAkeMessage(afterKey.next, other.dhKey, bob('r3')).reply).toBeUndefined();
  });

  it('on colliding commits, exactly one side keeps its own (higher hash wins)', () => {
    const mine = startAke(3, bob('c1'));
    const theirs = startAke(3, alice('c2'));
    const atBob = receiveAkeMessage(mine.next, theirs.reply!, bob('c3'));
    const atAlice = receiveAkeMessage(theirs.next, mine.reply!, alice('c4'));
    expect([atBob.reply?.type, atAlice.reply?.type].sort()).toEqual(['dh-commit', 'dh-key']);
  });

  it('rejects a tampered Reveal Signature and keeps waiting', () => {
    const t = transcript('tamper');
    const body = t.reveal.body as { revealedKey: Uint8Array; encryptedSignature: Uint8Array; mac: Uint8Array };
    const mac = Uint8Array.from(body.mac);
    mac[0]! ^= 1;
    const step = receiveAkeMessage(t.states['awaiting-revealsig'], { ...t.reveal, body: { ...body, mac } } as AkeMessage, alice('t'));
    expect(step.rejected).toBeDefined();
    expect(step.next).toBe(t.states['awaiting-revealsig']);
  });

  it('rejects g^y outside [2, p-2]', () => {
    const t = transcript('range');
    for (const gy of [Uint8Array.of(1), Uint8Array.of(0), new Uint8Array(192).fill(0xff)]) {
      const step = receiveAkeMessage(t.states['awaiting-dhkey'], { type: 'dh-key', version: 3, body: { gy } }, bob('g'));
      expect(step.rejected).toBeDefined();
      expect(step.reply).toBeUndefined();
    }
  });
});
