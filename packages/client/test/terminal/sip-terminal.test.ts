/** The SIP chat terminal over a fake engine: commands become engine calls, engine events become lines and prompts. */
import type { HistoryMessage } from '@sotto/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BELL, IDLE_AFTER_MS, MAX_TRACKED_SENT } from '../../src/terminal/sip-terminal.js';
import { harness, settle, THEIR_V3, OUR_V3, type Harness } from './sip-fake-engine.js';

const BOB = 'sip:bob@example.org';
const CAROL = 'sip:carol@example.org';
const ESC = '\x1b';

/** Bob's active session, current after he is called. */
async function withBob(h: Harness, fields: Parameters<Harness['engine']['session']>[1] = {}): Promise<void> {
  await h.type(`/call ${BOB}`);
  h.engine.session(BOB, fields);
  h.emit({ event: 'session-started', peer: BOB, cpim: true });
}

/** The prompts drawn so far (a TTY harness): what follows each "go to column 1, clear below" readline writes before one. */
function prompts(h: Harness): string[] {
  return h.output().split(`${ESC}[1G${ESC}[0J`).slice(1);
}

/** The last prompt drawn, without readline's cursor move after it. */
function lastPrompt(h: Harness): string {
  // eslint-disable-next-line no-control-regex -- the escape readline writes
  return (prompts(h).at(-1) ?? '').replace(/\x1b\[\d+G$/, '');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SIP terminal commands map to engine calls', () => {
  it('/call, /accept, /reject, /hangup, /to and plain lines reach the engine for the right peer', async () => {
    const h = harness();
    await h.type('/call bob@Example.ORG');
    expect(h.engine.actions()).toEqual([['call', BOB]]);
    h.engine.session(BOB);
    h.emit({ event: 'session-started', peer: BOB, cpim: true });
    await h.type('hello bob');
    h.engine.session(CAROL, { direction: 'in', state: 'incoming' });
    h.emit({ event: 'incoming', peer: CAROL, focus: false });
    await h.type('/accept');
    h.engine.session(CAROL, { direction: 'in' });
    h.emit({ event: 'session-started', peer: CAROL, cpim: true });
    await h.type('hi carol');
    await h.type('/to 1');
    await h.type('back to bob');
    await h.type(`/switch ${CAROL}`);
    await h.type('/hangup');
    await h.type('/hangup 1');
    await h.type('//slash for bob?');
    await h.quit();
    expect(h.engine.actions()).toEqual([
      ['call', BOB],
      ['send', BOB, 'hello bob'],
      ['accept', CAROL],
      ['send', CAROL, 'hi carol'],
      ['send', BOB, 'back to bob'],
      ['hangup', CAROL],
      ['hangup', BOB],
      ['send', CAROL, '/slash for bob?'],
      ['stop'],
    ]);
  });

  it('/reject with several waiting needs a number; /reject N rejects that one', async () => {
    const h = harness();
    h.engine.session(BOB, { direction: 'in', state: 'incoming' });
    h.emit({ event: 'incoming', peer: BOB, focus: false });
    h.engine.session(CAROL, { direction: 'in', state: 'incoming' });
    h.emit({ event: 'incoming', peer: CAROL, focus: false });
    await h.type('/reject');
    await h.type('/reject 2');
    await h.type('/accept 1');
    await h.quit();
    expect(h.engine.actions()).toEqual([['reject', CAROL], ['accept', BOB], ['stop']]);
    expect(h.output()).toContain('Several chats are waiting: /reject N');
    expect(h.output()).toContain('Type /accept 2 to answer, /reject 2 to decline.');
  });

  it('the OTR commands, /smp, /trust and /otr always act on the current session', async () => {
    const h = harness();
    await withBob(h);
    for (const line of ['/otr start', '/otr end', '/otr always on', '/otr always off', '/trust', '/smp Our lake? blue', '/smp answer green', '/smp abort']) await h.type(line);
    await h.quit();
    expect(h.engine.actions()).toEqual([
      ['call', BOB],
      ['startOtr', BOB],
      ['endOtr', BOB],
      ['setAlwaysOtr', BOB, true],
      ['setAlwaysOtr', BOB, false],
      ['trust', BOB],
      ['startSmp', BOB, 'blue', 'Our lake?'],
      ['answerSmp', BOB, 'green'],
      ['abortSmp', BOB],
      ['stop'],
    ]);
    expect(h.output()).toContain('OTR is now always used with sip:bob@example.org.');
  });

  it('without a current session, plain lines and OTR commands call nothing and say what to do', async () => {
    const h = harness();
    await h.type('hello?');
    await h.type('/otr start');
    await h.quit();
    expect(h.engine.actions()).toEqual([['stop']]);
    expect(h.output()).toContain('No current session: /call sip:user@domain');
  });

  it('/quit stops the engine and run() resolves', async () => {
    const h = harness();
    await h.type('/quit');
    await h.done;
    expect(h.engine.actions()).toEqual([['stop']]);
  });

  it('/help lists the SIP commands', async () => {
    const h = harness();
    await h.type('/help');
    await h.quit();
    for (const command of ['/call', '/accept', '/reject', '/hangup', '/sessions', '/to', '/otr always', '/smp', '/trust', '/history', '/quit']) {
      expect(h.output()).toContain(command);
    }
  });
});

