/** Every import parser returns a value or a problem for any input: none throws. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseSexp } from '../../../src/formats/sexp.js';
import { parseLibotrPrivateKeys } from '../../../src/formats/libotr-private-key.js';
import { parseLibotrFingerprints } from '../../../src/formats/libotr-fingerprints.js';
import { parseLibotrInstanceTags } from '../../../src/formats/libotr-instance-tags.js';
import { parsePotrPrivateKey } from '../../../src/formats/potr-private-key.js';
import { parsePotrTrustedPeers } from '../../../src/formats/potr-trusted-peers.js';
import { parsePemDsaKey } from '../../../src/formats/pem-dsa.js';

const parsers = { parseSexp, parseLibotrPrivateKeys, parseLibotrFingerprints, parseLibotrInstanceTags, parsePotrPrivateKey, parsePotrTrustedPeers, parsePemDsaKey };

/** Text built from the pieces these formats are made of, so inputs get past the first check. */
const structured = fc
  .array(
    fc.oneof(
      fc.constantFrom('(', ')', '(privkeys', '(account', '(name "a")', '(protocol p)', '(private-key', '(dsa', '(p #0102#)', '(x |AQ==|)', '3:abc', '"\\x4', '#', '|', '\t', '\n', '\r\n', 'verified', 'smp'),
      fc.constantFrom('-----BEGIN PRIVATE KEY-----\n', '-----END PRIVATE KEY-----\n', '-----BEGIN DSA PRIVATE KEY-----\n', 'MIIBSgIBADCCASsGByqGSM44BAEw', 'AAAA'),
      fc.stringMatching(/^[0-9a-fA-F ]{0,48}$/),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((pieces) => new TextEncoder().encode(pieces.join('')));

describe.each(Object.entries(parsers))('%s', (_name, parse) => {
  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        parse(bytes);
      }),
      { numRuns: 300 },
    );
  });
  it('never throws on format-shaped text', () => {
    fc.assert(
      fc.property(structured, (bytes) => {
        parse(bytes);
      }),
      { numRuns: 300 },
    );
  });
});
