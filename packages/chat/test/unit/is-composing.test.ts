import { describe, expect, it } from 'vitest';
import { ChatUsageError, decodeIsComposing, encodeIsComposing, limits } from '../../src/index.js';
import { BLINK_IS_COMPOSING } from '../vectors/blink.js';
import { RFC3994_ACTIVE, RFC3994_IDLE } from '../vectors/rfc.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const decode = (text: string) => decodeIsComposing(enc.encode(text));

describe('is-composing: RFC 3994 examples', () => {
  // RFC 3994, section 7 (examples).
  it('an active indication with content type and refresh', () => {
    const result = decode(RFC3994_ACTIVE);
    expect(result).toEqual({ ok: true, value: { state: 'active', contentType: 'text/plain', refresh: 90 } });
  });

  it('an idle indication with lastactive (and the default refresh)', () => {
    const result = decode(RFC3994_IDLE);
    expect(result).toEqual({
      ok: true,
      value: { state: 'idle', refresh: 120, lastActive: '2003-01-27T10:43:00Z', lastActiveMs: Date.UTC(2003, 0, 27, 10, 43), contentType: 'audio' },
    });
  });
});

describe('is-composing: the document Blink sends', () => {
  it('encodes byte for byte as sipsimple', () => {
    expect(dec.decode(encodeIsComposing({ state: 'active' }))).toBe(BLINK_IS_COMPOSING);
  });

  it('decodes it (refresh defaults to 120)', () => {
    expect(decode(BLINK_IS_COMPOSING)).toEqual({ ok: true, value: { state: 'active', refresh: 120, contentType: 'text' } });
  });

  it('writes lastactive and refresh in sipsimple order', () => {
    const xml = dec.decode(encodeIsComposing({ state: 'idle', refresh: 60, lastActive: Date.UTC(2026, 0, 2, 3, 4, 5, 6) }));
    expect(xml).toBe(
      "<?xml version='1.0' encoding='UTF-8'?>\n<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>idle</state><lastactive>2026-01-02T03:04:05.006000+00:00</lastactive><contenttype>text</contenttype><refresh>60</refresh></isComposing>",
    );
    expect(decodeIsComposing(enc.encode(xml))).toMatchObject({ ok: true, value: { state: 'idle', refresh: 60, lastActiveMs: Date.UTC(2026, 0, 2, 3, 4, 5, 6) } });
  });

  it('refuses a bad state or refresh', () => {
    expect(() => encodeIsComposing({ state: 'typing' as 'active' })).toThrow(ChatUsageError);
    expect(() => encodeIsComposing({ state: 'active', refresh: 0 })).toThrow(ChatUsageError);
  });
});

describe('is-composing: lenient and safe decoding', () => {
  it('accepts a prefixed root, comments, CDATA and character references', () => {
    const result = decode(
      '<ic:isComposing xmlns:ic="urn:ietf:params:xml:ns:im-iscomposing"><!-- hi --><ic:state><![CDATA[active]]></ic:state><ic:contenttype>text&#x2F;plain&amp;</ic:contenttype></ic:isComposing>',
    );
    expect(result).toEqual({ ok: true, value: { state: 'active', refresh: 120, contentType: 'text/plain&' } });
  });

  it('an unknown state is idle, an unreadable refresh is the default', () => {
    expect(decode('<isComposing><state>thinking</state><refresh>-5</refresh></isComposing>')).toEqual({ ok: true, value: { state: 'idle', refresh: 120 } });
  });

  it('refuses a document type declaration (no entity expansion)', () => {
    const billionLaughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><isComposing><state>&lol2;</state></isComposing>';
    expect(decode(billionLaughs)).toMatchObject({ ok: false, code: 'forbidden-xml' });
  });

  it('refuses entities named after Object.prototype members', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'valueOf']) {
      expect(decode(`<isComposing><state>active</state><contenttype>&${name};</contenttype></isComposing>`)).toMatchObject({ ok: false, code: 'forbidden-xml' });
    }
  });

  it('refuses an undeclared entity', () => {
    expect(decode('<isComposing><state>&xxe;</state></isComposing>')).toMatchObject({ ok: false, code: 'forbidden-xml' });
  });

  it('a missing state is missing-field, another root is malformed', () => {
    expect(decode('<isComposing><refresh>5</refresh></isComposing>')).toMatchObject({ ok: false, code: 'missing-field' });
    expect(decode('<other><state>active</state></other>')).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('deep nesting and too many elements are too-complex; a long document is too-large', () => {
    const deep = `<isComposing>${'<a>'.repeat(limits.MAX_XML_DEPTH)}${'</a>'.repeat(limits.MAX_XML_DEPTH)}</isComposing>`;
    expect(decode(deep)).toMatchObject({ ok: false, code: 'too-complex' });
    const wide = `<isComposing>${'<a/>'.repeat(limits.MAX_XML_ELEMENTS)}</isComposing>`;
    expect(decode(wide)).toMatchObject({ ok: false, code: 'too-complex' });
    expect(decodeIsComposing(new Uint8Array(limits.MAX_IS_COMPOSING_BYTES + 1))).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('mismatched and unclosed tags are malformed', () => {
    expect(decode('<isComposing><state>active</stat></isComposing>')).toMatchObject({ ok: false, code: 'malformed' });
    expect(decode('<isComposing><state>active</state>')).toMatchObject({ ok: false, code: 'malformed' });
  });
});
