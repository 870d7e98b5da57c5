/**
 * End to end with a conference focus: a test user agent (raw-ua.ts) that
 * registers at Kamailio, answers or calls with `;isfocus` in its Contact,
 * and runs the MSRP side of the chat stream itself (RawMsrpPeer keeps every
 * byte it receives). Towards a focus the client never speaks OTR: no query,
 * no whitespace tag, OTR commands are errors, plain chat both ways, and the
 * terminal says the conference is not encrypted. Also: an offer with `a=setup:actpass` is answered `active`
 * and we connect; msrplib's keep-alive (an empty SEND with
 * `Keep-Alive: yes`) is answered 200 and never shown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMsrpUri, type MsrpEvent } from '@sotto/msrp';
import { main } from '../../src/main.js';
import { buildChatSdp } from '../../src/sip/sdp.js';
import { memoryIo } from '../helpers/memory-io.js';
import { SIP_PASSWORD } from '../sip/kamailio/harness.js';
import { RawMsrpPeer, RawUa, sdpPath } from '../sip/raw-ua.js';
import { sipChatRig } from './harness.js';

const rig = sipChatRig();
const { client } = rig;
let focus: RawUa;

/** The OTR whitespace tag's base (Protocol-v3). */
const WHITESPACE_TAG_BASE = ' \t  \t\t\t\t \t \t \t  ';

beforeAll(async () => {
  focus = await RawUa.connect(rig.kam.sipTcp.host, rig.kam.sipTcp.port, 'room', rig.kam.domain);
  expect((await focus.register()).startLine).toBe('SIP/2.0 200 OK');
});
afterAll(() => {
  focus.close();
});

async function msrpPeer(): Promise<RawMsrpPeer> {
  const peer = await RawMsrpPeer.listen();
  rig.afterClients(() => peer.close());
  return peer;
}

function focusSdp(peer: RawMsrpPeer, setup: 'passive' | 'actpass'): string {
  return buildChatSdp({
    transport: 'TCP/MSRP',
    path: [formatMsrpUri(peer.uri)],
    acceptTypes: ['message/cpim', 'text/plain', 'text/html'],
    acceptWrappedTypes: ['*'],
    setup,
  });
}

const isMessage = (text: string) => (event: MsrpEvent) => event.kind === 'message' && new TextDecoder().decode(event.body).includes(text);
const room = () => `sip:room@${rig.kam.domain}`;

/** The focus saw nothing of OTR: no query, data or error message, no whitespace tag. */
function expectNoOtr(peer: RawMsrpPeer): void {
  const bytes = Buffer.concat(peer.received).toString('utf8');
  expect(bytes).not.toContain('?OTR');
  expect(bytes).not.toContain(WHITESPACE_TAG_BASE);
}

