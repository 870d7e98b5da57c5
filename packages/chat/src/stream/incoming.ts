/**
 * The first step for a received payload, as sipsimple's `_handle_SEND`:
 * check the type against the stream's accept-types (413 Unwanted Message),
 * unwrap CPIM (400 CPIM Parser Error) and check the inner type against the
 * accept-wrapped-types. Never throws.
 */
import { containsMimeType, parseContentType } from '../content-type.js';
import { decodeCpim } from '../cpim/decode.js';
import type { ChatIdentity } from '../identity.js';
import { CHAT_ACCEPT_TYPES, CHAT_ACCEPT_WRAPPED_TYPES } from './accept-types.js';
import type { ReceiveProblem } from './types.js';

/** An unwrapped payload. */
export interface Unwrapped {
  readonly contentType: string;
  readonly charset?: string;
  readonly body: Uint8Array;
  readonly sender?: ChatIdentity;
  readonly recipients: readonly ChatIdentity[];
  readonly timestamp?: number;
}

/** Why a payload was refused, with the MSRP status for it. */
export interface Refusal {
  readonly problem: ReceiveProblem;
  readonly code: number;
  readonly comment: string;
  readonly detail: string;
}

export function unwrap(contentType: string, body: Uint8Array, maxBytes: number): { ok: true; value: Unwrapped } | { ok: false; refusal: Refusal } {
  if (body.length > maxBytes) return refuse('too-large', 413, 'Message Too Large', `payload over ${maxBytes} bytes`);
  const outer = parseContentType(contentType);
  if (!containsMimeType(CHAT_ACCEPT_TYPES, outer.type)) return refuse('unwanted', 413, 'Unwanted Message', `content type ${outer.type} is not accepted`);
  if (outer.type !== 'message/cpim') {
    return { ok: true, value: { contentType: outer.type, ...(outer.charset === undefined ? {} : { charset: outer.charset }), body, recipients: [] } };
  }
  const cpim = decodeCpim(body, { maxBytes });
  if (!cpim.ok) return refuse('cpim', 400, 'CPIM Parser Error', `${cpim.code}: ${cpim.detail}`);
  const message = cpim.value;
  if (!containsMimeType(CHAT_ACCEPT_WRAPPED_TYPES, message.contentType)) {
    return refuse('unwanted', 413, 'Unwanted Message', `wrapped content type ${message.contentType} is not accepted`);
  }
  return {
    ok: true,
    value: {
      contentType: message.contentType,
      ...(message.charset === undefined ? {} : { charset: message.charset }),
      body: message.body,
      ...(message.from === undefined ? {} : { sender: message.from }),
      recipients: message.to,
      ...(message.dateTimeMs === undefined ? {} : { timestamp: message.dateTimeMs }),
    },
  };
}

function refuse(problem: ReceiveProblem, code: number, comment: string, detail: string): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { problem, code, comment, detail } };
}
