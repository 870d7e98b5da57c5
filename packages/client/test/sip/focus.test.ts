import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type Kamailio } from './kamailio/harness.js';
import { account, chatOffer, ended, established, nextIncoming } from './helpers.js';
import { RawUa } from './raw-ua.js';
import { buildChatSdp } from '../../src/sip/sdp.js';
import type { SipAccount } from '../../src/sip/account.js';

let kam: Kamailio;
let alice: SipAccount;
let focus: RawUa;

beforeAll(async () => {
  kam = await startKamailio();
  alice = account(kam, 'alice');
  await alice.start();
  focus = await RawUa.connect(kam.sipTcp.host, kam.sipTcp.port, 'room', kam.domain);
  expect((await focus.register()).startLine).toBe('SIP/2.0 200 OK');
});
afterAll(async () => {
  focus.close();
  await alice.stop();
  await kam.stop();
});

const focusAnswer = buildChatSdp(chatOffer('room1', 'passive'));

describe('conference focus (isfocus Contact parameter)', () => {
  it('a 200 OK whose Contact has ;isfocus gives focus=true', async () => {
    const call = alice.call(`sip:room@${kam.domain}`, chatOffer('a1'));
    const invite = await focus.next((m) => m.startLine.startsWith('INVITE '));
    focus.respond(invite, '200 OK', [`Contact: ${focus.contact(';isfocus')}`, 'Content-Type: application/sdp'], focusAnswer);
    const up = await established(call);
    expect(up.focus).toBe(true);
    expect(call.focus).toBe(true);
    expect(up.remote.media.path).toEqual(['msrp://127.0.0.1:2855/room1;tcp']);
    await focus.next((m) => m.startLine.startsWith('ACK '));
    const done = ended(call);
    await call.hangup();
    const bye = await focus.next((m) => m.startLine.startsWith('BYE '));
    focus.respond(bye, '200 OK');
    expect(await done).toEqual({ by: 'local', reason: 'hangup' });
  });

  it('an incoming INVITE whose Contact has ;isfocus gives focus=true', async () => {
    const incoming = nextIncoming(alice);
    const { callId } = focus.request('INVITE', `sip:alice@${kam.domain}`, [
      `To: <sip:alice@${kam.domain}>`, 'CSeq: 1 INVITE', `Contact: ${focus.contact(';isfocus')}`, 'Content-Type: application/sdp',
    ], buildChatSdp(chatOffer('room2', 'actpass')));
    const session = await incoming;
    expect(session.focus).toBe(true);
    expect(session.remote?.media.setup).toBe('actpass');
    const done = ended(session);
    await session.reject(486);
    const final = await focus.next((m) => m.header('call-id') === callId && m.startLine.startsWith('SIP/2.0 486'));
    expect(final.startLine).toBe('SIP/2.0 486 Busy Here');
    expect(await done).toMatchObject({ by: 'local', statusCode: 486 });
  });

  it('a peer without ;isfocus is not a focus', async () => {
    const call = alice.call(`sip:room@${kam.domain}`, chatOffer('a3'));
    const invite = await focus.next((m) => m.startLine.startsWith('INVITE '));
    focus.respond(invite, '200 OK', [`Contact: ${focus.contact()}`, 'Content-Type: application/sdp'], focusAnswer, 'plain-tag');
    expect((await established(call)).focus).toBe(false);
    await focus.next((m) => m.startLine.startsWith('ACK '));
    await call.hangup();
    focus.respond(await focus.next((m) => m.startLine.startsWith('BYE ')), '200 OK');
  });

  it('an INVITE without chat media is refused with 488 before the host sees it', async () => {
    let rang = false;
    const off = alice.on('incoming', () => { rang = true; });
    const refused = new Promise<{ reason: string }>((resolve) => alice.on('incoming-refused', resolve));
    const { callId } = focus.request('INVITE', `sip:alice@${kam.domain}`, [
      `To: <sip:alice@${kam.domain}>`, 'CSeq: 1 INVITE', `Contact: ${focus.contact()}`, 'Content-Type: application/sdp',
    ], 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n');
    const final = await focus.next((m) => m.header('call-id') === callId && /^SIP\/2.0 [3-6]/.test(m.startLine));
    expect(final.startLine).toMatch(/^SIP\/2.0 488/);
    expect((await refused).reason).toBe('no-chat-media');
    off();
    expect(rang).toBe(false);
  });
});
