/** Blink's chat SDP as its engine (python3-sipsimple 5.5.0) writes it on the wire, byte for byte (the project's notes on Blink's wire format, section 6). */

/** The m= section of Blink's offer over TCP. */
export const BLINK_OFFER_MEDIA: readonly string[] = [
  'm=message 2855 TCP/MSRP *',
  'c=IN IP4 127.0.0.1',
  'a=path:msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp',
  'a=accept-types:message/cpim text/* image/* application/im-iscomposing+xml',
  'a=accept-wrapped-types:text/* image/* application/im-iscomposing+xml',
  'a=setup:active',
];

/** The m= section of Blink's answer over TCP, behind the MSRP relay. */
export const BLINK_ANSWER_MEDIA: readonly string[] = [
  'm=message 49488 TCP/MSRP *',
  'c=IN IP4 127.0.0.1',
  'a=path:msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp',
  'a=accept-types:message/cpim text/* image/* application/im-iscomposing+xml',
  'a=accept-wrapped-types:text/* image/* application/im-iscomposing+xml',
  'a=setup:passive',
];

/** The session lines of Blink's SDP, its origin at `address`. */
export const blinkSession = (address: string): string[] => ['v=0', `o=- 3913454593 3913454593 IN IP4 ${address}`, 's=Blink 6.0.6 (Linux)', 't=0 0'];

/** An SDP body of `lines`, CRLF-ended. */
export const sdpBody = (lines: readonly string[]): string => `${lines.join('\r\n')}\r\n`;
