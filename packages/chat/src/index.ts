/**
 * @sotto/chat: chat sessions as Blink carries them over MSRP, sans-I/O.
 * CPIM (RFC 3862) and is-composing (RFC 3994) codecs written byte for byte
 * as python3-sipsimple writes them and read leniently, text/html reduced to
 * text, and {@link ChatStream}: one chat session's logic between an MSRP
 * session and an @sotto/otr account.
 */
export { ChatStream, type ChatStreamOptions } from './stream/chat-stream.js';
export type {
  ChatEvent,
  ChatOutcome,
  ChatPayload,
  ChatReceiveOutcome,
  Encryption,
  LockState,
  NoticeCode,
  ReceivedPayload,
  ReceiveProblem,
  TrustView,
} from './stream/types.js';
export { CHAT_ACCEPT_TYPES, CHAT_ACCEPT_WRAPPED_TYPES, cpimEnabled, routeFor, type RemoteAcceptTypes } from './stream/accept-types.js';
export { looksLikeOtr } from './stream/otr-lookalike.js';
export { encodeCpim, encodeMimePart, EMPTY_TRANSFER_ENCODING_LINE } from './cpim/encode.js';
export { decodeCpim, type CpimDecodeOptions } from './cpim/decode.js';
export { CPIM_STANDARD_NAMESPACE, type CpimEncodeInput, type CpimExtensionHeader, type CpimMessage, type CpimSubject } from './cpim/types.js';
export {
  decodeIsComposing,
  encodeIsComposing,
  IS_COMPOSING_CONTENT_TYPE,
  IS_COMPOSING_NAMESPACE,
  type ComposingState,
  type IsComposing,
  type IsComposingInput,
} from './is-composing/is-composing.js';
export { decodeHtmlEntities, htmlToText, type HtmlText } from './html-to-text.js';
export { checkIdentity, formatIdentity, parseIdentity, peerKey, type ChatIdentity } from './identity.js';
export { containsMimeType, parseContentType, type ContentType } from './content-type.js';
export { formatDateTime, parseDateTime } from './date-time.js';
export { ChatUsageError, type ChatUsageErrorCode, type DecodeErrorCode, type DecodeResult } from './errors.js';
export * as limits from './limits.js';
