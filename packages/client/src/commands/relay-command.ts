/**
 * `sotto relay`: runs the echo-network relay (relay/server.ts) in the
 * foreground until SIGINT or SIGTERM, logging to stderr.
 */
import { noPositionals, parseArgs, parsePort, parsePositiveInteger } from '../cli/args.js';
import { RELAY_HELP } from '../cli/help.js';
import type { Io } from '../cli/io.js';
import { startRelay } from '../relay/server.js';

const SPEC = { '--host': 'value', '--port': 'value', '--max-clients': 'value', '--max-frame-bytes': 'value' } as const;

/** Runs `sotto relay ARGS`; resolves to the exit status once the relay stopped. */
export async function relayCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, SPEC, 'sotto relay');
  if (parsed.help) {
    io.stdout.write(RELAY_HELP);
    return 0;
  }
  noPositionals(parsed, 'sotto relay');
  const port = parsed.values.get('--port');
  const maxClients = parsed.values.get('--max-clients');
  const maxFrameBytes = parsed.values.get('--max-frame-bytes');
  const log = (line: string): void => {
    io.stderr.write(`relay: ${line}\n`);
  };
  const relay = await startRelay({
    host: parsed.values.get('--host') ?? '127.0.0.1',
    port: port === undefined ? 7878 : parsePort(port, '--port', true),
    ...(maxClients === undefined ? {} : { maxClients: parsePositiveInteger(maxClients, '--max-clients') }),
    ...(maxFrameBytes === undefined ? {} : { maxFrameBytes: parsePositiveInteger(maxFrameBytes, '--max-frame-bytes') }),
    log,
  });
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
