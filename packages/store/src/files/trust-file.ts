/**
 * `trust.json`: per account and contact, every fingerprint ever seen, its
 * status (unverified, verified by SMP, verified by hand), when it was first
 * and last seen, and the history of its status changes.
 */
import { isCanonicalFingerprint } from '../fingerprint-text.js';
import type { FingerprintRecord, TrustChange, TrustStatus } from '../trust.js';
import { ShapeError, array, decodeVersioned, encodeVersioned, entries, object, oneOf, sortedObject, string, timestamp } from './shape.js';

const STATUSES: readonly TrustStatus[] = ['unverified', 'smp', 'manual'];

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

function decodeRecord(value: unknown, where: string): FingerprintRecord {
  const body = object(value, where);
  const fingerprint = string(body.fingerprint, `${where}.fingerprint`);
  if (!isCanonicalFingerprint(fingerprint)) throw new ShapeError(`${where}.fingerprint is not 40 lower-case hex digits`);
  return {
    fingerprint,
    status: oneOf(body.status, `${where}.status`, STATUSES),
    firstSeen: timestamp(body.firstSeen, `${where}.firstSeen`),
    lastSeen: timestamp(body.lastSeen, `${where}.lastSeen`),
    history: array(body.history, `${where}.history`).map((change, index) => decodeChange(change, `${where}.history[${index}]`)),
  };
}

/** Reads `trust.json`; throws a 'corrupt' StoreError naming `path`. */
export function decodeTrustFile(bytes: Uint8Array, path: string): TrustTable {
  return decodeVersioned(bytes, path, (body) => {
    const table: TrustTable = new Map();
    for (const [account, contacts] of entries(body.accounts, 'accounts')) {
      const byContact = new Map<string, readonly FingerprintRecord[]>();
      for (const [contact, records] of entries(contacts, `accounts[${JSON.stringify(account)}]`)) {
        const where = `accounts[${JSON.stringify(account)}][${JSON.stringify(contact)}]`;
        const list = array(records, where).map((record, index) => decodeRecord(record, `${where}[${index}]`));
        if (new Set(list.map((record) => record.fingerprint)).size !== list.length) throw new ShapeError(`${where} lists a fingerprint twice`);
        byContact.set(contact, list);
      }
      table.set(account, byContact);
    }
    return table;
  });
}

function encodeRecord(record: FingerprintRecord): Record<string, unknown> {
  return {
    fingerprint: record.fingerprint,
    status: record.status,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
    history: record.history.map((change) => ({ status: change.status, at: change.at, ...(change.via === undefined ? {} : { via: change.via }) })),
  };
}

/** The text of `trust.json`. */
export function encodeTrustFile(table: TrustTable): string {
  return encodeVersioned({
    accounts: sortedObject(table, (contacts) => sortedObject(contacts, (records) => records.map(encodeRecord))),
  });
}