describe('SIP chat with a conference focus (isfocus)', () => {
  it('calling a focus: no OTR ever sent (no query, no whitespace tag), OTR commands are errors, plain messages both ways', async () => {
    const alice = await client('alice1');
    const peer = await msrpPeer();
    const a = alice.mark();
    alice.command({ cmd: 'call', to: room() });
    const invite = await focus.next((m) => m.startLine.startsWith('INVITE '));
    expect(invite.body).toMatch(/a=setup:active/);
    peer.start(sdpPath(invite.body));
    focus.respond(invite, '200 OK', [`Contact: ${focus.contact(';isfocus')}`, 'Content-Type: application/sdp'], focusSdp(peer, 'passive'));
    await focus.next((m) => m.startLine.startsWith('ACK ') && m.header('call-id') === invite.header('call-id'));
    await peer.connected;
    expect(await alice.next('session-started', a)).toMatchObject({ peer: room() });

    alice.command({ cmd: 'send', to: room(), text: 'hello room', id: 'f1' });
    const got = await peer.next(isMessage('hello room'));
    expect(got).toMatchObject({ kind: 'message', contentType: 'message/cpim' });
    expect(await alice.next('delivered', a, (e) => e.id === 'f1')).toMatchObject({ peer: room() });

    peer.send('text/plain', 'hello alice from the room');
    expect(await alice.next('message', a, (e) => e.text === 'hello alice from the room')).toMatchObject({ from: room(), encrypted: false });

    // OTR-looking text from the focus is shown as it arrived, with a notice; nothing OTR answers it
    peer.send('text/plain', '?OTRv34? come talk privately');
    expect(await alice.next('message', a, (e) => e.text === '?OTRv34? come talk privately')).toMatchObject({ encrypted: false });

    for (const command of [{ cmd: 'start' }, { cmd: 'smp', secret: 's' }, { cmd: 'trust' }, { cmd: 'end' }]) {
      const c = alice.mark();
      alice.command({ ...command, to: room() });
      expect(await alice.next('error', c)).toMatchObject({ peer: room() });
    }
    // a last round trip, so that anything the commands or the OTR-looking text could have caused has arrived
    alice.command({ cmd: 'send', to: room(), text: 'still plain', id: 'f2' });
    await peer.next(isMessage('still plain'));
    expect(alice.events().some((e) => e.event === 'secure')).toBe(false);
    expectNoOtr(peer);

    alice.command({ cmd: 'hangup', to: room() });
    const bye = await focus.next((m) => m.startLine.startsWith('BYE '));
    focus.respond(bye, '200 OK');
    expect(await alice.next('session-ended', a)).toMatchObject({ peer: room(), by: 'local' });
  });

  it('a focus calling with a=setup:actpass: incoming focus=true, answered active (we connect), plain chat, keep-alives answered and never shown', async () => {
    const alice = await client('alice2');
    const peer = await msrpPeer();
    const a = alice.mark();
    const invite = focus.request('INVITE', `sip:alice2@${rig.kam.domain}`, [
      `To: <sip:alice2@${rig.kam.domain}>`, 'CSeq: 1 INVITE', `Contact: ${focus.contact(';isfocus')}`, 'Content-Type: application/sdp',
    ], focusSdp(peer, 'actpass'));
    expect(await alice.next('incoming', a)).toEqual({ event: 'incoming', peer: room(), focus: true });
    alice.command({ cmd: 'accept', peer: room() });
    const ok = await focus.next((m) => m.header('call-id') === invite.callId && m.startLine.startsWith('SIP/2.0 200'));
    expect(ok.body).toMatch(/a=setup:active/);
    peer.start(sdpPath(ok.body));
    focus.ack(invite, ok);
    await peer.connected; // we connected to the focus
    expect(await alice.next('session-started', a)).toMatchObject({ peer: room() });

    peer.send('text/plain', 'welcome to the room');
    expect(await alice.next('message', a, (e) => e.text === 'welcome to the room')).toMatchObject({ encrypted: false });
    alice.command({ cmd: 'send', to: room(), text: 'thanks room', id: 'g1' });
    await peer.next(isMessage('thanks room'));
    await alice.next('delivered', a, (e) => e.id === 'g1');

    // msrplib's keep-alive: answered 200 on the connection, nothing shown
    const before = alice.events().length;
    peer.keepAlive('keepalive0001', 'kamsg0001');
    peer.keepAlive('keepalive0002', 'kamsg0002');
    for (let i = 0; i < 200 && !peer.text().includes('MSRP keepalive0002 200'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(peer.text()).toContain('MSRP keepalive0001 200');
    expect(peer.text()).toContain('MSRP keepalive0002 200');
    // the stream goes on, and the keep-alives left no trace
    peer.send('text/plain', 'after the keep-alives');
    await alice.next('message', a, (e) => e.text === 'after the keep-alives');
    const since = alice.events().slice(before);
    expect(since.map((e) => e.event)).toEqual(['message']);

    expectNoOtr(peer);
    alice.command({ cmd: 'hangup', to: room() });
    const bye = await focus.next((m) => m.startLine.startsWith('BYE ') && m.header('call-id') === invite.callId);
    focus.respond(bye, '200 OK');
    expect(await alice.next('session-ended', a)).toMatchObject({ peer: room(), by: 'local' });
  });

  it('the terminal tells plainly that a conference is not encrypted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sotto-sip-focus-'));
    const peer = await msrpPeer();
    const io = memoryIo();
    try {
      writeFileSync(join(dir, 'password'), `${SIP_PASSWORD}\n`, { mode: 0o600 });
      const exit = main(['chat', '--account', `sip:alice3@${rig.kam.domain}`, '--password-file', join(dir, 'password'),
        '--proxy', `${rig.kam.sipTcp.host}:${rig.kam.sipTcp.port}`, '--transport', 'tcp', '--msrp-transport', 'tcp', '--state-dir', dir], io.io);
      await until(() => /registered/i.test(io.stdout()), 'registered', io);
      io.stdin.write(`/call ${room()}\n`);
      const invite = await focus.next((m) => m.startLine.startsWith('INVITE ') && (m.header('from') ?? '').includes('alice3'));
      peer.start(sdpPath(invite.body));
      focus.respond(invite, '200 OK', [`Contact: ${focus.contact(';isfocus')}`, 'Content-Type: application/sdp'], focusSdp(peer, 'passive'));
      await peer.connected;
      await until(() => /conference: messages are not encrypted/.test(io.stdout()), 'the conference notice', io);
      peer.send('text/plain', '?OTR: not really');
      await until(() => /looks like OTR/.test(io.stdout()), 'the OTR-lookalike notice', io);
      io.stdin.write('/quit\n');
      const bye = await focus.next((m) => m.startLine.startsWith('BYE ') && m.header('call-id') === invite.header('call-id'));
      focus.respond(bye, '200 OK');
      expect(await exit).toBe(0);
      expectNoOtr(peer);
    } finally {
      io.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function until(test: () => boolean, what: string, io: ReturnType<typeof memoryIo>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (test()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${what}; output: ${io.stdout()}\nstderr: ${io.stderr()}`);
}
