/**
 * For the browser tests: a `sotto web` server on a fake engine, and Debian's
 * chromium driven by playwright-core (never a downloaded browser). One
 * browser per test file.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startWebServer, type WebServer, type WebSettingsPort } from '../../src/web/web-server.js';
import { FakeEngine } from './fake-engine.js';

export const CHROMIUM = '/usr/bin/chromium';
/**
 * Where the screenshots go: the README's pictures (docs/web/) only when
 * SOTTO_SCREENSHOTS=1 asks to refresh them, so a test run never changes the
 * working tree; else a directory under the system's temporary one.
 */
export const SHOTS =
  process.env.SOTTO_SCREENSHOTS === '1' ? join(dirname(fileURLToPath(import.meta.url)), '../../../../docs/web') : join(tmpdir(), 'sotto-web-screenshots');

/** The fixed time the fake server stamps messages with (so screenshots stay the same). */
export const FIXED_TIME = Date.UTC(2026, 0, 2, 10, 30);

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Debian's chromium at ${CHROMIUM}: apt-get install chromium (npm test installs it through scripts/test-deps.mjs)`);
  }
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}

export interface Served {
  readonly engine: FakeEngine;
  readonly server: WebServer;
  readonly settings: WebSettingsPort & { loggingOn: boolean; regenerated: number };
  readonly log: string[];
}

export async function serve(prepare: (engine: FakeEngine) => void = () => undefined): Promise<Served> {
  const engine = new FakeEngine();
  prepare(engine);
  const log: string[] = [];
  const settings = {
    loggingOn: true,
    regenerated: 0,
    accounts: () => [engine.address, 'sip:alice@work.example'],
    logging: () => settings.loggingOn,
    setLogging: (on: boolean) => {
      settings.loggingOn = on;
      engine.logging = on;
      return Promise.resolve();
    },
    regenerateKey: () => {
      settings.regenerated += 1;
      return Promise.resolve({ v3: 'aa'.repeat(20), v4: 'bb'.repeat(56) });
    },
  };
  const server = await startWebServer({ engine, subscribe: engine.subscribe, log: (line) => void log.push(line), settings, clock: () => FIXED_TIME });
  return { engine, server, settings, log };
}

/** Stubs speech synthesis and notifications so the test sees what the page asks of them. */
const ALERT_STUBS = `
  window.__spoken = [];
  window.__notified = [];
  Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: { speak: (u) => window.__spoken.push(u.text), cancel: () => undefined } });
  class FakeNotification {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__notified.push({ title, body: options && options.body }); }
  }
  window.Notification = FakeNotification;
`;

export async function openPage(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ colorScheme, timezoneId: 'UTC', locale: 'en-GB', viewport: { width: 1000, height: 700 } });
  await context.addInitScript(ALERT_STUBS);
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}
