import { describe, expect, it } from 'vitest';
import { answerSetup, parseSetup, weConnect } from '../../src/index.js';

describe('connection roles (RFC 6135 a=setup)', () => {
  it('the active side connects; actpass lets the answer choose', () => {
    expect(weConnect('active', 'passive', true)).toBe(true); // Blink's caller: a=setup:active
    expect(weConnect('passive', 'active', false)).toBe(false); // Blink's callee that AUTHed at a relay
    expect(weConnect('actpass', 'passive', true)).toBe(true);
    expect(weConnect('actpass', 'active', true)).toBe(false);
    expect(weConnect('active', 'actpass', false)).toBe(true);
    expect(weConnect('active', 'active', true)).toBeUndefined();
    expect(weConnect('passive', 'passive', false)).toBeUndefined();
  });

  it('without a=setup the offerer is active (RFC 4975 section 8.1)', () => {
    expect(weConnect(undefined, undefined, true)).toBe(true);
    expect(weConnect(undefined, undefined, false)).toBe(false);
  });

  it('answers an offer with the opposite role', () => {
    expect(answerSetup('active')).toBe('passive');
    expect(answerSetup('actpass')).toBe('active');
    expect(answerSetup('passive')).toBe('active');
    expect(parseSetup(' ActPass ')).toBe('actpass');
    expect(parseSetup('holdconn')).toBeUndefined();
  });
});
