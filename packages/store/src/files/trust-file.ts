/**
 * `trust.json`: per account and contact, every fingerprint ever seen, its
 * kind (OTRv3 or OTRv4), its status (unverified, verified by SMP, verified
 * by hand), when it was first and last seen, and the history of its status
 * changes. Format version 1 holds OTRv3 fingerprints only and no kind;
 * version 2, written once an OTRv4 fingerprint is recorded, names each
 * record's kind, which must agree with the fingerprint's length (shape.ts).
 */
import { FINGERPRINT_HEX_LENGTH, fingerprintKind, isCanonicalFingerprint, type FingerprintKind } from '../fingerprint-text.js';
import type { FingerprintRecord, TrustChange, TrustStatus } from '../trust.js';
import {
  FORMAT_VERSION,
  ShapeError,
  V4_FORMAT_VERSION,
  array,
  decodeVersioned,
  encodeVersioned,
  entries,
  object,
  oneOf,
  sortedObject,
  string,
  timestamp,
} from './shape.js';

const STATUSES: readonly TrustStatus[] = ['unverified', 'smp', 'manual'];
const KINDS: readonly FingerprintKind[] = ['v3', 'v4'];

/** Fingerprint records by account, then by contact. */
export type TrustTable = Map<string, Map<string, readonly FingerprintRecord[]>>;

function decodeChange(value: unknown, where: string): TrustChange {
  const body = object(value, where);
  const change: { status: TrustStatus; at: string; via?: string } = {
    status: oneOf(body.status, `${where}.status`, STATUSES),
    at: timestamp(body.at, `${where}.at`),
  };
  if (body.via !== undefined) change.via = string(body.via, `${where}.via`);
  return change;
}

function decodeRecord(value: unknown, where: string, version: number): FingerprintRecord {
  const body = object(value, where);
  const fingerprint = string(body.fingerprint, `${where}.fingerprint`);
  let kind: FingerprintKind;
  if (version === FORMAT_VERSION) {
    if (body.kind !== undefined) throw new ShapeError(`${where}.kind appears in a version ${FORMAT_VERSION} file`);
    kind = 'v3';
  } else {
    kind = oneOf(body.kind, `${where}.kind`, KINDS);
  }
  if (!isCanonicalFingerprint(fingerprint) || fingerprintKind(fingerprint) !== kind) {
    throw new ShapeError(`${where}.fingerprint is not ${FINGERPRINT_HEX_LENGTH[kind]} lower-case hex digits (an OTR${kind} fingerprint)`);
  }
  return {
    kind,
    fingerprint,
    status: oneOf(body.status, `${where}.status`, STATUSES),
    firstSeen: timestamp(body.firstSeen, `${where}.firstSeen`),
    lastSeen: timestamp(body.lastSeen, `${where}.lastSeen`),
    history: array(body.history, `${where}.history`).map((change, index) => decodeChange(change, `${where}.history[${index}]`)),
  };
}

/** Reads `trust.json` (format version 1 or 2); throws a 'corrupt' StoreError naming `path`. */
export function decodeTrustFile(bytes: Uint8Array, path: string): TrustTable {
  return decodeVersioned(
    bytes,
    path,
    (body, version) => {
      const table: TrustTable = new Map();
      for (const [account, contacts] of entries(body.accounts, 'accounts')) {
        const byContact = new Map<string, readonly FingerprintRecord[]>();
        for (const [contact, records] of entries(contacts, `accounts[${JSON.stringify(account)}]`)) {
          const where = `accounts[${JSON.stringify(account)}][${JSON.stringify(contact)}]`;
          const list = array(records, where).map((record, index) => decodeRecord(record, `${where}[${index}]`, version));
          if (new Set(list.map((record) => record.fingerprint)).size !== list.length) throw new ShapeError(`${where} lists a fingerprint twice`);
          byContact.set(contact, list);
        }
        table.set(account, byContact);
      }
      return table;
    },
    V4_FORMAT_VERSION,
  );
}

function encodeRecord(record: FingerprintRecord, withKind: boolean): Record<string, unknown> {
  return {
    ...(withKind ? { kind: record.kind } : {}),
    fingerprint: record.fingerprint,
    status: record.status,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
    history: record.history.map((change) => ({ status: change.status, at: change.at, ...(change.via === undefined ? {} : { via: change.via }) })),
  };
}

/** True when some record of the table is an OTRv4 fingerprint. */
function holdsV4(table: TrustTable): boolean {
  for (const contacts of table.values()) for (const records of contacts.values()) if (records.some((record) => record.kind === 'v4')) return true;
  return false;
}

/** The text of `trust.json`: format version 1 (as before OTRv4) until it holds an OTRv4 fingerprint, then 2. */
export function encodeTrustFile(table: TrustTable): string {
  const v4 = holdsV4(table);
  return encodeVersioned(
    { accounts: sortedObject(table, (contacts) => sortedObject(contacts, (records) => records.map((record) => encodeRecord(record, v4)))) },
    v4 ? V4_FORMAT_VERSION : FORMAT_VERSION,
  );
}
