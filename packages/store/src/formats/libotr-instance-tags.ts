/**
 * libotr's otr.instance_tags (instag.c: otrl_instag_read / otrl_instag_write):
 * a comment line, then one line per account,
 *
 *   accountname TAB protocol TAB 8-hex-digits
 *
 * Instance tags below 0x100 are reserved (Protocol-v3 "Instance Tags").
 */
import { MAX_INSTANCE_TAG, MIN_INSTANCE_TAG } from '../files/instance-tags-file.js';
import { parsed, problem, type Parsed } from './result.js';

/** One line of otr.instance_tags. */
export interface LibotrInstanceTag {
  readonly account: string;
  readonly protocol: string;
  readonly tag: number;
}

/** Reads otr.instance_tags; comment and blank lines are skipped, anything else must be a valid tag line. */
export function parseLibotrInstanceTags(bytes: Uint8Array): Parsed<LibotrInstanceTag[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return problem('the file is not UTF-8 text');
  }
  const out: LibotrInstanceTag[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = line.split('\t');
    const [account = '', protocol = '', hex = ''] = fields;
    if (fields.length !== 3 || account === '' || protocol === '') return problem(`line ${index + 1}: expected account, protocol and tag separated by tabs`);
    if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return problem(`line ${index + 1}: the instance tag is not 8 hex digits`);
    const tag = parseInt(hex, 16);
    if (tag < MIN_INSTANCE_TAG) return problem(`line ${index + 1}: instance tag ${hex} is reserved (below 0x100)`);
    if (out.some((other) => other.account === account && other.protocol === protocol)) {
      return problem(`line ${index + 1}: account ${JSON.stringify(account)} (${protocol}) is listed twice`);
    }
    out.push({ account, protocol, tag });
  }
  return parsed(out);
}

/** The text of otr.instance_tags, with libotr's warning line. */
export function encodeLibotrInstanceTags(tags: readonly LibotrInstanceTag[]): Parsed<string> {
  let out = "# WARNING! You shouldn't copy this file to another computer. It is unnecessary and can cause problems.\n";
  for (const { account, protocol, tag } of tags) {
    if (/[\t\r\n]/.test(account + protocol) || account === '' || protocol === '') {
      return problem(`${JSON.stringify(account)} (${protocol}) cannot be written to otr.instance_tags`);
    }
    if (!Number.isInteger(tag) || tag < MIN_INSTANCE_TAG || tag > MAX_INSTANCE_TAG) return problem(`instance tag ${tag} is out of range`);
    out += `${account}\t${protocol}\t${tag.toString(16).padStart(8, '0')}\n`;
  }
  return parsed(out);
}
