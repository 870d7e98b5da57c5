// A store writer for the crash test: opens the state directory and changes
// it as fast as it can, printing a line after each change has been committed
// (its promise resolved). The parent kills it with SIGKILL at a random moment
// and checks that everything reported as committed is still there.
//
//   node writer-child.mjs <compiled store entry> <otr entry> <state dir> <first index>
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [storeEntry, otrEntry, dir, first] = process.argv.slice(2);
const { openStore } = await import(pathToFileURL(storeEntry).href);
const { createClientProfile, decodePoint, fingerprint, systemRandom, toHex } = await import(pathToFileURL(otrEntry).href);

const store = await openStore(dir);
const tag = await store.getOrCreateInstanceTag('alice');
writeSync(1, 'ready\n');
for (let i = Number(first); ; i++) {
  const contact = `contact-${i % 7}`;
  // OTRv3 (40 hex) and OTRv4 (112 hex) fingerprints alike.
  const hex = i.toString(16).padStart(i % 4 === 1 ? 112 : 40, '0');
  if (i % 13 === 0) {
    const key = await store.regenerateKey('alice');
    writeSync(1, `key ${i} ${toHex(fingerprint(key.publicKey))} ${store.keys('alice')[0].v4.fingerprint}\n`);
  } else if (i % 11 === 0) {
    const v4 = await store.getOrCreateV4Identity('alice');
    const dsaKey = store.existingKey('alice');
    const own = createClientProfile({
      ownerInstanceTag: tag,
      identityKey: v4.identityKey,
      forgingKey: decodePoint(v4.forgingPublicKey),
      versions: '34',
      dsaKey,
      now: Date.now(),
      random: systemRandom,
    });
    await store.saveClientProfile('alice', own.encoded, own.expiresAt);
    writeSync(1, `profile ${i} ${toHex(fingerprint(dsaKey.publicKey))}\n`);
  } else if (i % 5 === 0) {
    await store.setContactSettings('alice', contact, { requireEncryption: i % 2 === 0 });
    writeSync(1, `setting ${i}\n`);
  } else if (i % 3 === 0) {
    await store.recordSeen('alice', contact, hex, new Date());
    writeSync(1, `seen ${i} ${contact} ${hex}\n`);
  } else {
    await store.setTrust('alice', contact, hex, i % 2 === 0 ? 'smp' : 'manual', new Date());
    writeSync(1, `trust ${i} ${contact} ${hex}\n`);
  }
}
