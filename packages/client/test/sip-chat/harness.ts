/**
 * A reusable harness for end-to-end SIP chat tests: `sotto chat --json
 * --account sip:...` clients (run in-process through `main`, as the driver
 * tests run them) registered at a private Kamailio (../sip/kamailio/harness.ts).
 *
 *   const kam = await startKamailio();
 *   const alice = await startSipClient(kam, 'alice');
 *   const bob = await startSipClient(kam, 'bob', { relay: true });
 *   await connect(alice, bob);                       // call, accept, session-started both
 *   await bothSecure(alice, bob);                    // OTR at stream start
 *   const mark = bob.mark();
 *   alice.command({ cmd: 'send', to: bob.address, text: 'hi', id: 'm1' });
 *   await bob.next('message', mark);
 *
 * A test file usually takes its rig from `sipChatRig()`: one Kamailio for
 * the file and a `client()` that starts clients on it and quits them after
 * each test.
 *
 * Every client gets a fresh state directory (kept for `stateDir` checks
 * and removed by `quit`), a password file, and the relay options the
 * Kamailio rig needs (`uri=` in the relay digest).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openHistory, openStore, type HistoryPage } from '@sotto/store';
import { InProcessDriver, type Event } from '../helpers/in-process-driver.js';
import { MSRP_PASSWORD, SIP_PASSWORD, startKamailio, type Kamailio, type KamailioOptions } from '../sip/kamailio/harness.js';

export type { Event };

export interface SipClientOptions {
  /** AUTH at the rig's MSRP relay. */
  readonly relay?: boolean;
  /** MSRP over TLS (`msrps`, Blink's default): with `relay`, the rig's TLS relay; the rig's CA is trusted (--ca-file). A relay needs a rig started with `tls`; without one, any rig. */
  readonly msrpTls?: boolean;
  /** Advertise an own MSRP URI nobody can reach (the NAT case; needs `relay`). */
  readonly unreachable?: boolean;
  readonly policy?: 'never' | 'manual' | 'opportunistic' | 'always';
  readonly versions?: string;
  /** Reuse a state directory (same identity, trust, history). */
  readonly stateDir?: string;
  readonly extraArgs?: readonly string[];
  /**
   * The SIP password (also the relay's: the client AUTHs with its SIP
   * credentials). Default: the rig's relay password with `relay` (the rig
   * checks SIP digest only with `sipAuth`, so any SIP password registers),
   * else the rig's SIP password. A rig with both `sipAuth` and a relay
   * needs one password for both (Kamailio's `editConfig`).
   */
  readonly password?: string;
  /** SIP over TLS to the rig's TLS port, its CA trusted with --ca-file (needs a rig started with `tls`). */
  readonly sipTls?: boolean;
  /** Where to send SIP instead of the rig (a proxy in front of it, e.g. a recording one); plain TCP. */
  readonly sipProxy?: { readonly host: string; readonly port: number };
  /** Where to reach the MSRP relay instead of the rig's (a proxy in front of it); implies `relay`. */
  readonly relayAt?: { readonly host: string; readonly port: number };
}

/** One running client. */
export class SipClient {
  constructor(
    readonly driver: InProcessDriver,
    readonly address: string,
    readonly fingerprint: string,
    readonly fingerprints: Record<string, string>,
    readonly stateDir: string,
    private readonly ownsDir: boolean,
  ) {}

  events(): Event[] {
    return this.driver.events();
  }

  /** The index to wait from: events after now. */
  mark(): number {
    return this.driver.events().length;
  }

  command(command: Record<string, unknown>): void {
    this.driver.command(command);
  }

  /** The next event named `name` at or after `mark` matching `match`. */
  next(name: string, mark = 0, match: (event: Event) => boolean = () => true, timeoutMs = 20_000): Promise<Event> {
    return this.driver.waitFor((event) => event.event === name && match(event), name, mark, timeoutMs);
  }

  stderr(): string {
    return this.driver.stderr();
  }

  async quit(): Promise<number> {
    const status = await this.driver.quit();
    if (this.ownsDir) rmSync(this.stateDir, { recursive: true, force: true });
    return status;
  }
}

function relayArgs(kam: Kamailio, options: SipClientOptions): string[] {
  const tls = options.msrpTls === true;
  const args: string[] = [];
  if (tls) {
    args.push('--msrp-transport', 'tls');
  } else {
    args.push('--msrp-transport', 'tcp');
  }
  if (options.relay === true || options.relayAt !== undefined) {
    const relay = options.relayAt ?? (tls ? kam.msrpsRelay : kam.msrpRelay);
    if (relay === undefined) throw new Error('this Kamailio has no TLS relay');
    args.push('--msrp-relay', `${relay.host}:${relay.port}`, '--msrp-relay-digest-uri');
  }
  return args;
}

