/**
 * `sotto chat --account sip:USER@DOMAIN`: registers the SIP account and runs
 * the SIP chat engine under the terminal or, with --json, the driver
 * protocol's SIP mode (shared/interop/DRIVER.md). The account's settings
 * come from the command line with --password-file, else from the store's
 * accounts (`sotto account add`), the command line overriding them. Keys,
 * trust, contact settings and history live in the state directory, under
 * the account's address of record.
 */
import { readFileSync, rmSync } from 'node:fs';
import { ed448PublicKeyFromBytes } from '@sotto/otr';
import { defaultStateDir, openHistory, openSipAccounts, openStore, type History, type Store } from '@sotto/store';
import { OptionError } from '../cli/args.js';
import { describeError } from '../cli/errors.js';
import { SIP_CHAT_HELP } from '../cli/help.js';
import { warn, type Io } from '../cli/io.js';
import { freshTemporaryStateDir } from '../cli/temporary-state.js';
import { TrustBook } from '../session/trust-book.js';
import { runSipTerminal, SipEventSink } from '../terminal/sip-terminal.js';
import type { SipChatEvent } from './engine-api.js';
import { startSipChatEngine, type EngineV4Identity, type SipChatEngineImpl } from './engine.js';
import { parseSipChatOptions, type SipChatOptions } from './sip-chat-options.js';
import { runSipJsonDriver, sipEventWriter } from './sip-json-driver.js';

/** The longest password file read. */
const MAX_PASSWORD_FILE_BYTES = 4096;

/** Runs `sotto chat --account sip:... ARGS`; resolves to the exit status. */
export async function sipChatCommand(args: readonly string[], io: Io): Promise<number> {
  const options = parseSipChatOptions(args);
  if (options.help) {
    io.stdout.write(SIP_CHAT_HELP);
    return 0;
  }
  let unregister: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (unregister = io.onStop(resolve)));
  const temporary = options.stateDir === undefined && options.json ? freshTemporaryStateDir() : undefined;
  try {
    const dir = options.stateDir ?? temporary ?? defaultStateDir(io.env);
    const store = await openStore(dir);
    try {
      return await withStore(options, store, io, stopped);
    } finally {
      await store.close();
    }
  } finally {
    unregister();
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  }
}

function readPassword(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new OptionError(`cannot read the password file ${file}`);
  }
  if (bytes.length > MAX_PASSWORD_FILE_BYTES) throw new OptionError(`the password file ${file} is too large`);
  const password = bytes.toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new OptionError(`the password file ${file} is empty`);
  return password;
}

async function v4Identity(store: Store, account: string): Promise<EngineV4Identity> {
  const stored = await store.getOrCreateV4Identity(account);
  const profile = store.clientProfile(account, new Date());
  return {
    identityKey: stored.identityKey,
    forgingKey: ed448PublicKeyFromBytes(stored.forgingPublicKey),
    ...(profile.status === 'ok' ? { profile: profile.encoded } : {}),
  };
}

async function withStore(options: SipChatOptions, store: Store, io: Io, stopped: Promise<void>): Promise<number> {
  const aor = options.account;
  const stored = options.passwordFile === undefined ? (await openSipAccounts(store)).get(aor) : undefined;
  if (options.passwordFile === undefined && stored === undefined) {
    throw new OptionError(`${aor} is not a SIP account here: add it with "sotto account add ${aor}", or give --password-file`);
  }
  const password = options.passwordFile === undefined ? stored?.password : readPassword(options.passwordFile);
  const domain = /@([^;>]+)$/.exec(aor)?.[1] ?? '';
  const transport = options.transport ?? stored?.transport ?? 'tcp';
  const proxy = options.proxy ?? stored?.outboundProxy ?? { host: domain, port: transport === 'tls' ? 5061 : 5060 };
  const relayTransport = options.msrpTransport ?? stored?.msrpRelay?.transport ?? 'tcp';
  const relay = options.msrpRelay ?? stored?.msrpRelay;
  const caFile = options.caFile ?? stored?.caFile;
  const onWriteError = (error: unknown): void => warn(io, `could not save to the state directory: ${describeError(error).message}`);

  const privateKey = await store.getOrCreateKey(aor);
  const instanceTag = await store.getOrCreateInstanceTag(aor);
  const v4 = options.versions.has(4) ? await v4Identity(store, aor) : undefined;
  const trust = new TrustBook(store, aor, onWriteError);
  let history: History | undefined;
  try {
    history = openHistory(store);
  } catch (error) {
    warn(io, `the history cannot be opened, messages are not recorded: ${describeError(error).message}`);
  }
  // Events wait until the user interface exists (JSON: after `ready`).
  const early: SipChatEvent[] = [];
  let sink = (event: SipChatEvent): void => {
    if (early.length < 256) early.push(event);
  };
  const pending = new Set<Promise<void>>();
  let engine: SipChatEngineImpl;
  try {
    engine = await startSipChatEngine({
      aor,
      password,
      proxy: { host: proxy.host, port: proxy.port, transport },
      tls: { ...(caFile === undefined ? {} : { caFile }), ...(stored?.certificateFingerprint === undefined ? {} : { trustedFingerprint256: stored.certificateFingerprint }) },
      ...(relay === undefined ? {} : { msrpRelay: { host: relay.host, port: relay.port, transport: relayTransport, sendDigestUri: options.msrpRelayDigestUri } }),
      msrpTransport: relay === undefined ? options.msrpTransport ?? 'tcp' : relayTransport,
      unreachableOwnUri: options.unreachableMsrpUri,
      policy: options.policy,
      versions: options.versions,
      privateKey,
      instanceTag,
      v4,
      onProfileRefreshed: (profile, expiresAt) => {
        const write = store.saveClientProfile(aor, profile, expiresAt).catch(onWriteError);
        pending.add(write);
        void write.finally(() => pending.delete(write));
      },
      trust,
      contacts: store,
      history,
      emit: (event) => sink(event),
      log: (line) => (options.json || io.env.SOTTO_DEBUG !== undefined ? warn(io, line) : undefined),
    });
  } catch (error) {
    warn(io, `cannot register ${aor}: ${describeError(error).message}`);
    history?.close();
    await trust.flush();
    return 1;
  }
  try {
    if (options.json) {
      const write = sipEventWriter(io.stdout);
      write({ event: 'ready', address: engine.address, fingerprint: engine.fingerprint, fingerprints: engine.fingerprints });
      sink = write;
      for (const event of early.splice(0)) write(event);
      const driver = runSipJsonDriver(engine, io.stdin, write);
      await Promise.race([driver.done, stopped]);
      driver.close();
      await engine.stop();
    } else {
      const events = new SipEventSink();
      sink = events.emit;
      for (const event of early.splice(0)) events.emit(event);
      const notes = history?.loggingEnabled === false ? ['Logging is off: messages are not recorded ("sotto logging on" turns it on).'] : [];
      await Promise.race([runSipTerminal({ engine, input: io.stdin, output: io.stdout, env: io.env, stateDir: store.dir, sink: events, notes }), stopped]);
      await engine.stop();
    }
    return 0;
  } finally {
    history?.close();
    await trust.flush();
    await Promise.all([...pending]);
  }
}