describe('SIP terminal shows registration and sessions', () => {
  it('registration, its failure and re-registration are shown', async () => {
    const h = harness();
    h.emit({ event: 'x-registration', state: 'registered' });
    h.emit({ event: 'x-registration', state: 'failed', reason: '403 Forbidden' });
    h.emit({ event: 'x-registration', state: 'registered' });
    await h.quit();
    expect(h.output()).toContain('Registered as sip:alice@example.org.');
    expect(h.output()).toContain('Registration as sip:alice@example.org failed: 403 Forbidden.');
    expect(h.output()).toContain('Registered again as sip:alice@example.org.');
  });

  it('the prompt says while the account is registering or not registered', async () => {
    const h = harness({ tty: true, env: { NO_COLOR: '1' } });
    await settle();
    expect(lastPrompt(h)).toBe('(registering…) [no session] > ');
    h.emit({ event: 'x-registration', state: 'registered' });
    expect(lastPrompt(h)).toBe('[no session] > ');
    h.emit({ event: 'x-registration', state: 'unregistered', reason: 'connection lost' });
    expect(lastPrompt(h)).toBe('(not registered) [no session] > ');
    await h.quit();
    expect(h.output()).toContain('No longer registered as sip:alice@example.org: connection lost.');
  });

  it('an incoming session is announced with the bell and how to answer; a conference says no OTR', async () => {
    const h = harness();
    h.engine.session(BOB, { direction: 'in', state: 'incoming', focus: true });
    h.emit({ event: 'incoming', peer: BOB, focus: true });
    await h.quit();
    expect(h.output()).toContain(`${BELL}Incoming chat from sip:bob@example.org (session 1). It is a conference: plain chat, no OTR. Type /accept to answer, /reject to decline.`);
  });

  it('/sessions lists the sessions numbered, with state and lock, the current one marked', async () => {
    const h = harness();
    await withBob(h, { lock: 'verified' });
    h.engine.session(CAROL, { direction: 'in', state: 'incoming' });
    h.emit({ event: 'incoming', peer: CAROL, focus: false });
    await h.type('/sessions');
    await h.quit();
    expect(h.output()).toContain('* 1. sip:bob@example.org  [verified]  outgoing');
    expect(h.output()).toContain('  2. sip:carol@example.org  [none]  incoming, waiting for /accept');
  });

  it('a message from a session that is not current names its peer and its session', async () => {
    const h = harness();
    await withBob(h);
    h.engine.session(CAROL, { direction: 'in' });
    h.emit({ event: 'session-started', peer: CAROL, cpim: true });
    h.emit({ event: 'message', from: BOB, text: 'from bob', encrypted: false });
    h.emit({ event: 'message', from: CAROL, text: 'from carol', encrypted: true });
    h.engine.drop(BOB);
    h.emit({ event: 'session-ended', peer: BOB, by: 'remote', reason: 'BYE' });
    await h.quit();
    expect(h.output()).toContain('[unencrypted] bob: from bob\n');
    expect(h.output()).toContain('[unverified] sip:carol@example.org: from carol (session 2: /to 2 to reply)');
    expect(h.output()).toContain('Chat with sip:bob@example.org (session 1) is over (bob ended it: BYE).');
    expect(h.output()).toContain('Now talking to sip:carol@example.org (session 2)');
  });

  it('a lock change in a session that is not current is told with its session', async () => {
    const h = harness();
    await withBob(h);
    h.engine.session(CAROL, { direction: 'in' });
    h.emit({ event: 'session-started', peer: CAROL, cpim: true });
    h.emit({ event: 'x-lock', peer: CAROL, lock: 'verified' });
    h.emit({ event: 'x-lock', peer: BOB, lock: 'verified' });
    await h.quit();
    expect(h.output()).toContain('sip:carol@example.org is now [verified] (session 2: /to 2)');
    expect(h.output()).not.toContain('sip:bob@example.org is now');
  });
});