/** Starts `sotto chat --json --account sip:<user>@<domain>` on the rig; resolves once `ready`. */
export async function startSipClient(kam: Kamailio, user: string, options: SipClientOptions = {}): Promise<SipClient> {
  const ownsDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), `sotto-sip-${user}-`));
  const passwordFile = join(stateDir, 'password');
  const password = options.password ?? (options.relay === true || options.relayAt !== undefined ? MSRP_PASSWORD : SIP_PASSWORD);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  const caArgs: string[] = [];
  if (options.sipTls === true || (options.msrpTls === true && kam.caPem !== undefined)) {
    if (kam.caPem === undefined) throw new Error('sipTls needs a Kamailio started with tls');
    const caFile = join(stateDir, 'ca.pem');
    writeFileSync(caFile, kam.caPem);
    caArgs.push('--ca-file', caFile);
  }
  let proxy = options.sipProxy ?? kam.sipTcp;
  if (options.sipTls === true) {
    if (kam.sipTls === undefined) throw new Error('sipTls needs a Kamailio started with tls');
    proxy = kam.sipTls;
  }
  const args = [
    '--account', `sip:${user}@${kam.domain}`,
    '--password-file', passwordFile,
    '--proxy', `${proxy.host}:${proxy.port}`,
    '--transport', options.sipTls === true ? 'tls' : 'tcp',
    '--state-dir', stateDir,
    ...caArgs,
    ...relayArgs(kam, options),
    ...(options.unreachable === true ? ['--unreachable-msrp-uri'] : []),
    ...(options.policy === undefined ? [] : ['--policy', options.policy]),
    ...(options.versions === undefined ? [] : ['--versions', options.versions]),
    ...(options.extraArgs ?? []),
  ];
  const driver = await InProcessDriver.start(args);
  const ready = driver.events().find((event) => event.event === 'ready');
  return new SipClient(driver, driver.address, driver.fingerprint, (ready?.fingerprints ?? {}) as Record<string, string>, stateDir, ownsDir);
}

/** `caller` calls `callee`, who accepts; resolves with both `session-started` events. */
export async function connect(caller: SipClient, callee: SipClient): Promise<[Event, Event]> {
  const [a, b] = [caller.mark(), callee.mark()];
  caller.command({ cmd: 'call', to: callee.address });
  await callee.next('incoming', b, (event) => event.peer === caller.address);
  callee.command({ cmd: 'accept', peer: caller.address });
  return Promise.all([
    caller.next('session-started', a, (event) => event.peer === callee.address),
    callee.next('session-started', b, (event) => event.peer === caller.address),
  ]);
}

/** Waits for `secure` on both sides (from `marks`, default: anything so far). */
export async function bothSecure(a: SipClient, b: SipClient, marks: readonly [number, number] = [0, 0]): Promise<[Event, Event]> {
  return Promise.all([
    a.next('secure', marks[0], (event) => event.peer === b.address),
    b.next('secure', marks[1], (event) => event.peer === a.address),
  ]);
}

/** `from` sends `text` to `to` (with `id`); resolves with the `message` at `to` and the `delivered` at `from`. */
export async function say(from: SipClient, to: SipClient, text: string, id: string, extra: Record<string, unknown> = {}): Promise<[Event, Event]> {
  const [a, b] = [from.mark(), to.mark()];
  from.command({ cmd: 'send', to: to.address, text, id, ...extra });
  return Promise.all([
    to.next('message', b, (event) => event.from === from.address),
    from.next('delivered', a, (event) => event.id === id),
  ]);
}

export interface SipChatRigOptions {
  /** How the file's Kamailio is started. */
  readonly kamailio?: KamailioOptions;
  /** Options every `client()` starts with (a call's own options override them). */
  readonly client?: SipClientOptions;
}

/** A Kamailio for the whole test file and the clients started on it. */
export interface SipChatRig {
  /** The file's Kamailio (there from `beforeAll` on). */
  readonly kam: Kamailio;
  /** Starts a client on the rig (`startSipClient`); it is quit after the test. */
  readonly client: (user: string, options?: SipClientOptions) => Promise<SipClient>;
  /** Quits one of the test's clients now (it is not quit again after the test). */
  readonly quit: (client: SipClient) => Promise<number>;
  /** Quits all the test's clients now. */
  readonly quitAll: () => Promise<void>;
  /** A fresh state directory (for clients started with `startSipClient` and `stateDir`), removed after the file. */
  readonly stateDir: () => string;
  /** Runs `close` after the test, once its clients have quit (for proxies and raw peers a test starts). */
  readonly afterClients: (close: () => unknown) => void;
}

/** Registers the hooks that start a Kamailio before the file's tests and stop it after them; after each test, the clients `client()` started quit. */
export function sipChatRig(options: SipChatRigOptions = {}): SipChatRig {
  let kam: Kamailio | undefined;
  let clients: SipClient[] = [];
  let closers: (() => unknown)[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    kam = await startKamailio(options.kamailio);
  });
  afterAll(async () => {
    await kam?.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const quitAll = async (): Promise<void> => {
    const quitting = clients;
    clients = [];
    await Promise.allSettled(quitting.map((client) => client.quit()));
  };
  afterEach(async () => {
    await quitAll();
    const closing = closers;
    closers = [];
    await Promise.allSettled(closing.map((close) => Promise.resolve().then(close)));
  });
  const rig: SipChatRig = {
    get kam(): Kamailio {
      if (kam === undefined) throw new Error('the rig\'s Kamailio starts in beforeAll');
      return kam;
    },
    client: async (user, clientOptions = {}) => {
      const started = await startSipClient(rig.kam, user, { ...options.client, ...clientOptions });
      clients.push(started);
      return started;
    },
    quit: (client) => {
      clients = clients.filter((c) => c !== client);
      return client.quit();
    },
    quitAll,
    stateDir: () => {
      const dir = mkdtempSync(join(tmpdir(), 'sotto-sip-state-'));
      dirs.push(dir);
      return dir;
    },
    afterClients: (close) => {
      closers.push(close);
    },
  };
  return rig;
}

/** The history recorded in `stateDir` of `account`'s messages with `peer`. */
export async function historyRows(stateDir: string, account: string, peer: string): Promise<HistoryPage['messages']> {
  const store = await openStore(stateDir);
  try {
    const history = openHistory(store);
    try {
      return history.messages(account, peer).messages;
    } finally {
      history.close();
    }
  } finally {
    await store.close();
  }
}
