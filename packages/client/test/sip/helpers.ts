/** Helpers for the SIP tests: accounts on a harness Kamailio, chat descriptions, waiting for events. */
import { afterAll, beforeAll } from 'vitest';
import { SipAccount, type ChatSession, type SessionEnded, type SessionEstablished, type SipAccountOptions } from '../../src/sip/account.js';
import { BLINK_ACCEPT_TYPES, BLINK_ACCEPT_WRAPPED_TYPES, type ChatSdpInput, type MsrpSdpTransport } from '../../src/sip/sdp.js';
import { SIP_PASSWORD, startKamailio, type Kamailio, type KamailioOptions } from './kamailio/harness.js';

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

/** A Kamailio and alice and bob registered at it, for the whole test file. */
export interface AliceAndBob {
  /** There from `beforeAll` on, as are the accounts. */
  readonly kam: Kamailio;
  readonly alice: SipAccount;
  readonly bob: SipAccount;
}

/** Registers the hooks that start a Kamailio and register alice and bob (with `setup`) before the file's tests, and stop them after. */
export function aliceAndBob(kamailio: KamailioOptions = {}, setup: AccountSetup = {}): AliceAndBob {
  let started: AliceAndBob | undefined;
  beforeAll(async () => {
    const kam = await startKamailio(kamailio);
    started = { kam, alice: account(kam, 'alice', setup), bob: account(kam, 'bob', setup) };
    await Promise.all([started.alice.start(), started.bob.start()]);
  });
  afterAll(async () => {
    if (started === undefined) return;
    await Promise.allSettled([started.alice.stop(), started.bob.stop()]);
    await started.kam.stop();
  });
  const get = (): AliceAndBob => {
    if (started === undefined) throw new Error('alice and bob start in beforeAll');
    return started;
  };
  return {
    get kam() { return get().kam; },
    get alice() { return get().alice; },
    get bob() { return get().bob; },
  };
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
