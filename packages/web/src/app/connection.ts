/**
 * The page's link to its server: the token from the page's address, the
 * event stream (server-sent events, reconnecting by itself; each (re)connect
 * starts with the whole state) and commands as POSTs. Every message is
 * checked against the shared schema on arrival; one that does not fit is
 * dropped and reported.
 */
import { PATHS, TOKEN_HEADER, TOKEN_PARAM, parseCommandReply, parseServerMessage, type Command, type CommandReply, type ServerMessage } from '../protocol/index.js';

export function pageToken(): string {
  return new URLSearchParams(window.location.search).get(TOKEN_PARAM) ?? '';
}

/** Opens the event stream; returns the function that closes it. */
export function listen(onMessage: (message: ServerMessage) => void, onStatus: (connected: boolean, problem?: string) => void): () => void {
  const source = new EventSource(`${PATHS.events}?${TOKEN_PARAM}=${encodeURIComponent(pageToken())}`);
  source.onopen = () => onStatus(true);
  source.onerror = () => onStatus(false);
  source.onmessage = (event: MessageEvent<unknown>) => {
    try {
      onMessage(parseServerMessage(JSON.parse(String(event.data))));
    } catch (error) {
      onStatus(true, `a message from the server was refused: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return () => source.close();
}

/** Sends a command; a refusal or a broken answer comes back as `ok: false`. */
export async function command(body: Command): Promise<CommandReply> {
  try {
    const response = await fetch(PATHS.command, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: pageToken() },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    return parseCommandReply(await response.json());
  } catch (error) {
    return { ok: false, code: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}
