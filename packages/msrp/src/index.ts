/**
 * @sotto/msrp: MSRP (RFC 4975) chat streams and MSRP relay clients
 * (RFC 4976), sans-I/O. The host owns sockets and timers: it feeds bytes
 * and `now` in, writes the returned frames, shows the events, and calls
 * `onDeadline` at `nextDeadline()`. See README.md.
 */
export { MsrpSession, type MsrpSessionOptions, type SendOptions } from './session.js';
export { RelayClient, type RelayClientOptions } from './relay-client.js';
export type { Outcome, MsrpEvent, DropReason, NotDeliveredReason, RequestErrorCode, RelayFailure } from './outcome.js';
export { FrameParser, DEFAULT_PARSER_LIMITS, type ParserLimits, type ParseResult, type FrameError } from './parser.js';
export { serializeFrame, serializeRequest, serializeResponse, responseTo, bodyContainsEndLine, type RequestSpec, type ResponseSpec } from './serializer.js';
export { headerValue, type Frame, type RequestFrame, type ResponseFrame, type Header, type ContinuationFlag } from './frame.js';
export { parseMsrpUri, formatMsrpUri, msrpUriEquals, effectivePort, parsePath, formatPath, type MsrpUri } from './uri.js';
export { parseByteRange, formatByteRange, type ByteRange } from './byte-range.js';
export { parseStatus, formatStatus, reasonPhrase, type Status } from './status.js';
export { parseSuccessReport, parseFailureReport, DEFAULT_REPORTS, type ReportRequest } from './report-headers.js';
export { parseDigestChallenge, digestAuthorization, digestResponse, type DigestChallenge, type DigestCredentials } from './digest-auth.js';
export { parseSetup, answerSetup, weConnect, type SetupRole } from './connection-role.js';
export { chunkMessage, type Chunk } from './chunking.js';
export { Reassembly, DEFAULT_REASSEMBLY_LIMITS, type ReassemblyLimits } from './reassembly.js';
export { isIdent, newIdent, newSessionId } from './ident.js';
export { systemRandom, type RandomSource } from './digest.js';
export { UsageError, type UsageErrorCode, type FrameErrorCode } from './errors.js';
export * as limits from './limits.js';
