/** The examples of the RFCs the chat decoders follow, byte for byte. */

/** RFC 3862 section 5.1 (the MIME header of the outer message left out: MSRP carries it). */
export const RFC3862_EXAMPLE =
  'From: MR SANDERS <im:piglet@100akerwood.com>\r\n' +
  'To: Depressed Donkey <im:eeyore@100akerwood.com>\r\n' +
  'DateTime: 2000-12-13T13:40:00-08:00\r\n' +
  'Subject: the weather will be fine today\r\n' +
  "Subject:;lang=fr beau temps prevu pour aujourd'hui\r\n" +
  'NS: MyFeatures <mid:MessageFeatures@id.foo.com>\r\n' +
  'Require: MyFeatures.VitalMessageOption\r\n' +
  'MyFeatures.VitalMessageOption: Confirmation-requested\r\n' +
  'MyFeatures.WackyMessageOption: Use-silly-font\r\n' +
  '\r\n' +
  'Content-type: text/xml; charset=utf-8\r\n' +
  'Content-ID: <1234567890@foo.com>\r\n' +
  '\r\n' +
  '<body>\r\nHere is the text of my message.\r\n</body>';

/** RFC 3994 section 7: an active indication with content type and refresh. */
export const RFC3994_ACTIVE =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"\n' +
  '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n' +
  '  xsi:schemaLocation="urn:ietf:params:xml:ns:im-composing iscomposing.xsd">\n' +
  '  <state>active</state>\n' +
  '  <contenttype>text/plain</contenttype>\n' +
  '  <refresh>90</refresh>\n' +
  '</isComposing>\n';

/** RFC 3994 section 7: an idle indication with lastactive. */
export const RFC3994_IDLE =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"\n' +
  '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n' +
  '  xsi:schemaLocation="urn:ietf:params:xml:ns:im-composing iscomposing.xsd">\n' +
  '  <state>idle</state>\n' +
  '  <lastactive>2003-01-27T10:43:00Z</lastactive>\n' +
  '  <contenttype>audio</contenttype>\n' +
  '</isComposing>\n';
