/** The schema of the messages between the page of `sotto web` and its server, and their checks; re-exports only. */
export * from './messages.js';
export { ProtocolError, parseCommand, parseCommandReply, parseServerMessage } from './validate.js';
