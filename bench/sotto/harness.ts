/**
 * Benchmark harness for sotto (@sotto/otr): the same workloads as the
 * reference harnesses (bench/libotr, bench/potr, bench/otrjs). Two Accounts
 * live in one process; every text an Outcome asks to send is put on a queue
 * and the queue delivers it straight to the other Account's receive().
 * Prints one JSON line per workload: {"impl":"sotto","workload",...}.
 *
 * The host clock is the real one (Date.now()), as a host would pass it.
 *
 * Usage: node --expose-gc bench/build/sotto/harness.js [--quick] [--sessions N]
 *        [--workloads a,b] [--messages-scale F] [--runs-scale F] [--keygen-runs N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Account, Policies, generateDsaKey, type DsaPrivateKey, type Outcome } from '@sotto/otr';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sessions: { type: 'string' },
    workloads: { type: 'string' },
    'messages-scale': { type: 'string', default: '1' },
    'runs-scale': { type: 'string', default: '1' },
    'keygen-runs': { type: 'string' },
  },
});
const quick = args.quick;
const messagesScale = Number(args['messages-scale']);
const runsScale = Number(args['runs-scale']);
const want = (w: string): boolean => args.workloads === undefined || args.workloads.split(',').includes(w);
const runsOf = (full: number): number => (quick ? 1 : Math.max(1, Math.round(full * runsScale)));
const messagesOf = (full: number, quickCount: number): number => Math.max(10, Math.round((quick ? quickCount : full) * messagesScale));

const SECRET = 'shared secret';

function fail(why: string): never {
  process.stderr.write(`sotto harness: ${why}\n`);
  process.exit(1);
}

/** One endpoint: an Account, the name the other side knows it by, and what it last saw. */
class Side {
  account: Account;
  alias: string;
  other!: Side;
  secure = false;
  shown: string | undefined;
  smpSuccess: boolean | undefined;
  smpAsked = false;

  constructor(
    readonly name: string,
    readonly key: DsaPrivateKey,
    readonly tag: number,
  ) {
    this.alias = name;
    this.account = this.fresh();
  }

  fresh(): Account {
    return new Account({ privateKey: this.key, instanceTag: this.tag, policy: Policies.MANUAL });
  }

  /** Read through a method: the fields change inside drain(), behind the type checker's back. */
  isSecure(): boolean {
    return this.secure;
  }

  smpSucceeded(): boolean {
    return this.smpSuccess === true;
  }
}

const queue: [Side, string, string][] = [];

/** Queues what an outcome sends and records what it shows and signals. */
function absorb(side: Side, out: Outcome): void {
  for (const m of out.send) queue.push([side.other, side.alias, m.text]);
  side.shown = out.show.length > 0 ? out.show[out.show.length - 1]!.text : undefined;
  for (const e of out.events) {
    switch (e.kind) {
      case 'secure':
        side.secure = true;
        break;
      case 'smp-request':
        side.smpAsked = true;
        break;
      case 'smp-result':
        side.smpSuccess = e.success;
        break;
      case 'extra-key':
      case 'insecure':
      case 'finished':
        break;
      default:
        fail(`unexpected event ${JSON.stringify(e)}`);
    }
  }
}

function drain(): void {
  while (queue.length > 0) {
    const [to, from, text] = queue.shift()!;
    absorb(to, to.account.receive(from, text, Date.now()));
    if (to.smpAsked) {
      // The SMP answer is a user decision: give it after the call returns.
      to.smpAsked = false;
      absorb(to, to.account.answerSmp(from, SECRET, Date.now()));
    }
  }
}

function runAke(alice: Side): void {
  const bob = alice.other;
  alice.secure = bob.secure = false;
  absorb(alice, alice.account.startOtr(bob.alias, Date.now()));
  drain();
  if (!alice.isSecure() || !bob.isSecure()) fail('AKE did not complete');
}

function sendData(from: Side, text: string): void {
  absorb(from, from.account.send(from.other.alias, text, Date.now()));
  drain();
  if (from.other.shown !== text) fail('message not shown intact');
}

const nowMs = (): number => performance.now();
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function emit(workload: string, med: number, unit: string, runs: number, extra: Record<string, number> = {}): void {
  process.stdout.write(`${JSON.stringify({ impl: 'sotto', workload, median: med, unit, runs, ...extra })}\n`);
}
function rssKib(): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : process.memoryUsage().rss / 1024;
}
function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function benchKeygen(runs: number): void {
  generateDsaKey(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = nowMs();
    generateDsaKey();
    t.push(nowMs() - t0);
  }
  emit('keygen', median(t), 'ms', runs);
}

