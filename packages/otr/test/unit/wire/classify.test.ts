/**
 * Classifying received texts, including where markers may stand: anywhere,
 * as in libotr and python-potr, but an unparsable marker in the middle of a
 * text leaves it plaintext (see classify.ts).
 */
import { describe, expect, it } from 'vitest';
import { classifyIncoming } from '../../../src/wire/classify.js';
import { encodeWhitespaceTag } from '../../../src/wire/whitespace-tag.js';

const kindOf = (text: string): string => {
  const incoming = classifyIncoming(text);
  return incoming.kind === 'malformed' ? `malformed:${incoming.error.code}` : incoming.kind;
};
/** A v3 D-H Key message (sender 0x100, receiver 0x200, g^y = 5), armoured. */
const DH_KEY = `?OTR:${Buffer.from('0003 0a 00000100 00000200 00000001 05'.replaceAll(' ', ''), 'hex').toString('base64')}.`;

describe('classify', () => {
  it('plain text, tagged or not', () => {
    expect(classifyIncoming('hello')).toEqual({ kind: 'plaintext', text: 'hello', whitespaceVersions: undefined });
    expect(classifyIncoming(`hello${encodeWhitespaceTag([2, 3])}`)).toEqual({ kind: 'plaintext', text: 'hello', whitespaceVersions: new Set([2, 3]) });
  });

  it('queries and errors, anywhere in the text', () => {
    expect(classifyIncoming('?OTRv23?\nAlice has requested...')).toEqual({ kind: 'query', versions: new Set([2, 3]) });
    expect(classifyIncoming('please ?OTR?v2? thanks')).toEqual({ kind: 'query', versions: new Set([1, 2]) });
    expect(classifyIncoming('x ?OTR Error: bad')).toEqual({ kind: 'error', text: 'bad' });
    expect(classifyIncoming('?OTR Error: ERROR_1: Unreadable')).toEqual({ kind: 'error', text: 'ERROR_1: Unreadable', code: 'ERROR_1' });
  });

  it('encoded messages, with the header peeked; surrounding markup is ignored', () => {
    const incoming = classifyIncoming(DH_KEY);
    expect(incoming).toMatchObject({ kind: 'encoded', header: { version: 3, type: 0x0a, senderTag: 0x100, receiverTag: 0x200, bodyOffset: 11 } });
    expect(classifyIncoming(`<body>${DH_KEY}</body>`)).toMatchObject({ kind: 'encoded', header: { type: 0x0a } });
    expect(classifyIncoming(`  ${DH_KEY}\n`)).toMatchObject({ kind: 'encoded' });
  });

  it('fragments, before any other marker (the piece holds "?OTR:")', () => {
    expect(classifyIncoming('?OTR|100|0,1,2,?OTR:AAMD,')).toMatchObject({ kind: 'fragment', fragment: { version: 3, senderTag: 0x100, index: 1, count: 2, piece: '?OTR:AAMD' } });
    expect(classifyIncoming('?OTRv2? ?OTR,1,2,abc,')).toMatchObject({ kind: 'fragment', fragment: { version: 2 } });
  });

  it('a bad marker opening the text is malformed', () => {
    expect(kindOf('?OTR:.')).toBe('malformed:truncated');
    expect(kindOf('?OTR:===.')).toBe('malformed:bad-base64');
    expect(kindOf('?OTR:AAMD')).toBe('malformed:truncated');
    expect(kindOf('?OTR:AA!MD.')).toBe('malformed:bad-base64');
    expect(kindOf('?OTR:AAE=.')).toBe('malformed:bad-version');
    expect(kindOf(`?OTR:${Buffer.from('0001030000').toString('base64')}.`)).toBe('malformed:bad-version');
    expect(kindOf(`?OTR:${Buffer.from([0, 5, 3, 0, 0, 1, 0, 0, 0, 0, 0]).toString('base64')}.`)).toBe('malformed:bad-version');
    // Version 4 has its own header: a bad instance tag there is malformed too.
    expect(kindOf(`?OTR:${Buffer.from([0, 4, 3, 0, 0, 0, 1, 0, 0, 0, 0]).toString('base64')}.`)).toBe('malformed:bad-instance-tag');
    expect(kindOf('?OTR,0,1,x,')).toBe('malformed:bad-fragment');
    expect(kindOf('  ?OTR|ff|0,1,1,x,')).toBe('malformed:bad-instance-tag');
  });

  it('a bad marker in the middle of human text leaves it plaintext', () => {
    expect(classifyIncoming('what is ?OTR, anyway?')).toEqual({ kind: 'plaintext', text: 'what is ?OTR, anyway?', whitespaceVersions: undefined });
    expect(kindOf('see ?OTR: docs.')).toBe('plaintext');
    expect(kindOf('I like ?OTR a lot')).toBe('plaintext');
    expect(kindOf('?OTRvery good')).toBe('plaintext');
  });

  it('stays linear on many marks', () => {
    expect(kindOf('?OTR:'.repeat(50_000))).toBe('malformed:bad-base64');
    expect(kindOf(`x${'?OTR:A'.repeat(50_000)}`)).toBe('plaintext');
  });
});
