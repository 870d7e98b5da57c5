/**
 * What the two terminals' input parsers share (commands.ts for the echo
 * network, sip-commands.ts for SIP): a line is text to send or a slash
 * command, and an SMP line's question ends at its last "? ".
 */

/** An input line: text to send, or a slash command's word (lower case) and the rest. */
export type SlashLine = { readonly say: string } | { readonly word: string; readonly args: string };

/** Splits an input line. A line starting with "//" sends text starting with "/". */
export function splitSlashLine(line: string): SlashLine {
  if (!line.startsWith('/')) return { say: line };
  if (line.startsWith('//')) return { say: line.slice(1) };
  const body = line.slice(1).trim();
  const space = body.search(/\s/);
  const word = (space < 0 ? body : body.slice(0, space)).toLowerCase();
  const args = space < 0 ? '' : body.slice(space).trim();
  return { word, args };
}

/** "/smp QUESTION? SECRET": the question ends at the last "? " (questions may hold several question marks); without one, all is the secret. */
export function splitSmpQuestion(args: string): { readonly question?: string; readonly secret: string } {
  const mark = args.lastIndexOf('? ');
  if (mark < 0) return { secret: args };
  return { question: args.slice(0, mark + 1).trim(), secret: args.slice(mark + 2).trim() };
}