describe('SIP terminal prompt shows the current peer and its lock in colour', () => {
  it('lock transitions none, unverified (orange), verified (green), fingerprint changed (red)', async () => {
    const h = harness({ tty: true, env: { TERM: 'xterm-256color' } });
    await withBob(h);
    await settle();
    expect(lastPrompt(h)).toContain(`sip:bob@example.org ${ESC}[2m[none]${ESC}[0m`);
    h.emit({ event: 'x-lock', peer: BOB, lock: 'unverified' });
    expect(lastPrompt(h)).toContain(`sip:bob@example.org ${ESC}[38;5;208m[unverified]${ESC}[0m`);
    h.emit({ event: 'x-lock', peer: BOB, lock: 'verified' });
    expect(lastPrompt(h)).toContain(`sip:bob@example.org ${ESC}[32m[verified]${ESC}[0m`);
    h.emit({ event: 'x-lock', peer: BOB, lock: 'fingerprint-changed' });
    expect(lastPrompt(h)).toContain(`sip:bob@example.org ${ESC}[1;31m[FINGERPRINT CHANGED]${ESC}[0m`);
    await h.quit();
  });

  it('without colour (NO_COLOR) the lock is plain text, unverified without 256 colours is yellow', async () => {
    const plain = harness({ tty: true, env: { NO_COLOR: '1' } });
    await withBob(plain, { lock: 'unverified' });
    await settle();
    expect(lastPrompt(plain)).toContain('sip:bob@example.org [unverified] > ');
    await plain.quit();
    const yellow = harness({ tty: true, env: { TERM: 'xterm' } });
    await withBob(yellow, { lock: 'unverified' });
    await settle();
    expect(lastPrompt(yellow)).toContain(`${ESC}[33m[unverified]${ESC}[0m`);
    await yellow.quit();
  });
});

