/**
 * A hostile relay names the sender of what it delivers. Here a relay in the
 * test forwards between a terminal chat and a `sotto chat --json` peer, but
 * tells the terminal that the peer's address is a string of terminal escapes
 * (clear the screen, set the title, a fake green "encrypted, verified"
 * prompt) and invisible or reordering characters. None of them may reach the
 * terminal, the store must refuse to record the address, and `sotto trust
 * list` must show such an address (in a trust.json from before the check)
 * escaped.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@sotto/store';
import { afterEach, describe, expect, it } from 'vitest';
import { formatEvent } from '../../src/driver/json-driver.js';
import { main } from '../../src/main.js';
import { renderEvent, palette } from '../../src/terminal/renderer.js';
import { displayAddress, sanitize } from '../../src/terminal/sanitize.js';
import { InProcessDriver } from '../helpers/in-process-driver.js';
import { memoryIo } from '../helpers/memory-io.js';

const ESC = '\x1b';
/** Invisible and reordering characters a peer could use to hide or reorder what is shown. */
const INVISIBLE = ['\u200e', '\u200f', '\u061c', '\u202a', '\u202e', '\u2066', '\u2069', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u2028', '\u2029', '\u{e0041}', '\u0085', '\u009b', '\x7f'];
const HOSTILE =
  `127.0.0.1:1${ESC}[2J${ESC}]0;title\x07${ESC}[32mencrypted, verified${ESC}[0m] > ` + INVISIBLE.join('');
const FP = 'ab'.repeat(20);

/** What no output may contain once a peer's strings were shown. */
function expectNothingFromThePeer(output: string): void {
  expect(output).not.toContain(`${ESC}[2J`);
  expect(output).not.toContain(`${ESC}]`);
  expect(output).not.toContain('\x07');
  expect(output).not.toContain(`${ESC}[32mencrypted, verified`);
  expect(output).not.toMatch(/[\x7f-\x9f]/);
  for (const character of INVISIBLE) expect(output).not.toContain(character);
}

/** Frames of the echo network, decoded from a byte stream (a test-local copy, kept minimal). */
function frameReader(onFrame: (address: string, content: Buffer) => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 4) return;
      const addressLength = buffer.readUInt32BE(0);
      if (buffer.length < 8 + addressLength) return;
      const contentLength = buffer.readUInt32BE(4 + addressLength);
      const end = 8 + addressLength + contentLength;
      if (buffer.length < end) return;
      onFrame(buffer.subarray(4, 4 + addressLength).toString('utf8'), Buffer.from(buffer.subarray(8 + addressLength, end)));
      buffer = buffer.subarray(end);
    }
  };
}

function frame(address: string, content: Buffer | string): Buffer {
  const a = Buffer.from(address, 'utf8');
  const c = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const head = Buffer.alloc(4);
  head.writeUInt32BE(a.length);
  const middle = Buffer.alloc(4);
  middle.writeUInt32BE(c.length);
  return Buffer.concat([head, a, middle, c]);
}

/**
 * A relay that delivers everything the `--json` peer sends to the terminal
 * chat as coming from HOSTILE, and what the terminal chat sends to HOSTILE
 * to the peer. It can also inject frames from HOSTILE.
 */
