/**
 * The terminal's input line, parsed: text to send, or a slash command in the
 * style of irssi-otr (/otr start|end|info, /smp, /trust, /policy, /to, /peers,
 * /help, /quit). Pure: the terminal acts on the result.
 */
import { isPolicyName, type PolicyName } from '../session/policy-names.js';
import { splitSlashLine, splitSmpQuestion } from './slash-line.js';

/** A parsed input line. */
export type InputCommand =
  | { kind: 'say'; text: string }
  | { kind: 'otr-start' }
  | { kind: 'otr-end' }
  | { kind: 'otr-info' }
  | { kind: 'smp'; secret: string; question?: string }
  | { kind: 'smp-answer'; secret: string }
  | { kind: 'smp-abort' }
  | { kind: 'trust' }
  | { kind: 'policy'; name?: PolicyName }
  /** `host` is absent for a bare port: the peer is on our own host. */
  | { kind: 'to'; host?: string; port?: number }
  | { kind: 'peers' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'invalid'; message: string };

const SMP_USAGE = 'usage: /smp SECRET, /smp QUESTION? SECRET, /smp answer SECRET or /smp abort';

function parseSmp(args: string): InputCommand {
  if (args === '') return { kind: 'invalid', message: SMP_USAGE };
  const [first = '', ...rest] = args.split(/\s+/);
  const after = rest.join(' ');
  if (first === 'abort' && after === '') return { kind: 'smp-abort' };
  if (first === 'answer') {
    const secret = args.slice('answer'.length).trim();
    return secret === '' ? { kind: 'invalid', message: 'usage: /smp answer SECRET' } : { kind: 'smp-answer', secret };
  }
  const { question, secret } = splitSmpQuestion(args);
  if (question === undefined) return { kind: 'smp', secret };
  if (secret === '') return { kind: 'invalid', message: 'usage: /smp QUESTION? SECRET (the secret is missing)' };
  return { kind: 'smp', question, secret };
}

function parseTo(args: string): InputCommand {
  if (args === '') return { kind: 'to' };
  const port = /^(\d{1,5})$/.exec(args);
  const hostPort = /^([^\s:]+):(\d{1,5})$/.exec(args);
  const portText = port?.[1] ?? hostPort?.[2];
  const number = portText === undefined ? NaN : Number(portText);
  if (!(number >= 1 && number <= 65535)) {
    return { kind: 'invalid', message: `"${args}" is not an address: use /to HOST:PORT as the peer shows it (e.g. 127.0.0.1:40123), or just the port` };
  }
  return hostPort?.[1] === undefined ? { kind: 'to', port: number } : { kind: 'to', host: hostPort[1], port: number };
}

/** Parses one input line. A line starting with "//" sends text starting with "/". */
export function parseInput(line: string): InputCommand {
  const split = splitSlashLine(line);
  if ('say' in split) return { kind: 'say', text: split.say };
  const { word, args } = split;
  switch (word) {
    case 'otr':
      switch (args.toLowerCase()) {
        case 'start':
        case 'init':
          return { kind: 'otr-start' };
        case 'end':
        case 'finish':
          return { kind: 'otr-end' };
        case 'info':
        case '':
          return { kind: 'otr-info' };
        case 'trust':
          return { kind: 'trust' };
        default:
          return { kind: 'invalid', message: 'usage: /otr start | /otr end | /otr info' };
      }
    case 'smp':
      return parseSmp(args);
    case 'trust':
      return args === '' ? { kind: 'trust' } : { kind: 'invalid', message: '/trust takes no argument: it trusts the current peer\'s fingerprint' };
    case 'policy':
      if (args === '') return { kind: 'policy' };
      return isPolicyName(args) ? { kind: 'policy', name: args } : { kind: 'invalid', message: 'usage: /policy manual | opportunistic | always' };
    case 'to':
    case 'query':
      return parseTo(args);
    case 'peers':
      return { kind: 'peers' };
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return { kind: 'invalid', message: `unknown command /${word} (type /help for the list; start a line with // to send a "/")` };
  }
}

/** The /help text. */
export const INPUT_HELP = `Commands:
  /to ADDR                 talk to ADDR (the address the peer shows, e.g. 127.0.0.1:40123, or just its port)
  /peers                   list conversations and their state
  /otr start               start a private (OTR) conversation
  /otr end                 end it (the peer sees that you left)
  /otr info                show the conversation's state, session id and fingerprints
  /smp SECRET              verify the peer with a secret you both know
  /smp QUESTION? SECRET    ... asking the peer a question about it
  /smp answer SECRET       answer the peer's verification request
  /smp abort               stop a verification
  /trust                   mark the peer's fingerprint as verified (compare it another way first!)
  /policy [manual|opportunistic|always]
                           show or set when OTR starts (always = never send unencrypted)
  /help, /quit
Anything else is sent to the current peer; start a line with // to send a "/".`;
