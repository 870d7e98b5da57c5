/**
 * End to end: the registrar restarts mid-session (Kamailio stopped and
 * started on the same ports: every registration is lost, every SIP
 * connection closed). Both clients reconnect and register again by
 * themselves: each can be called afterwards (a call reaches a client only
 * through a registration made after the restart), a new call goes secure
 * and carries messages, and the direct MSRP session set up before the
 * restart keeps exchanging messages meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { bothSecure, connect, say, sipChatRig, type SipClient } from './harness.js';

const rig = sipChatRig();
const { client } = rig;

/**
 * `caller` calls `callee` until the callee is offered the session (the
 * registrar answers 404/480 while the callee has not registered again);
 * then the callee accepts. Returns the number of calls it took.
 */
async function callUntilReached(caller: SipClient, callee: SipClient, attempts = 60): Promise<number> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const [a, b] = [caller.mark(), callee.mark()];
    caller.command({ cmd: 'call', to: callee.address });
    const outcome = await Promise.race([
      callee.next('incoming', b, (e) => e.peer === caller.address).then(() => 'reached' as const),
      caller.next('session-ended', a, (e) => e.peer === callee.address).then(() => 'not-reached' as const),
    ]);
    if (outcome === 'reached') {
      callee.command({ cmd: 'accept', peer: caller.address });
      await Promise.all([caller.next('session-started', a), callee.next('session-started', b)]);
      return attempt;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${callee.address} was not reachable again`);
}

describe('the registrar restarting', () => {
  it('both clients register again by themselves; new calls both ways go secure; the session from before goes on', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const carol = await client('carol');
    await connect(alice, bob);
    await bothSecure(alice, bob);
    await say(alice, bob, 'before the restart', 'r0');

    await rig.kam.restart();

    // the MSRP session between alice and bob does not go through Kamailio
    const [during] = await say(bob, alice, 'during the re-registration', 'r1');
    expect(during).toMatchObject({ encrypted: true });

    // carol reaches alice (alice registered again) and alice reaches carol (carol did)
    const marks: [number, number] = [alice.mark(), carol.mark()];
    await callUntilReached(carol, alice);
    await bothSecure(carol, alice, [marks[1], marks[0]]);
    const [got] = await say(carol, alice, 'after the restart', 'r2');
    expect(got).toMatchObject({ text: 'after the restart', encrypted: true });
    const c = carol.mark();
    carol.command({ cmd: 'hangup', to: alice.address });
    await carol.next('session-ended', c);
    await callUntilReached(alice, carol);
    const [back] = await say(carol, alice, 'and the other way', 'r3');
    expect(back).toMatchObject({ text: 'and the other way' });
    // bob too registered again: alice's old session with him still carries messages, and a new caller reaches him
    const [old] = await say(alice, bob, 'still there', 'r4');
    expect(old).toMatchObject({ encrypted: true });
    await callUntilReached(carol, bob);
    const [third] = await say(carol, bob, 'hello bob after the restart', 'r5');
    expect(third).toMatchObject({ text: 'hello bob after the restart' });
  });
});