describe('SIP terminal delivery markers', () => {
  it('each sent message is numbered, and delivered / not delivered refer to it', async () => {
    const h = harness();
    await withBob(h, { lock: 'unverified' });
    await h.type('first message');
    await h.type('second message');
    h.emit({ event: 'x-sent', peer: BOB, id: 'm-1', text: 'first message', encrypted: true });
    h.emit({ event: 'x-sent', peer: BOB, id: 'm-2', text: 'second message', encrypted: true });
    h.emit({ event: 'delivered', peer: BOB, id: 'm-1' });
    h.emit({ event: 'not-delivered', peer: BOB, id: 'm-2', reason: '408 Request Timeout' });
    await h.quit();
    expect(h.output()).toContain('[unverified] me: first message  #1 sent');
    expect(h.output()).toContain('✓ #1 "first message" delivered');
    expect(h.output()).toContain('✗ #2 "second message" NOT delivered: 408 Request Timeout');
  });

  it('a message held until encryption is shown as held with its text, even when the engine says so before send returns', async () => {
    const h = harness();
    await withBob(h);
    h.engine.duringSend = (id) => [{ event: 'x-held', peer: BOB, id }];
    await h.type('wait for otr');
    h.engine.duringSend = () => [];
    h.emit({ event: 'x-lock', peer: BOB, lock: 'unverified' });
    h.emit({ event: 'x-sent', peer: BOB, id: 'm-1', text: 'wait for otr', encrypted: true });
    h.emit({ event: 'delivered', peer: BOB, id: 'm-1' });
    await h.quit();
    expect(h.output()).toContain('… #1 "wait for otr" held: it goes out once the private conversation is up.');
    expect(h.output()).toContain('[unverified] me: wait for otr  #1 sent');
    expect(h.output()).toContain('✓ #1 "wait for otr" delivered');
  });

  it('the sent messages followed for delivery are bounded', async () => {
    const h = harness();
    await withBob(h);
    for (let index = 0; index <= MAX_TRACKED_SENT; index++) h.emit({ event: 'x-sent', peer: BOB, id: `x${index}`, text: `t${index}`, encrypted: false });
    h.emit({ event: 'delivered', peer: BOB, id: 'x0' });
    h.emit({ event: 'delivered', peer: BOB, id: `x${MAX_TRACKED_SENT}` });
    await h.quit();
    expect(h.output()).toContain('✓ A message to sip:bob@example.org was delivered');
    expect(h.output()).toContain(`✓ #${MAX_TRACKED_SENT + 1} "t${MAX_TRACKED_SENT}" delivered`);
  });
});

describe('SIP terminal is-composing', () => {
  it('off a terminal, the peer typing is a short line, once per start', async () => {
    const h = harness();
    await withBob(h);
    h.emit({ event: 'composing', peer: BOB, state: 'active' });
    h.emit({ event: 'composing', peer: BOB, state: 'active' });
    h.emit({ event: 'message', from: BOB, text: 'done typing', encrypted: false });
    h.emit({ event: 'composing', peer: BOB, state: 'active' });
    await h.quit();
    expect(h.output().match(/bob is typing…/g)).toHaveLength(2);
    // Keystrokes are not seen off a terminal: nothing is sent for composing.
    expect(h.engine.calls.filter((call) => call[0] === 'composing')).toEqual([]);
  });

  it('on a terminal, the prompt says who is typing until idle or a message', async () => {
    const h = harness({ tty: true, env: { NO_COLOR: '1' } });
    h.emit({ event: 'x-registration', state: 'registered' });
    await withBob(h);
    h.emit({ event: 'composing', peer: BOB, state: 'active' });
    expect(lastPrompt(h)).toBe('sip:bob@example.org [none] bob is typing… > ');
    h.emit({ event: 'composing', peer: BOB, state: 'idle' });
    expect(lastPrompt(h)).toBe('sip:bob@example.org [none] > ');
    h.emit({ event: 'composing', peer: BOB, state: 'active' });
    h.emit({ event: 'message', from: BOB, text: 'hi', encrypted: false });
    expect(lastPrompt(h)).toBe('sip:bob@example.org [none] > ');
    await h.quit();
  });

  it('on a terminal, typing a message sends active once, then idle when it is sent; typing a command sends nothing', async () => {
    const h = harness({ tty: true });
    await withBob(h);
    h.input.write('hel');
    await settle();
    h.input.write('lo\r');
    await settle();
    h.input.write('/sessions\r');
    await settle();
    await h.quit();
    expect(h.engine.calls.filter((call) => call[0] === 'composing' || call[0] === 'send')).toEqual([
      ['composing', BOB, 'active'],
      ['send', BOB, 'hello'],
      ['composing', BOB, 'idle'],
    ]);
  });

  it('on a terminal, typing stopped for the idle time sends idle; emptying the line sends idle', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const h = harness({ tty: true });
    await withBob(h);
    h.input.write('abc');
    await settle();
    vi.advanceTimersByTime(IDLE_AFTER_MS);
    h.input.write('d');
    await settle();
    h.input.write('\x7f\x7f\x7f\x7f');
    await settle();
    vi.useRealTimers();
    await h.quit();
    expect(h.engine.calls.filter((call) => call[0] === 'composing')).toEqual([
      ['composing', BOB, 'active'],
      ['composing', BOB, 'idle'],
      ['composing', BOB, 'active'],
      ['composing', BOB, 'idle'],
    ]);
  });
});

