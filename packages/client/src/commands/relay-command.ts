/**
 * `sotto relay`: runs the echo-network relay (relay/server.ts) in the
 * foreground until SIGINT or SIGTERM, logging to stderr. It warns when it
 * listens on an address other machines may reach: the echo network has no
 * authentication.
 */
import { BlockList, isIP } from 'node:net';
import { noPositionals, OptionError, parseArgs, parsePort, parsePositiveInteger } from '../cli/args.js';
import { RELAY_HELP } from '../cli/help.js';
import type { Io } from '../cli/io.js';
import { MAX_FRAME_BYTES_LIMIT } from '../relay/framing.js';
import { escapeForLog } from '../relay/log.js';
import { startRelay } from '../relay/server.js';

const SPEC = {
  '--host': 'value',
  '--port': 'value',
  '--max-clients': 'value',
  '--max-clients-per-address': 'value',
  '--max-frame-bytes': 'value',
  '--idle-timeout': 'value',
} as const;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Is `host` certainly a loopback address (one only this machine reaches)? */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 4) return LOOPBACK.check(host, 'ipv4');
  if (family === 6) return LOOPBACK.check(host, 'ipv6') || /^::ffff:127\./i.test(host);
  return false;
}

/** Runs `sotto relay ARGS`; resolves to the exit status once the relay stopped. */
export async function relayCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, SPEC, 'sotto relay');
  if (parsed.help) {
    io.stdout.write(RELAY_HELP);
    return 0;
  }
  noPositionals(parsed, 'sotto relay');
  const host = parsed.values.get('--host') ?? '127.0.0.1';
  const port = parsed.values.get('--port');
  const maxClients = parsed.values.get('--max-clients');
  const maxPerAddress = parsed.values.get('--max-clients-per-address');
  const maxFrameText = parsed.values.get('--max-frame-bytes');
  const idleTimeout = parsed.values.get('--idle-timeout');
  const maxFrameBytes = maxFrameText === undefined ? undefined : parsePositiveInteger(maxFrameText, '--max-frame-bytes');
  if (maxFrameBytes !== undefined && maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
    throw new OptionError(`--max-frame-bytes must be at most ${MAX_FRAME_BYTES_LIMIT} (the largest frame clients accept), got ${maxFrameBytes}`);
  }
  const log = (line: string): void => {
    io.stderr.write(`relay: ${line}\n`);
  };
  const relay = await startRelay({
    host,
    port: port === undefined ? 7878 : parsePort(port, '--port', true),
    ...(maxClients === undefined ? {} : { maxClients: parsePositiveInteger(maxClients, '--max-clients') }),
    ...(maxPerAddress === undefined ? {} : { maxClientsPerAddress: parsePositiveInteger(maxPerAddress, '--max-clients-per-address') }),
    ...(maxFrameBytes === undefined ? {} : { maxFrameBytes }),
    ...(idleTimeout === undefined ? {} : { idleTimeoutMs: parsePositiveInteger(idleTimeout, '--idle-timeout') * 1000 }),
    log,
  });
  if (!isLoopbackHost(host)) {
    log(
      `warning: ${escapeForLog(host)} is not a loopback address: anyone who can reach it can join this relay, ` +
        'send to every client on it and see who talks to whom (OTR keeps only what they say private)',
    );
  }
  log(`listening on ${relay.host}:${relay.port} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const unregister = io.onStop(() => {
      unregister();
      resolve();
    });
  });
  log('stopping');
  await relay.close();
  return 0;
}
