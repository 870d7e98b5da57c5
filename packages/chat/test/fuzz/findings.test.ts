/** Regression tests for what fuzzing @sotto/chat's decoders found (`npm run fuzz:sip`, test/fuzz/chat-targets.ts). */
import { describe, expect, it } from 'vitest';
import { decodeCpim, encodeCpim } from '../../src/index.js';

const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('fuzz findings: CPIM', () => {
  it('a CPIM message without headers, as sipsimple writes it (CRLF CRLF, then the MIME part), reads back its inner part', () => {
    // sipsimple: headers + '\r\n\r\n' + MIME part, and it reads back with partition('\r\n\r\n').
    const bytes = encodeCpim({ contentType: 'text/plain', body: new TextEncoder().encode('hello') });
    expect(dec(bytes)).toBe('\r\n\r\nMIME-Version: 1.0\nContent-Type: text/plain\n\nhello');
    const decoded = decodeCpim(bytes);
    if (!decoded.ok) throw new Error(decoded.code);
    expect(decoded.value.contentType).toBe('text/plain');
    expect(decoded.value.mimeHeaders.map((header) => header.name)).toEqual(['MIME-Version', 'Content-Type']);
    expect(dec(decoded.value.body)).toBe('hello');
  });
});
