/**
 * End to end, hostile input against a running client (bob, in-process)
 * while it holds an established, secure session with alice:
 * - raw connections to its MSRP listener: garbage, endless header bytes,
 *   half-sent frames left hanging, a flood of connections and of SENDs for
 *   session ids it does not have;
 * - a session's own MSRP connection (a raw user agent's session with bob):
 *   SENDs for unknown session ids, a 10 MiB body, endless headers, then a
 *   malformed start line (which ends that session only);
 * - malformed SIP from its "proxy" (a recording proxy in front of Kamailio
 *   that injects bytes): an endless header, a bad start line.
 * Throughout, the client keeps running, its memory stays bounded (the
 * process's RSS, loosely), and the session with alice goes on exchanging
 * messages.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMsrpUri, parseMsrpUri, serializeRequest, type MsrpUri } from '@sotto/msrp';
import { buildChatSdp } from '../../src/sip/sdp.js';
import { startKamailio, type Kamailio } from '../sip/kamailio/harness.js';
import { RawUa, sdpPath } from '../sip/raw-ua.js';
import { bothSecure, connect, say, startSipClient, type SipClient } from './harness.js';
import { RecordingProxy } from './tcp-proxy.js';

let kam: Kamailio;
const clients: SipClient[] = [];
const proxies: RecordingProxy[] = [];
let mallory: RawUa;

beforeAll(async () => {
  kam = await startKamailio();
  mallory = await RawUa.connect(kam.sipTcp.host, kam.sipTcp.port, 'mallory', kam.domain);
  expect((await mallory.register()).startLine).toBe('SIP/2.0 200 OK');
});
afterAll(async () => {
  mallory.close();
  await Promise.allSettled(clients.map((client) => client.quit()));
  await Promise.allSettled(proxies.map((proxy) => proxy.close()));
  await kam.stop();
});

async function client(user: string, options: Parameters<typeof startSipClient>[2] = {}): Promise<SipClient> {
  const started = await startSipClient(kam, user, options);
  clients.push(started);
  return started;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw TCP connection; `closed` resolves when the other side closes it. */
async function raw(port: number): Promise<{ socket: Socket; closed: Promise<void>; received: Buffer[] }> {
  const socket = tcpConnect(port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, closed, received };
}

/** Writes `total` bytes of `fill` in 64 KiB pieces, stopping when the connection closes. */
async function flood(socket: Socket, total: number, fill = 0x41): Promise<number> {
  const piece = Buffer.alloc(64 * 1024, fill);
  let written = 0;
  while (written < total && !socket.destroyed) {
    const ok = socket.write(piece);
    written += piece.length;
    if (!ok) await new Promise<void>((resolve) => { socket.once('drain', resolve); socket.once('close', resolve); });
  }
  return written;
}

const send = (tid: string, to: readonly MsrpUri[], from: readonly MsrpUri[], body?: string, headers: { name: string; value: string }[] = []) =>
  serializeRequest({
    transactionId: tid,
    method: 'SEND',
    toPath: to,
    fromPath: from,
    headers: [{ name: 'Message-ID', value: `m${tid}` }, { name: 'Byte-Range', value: body === undefined ? '1-0/0' : `1-${Buffer.byteLength(body)}/${Buffer.byteLength(body)}` }, ...headers, ...(body === undefined ? [] : [{ name: 'Content-Type', value: 'text/plain' }])],
    ...(body === undefined ? {} : { body: new TextEncoder().encode(body) }),
  });

