import { describe, expect, it } from 'vitest';
import { formatByteRange, parseByteRange, parseFailureReport, parseStatus, parseSuccessReport } from '../../src/index.js';

describe('Byte-Range (RFC 4975 section 9)', () => {
  it('parses known, unknown end and unknown total', () => {
    expect(parseByteRange('1-16/16')).toEqual({ start: 1, end: 16, total: 16 });
    expect(parseByteRange('1-*/8')).toEqual({ start: 1, end: undefined, total: 8 });
    expect(parseByteRange('5-8/*')).toEqual({ start: 5, end: 8, total: undefined });
    expect(parseByteRange('1-*/*')).toEqual({ start: 1, end: undefined, total: undefined });
    expect(parseByteRange('1-0/0')).toEqual({ start: 1, end: 0, total: 0 });
    expect(formatByteRange({ start: 1, end: undefined, total: 8 })).toBe('1-*/8');
  });

  it('refuses malformed and inconsistent ranges', () => {
    for (const text of ['', '0-1/1', '1-5/3', '5-2/9', 'a-b/c', '1-2', '1-2/3/4', '9999999999999999-1/1']) expect(parseByteRange(text)).toBeUndefined();
  });
});

describe('Status (RFC 4975 section 9)', () => {
  it('parses namespace, code and reason', () => {
    expect(parseStatus('000 200 OK')).toEqual({ namespace: '000', code: 200, reason: 'OK' });
    expect(parseStatus('000 413')).toEqual({ namespace: '000', code: 413, reason: '' });
    expect(parseStatus('200 OK')).toBeUndefined();
  });
});

describe('Success-Report and Failure-Report', () => {
  it('default to no and yes, accept partial for failures only', () => {
    expect(parseSuccessReport(undefined)).toBe('no');
    expect(parseFailureReport(undefined)).toBe('yes');
    expect(parseFailureReport('partial')).toBe('partial');
    expect(parseSuccessReport('partial')).toBeUndefined();
    expect(parseFailureReport('YES')).toBe('yes');
    expect(parseFailureReport('maybe')).toBeUndefined();
  });
});
