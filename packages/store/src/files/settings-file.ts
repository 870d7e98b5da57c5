/**
 * `settings.json`: the global chat-logging switch and per-contact settings
 * ("always require encryption").
 */
import { boolean, decodeVersioned, encodeVersioned, entries, object, sortedObject } from './shape.js';

/** Settings of one contact. */
export interface ContactSettings {
  /** Refuse to send this contact anything unencrypted. */
  readonly requireEncryption: boolean;
}

/** The contents of `settings.json`. */
export interface Settings {
  /** Whether the client may write chat logs. Off until the user turns it on. */
  readonly logging: boolean;
  /** By account, then contact. */
  readonly contacts: ReadonlyMap<string, ReadonlyMap<string, ContactSettings>>;
}

/** Settings of a directory that has none yet. */
export const DEFAULT_SETTINGS: Settings = { logging: false, contacts: new Map() };

/** Reads `settings.json`; throws a 'corrupt' StoreError naming `path`. */
export function decodeSettingsFile(bytes: Uint8Array, path: string): Settings {
  return decodeVersioned(bytes, path, (body) => {
    const contacts = new Map<string, Map<string, ContactSettings>>();
    for (const [account, byContact] of entries(body.contacts, 'contacts')) {
      const map = new Map<string, ContactSettings>();
      for (const [contact, value] of entries(byContact, `contacts[${JSON.stringify(account)}]`)) {
        const where = `contacts[${JSON.stringify(account)}][${JSON.stringify(contact)}]`;
        map.set(contact, { requireEncryption: boolean(object(value, where).requireEncryption, `${where}.requireEncryption`) });
      }
      contacts.set(account, map);
    }
    return { logging: boolean(body.logging, 'logging'), contacts };
  });
}

/** The text of `settings.json`. */
export function encodeSettingsFile(settings: Settings): string {
  return encodeVersioned({
    logging: settings.logging,
    contacts: sortedObject(settings.contacts, (byContact) => sortedObject(byContact, (value) => ({ requireEncryption: value.requireEncryption }))),
  });
}
