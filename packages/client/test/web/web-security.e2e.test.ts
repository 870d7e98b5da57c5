/// <reference lib="dom" />
/**
 * Who may talk to `sotto web`'s server, and peer content in the page:
 * requests without the token, with a foreign Host, or from a foreign Origin
 * (also from a real page on another origin in chromium) are refused; a peer
 * message and an SMP question full of markup and script stay text.
 */
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MAX_COMMAND_BYTES, PATHS, TOKEN_HEADER } from '@sotto/web/protocol';
import { launchBrowser, openPage, serve, type Served } from './harness.js';

const BOB = 'sip:bob@example.org';
const HOSTILE = `<img src=x onerror="window.__pwned='img'"><script>window.__pwned='script'</script><b onmouseover="window.__pwned='b'">bold</b>`;

let browser: Browser;
let served: Served;
let context: BrowserContext;
let page: Page;
let foreign: Server;
let foreignPort = 0;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function raw(options: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: served.server.port, path: options.path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${String(served.server.port)}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      // An event stream that was accepted never ends: take its first chunk.
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
          res.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const origin = (): string => `http://127.0.0.1:${String(served.server.port)}`;
const withToken = (path: string): string => `${path}?token=${served.server.token}`;
const commandHeaders = (): Record<string, string> => ({ origin: origin(), 'content-type': 'application/json', [TOKEN_HEADER]: served.server.token });

beforeAll(async () => {
  browser = await launchBrowser();
  served = await serve((engine) => engine.session(BOB, { state: 'active' }));
  ({ context, page } = await openPage(browser, served.server.url));
  // A page on another origin that tries the event stream and a command, with the token.
  foreign = createServer((_, response) => {
    const target = origin();
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html><script>
      window.results = {};
      const source = new EventSource('${target}${PATHS.events}?token=${served.server.token}', { withCredentials: true });
      source.onmessage = () => { window.results.events = 'received'; };
      source.onerror = () => { window.results.events = window.results.events ?? 'refused'; source.close(); };
      fetch('${target}${PATHS.command}', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', '${TOKEN_HEADER}': '${served.server.token}' }, body: JSON.stringify({ type: 'call', peer: 'sip:evil@example.org' }) })
        .then((r) => { window.results.command = 'status ' + r.status; }, () => { window.results.command = 'refused'; });
      fetch('${target}${PATHS.command}', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ type: 'call', peer: 'sip:evil2@example.org' }) })
        .then(() => { window.results.simple = 'sent'; }, () => { window.results.simple = 'refused'; });
    </script>`);
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  const address = foreign.address();
  foreignPort = typeof address === 'object' && address !== null ? address.port : 0;
});

afterAll(async () => {
  await context.close();
  await browser.close();
  await served.server.close();
  await new Promise((resolve) => foreign.close(resolve));
});

describe('sotto web refuses requests it must not answer', () => {
  it('a request without the token, or with a wrong one, is refused', async () => {
    for (const path of ['/', '/index.html', PATHS.events, '/?token=wrong', `${PATHS.events}?token=${served.server.token.slice(1)}`]) {
      const answer = await raw({ path });
      expect(answer.status, path).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, code: 'unauthorized' });
    }
    const command = await raw({ path: PATHS.command, method: 'POST', headers: { ...commandHeaders(), [TOKEN_HEADER]: 'x'.repeat(43) }, body: '{"type":"call","peer":"sip:x@y"}' });
    expect(command.status).toBe(401);
    expect(served.engine.calls).toEqual([]);
  });

  it('a foreign Host (DNS rebinding) is refused even with the token', async () => {
    for (const host of [`evil.example:${String(served.server.port)}`, '127.0.0.1', `127.0.0.1:${String(served.server.port + 1)}`, `localhost.evil.example:${String(served.server.port)}`]) {
      const answer = await raw({ path: withToken('/'), headers: { host } });
      expect(answer.status, host).toBe(403);
    }
    expect((await raw({ path: withToken('/'), headers: { host: `localhost:${String(served.server.port)}` } })).status).toBe(200);
  });

  it('the event stream and commands from a foreign Origin are refused, even with the token', async () => {
    for (const bad of ['http://evil.example', `http://127.0.0.1:${String(foreignPort)}`, 'null']) {
      expect((await raw({ path: withToken(PATHS.events), headers: { origin: bad } })).status, bad).toBe(403);
      const command = await raw({ path: PATHS.command, method: 'POST', headers: { ...commandHeaders(), origin: bad }, body: '{"type":"call","peer":"sip:x@y"}' });
      expect(command.status, bad).toBe(403);
    }
    expect((await raw({ path: withToken(PATHS.events), headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    // A command without any Origin (not from a browser page) is refused too, and the cookie alone is not enough.
    const cookieOnly = await raw({ path: PATHS.command, method: 'POST', headers: { origin: origin(), 'content-type': 'application/json', cookie: `sotto-token-${String(served.server.port)}=${served.server.token}` }, body: '{"type":"call","peer":"sip:x@y"}' });
    expect(cookieOnly.status).toBe(401);
    const noOrigin = await raw({ path: PATHS.command, method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: served.server.token }, body: '{"type":"call","peer":"sip:x@y"}' });
    expect(noOrigin.status).toBe(403);
    expect(served.engine.calls).toEqual([]);
  });

  it('a page on another origin in chromium can neither read the event stream nor send a command', async () => {
    const other = await context.newPage();
    await other.goto(`http://127.0.0.1:${String(foreignPort)}/`);
    await other.waitForFunction(() => {
      const results = (window as unknown as { results: Record<string, string> }).results;
      return results.events !== undefined && results.command !== undefined && results.simple !== undefined;
    });
    const results = await other.evaluate(() => (window as unknown as { results: Record<string, string> }).results);
    expect(results.events).toBe('refused');
    expect(results.command).toBe('refused');
    expect(served.engine.calls).toEqual([]);
    await other.close();
  });

  it('bodies are bounded and checked against the schema, with typed errors', async () => {
    const big = await raw({ path: PATHS.command, method: 'POST', headers: commandHeaders(), body: Buffer.alloc(MAX_COMMAND_BYTES + 1, 0x20) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ ok: false, code: 'too-large' });
    const notJson = await raw({ path: PATHS.command, method: 'POST', headers: commandHeaders(), body: '{' });
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, code: 'bad-request' });
    const wrong = await raw({ path: PATHS.command, method: 'POST', headers: commandHeaders(), body: JSON.stringify({ type: 'send', peer: BOB, text: 42 }) });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body)).toEqual({ ok: false, code: 'bad-request', message: 'text must be a string' });
    const unknown = await raw({ path: PATHS.command, method: 'POST', headers: commandHeaders(), body: JSON.stringify({ type: 'eval', peer: BOB }) });
    expect(unknown.status).toBe(400);
    expect((await raw({ path: withToken('/../../package.json') })).status).toBe(404);
    expect(served.engine.calls).toEqual([]);
  });

  it('every answer carries the strict CSP, nosniff, no referrer and no framing', async () => {
    for (const answer of [await raw({ path: withToken('/') }), await raw({ path: '/' }), await raw({ path: withToken(PATHS.events) })]) {
      expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
      expect(answer.headers['content-security-policy']).toContain("style-src 'self'");
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
    const page = await raw({ path: withToken('/') });
    expect(page.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect(page.body).not.toMatch(/<script>|<style>|style=/);
  });
});

