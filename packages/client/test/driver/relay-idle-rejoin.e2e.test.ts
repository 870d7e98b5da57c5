/**
 * The relay closes a connection idle for an hour (the echo network has no
 * keep-alive), and an address is the client's TCP source port. A chat on an
 * explicit --relay, --json included, used to end there; it rejoins from the
 * same port, so its address is unchanged and its peers still reach it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { InProcessDriver } from '../helpers/in-process-driver.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function until(condition: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the relay closes idle connections and an explicit --relay chat does not reconnect', () => {
  it('after the idle close, two chat --json clients rejoin with the same addresses and still exchange a message', async () => {
    const logs: string[] = [];
    const relay: Relay = await startRelay({ port: 0, idleTimeoutMs: 300, log: (line) => logs.push(line) });
    cleanup.push(() => relay.close());
    const start = async (): Promise<InProcessDriver> => {
      const driver = await InProcessDriver.start(['--relay', `${relay.host}:${relay.port}`, '--state-dir', mkdtempSync(join(tmpdir(), 'sotto-idle-'))]);
      cleanup.push(() => Promise.race([driver.quit(), new Promise((resolve) => setTimeout(resolve, 2000))]));
      return driver;
    };
    const a = await start();
    const b = await start();
    // Both sit idle until the relay closes them, and both rejoin (told on stderr only: stdout is the driver protocol).
    await until(() => /rejoined it with the same address/.test(a.stderr()) && /rejoined it with the same address/.test(b.stderr()), () => `${logs.join('\n')}\n${a.stderr()}\n${b.stderr()}`);
    expect(logs.join('\n')).toMatch(/idle for 300 ms/);
    const mark = b.events().length;
    a.command({ cmd: 'send', to: b.address, text: 'still here' });
    const message = await b.next('message', mark);
    expect(message).toMatchObject({ from: a.address, text: 'still here' });
    expect(a.events().filter((event) => event.event === 'error')).toEqual([]);
  }, 60_000);
});
