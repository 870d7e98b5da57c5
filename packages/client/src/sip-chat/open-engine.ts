/**
 * Starts the SIP chat engine for one account of a state directory, as
 * `sotto chat --account sip:...` and `sotto web` both run it. The account's
 * settings come from the command line with --password-file, else from the
 * store's accounts (`sotto account add`), the command line overriding them.
 * Keys, instance tag, OTRv4 identity, trust, contact settings and history
 * live in the state directory under the account's address of record (the
 * normalised `sip:user@domain`, as `sotto account` and `sotto keys` name it).
 */
import { readFileSync } from 'node:fs';
import { ed448PublicKeyFromBytes } from '@sotto/otr';
import { openHistory, openSipAccounts, type History, type Store } from '@sotto/store';
import { OptionError } from '../cli/args.js';
import { describeError } from '../cli/errors.js';
import { warn, type Io } from '../cli/io.js';
import { TrustBook } from '../session/trust-book.js';
import type { SipChatEvent } from './engine-api.js';
import { startSipChatEngine, type EngineV4Identity, type SipChatEngineImpl } from './engine.js';
import type { SipAccountOptions } from './sip-chat-options.js';

/** The longest password file read. */
const MAX_PASSWORD_FILE_BYTES = 4096;

export interface OpenSipChatRequest {
  /** The address of record, normalised (`parseSipAccount`). */
  readonly aor: string;
  readonly options: SipAccountOptions;
  readonly store: Store;
  readonly io: Io;
  /** Every engine event, from the first REGISTER's on. */
  readonly emit: (event: SipChatEvent) => void;
  /** The engine's diagnostic lines. */
  readonly log: (line: string) => void;
}

/** A started engine and what to do once it stopped. */
export interface OpenedSipChat {
  readonly ok: true;
  readonly engine: SipChatEngineImpl;
  /** The history the engine records in, when it could be opened. */
  readonly history: History | undefined;
  /** After engine.stop(): closes the history and waits for trust and profile writes. */
  close(): Promise<void>;
}

/** The engine did not start (registration refused, proxy unreachable...); the message says why. */
export interface SipChatStartFailure {
  readonly ok: false;
  readonly message: string;
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

/**
 * Registers `aor` and starts its engine. A bad command line or an account
 * the store does not have (without --password-file) is an OptionError; an
 * engine that does not start is a {@link SipChatStartFailure}.
 */
export async function openSipChatEngine(request: OpenSipChatRequest): Promise<OpenedSipChat | SipChatStartFailure> {
  const { aor, options, store, io } = request;
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
      stateDir: store.dir,
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
      emit: request.emit,
      log: request.log,
    });
  } catch (error) {
    history?.close();
    await trust.flush();
    return { ok: false, message: describeError(error).message };
  }
  return {
    ok: true,
    engine,
    history,
    close: async () => {
      history?.close();
      await trust.flush();
      await Promise.all([...pending]);
    },
  };
}
