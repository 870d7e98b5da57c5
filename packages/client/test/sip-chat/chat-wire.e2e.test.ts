/**
 * End to end, the relay's traffic inspected: a recording TCP proxy sits
 * between a client and Kamailio's MSRP relay, so every MSRP byte of that
 * client's session (its AUTH, its SENDs, the peer's SENDs and REPORTs
 * coming back) is kept and parsed here. Once `secure`, no user text may
 * appear on the wire; user messages travel as CPIM whose payload is an
 * OTR data message, with Success-Report and Failure-Report `yes`, while
 * OTR's own messages (query, AKE, SMP, disconnect) go as CPIM around
 * text/plain with both `no` (Blink's engine does the same).
 */
import { describe, expect, it } from 'vitest';
import { FrameParser, headerValue, type RequestFrame } from '@sotto/msrp';
import { bothSecure, connect, say, sipChatRig } from './harness.js';
import { RecordingProxy } from './tcp-proxy.js';

const rig = sipChatRig();
const { client } = rig;

async function proxyToRelay(): Promise<RecordingProxy> {
  const proxy = await RecordingProxy.start(rig.kam.msrpRelay);
  rig.afterClients(() => proxy.close());
  return proxy;
}

/** The SEND requests among `bytes` (one direction of the recorded connections). */
function sends(chunks: readonly Buffer[]): RequestFrame[] {
  const parser = new FrameParser();
  const frames: RequestFrame[] = [];
  for (const chunk of chunks) {
    for (const result of parser.push(chunk)) {
      if (result.kind === 'frame' && result.frame.type === 'request' && result.frame.method === 'SEND') frames.push(result.frame);
    }
  }
  return frames;
}

function allSends(proxy: RecordingProxy): RequestFrame[] {
  return proxy.connections.flatMap((c) => [...sends(c.up), ...sends(c.down)]);
}

const bodyText = (frame: RequestFrame): string => Buffer.from(frame.body ?? new Uint8Array(0)).toString('utf8');
const reports = (frame: RequestFrame): [string | undefined, string | undefined] => [headerValue(frame, 'Success-Report'), headerValue(frame, 'Failure-Report')];

describe('the MSRP relay\'s traffic of a secure SIP chat', () => {
  it('once secure no user text crosses the relay: user messages are CPIM around ?OTR: data messages with reports yes, OTR\'s own messages CPIM text/plain with reports no', async () => {
    const proxy = await proxyToRelay();
    const alice = await client('alice1', { relayAt: { host: proxy.host, port: proxy.port } });
    const bob = await client('bob1', { relay: true });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const texts = ['wire check alpha 7f3a', 'wire check bravo 91c2', 'wire check charlie e804'];
    await say(alice, bob, texts[0] ?? '', 'w1');
    await say(bob, alice, texts[1] ?? '', 'w2');
    await say(alice, bob, texts[2] ?? '', 'w3', { content_type: 'text/html' });
    const [a, b] = [alice.mark(), bob.mark()];
    alice.command({ cmd: 'smp', to: bob.address, secret: 'wire-smp-secret-5d1e', question: 'wire question 44ab' });
    await bob.next('smp-request', b);
    bob.command({ cmd: 'smp-answer', to: alice.address, secret: 'wire-smp-secret-5d1e' });
    await alice.next('smp-result', a);
    const c = bob.mark();
    alice.command({ cmd: 'end', to: bob.address });
    await bob.next('finished', c);

    const wire = proxy.all().toString('latin1');
    expect(proxy.connections.length).toBeGreaterThan(0);
    for (const text of [...texts, 'wire-smp-secret-5d1e', 'wire question 44ab']) expect(wire).not.toContain(text);

    const frames = allSends(proxy).filter((frame) => frame.body !== undefined);
    const user = frames.filter((frame) => headerValue(frame, 'Content-Type') === 'message/cpim' && reports(frame)[0] === 'yes');
    expect(user).toHaveLength(texts.length);
    for (const frame of user) {
      // CPIM headers, then the inner payload: an OTR data message (inner Content-Type the message's own)
      expect(bodyText(frame)).toMatch(/^From: <sip:[^]*\nContent-Type: text\/(plain|html)[^]*\n\?OTR:[A-Za-z0-9+/=]+\.$/);
      expect(reports(frame)).toEqual(['yes', 'yes']);
    }
    // OTR's own messages: CPIM around inner text/plain `?OTR...` (query, AKE, SMP's TLVs, disconnect), reports no
    const otrOwn = frames.filter((frame) => headerValue(frame, 'Content-Type') === 'message/cpim' && /\nContent-Type: text\/plain[^\n]*\n\n\?OTR/.test(bodyText(frame)) && !user.includes(frame));
    // the query, the AKE, SMP's four steps and the disconnect at least
    expect(otrOwn.length).toBeGreaterThanOrEqual(6);
    for (const frame of otrOwn) expect(reports(frame)).toEqual(['no', 'no']);
    // every SEND with a body is CPIM (both accept it), and any other kind (is-composing) has reports no
    for (const frame of frames) expect(headerValue(frame, 'Content-Type')).toBe('message/cpim');
    for (const frame of frames.filter((f) => !user.includes(f) && !otrOwn.includes(f))) expect(reports(frame)).toEqual(['no', 'no']);
  });

  it('the control: without OTR (--policy never) the same proxy does see the text, in CPIM with reports yes', async () => {
    const proxy = await proxyToRelay();
    const alice = await client('alice2', { relayAt: { host: proxy.host, port: proxy.port }, policy: 'never' });
    const bob = await client('bob2', { relay: true, policy: 'never' });
    await connect(alice, bob);
    await say(alice, bob, 'plain wire 3b7c', 'p1');
    const frames = allSends(proxy).filter((frame) => bodyText(frame).includes('plain wire 3b7c'));
    expect(frames).toHaveLength(1);
    expect(headerValue(frames[0] as RequestFrame, 'Content-Type')).toBe('message/cpim');
    expect(reports(frames[0] as RequestFrame)).toEqual(['yes', 'yes']);
    expect(allSends(proxy).some((frame) => bodyText(frame).includes('?OTR'))).toBe(false);
  });
});
