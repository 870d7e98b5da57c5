/**
 * libotr's otr.private_key (privkey.c: otrl_privkey_read / account_write):
 *
 *   (privkeys
 *    (account
 *     (name "alice@example.org")
 *     (protocol prpl-jabber)
 *     (private-key (dsa (p #..#) (q #..#) (g #..#) (y #..#) (x #..#)))))
 *
 * one `account` per (name, protocol), each holding a DSA key (Protocol-v3
 * "Public keys, signatures, and fingerprints": OTR keys are DSA).
 */
import { MAX_INTEGER_BYTES, type DsaParts } from './dsa-parts.js';
import { parsed, problem, type Parsed } from './result.js';
import { atomText, encodeAtom, encodeMpi, parseSexp, sublists, type Sexp } from './sexp.js';

/** One account's key in otr.private_key. */
export interface LibotrKey {
  readonly account: string;
  readonly protocol: string;
  readonly parts: DsaParts;
}

/** A structural problem found while reading one account; caught by the parser. */
class Malformed extends Error {}

function onlySublist(list: readonly Sexp[], name: string, where: string): Sexp[] {
  const found = sublists(list, name);
  if (found.length === 0) throw new Malformed(`${where} has no (${name} ...)`);
  if (found.length > 1) throw new Malformed(`${where} has more than one (${name} ...)`);
  return found[0] as Sexp[];
}

function textField(list: readonly Sexp[], name: string, where: string): string {
  const sub = onlySublist(list, name, where);
  const value = atomText(sub[1]);
  if (sub.length !== 2 || value === undefined) throw new Malformed(`${where}: (${name} ...) should hold one text value`);
  return value;
}

function numberField(list: readonly Sexp[], name: string, where: string): Uint8Array {
  const sub = onlySublist(list, name, where);
  const value = sub[1];
  if (sub.length !== 2 || !(value instanceof Uint8Array) || value.length === 0) throw new Malformed(`${where}: ${name} is not a number`);
  if (value.length > MAX_INTEGER_BYTES) throw new Malformed(`${where}: ${name} is implausibly large`);
  return value;
}

function parseAccount(item: Sexp, index: number): LibotrKey {
  if (!Array.isArray(item) || atomText(item[0]) !== 'account') throw new Malformed(`entry ${index} is not an (account ...)`);
  const account = textField(item, 'name', `account ${index}`);
  const protocol = textField(item, 'protocol', `account ${index}`);
  const named = `account ${JSON.stringify(account)} (${protocol})`;
  const privateKey = onlySublist(item, 'private-key', named);
  const dsa = sublists(privateKey, 'dsa')[0];
  if (dsa === undefined) throw new Malformed(`${named}: the private key is not a DSA key (OTR keys are DSA)`);
  const where = `${named}: the DSA key`;
  const [p, q, g, y, x] = (['p', 'q', 'g', 'y', 'x'] as const).map((name) => numberField(dsa, name, where)) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  return { account, protocol, parts: { p, q, g, y, x } };
}

/** Reads otr.private_key. Checks the structure; the caller checks each key's consistency. */
export function parseLibotrPrivateKeys(bytes: Uint8Array): Parsed<LibotrKey[]> {
  const sexp = parseSexp(bytes);
  if (!sexp.ok) return sexp;
  const [head, ...accounts] = sexp.value;
  if (atomText(head) !== 'privkeys') return problem('the file does not start with (privkeys');
  const keys: LibotrKey[] = [];
  for (const [index, item] of accounts.entries()) {
    let key: LibotrKey;
    try {
      key = parseAccount(item, index + 1);
    } catch (error) {
      if (error instanceof Malformed) return problem(error.message);
      throw error;
    }
    if (keys.some((other) => other.account === key.account && other.protocol === key.protocol)) {
      return problem(`account ${JSON.stringify(key.account)} (${key.protocol}) is listed twice`);
    }
    keys.push(key);
  }
  return parsed(keys);
}

/** The text of otr.private_key for these keys, in libgcrypt's advanced form as libotr writes it. */
export function encodeLibotrPrivateKeys(keys: readonly LibotrKey[]): string {
  const utf8 = new TextEncoder();
  let out = '(privkeys\n';
  for (const { account, protocol, parts } of keys) {
    out += ' (account\n';
    out += `  (name ${encodeAtom(utf8.encode(account))})\n`;
    out += `  (protocol ${encodeAtom(utf8.encode(protocol))})\n`;
    out += '  (private-key\n   (dsa\n';
    for (const name of ['p', 'q', 'g', 'y', 'x'] as const) out += `    (${name} ${encodeMpi(parts[name])})\n`;
    out += '    )\n   )\n  )\n';
  }
  return `${out})\n`;
}