describe('SIP terminal fingerprint change alert', () => {
  it('fingerprint change: red lock, a system message asking to verify again, the bell and one desktop notification', async () => {
    const h = harness();
    await withBob(h, { lock: 'verified' });
    const before = h.output().length;
    h.emit({ event: 'fingerprint-changed', peer: BOB, fingerprint: THEIR_V3 });
    h.emit({ event: 'x-lock', peer: BOB, lock: 'fingerprint-changed' });
    const shown = h.output().slice(before);
    expect(shown).toContain('WARNING: sip:bob@example.org uses a different key than the one you verified');
    expect(shown).toContain('Verify them again with /smp');
    expect(shown.split(BELL)).toHaveLength(2);
    expect(h.notifications).toEqual([['sotto: fingerprint changed', 'sip:bob@example.org uses a different key than the one you verified. Verify them again before you trust the chat.']]);
    // Verified again, then changed again: a new alert.
    h.emit({ event: 'x-lock', peer: BOB, lock: 'verified' });
    h.emit({ event: 'x-lock', peer: BOB, lock: 'fingerprint-changed' });
    await h.quit();
    expect(h.notifications).toHaveLength(2);
    expect(h.output()).toContain("WARNING: sip:bob@example.org's fingerprint changed: the lock is red.");
    expect(h.output()).toContain('Verification must be redone');
  });

  it('a notifier that throws does not stop the chat', async () => {
    const h = harness();
    await withBob(h);
    const engine = h.engine;
    // The harness's notifier records into this array: make it throw.
    h.notifications.push = () => {
      throw new Error('no display');
    };
    expect(() => h.emit({ event: 'x-lock', peer: BOB, lock: 'fingerprint-changed' })).not.toThrow();
    await h.type('still here');
    await h.quit();
    expect(engine.actions()).toContainEqual(['send', BOB, 'still here']);
  });
});

