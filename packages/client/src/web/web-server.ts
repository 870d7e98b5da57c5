/**
 * The local HTTP server of `sotto web`: serves the built page, pushes
 * {@link ServerMessage}s over server-sent events and takes {@link Command}s
 * as JSON POSTs, on 127.0.0.1 only.
 *
 * Who may talk to it (every request, before anything else):
 * - `Host` must be `127.0.0.1:PORT` or `localhost:PORT` (a page on another
 *   site that rebinds its name to 127.0.0.1 sends its own name);
 * - a request a browser marks as cross-site (`Sec-Fetch-Site`), or one with
 *   an `Origin` other than ours, is refused; a command must carry our Origin;
 * - the random token must come along: in the `x-sotto-token` header
 *   (commands must use it), the `token` query parameter (the address printed
 *   and the event stream), or the SameSite=Strict cookie the page's first
 *   load sets (its scripts and styles).
 * Every answer carries a strict Content-Security-Policy (scripts and styles
 * from the server's own files only: no inline script or style), nosniff,
 * no referrer and no framing. Bodies are bounded; errors are typed JSON.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import {
  MAX_COMMAND_BYTES,
  MAX_HISTORY_ENTRIES,
  PATHS,
  ProtocolError,
  TOKEN_HEADER,
  TOKEN_PARAM,
  parseCommand,
  type Command,
  type CommandReply,
  type ErrorCode,
  type HistoryResult,
  type OurFingerprints,
  type ServerMessage,
  type Settings,
} from '@sotto/web/protocol';
import type { SipChatEngine, SipChatEvent } from '../sip-chat/engine-api.js';
import { WebModel } from './web-model.js';

/** What the server needs from the state directory (the engine has no call for these). */
export interface WebSettingsPort {
  /** Every SIP account in the state directory. */
  accounts(): readonly string[];
  logging(): boolean;
  setLogging(on: boolean): Promise<void>;
  /** Makes a new long-term key for the account; resolves to its fingerprints. */
  regenerateKey(): Promise<OurFingerprints>;
}

export interface WebServerOptions {
  readonly engine: SipChatEngine;
  /** Registers for the engine's events; returns the function that unregisters. */
  readonly subscribe: (listener: (event: SipChatEvent) => void) => () => void;
  /** 0 (the default): any free port. */
  readonly port?: number;
  readonly log: (line: string) => void;
  /** The built page (packages/web/dist/app); default: @sotto/web's. */
  readonly appDir?: string;
  readonly settings?: WebSettingsPort;
  /** The token (tests); default: 32 random bytes. */
  readonly token?: string;
  readonly clock?: () => number;
}

export interface WebServer {
  /** The page's address, with the token. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export type WebServerErrorCode = 'page-missing' | 'listen-failed';

/** Why the server could not start. */
export class WebServerError extends Error {
  override readonly name = 'WebServerError';
  constructor(
    readonly code: WebServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Event streams open at once (a page holds one; more are old tabs): the oldest goes first. */
export const MAX_EVENT_STREAMS = 8;
/** Bytes an event stream may leave unread before it is closed (the page reconnects and gets the whole state). */
export const MAX_STREAM_BACKLOG = 4 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;

/** The response headers every answer carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/** The built page's directory, as @sotto/web installs it. */
export function defaultAppDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@sotto/web/package.json')), 'dist', 'app');
}

/** Every file under `dir` by URL path; only these are ever served. */
function loadApp(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const dot = name.lastIndexOf('.');
        const type = TYPES[dot < 0 ? '' : name.slice(dot)];
        if (type !== undefined) files.set(`/${relative(dir, path).split(sep).join('/')}`, { body: readFileSync(path), type });
      }
    }
  };
  try {
    walk(dir);
  } catch {
    // reported below
  }
  if (!files.has('/index.html')) throw new WebServerError('page-missing', `the page is not built (no ${join(dir, 'index.html')}): run npm run build`);
  return files;
}

const STATUS: Readonly<Record<ErrorCode, number>> = { 'bad-request': 400, unauthorized: 401, forbidden: 403, 'not-found': 404, 'too-large': 413, failed: 500 };

