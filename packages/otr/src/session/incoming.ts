/**
 * A received text, from classification to the conversation (Protocol-v3,
 * "Receiving messages"): fragment, encoded message, query, error, plaintext
 * with or without whitespace tag. Fragments are reassembled first; bad input
 * becomes a `dropped` event, never an exception.
 */
import type { DecodeErrorCode, ProtocolErrorCode } from '../errors.js';
import { classifyIncoming, decodeOtrBody } from '../wire/index.js';
import { decodeV4Message } from '../wire/v4/index.js';
import type { Conversation, ConversationContext } from './conversation.js';
import { allowsOtr } from './policy.js';
import type { Reassembler } from './reassembly.js';

/** Handles one received text for `conversation` (account-wide: the reassembler and our instance tag). */
export function receiveText(conversation: Conversation, text: string, context: ConversationContext, reassembler: Reassembler, ourTag: number): void {
  const { out, policy } = context;
  const peer = conversation.peer;
  if (!allowsOtr(policy, context.v4 !== undefined)) {
    out.show.push({ from: peer, text, encrypted: false });
    return;
  }
  const incoming = classifyIncoming(text);
  switch (incoming.kind) {
    case 'plaintext':
      conversation.receivePlaintext(incoming.text, incoming.whitespaceVersions, context);
      return;
    case 'query':
      conversation.receiveQuery(incoming.versions, context);
      return;
    case 'error':
      conversation.receiveError(incoming.code === undefined ? { text: incoming.text } : { text: incoming.text, code: incoming.code }, context);
      return;
    case 'fragment': {
      const fragment = incoming.fragment;
      if (fragment.version !== 2 && fragment.receiverTag !== 0 && fragment.receiverTag !== ourTag) {
        out.events.push({ kind: 'dropped', peer, instance: fragment.senderTag, reason: 'wrong-instance', detail: 'fragment for another instance' });
        return;
      }
      const result = reassembler.add(peer, fragment, context.now);
      if (result.kind === 'dropped') out.events.push({ kind: 'dropped', peer, reason: 'fragment-limit', detail: result.reason });
      else if (result.kind === 'complete') receiveText(conversation, result.message, context, reassembler, ourTag);
      return;
    }
    case 'encoded': {
      const decoded = decodeOtrBody(incoming.header, incoming.bytes);
      if ('code' in decoded) {
        out.events.push({ kind: 'dropped', peer, reason: dropReason(decoded.code), detail: decoded.detail });
        return;
      }
      conversation.receiveOtr(decoded, context);
      return;
    }
    case 'encoded-v4': {
      if (context.v4 === undefined) {
        out.events.push({ kind: 'dropped', peer, reason: 'unsupported-version', detail: 'protocol version 4 needs a v4 identity, which this account has not' });
        return;
      }
      const decoded = decodeV4Message(incoming.bytes);
      if ('code' in decoded) {
        out.events.push({ kind: 'dropped', peer, reason: dropReason(decoded.code), detail: decoded.detail });
        return;
      }
      conversation.receiveV4(decoded, context);
      return;
    }
    case 'malformed':
      out.events.push({ kind: 'dropped', peer, reason: dropReason(incoming.error.code), detail: incoming.error.detail });
      return;
  }
}

/**
 * The code of a `dropped` event for a text that did not decode: the header
 * checks (version, instance tags) are made while classifying, so their
 * codes must survive to here.
 */
function dropReason(code: DecodeErrorCode): ProtocolErrorCode {
  if (code === 'bad-version') return 'unsupported-version';
  if (code === 'bad-instance-tag') return 'wrong-instance';
  return 'malformed';
}