describe('peer content in the page stays text', () => {
  it('a peer message full of markup and script never executes and is shown as written', async () => {
    await page.locator('.toolbar .lock').waitFor();
    served.engine.emit({ event: 'message', from: BOB, text: HOSTILE, encrypted: false });
    const message = page.locator('.message-in .text').last();
    await message.waitFor();
    expect(await message.textContent()).toBe(HOSTILE);
    expect(await page.locator('.messages img, .messages script, .messages b').count()).toBe(0);
    await message.hover();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  });

  it('an SMP question full of markup and script never executes and is shown as written', async () => {
    served.engine.emit({ event: 'smp-request', peer: BOB, question: HOSTILE });
    const question = page.locator('.question-text');
    await question.waitFor();
    expect(await question.textContent()).toBe(HOSTILE);
    expect(await page.locator('dialog img, dialog script, dialog b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  });

  it('a peer address full of markup is text in the tab, the toolbar and the alert', async () => {
    const peer = `sip:<img src=x onerror="window.__pwned='addr'">@example.org`;
    served.engine.session(peer, { state: 'active' });
    served.engine.emit({ event: 'fingerprint-changed', peer, fingerprint: 'ab'.repeat(20) });
    await page.getByRole('tab', { name: /onerror/ }).waitFor();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  });
});