function sameToken(given: string | undefined, token: Buffer): boolean {
  if (given === undefined) return false;
  const bytes = Buffer.from(given);
  return bytes.length === token.length && timingSafeEqual(bytes, token);
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Starts the server on 127.0.0.1. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const app = loadApp(options.appDir ?? defaultAppDir());
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const clock = options.clock ?? Date.now;
  const settingsPort = options.settings;
  const settings = (): Settings => ({ logging: settingsPort?.logging() ?? false });
  const streams = new Set<ServerResponse>();
  const publish = (message: ServerMessage): void => {
    const frame = `data: ${JSON.stringify(message)}\n\n`;
    for (const stream of streams) {
      if (stream.writableLength > MAX_STREAM_BACKLOG) {
        streams.delete(stream);
        stream.destroy();
      } else stream.write(frame);
    }
  };
  const model = new WebModel({ engine: options.engine, publish, clock, accounts: () => settingsPort?.accounts() ?? [options.engine.address], settings });
  const unsubscribe = options.subscribe((event) => model.onEvent(event));
  const { engine } = options;

  let port = 0;
  const hosts = (): string[] => [`127.0.0.1:${String(port)}`, `localhost:${String(port)}`];
  const origins = (): string[] => hosts().map((host) => `http://${host}`);
  const cookieName = (): string => `sotto-token-${String(port)}`;

  const send = (response: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void => {
    response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': String(Buffer.byteLength(body)), ...extra });
    response.end(body);
  };
  const reply = (response: ServerResponse, body: CommandReply): void => {
    send(response, body.ok ? 200 : STATUS[body.code], 'application/json; charset=utf-8', JSON.stringify(body));
  };
  const refuse = (response: ServerResponse, code: ErrorCode, message: string): void => {
    reply(response, { ok: false, code, message });
  };

  const run = async (command: Command): Promise<CommandReply> => {
    switch (command.type) {
      case 'call':
        engine.call(command.peer);
        model.opened(command.peer);
        return { ok: true };
      case 'accept':
        engine.accept(command.peer);
        return { ok: true };
      case 'reject':
        engine.reject(command.peer);
        return { ok: true };
      case 'hangup':
        engine.hangup(command.peer);
        return { ok: true };
      case 'send': {
        const id = engine.send(command.peer, command.text);
        if (id !== undefined) model.sent(command.peer, id, command.text);
        return { ok: true };
      }
      case 'composing':
        engine.composing(command.peer, command.active ? 'active' : 'idle');
        return { ok: true };
      case 'read':
        model.markRead(command.peer);
        return { ok: true };
      case 'close':
        return model.close(command.peer) ? { ok: true } : { ok: false, code: 'bad-request', message: 'only an ended conversation can be closed' };
      case 'start-otr':
        engine.startOtr(command.peer);
        return { ok: true };
      case 'end-otr':
        engine.endOtr(command.peer);
        return { ok: true };
      case 'always-otr':
        await engine.setAlwaysOtr(command.peer, command.on);
        model.onEvent({ event: 'x-lock', peer: command.peer, lock: engine.sessions().find((s) => s.peer === command.peer)?.lock ?? 'none' });
        return { ok: true };
      case 'smp-start':
        engine.startSmp(command.peer, command.secret, command.question ?? undefined);
        model.smp(command.peer, { phase: 'in-progress' });
        return { ok: true };
      case 'smp-answer':
        engine.answerSmp(command.peer, command.secret);
        model.smp(command.peer, { phase: 'in-progress' });
        return { ok: true };
      case 'smp-abort':
        engine.abortSmp(command.peer);
        model.smp(command.peer, { phase: 'idle' });
        return { ok: true };
      case 'trust':
        engine.trust(command.peer);
        return { ok: true };
      case 'history':
        return { ok: true, history: history(command.peer, command.search) };
      case 'logging':
        if (settingsPort === undefined) return { ok: false, code: 'failed', message: 'no state directory: logging cannot be changed' };
        await settingsPort.setLogging(command.on);
        model.settingsChanged();
        return { ok: true };
      case 'regenerate-key': {
        if (settingsPort === undefined) return { ok: false, code: 'failed', message: 'no state directory: the key cannot be regenerated' };
        const fingerprints = await settingsPort.regenerateKey();
        model.setFingerprints(fingerprints);
        return { ok: true, fingerprints };
      }
    }
  };

  const history = (peer: string, search: string | null): HistoryResult => {
    const page = engine.history(peer, { limit: MAX_HISTORY_ENTRIES, ...(search === null ? {} : { search }) });
    if (page === 'logging-off') return { logging: false };
    return {
      logging: true,
      hasOlder: page.hasOlder,
      entries: page.messages.map((message) => ({
        peer: message.peer,
        direction: message.direction,
        text: message.text,
        time: message.time.getTime(),
        lock: message.encryption.status,
        delivery: message.delivery,
      })),
    };
  };

  const readBody = (request: IncomingMessage): Promise<Buffer | 'too-large'> =>
    new Promise((resolve, reject) => {
      const declared = Number(request.headers['content-length'] ?? '0');
      if (declared > MAX_COMMAND_BYTES) {
        resolve('too-large');
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_COMMAND_BYTES) {
          request.removeAllListeners('data');
          request.resume();
          resolve('too-large');
        } else chunks.push(chunk);
      });
      request.on('end', () => resolve(Buffer.concat(chunks)));
      request.on('error', reject);
    });

  const command = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const origin = request.headers.origin;
    if (origin === undefined || !origins().includes(origin)) return refuse(response, 'forbidden', 'a command must come from the page (Origin)');
    if (!sameToken(headerValue(request.headers[TOKEN_HEADER]), tokenBytes)) return refuse(response, 'unauthorized', `a command must carry the token in ${TOKEN_HEADER}`);
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return refuse(response, 'bad-request', 'a command is application/json');
    const body = await readBody(request);
    if (body === 'too-large') {
      response.setHeader('connection', 'close');
      return refuse(response, 'too-large', `a command has at most ${String(MAX_COMMAND_BYTES)} bytes`);
    }
    let parsed: Command;
    try {
      parsed = parseCommand(JSON.parse(body.toString('utf8')));
    } catch (error) {
      return refuse(response, 'bad-request', error instanceof ProtocolError ? error.message : 'the body is not JSON');
    }
    try {
      reply(response, await run(parsed));
    } catch (error) {
      options.log(`web: the ${parsed.type} command failed: ${error instanceof Error ? error.message : String(error)}`);
      refuse(response, 'failed', `the ${parsed.type} command failed`);
    }
  };

  const events = (response: ServerResponse): void => {
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    response.write(`retry: 1000\ndata: ${JSON.stringify({ type: 'state', state: model.snapshot() } satisfies ServerMessage)}\n\n`);
    streams.add(response);
    if (streams.size > MAX_EVENT_STREAMS) {
      const oldest = streams.values().next().value;
      if (oldest !== undefined) {
        streams.delete(oldest);
        oldest.end();
      }
    }
    response.on('close', () => streams.delete(response));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const host = request.headers.host;
    if (host === undefined || !hosts().includes(host.toLowerCase())) return refuse(response, 'forbidden', 'this server answers only to 127.0.0.1 and localhost (Host)');
    if (request.headers['sec-fetch-site'] === 'cross-site') return refuse(response, 'forbidden', 'cross-site requests are refused');
    const origin = request.headers.origin;
    if (origin !== undefined && !origins().includes(origin)) return refuse(response, 'forbidden', 'requests from other origins are refused (Origin)');
    const url = new URL(request.url ?? '/', `http://${host}`);
    const queryToken = url.searchParams.get(TOKEN_PARAM) ?? undefined;
    const authorized = sameToken(queryToken, tokenBytes) || sameToken(headerValue(request.headers[TOKEN_HEADER]), tokenBytes) || sameToken(cookie(request, cookieName()), tokenBytes);
    if (!authorized) return refuse(response, 'unauthorized', 'open the address sotto web printed: it carries the token');
    if (url.pathname === PATHS.command) {
      if (request.method !== 'POST') return refuse(response, 'bad-request', 'commands are POSTs');
      return command(request, response);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 'bad-request', 'only GET here');
    if (url.pathname === PATHS.events) return events(response);
    const file = app.get(url.pathname === '/' ? '/index.html' : url.pathname);
    if (file === undefined) return refuse(response, 'not-found', 'no such file');
    // The page's first load sets the cookie its own scripts and styles then carry (SameSite=Strict: never sent from another site).
    const extra: Record<string, string> = file.type.startsWith('text/html') ? { 'set-cookie': `${cookieName()}=${token}; Path=/; HttpOnly; SameSite=Strict` } : {};
    send(response, 200, file.type, file.body, extra);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log(`web: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) refuse(response, 'failed', 'internal error');
      else response.destroy();
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new WebServerError('listen-failed', `cannot listen on 127.0.0.1:${String(options.port ?? 0)}: ${error.code ?? error.message}`)));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  }).catch((error: unknown) => {
    unsubscribe();
    throw error;
  });
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
  const keepalive = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, KEEPALIVE_MS);
  keepalive.unref();
  return {
    url: `http://127.0.0.1:${String(port)}/?${TOKEN_PARAM}=${token}`,
    port,
    token,
    close: () => {
      clearInterval(keepalive);
      unsubscribe();
      for (const stream of streams) stream.end();
      streams.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
