/**
 * The interactive terminal chat: a prompt showing the current peer and its
 * lock state, slash commands, and every event rendered as one line.
 * Colours are off when NO_COLOR is set or stdout is not a terminal.
 */
import { createInterface, type Interface } from 'node:readline';
import { Policies } from '@sotto/otr';
import type { ChatHost } from './host.js';
import { COMMANDS_HELP, parseCommand } from './commands.js';
import type { DriverEvent } from './driver-events.js';
import { LockStates, type LockState } from './lock-state.js';

const useColour = process.env.NO_COLOR === undefined && process.stdout.isTTY;
const paint = (code: string) => (text: string): string => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text);
const red = paint('1;31');
const green = paint('32');
const yellow = paint('33');
const dim = paint('2');
const bold = paint('1');

const LOCK_LABEL: Record<LockState, string> = {
  plaintext: 'plaintext',
  unverified: 'encrypted, unverified',
  verified: 'encrypted, verified',
  'fingerprint-changed': 'FINGERPRINT CHANGED',
  finished: 'finished',
};

function lockText(state: LockState): string {
  const label = LOCK_LABEL[state];
  if (state === 'verified') return green(label);
  if (state === 'fingerprint-changed') return red(label);
  if (state === 'unverified') return yellow(label);
  return dim(label);
}

/** Runs the terminal UI until /quit or end of input. */
export function runTerminal(host: ChatHost, address: string, events: { subscribe(listener: (event: DriverEvent) => void): void }): Promise<void> {
  const locks = new LockStates();
  let current: string | undefined;
  const rl: Interface = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const prompt = (): void => {
    rl.setPrompt(current === undefined ? '> ' : `[${current} ${lockText(locks.get(current))}] > `);
    rl.prompt(true);
  };
  const say = (line: string): void => {
    process.stdout.write(`\r\x1b[K${line}\n`);
    prompt();
  };

  say(`Your address: ${bold(address)}`);
  say(`Your fingerprint: ${bold(host.fingerprintHuman)}`);
  say(dim('Type /to ADDR to pick a peer (give them your address), /help for commands.'));

  events.subscribe((event) => {
    locks.update(event);
    switch (event.event) {
      case 'message':
        if (current === undefined) current = event.from;
        say(`${event.encrypted ? green('🔒') : yellow('!')} ${bold(event.from)}: ${event.text}${event.encrypted ? '' : dim(' (unencrypted)')}`);
        return;
      case 'secure':
        if (current === undefined) current = event.peer;
        say(`${green('Private conversation')} with ${event.peer} (OTR v${event.version}). Their fingerprint: ${formatHex(event.fingerprint)}` + (event.trusted ? ` ${green('verified')}` : ` ${yellow('unverified: use /smp or compare fingerprints and /trust')}`));
        return;
      case 'fingerprint-changed':
        say(red(`WARNING: ${event.peer} now has a different fingerprint (${formatHex(event.fingerprint)}). This may be a new device or an attack: verify them again with /smp before trusting this conversation.`));
        return;
      case 'insecure':
        say(`${dim('Private conversation with')} ${event.peer} ${dim('ended.')}`);
        return;
      case 'finished':
        say(yellow(`${event.peer} ended the private conversation. Messages are not sent until you type /otr end (plaintext) or /otr start.`));
        return;
      case 'smp-request':
        say(yellow(`${event.peer} wants to verify you${event.question === null ? '' : `, asking: "${event.question}"`}. Answer with /smp answer SECRET.`));
        return;
      case 'smp-result':
        say(event.success ? green(`Verification with ${event.peer} succeeded.`) : red(`Verification with ${event.peer} FAILED: the secrets differ.`));
        return;
      case 'smp-aborted':
        say(yellow(`Verification with ${event.peer} was aborted.`));
        return;
      case 'trusted':
        say(green(`${event.peer}'s fingerprint is now verified.`));
        return;
      case 'not-sent':
        say(yellow(event.reason === 'finished' ? `Not sent: ${event.to} ended the private conversation (/otr end, then send again).` : `Not sent yet: starting a private conversation with ${event.to} first.`));
        return;
      case 'symkey':
        say(dim(`extra symmetric key in use with ${event.peer} (use ${event.use})`));
        return;
      case 'error':
        say(red(`error${event.peer === null ? '' : ` (${event.peer})`}: ${event.message}`));
        return;
      case 'ready':
        return;
    }
  });

  return new Promise((resolve) => {
    rl.on('line', (line) => {
      const command = parseCommand(line.trim());
      const needPeer = (): string | undefined => {
        if (current === undefined) say(red('No peer yet: use /to ADDR first.'));
        return current;
      };
      switch (command.kind) {
        case 'say': {
          if (command.text === '') break;
          const peer = needPeer();
          if (peer !== undefined) host.send(peer, command.text);
          break;
        }
        case 'to':
          current = command.address;
          break;
        case 'otr-start': {
          const peer = needPeer();
          if (peer !== undefined) host.start(peer);
          break;
        }
        case 'otr-end': {
          const peer = needPeer();
          if (peer !== undefined) host.end(peer);
          break;
        }
        case 'otr-info': {
          const peer = needPeer();
          if (peer === undefined) break;
          const status = host.account.status(peer);
          const fingerprint = host.lastFingerprint(peer);
          say(`${peer}: ${lockText(locks.get(peer))}${status.version === undefined ? '' : `, OTR v${status.version}`}` + (status.ssid === undefined ? '' : `, session id ${Buffer.from(status.ssid).toString('hex')}`) + (fingerprint === undefined ? '' : `, their fingerprint ${formatHex(fingerprint)}`));
          say(`you: ${host.fingerprintHuman}`);
          break;
        }
        case 'smp': {
          const peer = needPeer();
          if (peer !== undefined) host.smp(peer, command.secret, command.question);
          break;
        }
        case 'smp-answer': {
          const peer = needPeer();
          if (peer !== undefined) host.smpAnswer(peer, command.secret);
          break;
        }
        case 'smp-abort': {
          const peer = needPeer();
          if (peer !== undefined) host.smpAbort(peer);
          break;
        }
        case 'trust': {
          const peer = needPeer();
          if (peer !== undefined) host.trust(peer);
          break;
        }
        case 'policy':
          host.account.setPolicy({ manual: Policies.MANUAL, opportunistic: Policies.OPPORTUNISTIC, always: Policies.ALWAYS }[command.name]);
          say(`Policy: ${command.name}`);
          break;
        case 'help':
          say(COMMANDS_HELP);
          break;
        case 'quit':
          rl.close();
          return;
        case 'invalid':
          say(red(command.message));
          break;
      }
      prompt();
    });
    rl.on('close', () => resolve());
    prompt();
  });
}

function formatHex(hex: string): string {
  return (hex.toUpperCase().match(/.{1,8}/g) ?? []).join(' ');
}
