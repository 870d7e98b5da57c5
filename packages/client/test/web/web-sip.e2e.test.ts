/// <reference lib="dom" />
/**
 * End to end in Debian's chromium: two `sotto web` (run in-process through
 * `main`) registered at a private Kamailio, alice's account from the store
 * (`sotto account add`), bob's from the command line. Call, accept, OTR
 * (orange lock), SMP through the SMP window (green lock), a message each
 * way with its lock, logging on and off, history search, a fingerprint
 * change (bob regenerates his key in the page's settings and comes back:
 * red lock, system message, speech and notification), and a reload.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { main } from '../../src/main.js';
import { memoryIo, type MemoryIo } from '../helpers/memory-io.js';
import { SIP_PASSWORD, startKamailio, type Kamailio } from '../sip/kamailio/harness.js';
import { launchBrowser, openPage } from './harness.js';

interface WebClient {
  readonly address: string;
  readonly url: string;
  readonly io: MemoryIo;
  readonly exit: Promise<number>;
  context: BrowserContext;
  page: Page;
}

let kam: Kamailio;
let browser: Browser;
let dirs: string[] = [];
let running: WebClient[] = [];
let alice: WebClient;
let bob: WebClient;
let aliceDir = '';
let bobDir = '';

const domain = (): string => kam.domain;
const ALICE = (): string => `sip:alice@${domain()}`;
const BOB = (): string => `sip:bob@${domain()}`;

function freshDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sotto-web-${name}-`));
  dirs.push(dir);
  writeFileSync(join(dir, 'password'), `${SIP_PASSWORD}\n`, { mode: 0o600 });
  return dir;
}

/** Runs `sotto web ARGS` in-process; resolves once it printed its address, with the page open. */
async function startWeb(address: string, args: readonly string[]): Promise<WebClient> {
  const io = memoryIo({ SOTTO_NO_BROWSER: '1' });
  const exit = main(['web', '--no-browser', ...args], io.io);
  let failed: number | undefined;
  void exit.then((status) => (failed = status));
  for (;;) {
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(io.stdout())?.[1];
    if (url !== undefined) {
      const { context, page } = await openPage(browser, url);
      const client: WebClient = { address, url, io, exit, context, page };
      running.push(client);
      return client;
    }
    if (failed !== undefined) throw new Error(`sotto web exited with ${String(failed)}: ${io.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stopWeb(client: WebClient): Promise<number> {
  await client.context.close();
  client.io.stop();
  const status = await client.exit;
  running = running.filter((entry) => entry !== client);
  return status;
}

function bobArgs(): string[] {
  return ['--account', BOB(), '--password-file', join(bobDir, 'password'), '--proxy', `${kam.sipTcp.host}:${String(kam.sipTcp.port)}`, '--transport', 'tcp', '--msrp-transport', 'tcp', '--state-dir', bobDir];
}

const toolbarLock = (page: Page, lock: string): Promise<void> => page.locator(`.toolbar .lock[data-lock="${lock}"]`).waitFor();
const messageLock = (page: Page, kind: 'in' | 'out', text: string): Promise<string | null> => page.locator(`.message-${kind}`, { hasText: text }).getAttribute('data-lock');

async function say(from: WebClient, to: WebClient, text: string): Promise<void> {
  await from.page.getByLabel(`Message to ${to.address}`).fill(text);
  await from.page.keyboard.press('Enter');
  await to.page.locator('.message-in', { hasText: text }).waitFor();
  await from.page.locator('.message-out', { hasText: text }).locator('.delivery-delivered').waitFor();
}

async function accept(callee: WebClient, caller: WebClient): Promise<void> {
  await callee.page.getByRole('tab', { name: new RegExp(caller.address) }).click();
  await callee.page.getByRole('button', { name: 'Accept' }).click();
}

async function setLogging(client: WebClient, on: boolean): Promise<void> {
  await client.page.getByRole('button', { name: 'Settings' }).click();
  const settings = client.page.getByRole('dialog', { name: 'Settings' });
  const box = settings.getByLabel('Record messages (logging)');
  if (on) await box.check();
  else await box.uncheck();
  await settings.getByText(on ? 'Every message you send and receive is recorded' : 'Nothing is recorded.').waitFor();
  await client.page.keyboard.press('Escape');
  await settings.waitFor({ state: 'detached' });
}

async function historyTexts(client: WebClient, peer: string, search?: string): Promise<string[]> {
  const { page } = client;
  await page.getByRole('button', { name: 'History' }).click();
  const dialog = page.getByRole('dialog', { name: `History with ${peer}` });
  await dialog.waitFor();
  if (search !== undefined) {
    await dialog.getByLabel('Search').fill(search);
    await dialog.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction((wanted) => Array.from(document.querySelectorAll('.history-entry .text')).every((entry) => entry.textContent.includes(wanted)), search);
  }
  await dialog.locator('.history-entry').first().waitFor();
  const texts = await dialog.locator('.history-entry .text').allTextContents();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  return texts;
}

beforeAll(async () => {
  [kam, browser] = await Promise.all([startKamailio(), launchBrowser()]);
  aliceDir = freshDir('alice');
  bobDir = freshDir('bob');
  // alice's account is in her store; `sotto web` takes the only one there.
  const add = memoryIo();
  const status = await main(['account', 'add', `sip:alice@${kam.domain}`, '--password-file', join(aliceDir, 'password'), '--proxy', `${kam.sipTcp.host}:${String(kam.sipTcp.port)}`, '--transport', 'tcp', '--state-dir', aliceDir], add.io);
  if (status !== 0) throw new Error(`sotto account add: ${add.stderr()}`);
  [alice, bob] = await Promise.all([startWeb(ALICE(), ['--state-dir', aliceDir]), startWeb(BOB(), bobArgs())]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(running.map((client) => stopWeb(client)));
  await browser.close();
  await kam.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('two sotto web registered at Kamailio, in chromium', () => {
  it('both register: the account from the store and the one from the command line', async () => {
    await alice.page.locator('.registration-registered').waitFor();
    await bob.page.locator('.registration-registered').waitFor();
    expect(await alice.page.locator('.account select option').allTextContents()).toEqual([ALICE()]);
    expect(await bob.page.locator('.account select option').allTextContents()).toEqual([BOB()]);
  });

  it('alice calls, bob accepts, and OTR starts with the stream: orange lock on both sides', async () => {
    await setLogging(alice, true);
    await alice.page.getByLabel('Address to chat with').fill(BOB());
    await alice.page.getByRole('button', { name: 'Chat' }).click();
    await accept(bob, alice);
    await toolbarLock(alice.page, 'unverified');
    await toolbarLock(bob.page, 'unverified');
  });

  it('SMP through the SMP window: a question, its answer, and the green lock on both sides', async () => {
    await alice.page.getByRole('button', { name: /fingerprint not verified/ }).first().click();
    await alice.page.getByRole('button', { name: 'Verify identity…' }).click();
    const asking = alice.page.getByRole('dialog', { name: `Verify ${BOB()}` });
    await asking.getByRole('textbox', { name: 'Question' }).fill('Where did we meet?');
    await asking.getByLabel(/Answer \(they must/).fill('Lisbon');
    await asking.getByRole('button', { name: 'Verify' }).click();
    const answering = bob.page.getByRole('dialog', { name: `Verify ${ALICE()}` });
    await answering.getByText('Where did we meet?').waitFor();
    await answering.getByLabel('Answer').fill('Lisbon');
    await answering.getByRole('button', { name: 'Answer' }).click();
    await asking.getByText('Verification succeeded').waitFor();
    await answering.getByText('Verification succeeded').waitFor();
    await alice.page.keyboard.press('Escape');
    await bob.page.keyboard.press('Escape');
    await toolbarLock(alice.page, 'verified');
    await toolbarLock(bob.page, 'verified');
  });

  it('a message each way, each with the green lock it was sent and received under', async () => {
    await say(alice, bob, 'hello bob, see you at noon');
    await say(bob, alice, 'hi alice');
    expect(await messageLock(alice.page, 'out', 'hello bob')).toBe('encrypted-verified');
    expect(await messageLock(bob.page, 'in', 'hello bob')).toBe('encrypted-verified');
    expect(await messageLock(bob.page, 'out', 'hi alice')).toBe('encrypted-verified');
    expect(await messageLock(alice.page, 'in', 'hi alice')).toBe('encrypted-verified');
  });

  it('history search finds the recorded message, and with logging off nothing more is recorded', async () => {
    expect(await historyTexts(alice, BOB(), 'noon')).toEqual(['hello bob, see you at noon']);
    await setLogging(alice, false);
    await say(alice, bob, 'this one stays unrecorded');
    await alice.page.getByRole('button', { name: 'History' }).click();
    await alice.page.getByText('Logging is off: no message is recorded.').waitFor();
    await alice.page.keyboard.press('Escape');
    await setLogging(alice, true);
    const texts = await historyTexts(alice, BOB());
    expect(texts).toContain('hello bob, see you at noon');
    expect(texts).toContain('hi alice');
    expect(texts.some((text) => text.includes('unrecorded'))).toBe(false);
  });

  it('bob regenerates his key in the settings and comes back: alice sees the red lock, a system message, a spoken alert and a notification', async () => {
    await bob.page.getByRole('button', { name: 'Settings' }).click();
    const settings = bob.page.getByRole('dialog', { name: 'Settings' });
    const before = await settings.locator('.fingerprint-groups').allTextContents();
    await settings.getByRole('button', { name: 'Regenerate key…' }).click();
    await settings.getByRole('button', { name: 'Regenerate my key' }).click();
    await settings.getByText('A new key was made.').waitFor();
    const regenerated = await settings.locator('.fingerprint-groups').allTextContents();
    expect(regenerated).not.toEqual(before);
    expect(await stopWeb(bob)).toBe(0);
    await alice.page.locator('.message-system', { hasText: 'Chat session ended' }).waitFor();

    bob = await startWeb(BOB(), bobArgs());
    await bob.page.locator('.registration-registered').waitFor();
    // The key regenerated is the key the engine runs with: the settings show it after the restart.
    await bob.page.getByRole('button', { name: 'Settings' }).click();
    expect(await bob.page.getByRole('dialog', { name: 'Settings' }).locator('.fingerprint-groups').allTextContents()).toEqual(regenerated);
    await bob.page.keyboard.press('Escape');

    await alice.page.getByRole('button', { name: 'Call again' }).click();
    await accept(bob, alice);
    await toolbarLock(alice.page, 'fingerprint-changed');
    await alice.page.locator('.message-system.warning', { hasText: `the fingerprint of ${BOB()} has changed` }).waitFor();
    await alice.page.waitForFunction(() => (window as unknown as { __spoken: string[] }).__spoken.length === 1);
    const spoken = await alice.page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);
    const notified = await alice.page.evaluate(() => (window as unknown as { __notified: { title: string; body: string }[] }).__notified);
    expect(spoken[0]).toContain(`fingerprint of ${BOB()} has changed`);
    expect(notified).toHaveLength(1);
    expect(notified[0]?.body).toContain('has changed');
    // bob still trusts alice's key: his side is green.
    await toolbarLock(bob.page, 'verified');
  });

  it('a reload keeps the conversation, its messages and their locks, and the red lock, without speaking again', async () => {
    await alice.page.reload();
    await toolbarLock(alice.page, 'fingerprint-changed');
    expect(await alice.page.getByRole('tab', { selected: true }).textContent()).toContain(BOB());
    expect(await messageLock(alice.page, 'out', 'hello bob')).toBe('encrypted-verified');
    expect(await messageLock(alice.page, 'in', 'hi alice')).toBe('encrypted-verified');
    await alice.page.locator('.message-system.warning', { hasText: 'has changed' }).waitFor();
    expect(await alice.page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.length)).toBe(0);
  });
});