class HostileRelay {
  readonly server: Server;
  #peer: Socket | undefined;
  #victim: Socket | undefined;
  #victimAddress = '';
  readonly #sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('data', frameReader((_to, content) => this.#route(socket, content)));
      socket.on('error', () => undefined);
      socket.on('close', () => this.#sockets.delete(socket));
      // The terminal chat connects first, the peer second.
      if (this.#victim === undefined) {
        this.#victim = socket;
        this.#victimAddress = `${(socket.remoteAddress ?? '').replace(/^::ffff:/, '')}:${socket.remotePort ?? 0}`;
      } else this.#peer = socket;
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as { port: number }).port)));
  }

  inject(text: string): void {
    this.#victim?.write(frame(HOSTILE, text));
  }

  #route(from: Socket, content: Buffer): void {
    if (from === this.#victim) this.#peer?.write(frame(this.#victimAddress, content));
    else this.#victim?.write(frame(HOSTILE, content));
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function until(condition: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('peer addresses reach the terminal unescaped', () => {
  it('a hostile relay cannot drive, repaint or hide anything in the terminal chat through an address, and the store refuses it', async () => {
    const relay = new HostileRelay();
    const port = await relay.listen();
    cleanup.push(() => relay.close());
    const stateDir = mkdtempSync(join(tmpdir(), 'sotto-hostile-'));

    // The terminal chat on a terminal (readline draws the prompt), with colour.
    const io = memoryIo({ TERM: 'xterm-256color' });
    Object.assign(io.stdin, { isTTY: true });
    Object.assign(io.io.stdout, { isTTY: true, columns: 400 });
    const exit = main(['chat', '--relay', `127.0.0.1:${port}`, '--state-dir', stateDir], io.io);
    cleanup.push(async () => {
      io.stdin.end();
      await exit;
    });
    await until(() => /Your address/.test(io.stdout()), () => io.stdout() + io.stderr());

    // OTR version 3, for SMP (and since this relay names the victim otherwise than the victim's own address, which an OTRv4 DAKE would refuse).
    const peer = await InProcessDriver.start(['--relay', `127.0.0.1:${port}`, '--versions', '2,3']);
    cleanup.push(() => peer.quit());

    // Plain text and an OTR error from the hostile address, straight from the relay.
    relay.inject(`look ${ESC}]0;pwned\x07 here ${INVISIBLE.join('')}`);
    relay.inject(`?OTR Error: ${ESC}[2J${ESC}[32mencrypted, verified${ESC}[0m`);
    // Through the real peer: its plaintext (with the whitespace tag) starts an AKE, then SMP with a question.
    peer.command({ cmd: 'send', to: 'victim', text: `hello ${ESC}[2J` });
    await until(() => /Private conversation/.test(io.stdout()), () => io.stdout() + io.stderr());
    const victim = String((await peer.next('secure', 0)).peer);
    peer.command({ cmd: 'smp', to: victim, secret: 'lake', question: `where${ESC}[2J\u202e?` });
    await until(() => /wants to verify your identity/.test(io.stdout()), () => `${peer.stdout()}\n${peer.stderr()}`);
    // Our own prompt names the hostile address, escaped.
    await until(() => io.stdout().includes('[127.0.0.1:1<U+001B>[2J<U+001B>]0;title<U+0007>'), () => io.stdout());

    const output = io.stdout() + io.stderr();
    expectNothingFromThePeer(output);
    expect(output).toContain('<U+202E>');

    // The store refused to record the address; the user was told once, escaped, by the terminal chat (above the prompt).
    expect(io.stdout()).toMatch(/could not save trust: the contact name ".*<U\+001B>.*" holds a control, invisible or reordering character/);
    expect(output.match(/could not save trust/g)).toHaveLength(1);
  }, 90_000);

  it('the store refuses to record trust for such an address, and trust list shows an old one escaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sotto-hostile-'));
    const store = await openStore(dir);
    await expect(store.recordSeen('default', HOSTILE, FP, new Date())).rejects.toMatchObject({ name: 'StoreError', code: 'invalid' });
    await expect(store.setTrust('default', HOSTILE, FP, 'manual', new Date())).rejects.toMatchObject({ name: 'StoreError', code: 'invalid' });
    for (const character of INVISIBLE) {
      await expect(store.recordSeen('default', `127.0.0.1:2${character}`, FP, new Date())).rejects.toMatchObject({ code: 'invalid' });
    }
    await expect(store.recordSeen(`default${ESC}[2J`, '127.0.0.1:2', FP, new Date())).rejects.toMatchObject({ code: 'invalid' });
    await store.recordSeen('default', '127.0.0.1:2', FP, new Date());
    await store.close();

    // A trust.json written before names were checked still holds one.
    const file = join(dir, 'trust.json');
    const trust = JSON.parse(readFileSync(file, 'utf8')) as { accounts: Record<string, Record<string, unknown>> };
    const accounts = trust.accounts;
    accounts.default![HOSTILE] = accounts.default!['127.0.0.1:2'];
    writeFileSync(file, JSON.stringify(trust));

    const io = memoryIo();
    expect(await main(['trust', 'list', '--state-dir', dir], io.io)).toBe(0);
    expectNothingFromThePeer(io.stdout() + io.stderr());
    expect(io.stdout()).toContain('127.0.0.1:1<U+001B>[2J<U+001B>]0;title<U+0007><U+001B>[32mencrypted, verified<U+001B>[0m] > <U+200E>');
  });

  it('every display path escapes, and the JSON driver writes them as JSON escapes', () => {
    const p = palette(true);
    const events = [
      renderEvent({ event: 'message', from: HOSTILE, text: HOSTILE, encrypted: false }, p),
      renderEvent({ event: 'smp-request', peer: HOSTILE, question: HOSTILE }, p),
      renderEvent({ event: 'error', peer: HOSTILE, message: HOSTILE }, p),
      renderEvent({ event: 'not-sent', to: HOSTILE, reason: 'finished' }, p),
      renderEvent({ event: 'secure', peer: HOSTILE, version: 3, fingerprint: FP, ssid: '00'.repeat(8), trusted: false }, p),
      sanitize(HOSTILE),
      displayAddress(HOSTILE),
    ];
    expectNothingFromThePeer(events.join('\n'));
    // An address shows printable ASCII only, cut when long.
    expect(displayAddress('１２７.0.0.1:1 a')).toBe('<U+FF11><U+FF12><U+FF17>.0.0.1:1<U+0020>a');
    expect(displayAddress('a'.repeat(1000))).toMatch(/^a{64}\.\.\.\(936 more characters\)$/);

    const line = formatEvent({ event: 'message', from: HOSTILE, text: `a\u0085b\u2028c${ESC}`, encrypted: true });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(line)).toEqual({ event: 'message', from: HOSTILE, text: `a\u0085b\u2028c${ESC}`, encrypted: true });
  });
});