/** Forgets every session: a wiped account refuses every call, so each side gets a new one with the same identity. */
function reset(...sides: Side[]): void {
  for (const side of sides) {
    side.account.wipe();
    side.account = side.fresh();
  }
}

function benchAke(alice: Side, runs: number): void {
  const t: number[] = [];
  for (let i = -10; i < runs; i++) {
    reset(alice, alice.other);
    const t0 = nowMs();
    runAke(alice);
    if (i >= 0) t.push(nowMs() - t0);
  }
  emit('ake', median(t), 'ms', runs);
}

function benchSmp(alice: Side, runs: number): void {
  const bob = alice.other;
  reset(alice, bob);
  runAke(alice);
  const t: number[] = [];
  for (let i = -3; i < runs; i++) {
    alice.smpSuccess = bob.smpSuccess = undefined;
    const t0 = nowMs();
    absorb(alice, alice.account.startSmp(bob.alias, SECRET, undefined, Date.now()));
    drain();
    const dt = nowMs() - t0;
    if (!alice.smpSucceeded() || !bob.smpSucceeded()) fail('SMP did not succeed');
    if (i >= 0) t.push(dt);
  }
  emit('smp', median(t), 'ms', runs);
}

const makeText = (n: number): string => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');

function benchAlternating(alice: Side, runs: number, messages: number): void {
  const bob = alice.other;
  reset(alice, bob);
  runAke(alice);
  const text = makeText(100);
  for (let i = 0; i < 200; i++) sendData(i % 2 ? bob : alice, text);
  const r: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = nowMs();
    for (let i = 0; i < messages; i++) sendData(i % 2 ? bob : alice, text);
    r.push(messages / ((nowMs() - t0) / 1e3));
  }
  emit('data_100B_alternating', median(r), 'msg/s', runs, { messages });
}

function benchOneway(alice: Side, runs: number, messages: number): void {
  const size = 10240;
  reset(alice, alice.other);
  runAke(alice);
  const text = makeText(size);
  for (let i = 0; i < 20; i++) sendData(alice, text);
  const r: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = nowMs();
    for (let i = 0; i < messages; i++) sendData(alice, text);
    r.push(messages / ((nowMs() - t0) / 1e3));
  }
  const med = median(r);
  emit('data_10KiB_oneway', med, 'msg/s', runs, { messages, MB_per_s: (med * size) / 1e6 });
}

// Alice holds `sessions` established sessions (peers bob0, bob1, ...); Bob's
// side of each is wiped after its AKE, so only Alice's sessions stay.
function benchMemory(alice: Side, sessions: number): void {
  const bob = alice.other;
  reset(alice, bob);
  runAke(alice); // warm-up
  reset(alice, bob);
  gc();
  const before = rssKib();
  for (let i = 0; i < sessions; i++) {
    bob.alias = `bob${i}`;
    runAke(alice);
    reset(bob);
  }
  bob.alias = bob.name;
  gc();
  const after = rssKib();
  emit('session_memory', (after - before) / sessions, 'KiB/session', 1, {
    sessions,
    rss_growth_kib: Math.round(after - before),
    heap_used_kib: Math.round(process.memoryUsage().heapUsed / 1024),
  });
}

const alice = new Side('alice', generateDsaKey(), 0x1000_0001);
const bob = new Side('bob', generateDsaKey(), 0x2000_0002);
alice.other = bob;
bob.other = alice;
const sessions = args.sessions !== undefined ? Number(args.sessions) : quick ? 200 : 10000;
if (want('keygen')) benchKeygen(quick ? 1 : args['keygen-runs'] !== undefined ? Number(args['keygen-runs']) : runsOf(100));
if (want('ake')) benchAke(alice, quick ? 1 : Math.max(20, runsOf(30)));
if (want('smp')) benchSmp(alice, runsOf(20));
if (want('data_100B_alternating')) benchAlternating(alice, runsOf(5), messagesOf(10000, 1000));
if (want('data_10KiB_oneway')) benchOneway(alice, runsOf(5), messagesOf(1000, 100));
if (want('session_memory')) benchMemory(alice, sessions);
