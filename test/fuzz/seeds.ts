/**
 * Real inputs the SIP/MSRP chat fuzz targets start from: the bytes Blink's
 * engine (python3-sipsimple 5.5.0) wrote on the wire, from the project's notes
 * on Blink's wire format (section 6), and the RFCs' own examples, as the
 * unit tests use them.
 */
import { BLINK_IS_COMPOSING, BLINK_OTR_QUERY, BLINK_USER_MESSAGE_HEAD, SIPSIMPLE_NON_ASCII } from '../../packages/chat/test/vectors/blink.js';
import { RFC3862_EXAMPLE, RFC3994_ACTIVE, RFC3994_IDLE } from '../../packages/chat/test/vectors/rfc.js';
import { BLINK_ANSWER_MEDIA, BLINK_OFFER_MEDIA, blinkSession, sdpBody } from '../../packages/client/test/sip/blink-sdp.js';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A user message as Blink sends it: CPIM around an OTR data message (shortened). */
const BLINK_USER_MESSAGE = `${BLINK_USER_MESSAGE_HEAD}?OTR:AAMDiE4QnVM6p0kAAAAAAQAAAAEAAADAhncggKTwAAAAIAAAAh8ZdjAzbp6aXS6CslogRIlmIAAAAA.`;

export const CPIM_SEEDS: readonly Uint8Array[] = [BLINK_OTR_QUERY, BLINK_USER_MESSAGE, SIPSIMPLE_NON_ASCII, RFC3862_EXAMPLE].map(enc);

/** RFC 3994 section 7's two examples and sipsimple's document. */
export const IS_COMPOSING_SEEDS: readonly Uint8Array[] = [
  BLINK_IS_COMPOSING,
  RFC3994_ACTIVE,
  RFC3994_IDLE,
].map(enc);

/** text/html as Blink's chat window (Qt rich text) sends it, and markup a hostile peer might. */
export const HTML_SEEDS: readonly string[] = [
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN" "http://www.w3.org/TR/REC-html40/strict.dtd">\n<html><head><meta name="qrichtext" content="1" /><style type="text/css">\np, li { white-space: pre-wrap; }\n</style></head><body style=" font-family:\'Sans\'; font-size:10pt;">\n<p style=" margin-top:0px;">hello <span style=" font-weight:600;">bob</span> &amp; <a href="https://example.org">https://example.org</a></p></body></html>',
  '<p>hi <b>x</b> &amp; <a href="u">l</a></p><script>alert(1)</script><ul><li>a<li>b</ul><pre>x\n  y</pre><img alt="pic" src=x><br/>&#x1b;[31m red&#0;',
  '<!-- c --><?pi x?><![CDATA[ d ]]></p><table><tr><td>1<td>2</table><textarea><b>no</b></textarea>&lt;b&gt;',
];

/** Blink's chat SDP offer and answer (section 6 of the notes), over TCP and TLS. */
const SESSION = blinkSession('192.0.2.2');
const tls = (lines: readonly string[]): string[] => lines.map((line) => line.replace('TCP/MSRP', 'TCP/TLS/MSRP').replace(/msrp:\/\//g, 'msrps://'));

export const SDP_SEEDS: readonly string[] = [
  sdpBody([...SESSION, ...BLINK_OFFER_MEDIA]),
  sdpBody([...SESSION, ...BLINK_ANSWER_MEDIA]),
  sdpBody(tls([...SESSION, ...BLINK_OFFER_MEDIA])),
  sdpBody(tls([...SESSION, ...BLINK_ANSWER_MEDIA])),
];

/** Whole SIP lines a structure-aware SDP mutation inserts. */
export const SDP_LINES: readonly string[] = [
  'm=audio 0 RTP/AVP 0', 'm=message 0 TCP/MSRP *', 'm=message 2855 TCP/MSRP *', 'm=message 9 TCP/TLS/MSRP *', 'c=IN IP6 ::1', 'c=IN IP4 10.0.0.1/127',
  'a=setup:holdconn', 'a=setup:actpass', 'a=sendonly', 'a=inactive', 'a=chatroom:nickname private-messages', 'a=path:', 'a=accept-types:*',
  'a=path:msrps://[2001:db8::1]:2855/a+b=c/d;tcp', 'a=accept-wrapped-types:', 'b=AS:64', 'x', '', 'a=', 'o=- 1 2 IN IP4 h', 's=', 'a=path:msrp://h:99999/x;tcp',
];

/** SIP messages as Blink's peer and Kamailio write them on a TCP connection (Content-Length counted). */
function sip(head: readonly string[], content = ''): string {
  return `${[...head, `Content-Length: ${new TextEncoder().encode(content).length}`].join('\r\n')}\r\n\r\n${content}`;
}
export const SIP_SEEDS: readonly string[] = [
  sip(
    [
      'INVITE sip:bob@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/TCP 192.0.2.2:51000;rport;branch=z9hG4bKPj1',
      'From: "alice" <sip:alice@127.0.0.1>;tag=a1',
      'To: <sip:bob@127.0.0.1>',
      'Call-ID: c1',
      'CSeq: 1 INVITE',
      'Contact: <sip:alice@192.0.2.2:51000;transport=tcp>',
      'Allow: SUBSCRIBE, NOTIFY, INVITE, ACK, BYE, CANCEL, UPDATE, MESSAGE, REFER',
      'Supported: replaces, norefersub, gruu',
      'X-Sylk-ZRTP: v=3; suites=AES-128-GCM',
      'Content-Type: application/sdp',
    ],
    sdpBody([...SESSION, ...BLINK_OFFER_MEDIA]),
  ),
  sip(['SIP/2.0 200 OK', 'Via: SIP/2.0/TCP 192.0.2.2:51000;rport=51000;branch=z9hG4bKPj1', 'From: <sip:alice@127.0.0.1>;tag=a1', 'To: <sip:alice@127.0.0.1>;tag=k', 'Call-ID: r1', 'CSeq: 2 REGISTER', 'Contact: <sip:alice@192.0.2.2:51000;transport=tcp>;expires=600']),
  '\r\n\r\n',
  '\r\n',
  sip(['BYE sip:alice@192.0.2.2:51000;transport=tcp SIP/2.0', 'Via: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK2', 'From: <sip:bob@127.0.0.1>;tag=b', 'To: <sip:alice@127.0.0.1>;tag=a1', 'Call-ID: c1', 'CSeq: 2 BYE', 'l: 0']),
];
