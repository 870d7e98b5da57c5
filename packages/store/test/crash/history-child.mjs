// A history writer for the durability test: records user messages, printing
// "shown <n>" after each record() returns (the moment a client shows the
// message). With "once" it kills itself with SIGKILL right after the first
// line; otherwise it goes on until the parent kills it.
//
//   node history-child.mjs <compiled store entry> <state dir> <first index> once|loop
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [storeEntry, dir, first, mode] = process.argv.slice(2);
const { openStore, openHistory } = await import(pathToFileURL(storeEntry).href);

const store = await openStore(dir);
await store.setLogging(true);
const history = openHistory(store);
writeSync(1, 'ready\n');
for (let i = Number(first); ; i++) {
  const result = history.record({
    account: 'sip:alice@example.org',
    peer: `sip:peer${i % 3}@example.org`,
    direction: i % 2 === 0 ? 'in' : 'out',
    time: new Date(),
    contentType: 'text/plain',
    text: `message ${i} ${'x'.repeat(i % 500)}`,
    delivery: 'pending',
    encryption: { status: 'encrypted-unverified', fingerprint: 'ab'.repeat(20), otrVersion: 3 },
    messageId: `id-${i}`,
  });
  if (!result.recorded) throw new Error('not recorded');
  writeSync(1, `shown ${i}\n`);
  if (mode === 'once') process.kill(process.pid, 'SIGKILL');
}
