/** Display helpers: fingerprints in groups, times, words for locks and deliveries. */
import type { Delivery, Lock, MessageLock } from '../protocol/index.js';

/** A fingerprint in groups of eight, as Blink and libotr show it. */
export function fingerprintGroups(hex: string): string[] {
  const groups: string[] = [];
  for (let i = 0; i < hex.length; i += 8) groups.push(hex.slice(i, i + 8).toUpperCase());
  return groups;
}

export function time(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export const LOCK_WORDS: Readonly<Record<Lock, string>> = {
  none: 'Not encrypted',
  unverified: 'Encrypted, fingerprint not verified',
  verified: 'Encrypted, fingerprint verified',
  'fingerprint-changed': "Warning: the contact's fingerprint changed",
};

export const MESSAGE_LOCK_WORDS: Readonly<Record<MessageLock, string>> = {
  plaintext: 'not encrypted',
  'encrypted-unverified': 'encrypted, unverified',
  'encrypted-verified': 'encrypted, verified',
};

export const DELIVERY_WORDS: Readonly<Record<Delivery, string>> = {
  pending: 'sending',
  held: 'waiting for encryption',
  delivered: 'delivered',
  failed: 'not delivered',
  'not-requested': '',
};
