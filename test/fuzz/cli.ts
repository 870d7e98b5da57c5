/**
 * `npm run fuzz:sip`: every fuzz target of the SIP/MSRP chat stack through
 * the MSRP fuzz engine: MSRP's (parser, session, headers, named msrp-*),
 * @sotto/chat's decoders, the chat SDP reader, the SIP stream framing and the
 * web page's message validators. Options as `npm run fuzz:msrp`
 * (packages/msrp/test/fuzz/cli.ts). Started by run.mjs.
 */
import { fuzzMain } from '../../packages/msrp/test/fuzz/cli.js';
import type { Target } from '../../packages/msrp/test/fuzz/engine.js';
import { targets as msrpTargets } from '../../packages/msrp/test/fuzz/targets.js';
import { chatTargets } from './chat-targets.js';
import { sipTargets } from './sip-targets.js';

export const targets: readonly Target<never>[] = [...msrpTargets.map((target) => ({ ...target, name: `msrp-${target.name}` })), ...chatTargets, ...sipTargets];

/** The command line; returns the exit status. */
export function main(argv: readonly string[]): number {
  return fuzzMain(argv, targets, 'fuzz:sip');
}
