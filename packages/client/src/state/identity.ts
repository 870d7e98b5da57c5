/**
 * The client's identity and trust on disk, in a state directory (0700):
 * `identity.json` holds the long-term DSA key and the instance tag (created on
 * first use, never replaced silently); `trust.json` holds, per peer address,
 * the fingerprints seen and which are verified (by SMP or by hand).
 * Writes are atomic; a file that cannot be read is an error naming it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { dsaPrivateKeyFromParts, dsaPrivateKeyToParts, generateDsaKey, type DsaPrivateKey } from '@sotto/otr';
import { writeFileAtomic } from './atomic-file.js';

/** A problem with the state directory, naming the file. */
export class StateError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** How a fingerprint came to be trusted. */
export type TrustStatus = 'unverified' | 'smp' | 'manual';

interface TrustRecord {
  fingerprint: string;
  status: TrustStatus;
  firstSeen: string;
  lastSeen: string;
  history: { status: TrustStatus; at: string }[];
}

interface IdentityFile {
  version: 1;
  instanceTag: number;
  key: { p: string; q: string; g: string; y: string; x: string };
}

interface TrustFile {
  version: 1;
  peers: Record<string, TrustRecord[]>;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StateError(file, `cannot be read (${(error as Error).message}); it was left untouched`);
  }
}

/** Identity and trust of one state directory. */
export class Identity {
  readonly privateKey: DsaPrivateKey;
  readonly instanceTag: number;
  #trust: TrustFile;

  private constructor(
    readonly dir: string,
    privateKey: DsaPrivateKey,
    instanceTag: number,
    trust: TrustFile,
  ) {
    this.privateKey = privateKey;
    this.instanceTag = instanceTag;
    this.#trust = trust;
  }

  /** Opens (creating on first use) the identity in `dir`. */
  static open(dir: string): Identity {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const identityFile = join(dir, 'identity.json');
    let identity = readJson(identityFile) as Partial<IdentityFile> | undefined;
    let privateKey: DsaPrivateKey | undefined;
    if (identity === undefined) {
      privateKey = generateDsaKey();
      const parts = dsaPrivateKeyToParts(privateKey);
      identity = {
        version: 1,
        instanceTag: randomInt(0x100, 0xffffffff),
        key: { p: hex(parts.p), q: hex(parts.q), g: hex(parts.g), y: hex(parts.y), x: hex(parts.x.expose()) },
      };
      parts.x.wipe();
      writeFileAtomic(identityFile, JSON.stringify(identity, null, 2) + '\n');
    } else {
      const k = identity.key as Partial<IdentityFile['key']> | undefined;
      if ((identity.version as number | undefined) !== 1 || k?.p === undefined || k.q === undefined || k.g === undefined || k.y === undefined || k.x === undefined) {
        throw new StateError(identityFile, 'unknown format; it was left untouched');
      }
      privateKey = dsaPrivateKeyFromParts({ p: unhex(k.p), q: unhex(k.q), g: unhex(k.g), y: unhex(k.y), x: unhex(k.x) });
      if (privateKey === undefined) throw new StateError(identityFile, 'the key in it is not a valid DSA key; it was left untouched');
      if (typeof identity.instanceTag !== 'number' || !Number.isInteger(identity.instanceTag) || identity.instanceTag < 0x100 || identity.instanceTag > 0xffffffff) {
        throw new StateError(identityFile, 'invalid instance tag; it was left untouched');
      }
    }
    const trust = (readJson(join(dir, 'trust.json')) ?? { version: 1, peers: {} }) as TrustFile;
    if ((trust.version as number) !== 1 || typeof trust.peers !== 'object') throw new StateError(join(dir, 'trust.json'), 'unknown format; it was left untouched');
    return new Identity(dir, privateKey, identity.instanceTag ?? 0, trust);
  }

  /** Whether `peer` has any verified fingerprint. */
  hasVerified(peer: string): boolean {
    return (this.#trust.peers[peer] ?? []).some((record) => record.status !== 'unverified');
  }

  /** Whether `fingerprint` is verified for `peer`. */
  isVerified(peer: string, fingerprint: string): boolean {
    return (this.#trust.peers[peer] ?? []).some((record) => record.fingerprint === fingerprint && record.status !== 'unverified');
  }

  /** Records a fingerprint seen for `peer`; tells whether it differs from every verified one. */
  recordSeen(peer: string, fingerprint: string, now = new Date()): { changed: boolean; verified: boolean } {
    const changed = this.hasVerified(peer) && !this.isVerified(peer, fingerprint);
    const records = (this.#trust.peers[peer] ??= []);
    const at = now.toISOString();
    const record = records.find((r) => r.fingerprint === fingerprint);
    if (record === undefined) records.push({ fingerprint, status: 'unverified', firstSeen: at, lastSeen: at, history: [] });
    else record.lastSeen = at;
    this.#save();
    return { changed, verified: this.isVerified(peer, fingerprint) };
  }

  /** Marks a fingerprint verified (or not), keeping the history. */
  setTrust(peer: string, fingerprint: string, status: TrustStatus, now = new Date()): void {
    const records = (this.#trust.peers[peer] ??= []);
    const at = now.toISOString();
    let record = records.find((r) => r.fingerprint === fingerprint);
    if (record === undefined) {
      record = { fingerprint, status, firstSeen: at, lastSeen: at, history: [] };
      records.push(record);
    }
    record.history.push({ status: record.status, at });
    record.status = status;
    this.#save();
  }

  /** Every peer with its fingerprints. */
  peers(): Record<string, readonly TrustRecord[]> {
    return this.#trust.peers;
  }

  #save(): void {
    writeFileAtomic(join(this.dir, 'trust.json'), JSON.stringify(this.#trust, null, 2) + '\n');
  }
}