describe('SIP terminal escapes hostile peer strings', () => {
  const HOSTILE = `sip:${ESC}[2J${ESC}]0;t\x07<b>x</b>\u202e@evil.example`;
  it('hostile peer names escaped in announcements, messages, /sessions, the prompt and the notification', async () => {
    const h = harness({ tty: true, env: { TERM: 'xterm-256color' } });
    h.engine.session(HOSTILE, { direction: 'in', state: 'incoming' });
    h.emit({ event: 'incoming', peer: HOSTILE, focus: false });
    await h.type('/accept');
    h.engine.session(HOSTILE, { direction: 'in' });
    h.emit({ event: 'session-started', peer: HOSTILE, cpim: true });
    h.emit({ event: 'message', from: HOSTILE, text: `text ${ESC}[31m red\u202e`, encrypted: false });
    h.emit({ event: 'x-notice', peer: HOSTILE, code: 'x', text: `${ESC}]0;title\x07` });
    h.emit({ event: 'session-ended', peer: 'sip:other@example.org', by: 'error', reason: `${ESC}[2J` });
    h.emit({ event: 'x-lock', peer: HOSTILE, lock: 'fingerprint-changed' });
    await h.type('/sessions');
    await h.quit();
    const output = h.output();
    expect(output).not.toContain(`${ESC}[2J`);
    expect(output).not.toContain(`${ESC}]`);
    expect(output).not.toContain(`${ESC}[31m`);
    expect(output).not.toContain('\u202e');
    // The bells rung are ours (incoming, fingerprint change), never the peer's.
    expect(output.split(BELL)).toHaveLength(3);
    expect(output).toContain('sip:<U+001B>[2J<U+001B>]0;t<U+0007><b>x</b><U+202E>@evil.example');
    const [[, body] = ['', '']] = h.notifications;
    // eslint-disable-next-line no-control-regex -- no control character may reach the notification
    expect(body).not.toMatch(/[<>\x00-\x1f\u202e]/);
    expect(body).toContain('&lt;U+001B&gt;[2J');
    expect(body).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});

describe('SIP terminal /history', () => {
  const message = (fields: Partial<HistoryMessage>): HistoryMessage => ({
    id: 1,
    account: 'sip:alice@example.org',
    peer: BOB,
    direction: 'in',
    time: new Date('2026-01-02T03:04:05Z'),
    contentType: 'text/plain',
    text: 'hello',
    delivery: 'not-requested',
    encryption: { status: 'plaintext' },
    truncated: false,
    ...fields,
  });

  it('/history renders each message with its lock for the current peer, with the search text', async () => {
    const h = harness();
    await withBob(h);
    h.engine.historyResult = {
      messages: [
        message({ text: 'plain hi' }),
        message({ id: 2, direction: 'out', text: `secret ${ESC}[2J`, delivery: 'delivered', encryption: { status: 'encrypted-verified', fingerprint: THEIR_V3, otrVersion: 3 } }),
      ],
      hasOlder: true,
    };
    await h.type('/history hi there');
    await h.quit();
    expect(h.engine.calls).toContainEqual(['history', BOB, 'hi there']);
    const output = h.output();
    expect(output).toContain('History with sip:bob@example.org containing "hi there" (newest last):');
    expect(output).toContain('2026-01-02 03:04:05Z [plain]          them <- plain hi');
    expect(output).toContain('[otr verified]   me  -> secret <U+001B>[2J  (delivered)');
    expect(output).toContain('-- sip:bob@example.org fingerprint (OTRv3): C3C3C3C3');
    expect(output).toContain('(older messages: sotto history show sip:bob@example.org --limit N)');
  });

  it('logging is off said clearly', async () => {
    const h = harness();
    await withBob(h);
    h.engine.historyResult = 'logging-off';
    await h.type('/history');
    await h.quit();
    expect(h.output()).toContain('Logging is off: no messages are recorded, so there is no history to show. Turn it on with: sotto logging on');
  });
});

describe('SIP terminal /otr info and SMP secrets', () => {
  it('/otr info shows the lock, their fingerprint and both of ours, and always-OTR', async () => {
    const h = harness();
    await withBob(h, { lock: 'unverified', otrVersion: 3, theirFingerprint: THEIR_V3, alwaysOtr: true });
    await h.type('/otr info');
    await h.quit();
    const output = h.output();
    expect(output).toContain('sip:bob@example.org [unverified], OTR version 3, CPIM');
    expect(output).toContain('their fingerprint: C3C3C3C3 C3C3C3C3 C3C3C3C3 C3C3C3C3 C3C3C3C3 (OTRv3) unverified');
    expect(output).toContain(`your fingerprint: ${OUR_V3.toUpperCase().slice(0, 8)}`);
    expect(output).toContain('your fingerprint (OTRv4):\n    B2B2B2B2');
    expect(output).toContain('always use OTR with bob: on');
  });

  it('/smp with a question alone asks for the secret on the next line; off a terminal it is read as typed', async () => {
    const h = harness();
    await withBob(h);
    await h.type('/smp Where did we meet?');
    await h.type('the lake');
    await h.type('/smp answer');
    await h.type('');
    await h.quit();
    expect(h.engine.actions()).toContainEqual(['startSmp', BOB, 'the lake', 'Where did we meet?']);
    expect(h.engine.actions().filter((call) => call[0] === 'answerSmp')).toEqual([]);
    expect(h.engine.actions().filter((call) => call[0] === 'send')).toEqual([]);
    expect(h.output()).toContain('Verification cancelled.');
  });

  it('on a terminal the secret asked for is not shown as it is typed, nor kept in the input history', async () => {
    const h = harness({ tty: true });
    await withBob(h);
    h.emit({ event: 'smp-request', peer: BOB, question: null });
    await h.type('/smp answer');
    h.input.write('hidden-words');
    await settle();
    h.emit({ event: 'message', from: BOB, text: 'while you type', encrypted: false });
    h.input.write('\r');
    await settle();
    // The up arrow brings back the command, never the secret.
    h.input.write(`${ESC}[A`);
    await settle();
    await h.quit();
    expect(h.engine.actions()).toContainEqual(['answerSmp', BOB, 'hidden-words']);
    expect(h.output()).not.toContain('hidden');
    expect(h.output()).toContain('Your answer to sip:bob@example.org (not shown; empty to cancel): ');
    expect(h.output()).toContain('Reply with /smp answer (you are then asked for the secret, not shown as you type).');
  });
});

describe('SIP terminal event sink and runSipTerminal', () => {
  it('events the engine emits before the terminal exists are shown once it is attached, up to a bound', async () => {
    const { PassThrough } = await import('node:stream');
    const { runSipTerminal, SipEventSink } = await import('../../src/terminal/sip-terminal.js');
    const { FakeEngine } = await import('./sip-fake-engine.js');
    const sink = new SipEventSink();
    const engine = new FakeEngine();
    sink.emit({ event: 'x-registration', state: 'registered' });
    for (let index = 0; index < SipEventSink.MAX_EARLY_EVENTS + 10; index++) sink.emit({ event: 'x-notice', peer: null, code: 'n', text: `early ${index}` });
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
    const done = runSipTerminal({ engine, input, output, env: {}, stateDir: '/tmp/state', notify: () => undefined, sink });
    sink.emit({ event: 'x-notice', peer: null, code: 'n', text: 'late' });
    input.end('/quit\n');
    await done;
    expect(written).toContain('Registered as sip:alice@example.org.');
    expect(written).toContain(`early ${SipEventSink.MAX_EARLY_EVENTS - 2}\n`);
    expect(written).not.toContain(`early ${SipEventSink.MAX_EARLY_EVENTS - 1}\n`);
    expect(written).toContain('late');
    expect(engine.actions()).toEqual([['stop']]);
  });
});

describe('SIP terminal composing follows the current session', () => {
  it('switching sessions while typing tells the old one idle and the new one active', async () => {
    const h = harness({ tty: true });
    await withBob(h);
    h.engine.session(CAROL, { direction: 'in' });
    h.emit({ event: 'session-started', peer: CAROL, cpim: true });
    h.input.write('for bob');
    await settle();
    h.input.write('\x15/to 2\r');
    await settle();
    h.input.write('for carol');
    await settle();
    expect(h.engine.calls.filter((call) => call[0] === 'composing')).toEqual([
      ['composing', BOB, 'active'],
      ['composing', BOB, 'idle'],
      ['composing', CAROL, 'active'],
    ]);
    await h.quit();
  });
});

describe('SIP terminal refuses to ask for a secret the terminal would echo', () => {
  it('with terminal input and piped output, /smp without a secret asks for it on the line instead', async () => {
    const { PassThrough } = await import('node:stream');
    const { SipTerminal } = await import('../../src/terminal/sip-terminal.js');
    const { FakeEngine } = await import('./sip-fake-engine.js');
    const engine = new FakeEngine();
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
    const terminal = new SipTerminal({ engine, input, output, env: {}, stateDir: '/tmp/state', notify: () => undefined });
    engine.emit = (event) => terminal.onEvent(event);
    const done = terminal.run();
    input.write(`/call ${BOB}\n`);
    await settle();
    engine.session(BOB);
    engine.emit({ event: 'session-started', peer: BOB, cpim: true });
    input.end('/smp\nnot a secret\n');
    await done;
    expect(written).toContain('This terminal cannot hide what you type: give the secret on the line');
    expect(engine.actions().filter((call) => call[0] === 'startSmp')).toEqual([]);
  });
});