describe('hostile input against a running SIP chat client', () => {
  it('MSRP: listener and session connection attacked; memory bounded; the other session unaffected', async () => {
    const alice = await client('alice1');
    const bob = await client('bob1');
    await connect(alice, bob);
    await bothSecure(alice, bob);
    await say(alice, bob, 'before', 'h0');
    const rssBefore = process.memoryUsage().rss;

    // mallory calls bob as an active offerer: bob answers passive with its listener's URI
    const b = bob.mark();
    const malloryUri = parseMsrpUri('msrp://127.0.0.1:2855/mallorysession;tcp') as MsrpUri;
    const invite = mallory.request('INVITE', `sip:bob1@${kam.domain}`, [
      `To: <sip:bob1@${kam.domain}>`, 'CSeq: 1 INVITE', `Contact: ${mallory.contact()}`, 'Content-Type: application/sdp',
    ], buildChatSdp({ transport: 'TCP/MSRP', path: [formatMsrpUri(malloryUri)], acceptTypes: ['message/cpim', 'text/plain'], setup: 'active' }));
    await bob.next('incoming', b);
    bob.command({ cmd: 'accept', peer: `sip:mallory@${kam.domain}` });
    const ok = await mallory.next((m) => m.header('call-id') === invite.callId && m.startLine.startsWith('SIP/2.0 200'));
    mallory.ack(invite, ok);
    const bobPath = sdpPath(ok.body);
    const bobUri = bobPath[0] as MsrpUri;
    const listenerPort = bobUri.port ?? 0;
    expect(listenerPort).toBeGreaterThan(0);
    const unknown = (i: number) => parseMsrpUri(`msrp://127.0.0.1:${listenerPort}/nosuchsession${i};tcp`) as MsrpUri;

    // --- the listener ---
    // garbage: closed without an answer
    const garbage = await raw(listenerPort);
    garbage.socket.write('\x00\x01GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await garbage.closed;
    // endless bytes without a line end: closed once the bound is read
    const endless = await raw(listenerPort);
    const endlessWritten = await flood(endless.socket, 4 * 1024 * 1024);
    await endless.closed;
    expect(endlessWritten).toBeLessThan(4 * 1024 * 1024 + 1);
    // a flood of connections, each with a SEND for a session id bob does not have
    const floods = await Promise.all(Array.from({ length: 48 }, () => raw(listenerPort).catch(() => undefined)));
    floods.forEach((c, i) => c?.socket.write(send(`flood${String(i).padStart(4, '0')}`, [unknown(i)], [malloryUri], 'x')));
    await Promise.all(floods.map((c) => c?.closed ?? Promise.resolve()));
    expect(floods.every((c) => c === undefined || Buffer.concat(c.received).length === 0)).toBe(true);
    // half-sent frames left hanging (more than the listener lets wait)
    const hanging = await Promise.all(Array.from({ length: 24 }, () => raw(listenerPort).catch(() => undefined)));
    for (const c of hanging) c?.socket.write('MSRP hang0001 SEND\r\nTo-Path: msrp://127.0.0.1');
    // meanwhile, alice and bob talk
    const [mid] = await say(alice, bob, 'while the listener is flooded', 'h1');
    expect(mid).toMatchObject({ encrypted: true });

    // --- mallory's own session connection ---
    const session = await raw(listenerPort);
    session.socket.write(send('bind0001', bobPath, [malloryUri]));
    // SENDs for unknown session ids on the session's connection: answered 481, the connection stays
    for (let i = 0; i < 200; i++) session.socket.write(send(`unk${String(i).padStart(5, '0')}`, [unknown(i)], [malloryUri], 'y'));
    // a 10 MiB body: refused (413) and discarded as it streams in
    session.socket.write('MSRP big00001 SEND\r\nTo-Path: ' + formatMsrpUri(bobUri) + '\r\nFrom-Path: ' + formatMsrpUri(malloryUri) +
      '\r\nMessage-ID: big1\r\nByte-Range: 1-*/*\r\nContent-Type: text/plain\r\n\r\n');
    await flood(session.socket, 10 * 1024 * 1024, 0x62);
    session.socket.write('\r\n-------big00001$\r\n');
    // a plain message still gets through on it afterwards
    session.socket.write(send('after001', bobPath, [malloryUri], 'mallory after the big body', [{ name: 'Failure-Report', value: 'yes' }]));
    const fromMallory = await bob.next('message', b, (e) => e.text === 'mallory after the big body');
    expect(fromMallory).toMatchObject({ from: `sip:mallory@${kam.domain}` });
    const answers = Buffer.concat(session.received).toString('latin1');
    expect(answers).toContain('MSRP unk00000 481');
    expect(answers).toContain('MSRP unk00199 481');
    expect(answers).toMatch(/MSRP big00001 413/);
    // endless headers on the session connection
    session.socket.write('MSRP hdr00001 SEND\r\nTo-Path: ' + formatMsrpUri(bobUri) + '\r\nX-Long: ');
    await flood(session.socket, 1024 * 1024, 0x63);
    // the frame is skipped to its end-line (nothing of it held meanwhile); the next frame is read again
    session.socket.write('\r\n-------hdr00001$\r\n');
    session.socket.write(send('after002', bobPath, [malloryUri], 'mallory after the long header'));
    await bob.next('message', b, (e) => e.text === 'mallory after the long header');
    // then a malformed start line: the framing is lost, this connection (and so mallory's session) ends
    session.socket.write('\r\n\r\nNOT MSRP AT ALL\r\n');
    await session.closed;
    const ended = await bob.next('session-ended', b, (e) => e.peer === `sip:mallory@${kam.domain}`);
    expect(ended).toMatchObject({ by: 'error' });
    const bye = await mallory.next((m) => m.startLine.startsWith('BYE '));
    mallory.respond(bye, '200 OK');

    // the session with alice goes on, both ways
    const [after] = await say(alice, bob, 'after the attacks', 'h2');
    expect(after).toMatchObject({ encrypted: true });
    const [back] = await say(bob, alice, 'bob is fine', 'h3');
    expect(back).toMatchObject({ encrypted: true });
    for (const c of hanging) c?.socket.destroy();
    // 10 MiB sent in, 4 MiB of endless bytes, 1 MiB of header: none of it is held
    const growth = process.memoryUsage().rss - rssBefore;
    expect(growth).toBeLessThan(64 * 1024 * 1024);
  });

  it('SIP: malformed bytes from the proxy end only the SIP connection; the client registers again, its session goes on, new calls reach it', async () => {
    const proxy = await RecordingProxy.start(kam.sipTcp);
    proxies.push(proxy);
    const alice = await client('alice2');
    const carol = await client('carol2', { sipProxy: { host: proxy.host, port: proxy.port } });
    await connect(alice, carol);
    await bothSecure(alice, carol);
    const before = proxy.connections.length;
    // an endless header (over the 32 KiB header bound)
    expect(proxy.inject(`SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1\r\nX-Long: ${'z'.repeat(64 * 1024)}`)).toBeGreaterThan(0);
    for (let i = 0; i < 500 && proxy.connections.length === before; i++) await pause(10);
    expect(proxy.connections.length).toBeGreaterThan(before);
    // the MSRP session does not depend on the SIP connection
    const [got] = await say(alice, carol, 'after the bad SIP', 's1');
    expect(got).toMatchObject({ encrypted: true });
    // a bad start line and a Content-Length lie on the new connection
    const again = proxy.connections.length;
    proxy.inject('HELLO THERE\r\n\r\nINVITE sip:x SIP/2.0\r\nContent-Length: 999999999\r\n\r\nabc');
    for (let i = 0; i < 500 && proxy.connections.length === again; i++) await pause(10);
    expect(proxy.connections.length).toBeGreaterThan(again);
    const [back] = await say(carol, alice, 'carol still here', 's2');
    expect(back).toMatchObject({ encrypted: true });
    // carol registered again: a new caller reaches her
    const dave = await client('dave2');
    for (let attempt = 0; ; attempt++) {
      const [d, c] = [dave.mark(), carol.mark()];
      dave.command({ cmd: 'call', to: carol.address });
      const reached = await Promise.race([
        carol.next('incoming', c).then(() => true),
        dave.next('session-ended', d).then(() => false),
      ]);
      if (reached) break;
      expect(attempt).toBeLessThan(40);
      await pause(250);
    }
    carol.command({ cmd: 'accept', peer: dave.address });
    await dave.next('session-started');
    const [third] = await say(dave, carol, 'hello carol', 's3');
    expect(third).toMatchObject({ text: 'hello carol' });
  });
});
