/** Helpers for the SIP tests: accounts on a harness Kamailio, chat descriptions, waiting for events. */
import { SipAccount, type ChatSession, type SessionEnded, type SessionEstablished, type SipAccountOptions } from '../../src/sip/account.js';
import { BLINK_ACCEPT_TYPES, BLINK_ACCEPT_WRAPPED_TYPES, type ChatSdpInput, type MsrpSdpTransport } from '../../src/sip/sdp.js';
import { SIP_PASSWORD, type Kamailio } from './kamailio/harness.js';

export interface AccountSetup {
  readonly transport?: 'tcp' | 'tls';
  readonly password?: string | undefined;
  readonly extra?: Partial<SipAccountOptions>;
}

export function account(kam: Kamailio, user: string, setup: AccountSetup = {}): SipAccount {
  const transport = setup.transport ?? 'tcp';
  const endpoint = transport === 'tls' ? kam.sipTls : kam.sipTcp;
  if (endpoint === undefined) throw new Error('this Kamailio has no TLS');
  return new SipAccount({
    aor: `sip:${user}@${kam.domain}`,
    password: setup.password ?? SIP_PASSWORD,
    proxy: { host: endpoint.host, port: endpoint.port, transport },
    tls: transport === 'tls' ? { caPem: kam.caPem } : undefined,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
    ...setup.extra,
  });
}

/** A chat description with a fake MSRP endpoint (no MSRP in these tests). */
export function chatOffer(id: string, setup: ChatSdpInput['setup'] = 'active', transport: MsrpSdpTransport = 'TCP/MSRP'): ChatSdpInput {
  const scheme = transport === 'TCP/MSRP' ? 'msrp' : 'msrps';
  return {
    transport,
    path: [`${scheme}://127.0.0.1:2855/${id};tcp`],
    acceptTypes: BLINK_ACCEPT_TYPES,
    acceptWrappedTypes: BLINK_ACCEPT_WRAPPED_TYPES,
    setup,
  };
}

/** The next value an `on(event)` API gives. */
export function next<T>(on: (listener: (value: T) => void) => () => void, accept: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const off = on((value) => {
      if (!accept(value)) return;
      off();
      resolve(value);
    });
  });
}

export function nextIncoming(sip: SipAccount): Promise<ChatSession> {
  return next<ChatSession>((l) => sip.on('incoming', l));
}

export function ended(session: ChatSession): Promise<SessionEnded> {
  return next<SessionEnded>((l) => session.on('ended', l));
}

export function established(session: ChatSession): Promise<SessionEstablished> {
  return next<SessionEstablished>((l) => session.on('established', l));
}

/** Resolves once `sip` is registered over a live connection. */
export function registered(sip: SipAccount): Promise<void> {
  return new Promise<void>((resolve) => {
    if (sip.registrationState === 'registered' && sip.transport.isConnected()) {
      resolve();
      return;
    }
    const off = sip.on('registration', (r) => {
      if (r.state !== 'registered') return;
      off();
      resolve();
    });
  });
}
