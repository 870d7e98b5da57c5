/**
 * Bytes python3-sipsimple 5.5.0 wrote on the wire (Blink's engine, run
 * headless through Kamailio), from the project's notes on Blink's wire
 * format: the CPIM bodies of MSRP SENDs, whose Byte-Range gives their length.
 */

/** alice's OTR query at stream start (MSRP `Byte-Range: 1-257/257`, reports no). */
export const BLINK_OTR_QUERY =
  'From: alice <sip:alice@127.0.0.1>\r\n' +
  'To: <sip:bob@127.0.0.1>\r\n' +
  'DateTime: 2026-12-06T03:43:13.172345+00:00\r\n' +
  '\r\n' +
  'MIME-Version: 1.0\n' +
  'Content-Type: text/plain\n' +
  '\n' +
  '?OTRv3?  I would like to start an Off-the-Record private conversation, but you do not seem to support that.';

/** The time of BLINK_OTR_QUERY's DateTime, in ms (with the microseconds). */
export const BLINK_OTR_QUERY_TIME = Date.UTC(2026, 11, 6, 3, 43, 13, 172) + 0.345;

/** The CPIM headers and inner MIME headers of alice's user message (`Byte-Range: 1-552/552`, reports yes); 386 bytes of OTR data message follow. */
export const BLINK_USER_MESSAGE_HEAD =
  'From: alice <sip:alice@127.0.0.1>\r\n' +
  'To: <sip:bob@127.0.0.1>\r\n' +
  'DateTime: 2026-12-06T03:43:13.218018+00:00\r\n' +
  '\r\n' +
  'MIME-Version: 1.0\n' +
  'Content-Type: text/plain; charset="utf8"\n' +
  '\n';

/** The is-composing document sipsimple sends (no refresh unless given). */
export const BLINK_IS_COMPOSING =
  "<?xml version='1.0' encoding='UTF-8'?>\n" +
  '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>active</state><contenttype>text</contenttype></isComposing>';

/**
 * What python3-sipsimple's CPIMPayload.encode() gives for a non-ASCII text
 * without OTR (the same stdlib calls run on CPython 3.8 to 3.13): the empty
 * Content-Transfer-Encoding line, without a space after its colon.
 */
export const SIPSIMPLE_NON_ASCII =
  'From: Alice <sip:alice@example.com>\r\n' +
  'To: <sip:bob@example.com>\r\n' +
  'DateTime: 2024-01-01T12:00:00+00:00\r\n' +
  '\r\n' +
  'MIME-Version: 1.0\n' +
  'Content-Type: text/plain; charset="utf8"\n' +
  'Content-Transfer-Encoding:\n' +
  '\n' +
  'héllo';
