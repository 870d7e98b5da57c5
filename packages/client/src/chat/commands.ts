/**
 * Parsing the terminal's slash commands, in the style of irssi-otr:
 * /otr start|end|info, /smp <secret>, /smp <question>? <secret>,
 * /smp answer <secret>, /smp abort, /trust, /policy NAME, /to ADDR, /help, /quit.
 */

/** A parsed line of input. */
export type ChatCommand =
  | { kind: 'say'; text: string }
  | { kind: 'otr-start' }
  | { kind: 'otr-end' }
  | { kind: 'otr-info' }
  | { kind: 'smp'; secret: string; question?: string }
  | { kind: 'smp-answer'; secret: string }
  | { kind: 'smp-abort' }
  | { kind: 'trust' }
  | { kind: 'policy'; name: 'manual' | 'opportunistic' | 'always' }
  | { kind: 'to'; address: string }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'invalid'; message: string };

/** Parses one input line. A line starting with "//" sends a literal "/". */
export function parseCommand(line: string): ChatCommand {
  if (!line.startsWith('/')) return { kind: 'say', text: line };
  if (line.startsWith('//')) return { kind: 'say', text: line.slice(1) };
  const [word = '', ...rest] = line.slice(1).split(' ');
  const args = rest.join(' ').trim();
  switch (word) {
    case 'otr':
      if (args === 'start') return { kind: 'otr-start' };
      if (args === 'end') return { kind: 'otr-end' };
      if (args === 'info') return { kind: 'otr-info' };
      return { kind: 'invalid', message: 'usage: /otr start|end|info' };
    case 'smp': {
      if (args === 'abort') return { kind: 'smp-abort' };
      if (args.startsWith('answer ')) {
        const secret = args.slice('answer '.length).trim();
        return secret === '' ? { kind: 'invalid', message: 'usage: /smp answer <secret>' } : { kind: 'smp-answer', secret };
      }
      if (args === '' || args === 'answer') return { kind: 'invalid', message: 'usage: /smp <secret> | /smp <question>? <secret> | /smp answer <secret> | /smp abort' };
      const mark = args.indexOf('? ');
      if (mark >= 0) return { kind: 'smp', question: args.slice(0, mark + 1), secret: args.slice(mark + 2).trim() };
      return { kind: 'smp', secret: args };
    }
    case 'trust':
      return { kind: 'trust' };
    case 'policy':
      if (args === 'manual' || args === 'opportunistic' || args === 'always') return { kind: 'policy', name: args };
      return { kind: 'invalid', message: 'usage: /policy manual|opportunistic|always' };
    case 'to':
      return /^[^\s:]+:\d{1,5}$/.test(args) ? { kind: 'to', address: args } : { kind: 'invalid', message: 'usage: /to HOST:PORT (an address shown by the peer, e.g. 127.0.0.1:40123)' };
    case 'help':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return { kind: 'invalid', message: `unknown command /${word} (try /help)` };
  }
}

/** The /help text. */
export const COMMANDS_HELP = `Commands:
  /to ADDR                 talk to ADDR (an address like 127.0.0.1:40123)
  /otr start | end | info  start or end a private conversation, or show its state
  /smp SECRET              verify the peer with a shared secret
  /smp QUESTION? SECRET    ... asking them a question
  /smp answer SECRET       answer the peer's verification request
  /smp abort               stop a verification
  /trust                   mark the peer's fingerprint verified (after comparing it another way)
  /policy manual|opportunistic|always
  /help, /quit
Anything else is sent to the current peer.`;
