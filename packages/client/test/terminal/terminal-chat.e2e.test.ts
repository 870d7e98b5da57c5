/**
 * The interactive chat as the README walks through it, two `sotto chat` run
 * in-process on piped (non-terminal) input through a real relay: address,
 * first message, /otr start, /smp with a question, /otr end, /quit.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { memoryIo, type MemoryIo } from '../helpers/memory-io.js';

let relay: Relay;
beforeEach(async () => {
  relay = await startRelay({ port: 0, log: () => undefined });
});
afterEach(async () => {
  await relay.close();
});

interface Chat {
  io: MemoryIo;
  exit: Promise<number>;
  type(line: string): void;
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

/** An OTRv4 fingerprint as the chat prints it: two lines of seven groups of eight (the second indented); captures both halves. */
const V4_LINES = '((?:[0-9A-F]{8} ){6}[0-9A-F]{8})\\n +((?:[0-9A-F]{8} ){6}[0-9A-F]{8})';
/** A pattern for a known OTRv4 fingerprint (its two halves) as the chat prints it. */
const v4Pattern = (halves: readonly [string, string]): string => `${halves[0]}\\n +${halves[1]}`;
/** Our own fingerprints at start: "Your fingerprints:", then OTRv4 on two lines and OTRv3 on one. */
const OWN_V4 = new RegExp(`Your fingerprints:\\n {2}OTRv4: ${V4_LINES}\\n`);

const all: MemoryIo[] = [];
const others = (): string => all.map((io) => `${io.stdout()}\n${io.stderr()}`).join('\n----\n');

