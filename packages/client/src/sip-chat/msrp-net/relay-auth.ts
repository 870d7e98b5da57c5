/**
 * AUTH at an MSRP relay (RFC 4976) on a fresh connection: connect, run the
 * RelayClient's AUTH exchange (401, digest, 200 with Use-Path), and hand
 * back the connection with the client, whose path (Use-Path + our URI) goes
 * into a=path. The session then takes the connection over: everything
 * for us arrives on it, which is what lets a client whose own URI nobody
 * can reach (behind NAT) still chat.
 */
import { parseMsrpUri, RelayClient, type MsrpUri } from '@sotto/msrp';
import { connectMsrp, type MsrpTlsOptions } from './connect.js';
import { MsrpNetError } from './errors.js';
import { MsrpLink } from './link.js';

/** Where a relay is and how to authenticate there. */
export interface RelaySettings {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly username: string;
  readonly password: string;
  /** Write `uri=` in the digest (Kamailio needs it; RFC 4976 and AG msrprelay do not). */
  readonly sendDigestUri: boolean;
  readonly tlsOptions?: MsrpTlsOptions | undefined;
}

/** How long the whole AUTH exchange may take. */
export const AUTH_TIMEOUT_MS = 15_000;

/** The relay's URI (no session id). */
export function relayUri(settings: RelaySettings): MsrpUri {
  const host = settings.host.includes(':') && !settings.host.startsWith('[') ? `[${settings.host}]` : settings.host;
  const uri = parseMsrpUri(`${settings.tls ? 'msrps' : 'msrp'}://${host}:${settings.port};tcp`);
  if (uri === undefined) throw new MsrpNetError('relay-failed', 'the MSRP relay address is not usable in an MSRP URI');
  return uri;
}

/** An authenticated relay connection. */
export interface RelayConnection {
  readonly link: MsrpLink;
  readonly client: RelayClient;
  /** Use-Path then our own URI: our a=path. */
  readonly path: readonly MsrpUri[];
}

/** Connects to the relay and authenticates with `localUri` as our URI. */
export async function authenticateAtRelay(settings: RelaySettings, localUri: MsrpUri, now: () => number = Date.now): Promise<RelayConnection> {
  const target = relayUri(settings);
  const socket = await connectMsrp(target, settings.tlsOptions);
  const link = new MsrpLink(socket);
  const client = new RelayClient({ relayUri: target, localUri, username: settings.username, password: settings.password, sendDigestUri: settings.sendDigestUri });
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new MsrpNetError('relay-failed', 'the MSRP relay did not answer AUTH in time')), AUTH_TIMEOUT_MS);
    const fail = (error: MsrpNetError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off();
      link.close();
      reject(error);
    };
    const off = link.onClose((error) => fail(error ?? new MsrpNetError('connection-lost', 'the relay connection closed during AUTH')));
    const apply = (outcome: ReturnType<RelayClient['start']>): void => {
      link.write(outcome.write);
      for (const event of outcome.events) {
        if (event.kind === 'relay-failed') {
          fail(new MsrpNetError('relay-failed', `the MSRP relay refused AUTH (${event.reason}, ${event.status})`));
          return;
        }
        if (event.kind === 'relay-ready' && !settled) {
          settled = true;
          clearTimeout(timer);
          off();
          // Bytes after the 200 wait in the link for the session.
          link.hold();
          resolve({ link, client, path: event.path });
          return;
        }
      }
    };
    link.receiveWith((bytes) => {
      if (!settled) apply(client.receive(bytes, now()));
    });
    apply(client.start(now()));
  });
}
