/**
 * otr.private_key, otr.fingerprints and otr.instance_tags: the parsers read
 * the files libotr wrote (fixtures) into what libotr itself read from them
 * (pidgin.expected.tsv), and reject malformed input with a line number.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dsaPrivateKeyFromParts, fingerprint, formatFingerprint } from '@sotto/otr';
import { encodeLibotrPrivateKeys, parseLibotrPrivateKeys } from '../../../src/formats/libotr-private-key.js';
import { encodeLibotrFingerprints, parseLibotrFingerprints } from '../../../src/formats/libotr-fingerprints.js';
import { encodeLibotrInstanceTags, parseLibotrInstanceTags } from '../../../src/formats/libotr-instance-tags.js';
import { LIBOTR_FIXTURES } from '../../helpers/external-tools.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(LIBOTR_FIXTURES, 'pidgin', name)));
const expected = readFileSync(join(LIBOTR_FIXTURES, 'pidgin.expected.tsv'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => line.split('\t'));
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

function ok<T>(result: { ok: true; value: T } | { ok: false; problem: string }): T {
  if (!result.ok) throw new Error(result.problem);
  return result.value;
}

describe('otr.private_key', () => {
  it('reads every account of libotr\'s file with the fingerprint libotr computes', () => {
    const keys = ok(parseLibotrPrivateKeys(fixture('otr.private_key')));
    const fromLibotr = expected.filter((row) => row[0] === 'key').map((row) => [row[1], row[2], row[3]]);
    const ours = keys.map((key) => {
      const dsa = dsaPrivateKeyFromParts(key.parts);
      expect(dsa).toBeDefined();
      return [key.account, key.protocol, formatFingerprint(fingerprint(dsa!.publicKey))];
    });
    expect(ours.sort()).toEqual(fromLibotr.sort());
  });

  it('writes what it reads', () => {
    const keys = ok(parseLibotrPrivateKeys(fixture('otr.private_key')));
    expect(ok(parseLibotrPrivateKeys(text(encodeLibotrPrivateKeys(keys))))).toEqual(keys);
  });

  it.each([
    ['another head', '(keys (account (name a) (protocol p) (private-key (dsa (p #01#) (q #01#) (g #01#) (y #01#) (x #01#)))))', /start with \(privkeys/],
    ['a missing name', '(privkeys (account (protocol p) (private-key (dsa (p #01#) (q #01#) (g #01#) (y #01#) (x #01#)))))', /no \(name/],
    ['a missing x', '(privkeys (account (name a) (protocol p) (private-key (dsa (p #01#) (q #01#) (g #01#) (y #01#)))))', /no \(x/],
    ['an RSA key', '(privkeys (account (name a) (protocol p) (private-key (rsa (n #01#) (e #01#)))))', /not a DSA key/],
    ['a duplicate account', '(privkeys (account (name a) (protocol p) (private-key (dsa (p #01#) (q #01#) (g #01#) (y #01#) (x #01#)))) (account (name a) (protocol p) (private-key (dsa (p #01#) (q #01#) (g #01#) (y #01#) (x #01#)))))', /listed twice/],
    ['a truncated file', '(privkeys (account (name a)', /missing "\)"/],
  ])('rejects %s', (_name, input, message) => {
    const result = parseLibotrPrivateKeys(text(input));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(message);
  });
});

describe('otr.fingerprints', () => {
  it('reads libotr\'s file as libotr does, mapping trust words to statuses', () => {
    const entries = ok(parseLibotrFingerprints(fixture('otr.fingerprints')));
    const fromLibotr = expected.filter((row) => row[0] === 'fingerprint').map((row) => row.slice(1));
    expect(entries.map((e) => [e.contact, e.account, e.protocol, e.fingerprint, e.trust]).sort()).toEqual(fromLibotr.sort());
    expect(Object.fromEntries(entries.map((e) => [e.trust, e.status]))).toEqual({ verified: 'manual', smp: 'smp', '': 'unverified' });
  });

  it('accepts CRLF, upper-case hex and a missing trust field', () => {
    const entries = ok(parseLibotrFingerprints(text(`bob\talice\tprpl-jabber\t${'AB'.repeat(20)}\r\n`)));
    expect(entries).toEqual([{ contact: 'bob', account: 'alice', protocol: 'prpl-jabber', fingerprint: 'ab'.repeat(20), status: 'unverified', trust: '' }]);
  });

  it('writes libotr\'s line format', () => {
    const written = ok(
      encodeLibotrFingerprints([
        { contact: 'bob', account: 'alice', protocol: 'prpl-jabber', fingerprint: 'ab'.repeat(20), status: 'smp' },
        { contact: 'bob', account: 'alice', protocol: 'prpl-jabber', fingerprint: 'cd'.repeat(20), status: 'manual' },
        { contact: 'eve', account: 'alice', protocol: 'prpl-jabber', fingerprint: 'ef'.repeat(20), status: 'unverified' },
      ]),
    );
    expect(written).toBe(`bob\talice\tprpl-jabber\t${'ab'.repeat(20)}\tsmp\nbob\talice\tprpl-jabber\t${'cd'.repeat(20)}\tverified\neve\talice\tprpl-jabber\t${'ef'.repeat(20)}\t\n`);
  });

  it('refuses to write fields libotr would misread', () => {
    expect(encodeLibotrFingerprints([{ contact: 'a\tb', account: 'alice', protocol: 'p', fingerprint: 'ab'.repeat(20), status: 'smp' }]).ok).toBe(false);
    expect(encodeLibotrFingerprints([{ contact: 'x'.repeat(1000), account: 'alice', protocol: 'p', fingerprint: 'ab'.repeat(20), status: 'smp' }]).ok).toBe(false);
  });

  it.each([
    ['too few fields', 'bob\talice\tprpl\n', /line 1: expected/],
    ['a short fingerprint', `bob\talice\tprpl\t${'ab'.repeat(19)}\t\n`, /line 1: the fingerprint/],
    ['a non-hex fingerprint', `ok\talice\tprpl\t${'ab'.repeat(20)}\t\nbob\talice\tprpl\t${'zz'.repeat(20)}\t\n`, /line 2: the fingerprint/],
    ['an empty user', `\talice\tprpl\t${'ab'.repeat(20)}\t\n`, /line 1: empty/],
  ])('rejects %s', (_name, input, message) => {
    const result = parseLibotrFingerprints(text(input));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(message);
  });

  it('rejects text that is not UTF-8', () => {
    expect(parseLibotrFingerprints(Uint8Array.of(0xff, 0x09)).ok).toBe(false);
  });
});

describe('otr.instance_tags', () => {
  it('reads libotr\'s file as libotr does', () => {
    const tags = ok(parseLibotrInstanceTags(fixture('otr.instance_tags')));
    const fromLibotr = expected.filter((row) => row[0] === 'instag').map((row) => [row[1], row[2], row[3]]);
    expect(tags.map((t) => [t.account, t.protocol, t.tag.toString(16).padStart(8, '0')]).sort()).toEqual(fromLibotr.sort());
  });

  it('writes libotr\'s format with its warning line', () => {
    expect(ok(encodeLibotrInstanceTags([{ account: 'alice', protocol: 'prpl-jabber', tag: 0x1ab }]))).toMatch(/^# WARNING.*\nalice\tprpl-jabber\t000001ab\n$/);
    expect(encodeLibotrInstanceTags([{ account: 'alice', protocol: 'prpl-jabber', tag: 0xff }]).ok).toBe(false);
  });

  it.each([
    ['a reserved tag', 'alice\tprpl\t000000ff\n', /reserved/],
    ['a short tag', 'alice\tprpl\t1ab\n', /8 hex digits/],
    ['missing fields', 'alice\t000001ab\n', /expected account/],
    ['a duplicate', 'alice\tprpl\t000001ab\nalice\tprpl\t000001ac\n', /line 2: .*twice/],
  ])('rejects %s', (_name, input, message) => {
    const result = parseLibotrInstanceTags(text(input));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(message);
  });
});