function chat(args: readonly string[] = []): Chat {
  const io = memoryIo({ NO_COLOR: '1', SOTTO_DEBUG: '1' });
  all.push(io);
  const exit = main(['chat', '--relay', `${relay.host}:${relay.port}`, '--state-dir', mkdtempSync(join(tmpdir(), 'sotto-tty-')), ...args], io.io);
  let seen = 0;
  return {
    io,
    exit,
    type: (line) => io.stdin.write(`${line}\n`),
    // Matches output written after the previous match, so each wait sees new lines only.
    waitFor: async (pattern) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const rest = io.stdout().slice(seen);
        const match = pattern.exec(rest);
        if (match !== null) {
          seen += match.index + match[0].length;
          return match;
        }
        if (Date.now() > deadline) throw new Error(`no ${String(pattern)} in:\n${io.stdout()}\nstderr: ${io.stderr()}\nothers: ${others()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

it('walks through the README: talk, go private, verify with SMP, end, quit', async () => {
  // As the README runs it: the default versions, so OTR version 4.
  const alice = chat();
  const bob = chat();
  const aliceAddress = (await alice.waitFor(/Your address: +(\S+)/))[1] ?? '';
  const bobAddress = (await bob.waitFor(/Your address: +(\S+)/))[1] ?? '';
  const ownV4 = await alice.waitFor(OWN_V4);
  const aliceFingerprint = v4Pattern([ownV4[1] ?? '', ownV4[2] ?? '']);

  bob.type(`/to ${aliceAddress}`);
  await bob.waitFor(/Talking to \S+ \(plaintext\)/);
  bob.type('hello alice');
  await alice.waitFor(new RegExp(`\\[unencrypted\\] ${bobAddress}: hello alice`));

  // Bob's plaintext carried the whitespace tag: under the default (opportunistic) policy Alice starts OTR at once.
  const first = (await alice.waitFor(new RegExp(`Private conversation with ${bobAddress} \\(OTR v4, session id ([0-9a-f]{16})\\)\\. Their fingerprint \\(unverified[^\\n]*\\):\\n {2}${V4_LINES}`)))[1];
  await bob.waitFor(new RegExp(`Private conversation with ${aliceAddress} .*Their fingerprint \\(unverified[^\\n]*\\):\\n {2}${aliceFingerprint}`));
  // Alice's first correspondent became her current peer; /otr start now refreshes the keys.
  alice.type('/otr start');
  await alice.waitFor(/Refreshing the private conversation/);
  const second = (await alice.waitFor(/Private conversation with \S+ \(OTR v4, session id ([0-9a-f]{16})\)/))[1];
  await bob.waitFor(/Private conversation with/);
  expect(second).not.toBe(first);

  bob.type('/smp Where did we meet? at the lake');
  await alice.waitFor(/wants to verify your identity, asking: "Where did we meet\?"\. Reply with \/smp answer SECRET\./);
  alice.type('/smp answer at the lake');
  await alice.waitFor(/Verification with \S+ succeeded/);
  await bob.waitFor(/Verification with \S+ succeeded/);
  bob.type('/otr info');
  await bob.waitFor(new RegExp(`${aliceAddress}: encrypted \\(v4\\), verified, OTR version 4`));
  await bob.waitFor(new RegExp(`session id: +[0-9a-f]{8} [0-9a-f]{8} +\\(compare it with the one ${aliceAddress} sees, to check for a man in the middle\\)`));

  bob.type('now privately');
  await alice.waitFor(new RegExp(`\\[private\\] ${bobAddress}: now privately`));

  alice.type('/otr end');
  await alice.waitFor(/You ended the private conversation/);
  await bob.waitFor(/ended the private conversation\. Nothing more is sent/);
  bob.type('are you there?');
  await bob.waitFor(/Not sent: \S+ ended the private conversation/);

  bob.type('/frobnicate');
  await bob.waitFor(/unknown command \/frobnicate/);
  bob.type('/quit');
  expect(await bob.exit).toBe(0);
  alice.io.stdin.end();
  expect(await alice.exit).toBe(0);
  expect(alice.io.stdout() + bob.io.stdout()).not.toContain('\x1b[');
});

it('an OTRv4 conversation by default: the version in /otr info, both fingerprints, SMP over Ed448 verifies the v4 fingerprint', async () => {
  const alice = chat();
  const bob = chat();
  const aliceAddress = (await alice.waitFor(/Your address: +(\S+)/))[1] ?? '';
  const ownV4 = await alice.waitFor(OWN_V4);
  const aliceV4 = v4Pattern([ownV4[1] ?? '', ownV4[2] ?? '']);
  await alice.waitFor(/^ {2}OTRv3: (?:[0-9A-F]{8} ){4}[0-9A-F]{8}$/m);
  const bobAddress = (await bob.waitFor(/Your address: +(\S+)/))[1] ?? '';

  bob.type(`/to ${aliceAddress}`);
  bob.type('hello alice');
  await alice.waitFor(new RegExp(`Private conversation with ${bobAddress} \\(OTR v4, session id [0-9a-f]{16}\\)\\. Their fingerprint \\(unverified[^\\n]*\\):\\n {2}${V4_LINES}`));
  await bob.waitFor(new RegExp(`Private conversation with ${aliceAddress} \\(OTR v4, .*Their fingerprint \\(unverified[^\\n]*\\):\\n {2}${aliceV4}`));
  bob.type('/otr info');
  await bob.waitFor(new RegExp(`${aliceAddress}: encrypted \\(v4\\), unverified, OTR version 4`));
  await bob.waitFor(new RegExp(`their fingerprint \\(OTRv4\\) unverified:\\n {4}${aliceV4}`));
  await bob.waitFor(new RegExp(`your fingerprint \\(OTRv4\\):\\n {4}${V4_LINES}`));

  bob.type('/smp the lake');
  await alice.waitFor(/wants to verify your identity with a shared secret\. Reply with \/smp answer SECRET\./);
  alice.type('/smp answer the lake');
  await alice.waitFor(/Verification with \S+ succeeded/);
  await bob.waitFor(/Verification with \S+ succeeded/);
  bob.type('/otr info');
  await bob.waitFor(new RegExp(`${aliceAddress}: encrypted \\(v4\\), verified, OTR version 4`));
  bob.type('now privately');
  await alice.waitFor(new RegExp(`\\[private\\] ${bobAddress}: now privately`));

  bob.type('/quit');
  expect(await bob.exit).toBe(0);
  alice.io.stdin.end();
  expect(await alice.exit).toBe(0);
});
