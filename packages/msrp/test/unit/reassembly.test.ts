import { describe, expect, it } from 'vitest';
import { Reassembly, type ByteRange } from '../../src/index.js';
import { dec, enc } from '../helpers.js';

const context = { reports: { success: 'no' as const, failure: 'yes' as const }, fromPath: 'msrp://a.example/x1y2;tcp' };
const range = (start: number, total?: number): ByteRange => ({ start, end: undefined, total });
const chunk = (messageId: string, start: number, body: string, flag: '$' | '+' | '#' = '+') => ({ messageId, range: range(start), body: enc(body), flag, contentType: 'text/plain', context });

describe('reassembly', () => {
  it('completes out-of-order chunks once the bytes from 1 to the end are all there', () => {
    const r = new Reassembly();
    expect(r.add(chunk('m1m1', 5, 'EFGH', '$')).kind).toBe('pending');
    const done = r.add(chunk('m1m1', 1, 'abcd'));
    expect(done.kind === 'complete' && dec(done.body)).toBe('abcdEFGH');
    expect(r.bytesHeld).toBe(0);
  });

  it('one-byte chunks are counted with their bookkeeping, so they cannot hold far more memory than the byte bound', () => {
    const r = new Reassembly({ maxBytes: 64 * 1024 });
    let dropped: string | undefined;
    for (let i = 0; i < 64 * 1024 && dropped === undefined; i++) {
      const result = r.add(chunk('m1m1', i + 1, 'x'));
      if (result.kind === 'dropped') dropped = result.reason;
    }
    expect(dropped).toBe('reassembly-full');
  });

  it('chunks arriving after the last one out of order are bounded (no quadratic re-sorting)', () => {
    const r = new Reassembly();
    r.add(chunk('m1m1', 100_000, 'z', '$'));
    let added = 0;
    while (added < 100 && r.add(chunk('m1m1', 1000 + added * 10, 'y')).kind === 'pending') added++;
    expect(added).toBeLessThanOrEqual(32);
    expect(r.size).toBe(0);
  });

  it('an abort drops what was held', () => {
    const r = new Reassembly();
    r.add(chunk('m1m1', 1, 'abc'));
    expect(r.add(chunk('m1m1', 4, '', '#'))).toMatchObject({ kind: 'dropped', reason: 'aborted' });
    expect(r.bytesHeld).toBe(0);
  });

  it('a declared total above the maximum message size is refused at the first chunk', () => {
    const r = new Reassembly({ maxMessageBytes: 100 });
    expect(r.add({ ...chunk('m1m1', 1, 'a'), range: range(1, 1000) })).toMatchObject({ kind: 'dropped', reason: 'too-large' });
  });
});
