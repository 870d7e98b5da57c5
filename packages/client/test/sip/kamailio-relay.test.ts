/**
 * The MSRP relay of the test Kamailio (kamailio/kamailio.cfg), with raw
 * frames: a callee AUTHed at the relay and a relay-less caller that, as
 * Blink's does, advertises an address nothing listens on and connects to the
 * callee's first path hop itself.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type Kamailio } from './kamailio/harness.js';

let kam: Kamailio;
beforeAll(async () => {
  kam = await startKamailio();
});
afterAll(async () => {
  await kam.stop();
});

interface Frame { readonly tid: string; readonly first: string; readonly text: string }

class MsrpPeer {
  private buffer = '';
  private readonly frames: Frame[] = [];
  private readonly waiting: { accept: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private counter = 0;
  private constructor(readonly socket: Socket, readonly name: string) {
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      this.buffer += data;
      for (;;) {
        const first = /^MSRP (\S+) ([^\r\n]*)\r\n/.exec(this.buffer);
        if (first === null) return;
        const end = this.buffer.indexOf(`\r\n-------${first[1] ?? ''}`);
        if (end < 0) return;
        const close = this.buffer.indexOf('\r\n', end + 2);
        if (close < 0) return;
        const frame = { tid: first[1] ?? '', first: first[2] ?? '', text: this.buffer.slice(0, close + 2) };
        this.buffer = this.buffer.slice(close + 2);
        const index = this.waiting.findIndex((w) => w.accept(frame));
        if (index < 0) this.frames.push(frame);
        else this.waiting.splice(index, 1)[0]?.resolve(frame);
      }
    });
  }
  static async open(port: number, name: string): Promise<MsrpPeer> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    return new MsrpPeer(socket, name);
  }
  next(accept: (f: Frame) => boolean): Promise<Frame> {
    const index = this.frames.findIndex(accept);
    if (index >= 0) return Promise.resolve(this.frames.splice(index, 1)[0] as Frame);
    return new Promise((resolve) => this.waiting.push({ accept, resolve }));
  }
  request(method: string, headers: string[], body?: string): string {
    this.counter += 1;
    const tid = `${this.name}${this.counter}tx`;
    const content = body === undefined ? '' : `\r\n${body}\r\n`;
    this.socket.write(`MSRP ${tid} ${method}\r\n${headers.join('\r\n')}\r\n${content}-------${tid}$\r\n`);
    return tid;
  }
  close(): void {
    this.socket.destroy();
  }
}

const header = (frame: Frame, name: string) => new RegExp(`^${name}: *([^\\r\\n]*)`, 'mi').exec(frame.text)?.[1];

describe('Kamailio MSRP relay', () => {
  it('frames back to a relay-less sender travel on the connection it opened (its advertised address is unreachable)', async () => {
    const relay = `msrp://127.0.0.1:${kam.msrpRelay.port};tcp`;
    const bobUri = 'msrp://127.0.0.1:9/bobsess;tcp';
    const aliceUri = 'msrp://192.0.2.2:2855/alicesess;tcp'; // nothing listens there
    const bob = await MsrpPeer.open(kam.msrpRelay.port, 'bob');
    const alice = await MsrpPeer.open(kam.msrpRelay.port, 'alice');
    try {
      // bob AUTHs (digest without uri=, as msrplib: accepted unverified by the test config)
      const first = bob.request('AUTH', [`To-Path: ${relay}`, `From-Path: ${bobUri}`]);
      const challenge = await bob.next((f) => f.tid === first);
      expect(challenge.first).toBe('401 Unauthorized');
      const nonce = /nonce="([^"]*)"/.exec(challenge.text)?.[1] ?? '';
      const second = bob.request('AUTH', [`To-Path: ${relay}`, `From-Path: ${bobUri}`,
        `Authorization: Digest username="bob", realm="127.0.0.1", nonce="${nonce}", qop="auth", nc="00000001", cnonce="c0ffee", response="00000000000000000000000000000000", opaque="00"`]);
      const ok = await bob.next((f) => f.tid === second);
      expect(ok.first).toBe('200 OK');
      const usePath = header(ok, 'Use-Path') ?? '';
      expect(usePath).toMatch(new RegExp(`^msrp://127.0.0.1:${kam.msrpRelay.port}/\\S+;tcp$`));

      // alice, relay-less, sends to bob through bob's relay
      const send = alice.request('SEND', [`To-Path: ${usePath} ${bobUri}`, `From-Path: ${aliceUri}`, 'Message-ID: m1', 'Byte-Range: 1-5/5', 'Content-Type: text/plain'], 'hello');
      expect((await alice.next((f) => f.tid === send)).first).toBe('200 OK');
      const atBob = await bob.next((f) => f.first === 'SEND');
      expect(header(atBob, 'From-Path')).toBe(`${usePath} ${aliceUri}`);

      // bob answers with a SEND of its own: it must reach alice on her connection
      bob.request('SEND', [`To-Path: ${usePath} ${aliceUri}`, `From-Path: ${bobUri}`, 'Message-ID: m2', 'Byte-Range: 1-3/3', 'Content-Type: text/plain'], 'hi!');
      const atAlice = await alice.next((f) => f.first === 'SEND');
      expect(header(atAlice, 'To-Path')).toBe(aliceUri);
      expect(atAlice.text).toContain('\r\n\r\nhi!\r\n');
      // and a success REPORT the same way
      bob.request('REPORT', [`To-Path: ${usePath} ${aliceUri}`, `From-Path: ${bobUri}`, 'Message-ID: m1', 'Byte-Range: 1-5/5', 'Status: 000 200 OK']);
      expect(header(await alice.next((f) => f.first === 'REPORT'), 'Status')).toBe('000 200 OK');
    } finally {
      alice.close();
      bob.close();
    }
  });

  it('a frame for a session the relay does not know gets 481', async () => {
    const peer = await MsrpPeer.open(kam.msrpRelay.port, 'eve');
    try {
      const tid = peer.request('SEND', [`To-Path: msrp://127.0.0.1:${kam.msrpRelay.port}/nosuch;tcp msrp://127.0.0.1:9/x;tcp`, 'From-Path: msrp://127.0.0.1:9/y;tcp', 'Message-ID: m', 'Byte-Range: 1-1/1', 'Content-Type: text/plain'], 'x');
      expect((await peer.next((f) => f.tid === tid)).first).toMatch(/^481/);
    } finally {
      peer.close();
    }
  });
});
