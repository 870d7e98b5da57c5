/// <reference lib="dom" />
/**
 * The page of `sotto web` in Debian's chromium, on a fake engine: the locks,
 * the Encryption menu, the SMP window, per-message locks, the fingerprint
 * change alert, logging off, history search and reload. Saves the screenshots
 * the README shows (docs/web/).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { THEIR_NEW_V3, THEIR_V3 } from './fake-engine.js';
import { SHOTS, launchBrowser, openPage, serve, type Served } from './harness.js';

const BOB = 'sip:bob@example.org';
const CAROL = 'sip:carol@example.org';

let browser: Browser;
let served: Served;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  served = await serve((engine) => engine.session(BOB, { state: 'active' }));
  served.engine.emit({ event: 'x-registration', state: 'registered' });
  ({ context, page } = await openPage(browser, served.server.url));
});

afterAll(async () => {
  await context.close();
  await browser.close();
  await served.server.close();
});

const toolbarLock = (): Promise<string | null> => page.locator('.toolbar .lock').getAttribute('data-lock');
async function waitToolbarLock(lock: string): Promise<void> {
  await page.locator(`.toolbar .lock[data-lock="${lock}"]`).waitFor();
}
async function shot(name: string): Promise<void> {
  await page.locator('.app').screenshot({ path: join(SHOTS, name), animations: 'disabled' });
}

describe('sotto web in a real browser, on a fake engine', () => {
  it('shows the account, its registration and the conversation with a grey lock', async () => {
    await page.locator('.registration-registered').waitFor();
    await page.getByRole('tab', { name: new RegExp(BOB) }).waitFor();
    await waitToolbarLock('none');
    expect(await page.locator('.account select option').allTextContents()).toEqual(['sip:alice@example.org', 'sip:alice@work.example']);
    await shot('lock-none.png');
  });

  it('the Encryption menu starts OTR: orange lock, and both fingerprints in groups', async () => {
    await page.getByRole('button', { name: /Not encrypted/ }).click();
    await page.getByRole('button', { name: 'Start OTR encryption' }).click();
    await waitToolbarLock('unverified');
    expect(served.engine.calls).toContainEqual(['startOtr', BOB]);
    await page.getByRole('button', { name: /fingerprint not verified/ }).first().click();
    const menu = page.getByRole('group', { name: 'Encryption' });
    await menu.waitFor();
    const groups = await menu.locator('.fingerprint-groups').allTextContents();
    expect(groups).toContain('FEDCBA9876543210FEDCBA9876543210FEDCBA98');
    expect(groups).toContain('0123456789ABCDEF0123456789ABCDEF01234567');
    await menu.getByRole('button', { name: 'Stop OTR encryption' }).waitFor();
    await shot('lock-unverified.png');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
  });

  it('each message carries the lock it was sent or received under, its delivery and time', async () => {
    served.engine.emit({ event: 'message', from: BOB, text: 'hello alice', encrypted: true });
    await page.locator('.message-in', { hasText: 'hello alice' }).waitFor();
    expect(await page.locator('.message-in', { hasText: 'hello alice' }).getAttribute('data-lock')).toBe('encrypted-unverified');
    await page.getByLabel(`Message to ${BOB}`).fill('hi bob');
    await page.keyboard.press('Enter');
    const sent = page.locator('.message-out', { hasText: 'hi bob' });
    await sent.waitFor();
    expect(await sent.getAttribute('data-lock')).toBe('encrypted-unverified');
    expect(served.engine.calls).toContainEqual(['send', BOB, 'hi bob']);
    served.engine.emit({ event: 'delivered', peer: BOB, id: 'm1' });
    await sent.locator('.delivery-delivered').waitFor();
    expect(await sent.locator('time').textContent()).toBe('10:30');
  });

  it('is-composing shows while the contact types', async () => {
    served.engine.emit({ event: 'composing', peer: BOB, state: 'active' });
    await page.locator('.composing', { hasText: `${BOB} is typing` }).waitFor();
    served.engine.emit({ event: 'composing', peer: BOB, state: 'idle' });
    await page.locator('.composing', { hasText: 'typing' }).waitFor({ state: 'detached' }).catch(() => undefined);
    expect((await page.locator('.composing').textContent())?.trim()).toBe('');
  });

  it('the SMP window asks a question, shows progress, then success and the green lock', async () => {
    await page.getByRole('button', { name: /fingerprint not verified/ }).first().click();
    await page.getByRole('button', { name: 'Verify identity…' }).click();
    const dialog = page.getByRole('dialog', { name: `Verify ${BOB}` });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Question' }).fill('Where did we meet?');
    await dialog.getByLabel(/Answer \(they must/).fill('Lisbon');
    await page.screenshot({ path: join(SHOTS, 'smp-window.png') });
    await dialog.getByRole('button', { name: 'Verify' }).click();
    await dialog.locator('progress').waitFor();
    expect(served.engine.calls).toContainEqual(['startSmp', BOB, 'Lisbon', 'Where did we meet?']);
    served.engine.emit({ event: 'smp-result', peer: BOB, success: true });
    served.engine.lock(BOB, 'verified');
    await dialog.getByText('Verification succeeded').waitFor();
    await page.keyboard.press('Escape');
    await waitToolbarLock('verified');
    served.engine.emit({ event: 'message', from: BOB, text: 'now verified', encrypted: true });
    await page.locator('.message-in', { hasText: 'now verified' }).waitFor();
    expect(await page.locator('.message-in', { hasText: 'now verified' }).getAttribute('data-lock')).toBe('encrypted-verified');
    await shot('lock-verified.png');
  });

  it('a question from the contact opens the SMP window to answer it; a failure is shown', async () => {
    served.engine.emit({ event: 'smp-request', peer: BOB, question: 'Our first pet?' });
    const dialog = page.getByRole('dialog', { name: `Verify ${BOB}` });
    await dialog.getByText('Our first pet?').waitFor();
    await dialog.getByLabel('Answer').fill('Rex');
    await dialog.getByRole('button', { name: 'Answer' }).click();
    await dialog.locator('progress').waitFor();
    expect(served.engine.calls).toContainEqual(['answerSmp', BOB, 'Rex']);
    served.engine.emit({ event: 'smp-result', peer: BOB, success: false });
    await dialog.getByText('Verification failed').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('manual verification compares both fingerprints and marks theirs verified', async () => {
    served.engine.lock(BOB, 'unverified');
    await waitToolbarLock('unverified');
    await page.getByRole('button', { name: /fingerprint not verified/ }).first().click();
    await page.getByRole('button', { name: 'Verify identity…' }).click();
    const dialog = page.getByRole('dialog', { name: `Verify ${BOB}` });
    await dialog.getByLabel('Compare fingerprints').check();
    expect(await dialog.locator('.fingerprint-groups').allTextContents()).toContain(THEIR_V3.toUpperCase());
    await dialog.getByRole('button', { name: 'They match: mark verified' }).click();
    await waitToolbarLock('verified');
    expect(served.engine.calls).toContainEqual(['trust', BOB]);
  });

  it('"always use OTR" is set for this contact from the Encryption menu', async () => {
    await page.getByRole('button', { name: /fingerprint verified/ }).first().click();
    await page.getByLabel('Always use OTR with this contact').check();
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>("#encryption-menu input[type=checkbox]")?.checked === true);
    expect(served.engine.calls).toContainEqual(['setAlwaysOtr', BOB, true]);
    await page.keyboard.press('Escape');
  });

  it('a fingerprint change turns the lock red, writes a system message, speaks and notifies', async () => {
    served.engine.session(BOB, { theirFingerprint: THEIR_NEW_V3 });
    served.engine.emit({ event: 'fingerprint-changed', peer: BOB, fingerprint: THEIR_NEW_V3 });
    served.engine.lock(BOB, 'fingerprint-changed');
    await waitToolbarLock('fingerprint-changed');
    await page.locator('.message-system.warning', { hasText: 'fingerprint of sip:bob@example.org has changed' }).waitFor();
    await page.waitForFunction(() => (window as unknown as { __spoken: string[] }).__spoken.length === 1);
    const spoken = await page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);
    const notified = await page.evaluate(() => (window as unknown as { __notified: { title: string; body: string }[] }).__notified);
    expect(spoken[0]).toContain('fingerprint of sip:bob@example.org has changed');
    expect(notified).toHaveLength(1);
    expect(notified[0]?.body).toContain('has changed');
    await shot('lock-changed.png');
  });

  it('another conversation counts its unread messages until shown', async () => {
    served.engine.session(CAROL, { direction: 'in' });
    served.engine.emit({ event: 'message', from: CAROL, text: 'are you there?', encrypted: false });
    const tab = page.getByRole('tab', { name: new RegExp(CAROL) });
    await tab.locator('.unread', { hasText: '1' }).waitFor();
    await page.getByRole('tab', { name: new RegExp(BOB) }).focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('.message-in', { hasText: 'are you there?' }).waitFor();
    expect(await page.locator('.message-in', { hasText: 'are you there?' }).getAttribute('data-lock')).toBe('plaintext');
    await tab.locator('.unread').waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: new RegExp(BOB) }).click();
    await waitToolbarLock('fingerprint-changed');
  });

  it('history search lists the recorded messages that match, with their locks', async () => {
    served.engine.record(BOB, 'in', 'the meeting is at noon', 'encrypted-verified');
    served.engine.record(BOB, 'out', 'see you there', 'plaintext');
    await page.getByRole('button', { name: 'History' }).click();
    const dialog = page.getByRole('dialog', { name: `History with ${BOB}` });
    await dialog.locator('.history-entry').nth(1).waitFor();
    await dialog.getByLabel('Search').fill('meeting');
    await dialog.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.history-entry').length === 1);
    expect(await dialog.locator('.history-entry .text').allTextContents()).toEqual(['the meeting is at noon']);
    expect(await dialog.locator('.history-entry .lock').getAttribute('data-lock')).toBe('encrypted-verified');
    expect(served.engine.calls).toContainEqual(['history', BOB, 'meeting']);
    await page.keyboard.press('Escape');
  });

  it('logging off: the settings switch turns it off and the history says nothing is recorded', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Record messages (logging)').uncheck();
    await settings.getByText('Nothing is recorded.').waitFor();
    expect(served.settings.loggingOn).toBe(false);
    await settings.getByRole('button', { name: 'Regenerate key…' }).click();
    await settings.getByText('every contact who verified you must verify you again').waitFor();
    await settings.getByRole('button', { name: 'Keep my key' }).click();
    expect(served.settings.regenerated).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByText('Logging is off: no message is recorded.').waitFor();
    await page.keyboard.press('Escape');
  });

  it('a reload keeps the conversations, messages, locks and the selected tab, and does not speak the alert again', async () => {
    await page.reload();
    await waitToolbarLock('fingerprint-changed');
    expect(await page.getByRole('tab', { selected: true }).textContent()).toContain(BOB);
    await page.locator('.message-in', { hasText: 'hello alice' }).waitFor();
    expect(await page.locator('.message-out', { hasText: 'hi bob' }).getAttribute('data-lock')).toBe('encrypted-unverified');
    expect(await page.locator('.message-in', { hasText: 'now verified' }).getAttribute('data-lock')).toBe('encrypted-verified');
    expect(await page.getByRole('tab').count()).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.length)).toBe(0);
    expect(await toolbarLock()).toBe('fingerprint-changed');
  });

  it('is usable in the dark colour scheme and at 200% zoom', async () => {
    const dark = await openPage(browser, served.server.url, 'dark');
    await dark.page.locator('.toolbar .lock').waitFor();
    const background = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(13, 17, 23)');
    // 200% zoom: half the CSS width; nothing wider than the window.
    await dark.page.setViewportSize({ width: 500, height: 700 });
    const overflow = await dark.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await dark.page.locator('.app').screenshot({ path: join(SHOTS, 'dark-narrow.png') });
    await dark.context.close();
  });
});
