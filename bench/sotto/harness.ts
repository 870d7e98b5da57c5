/**
 * Benchmark harness for sotto (@sotto/otr): the same workloads as the
 * reference harnesses (bench/libotr, bench/potr, bench/otrjs). Two Accounts
 * live in one process; every text an Outcome asks to send is put on a queue
 * and the queue delivers it straight to the other Account's receive().
 * Prints one JSON line per workload: {"impl":"sotto","workload",...}.
 *
 * The v3 workloads (keygen, ake, smp, data_*, session_memory) run with DSA
 * identities only, so the accounts speak v3; the v4_* workloads give both
 * accounts an OTRv4 identity (Ed448 identity and forging keys, Client
 * Profile) and check that every session is version 4. v4_dake and v4_smp
 * also report the Ed448 scalar multiplications one run costs.
 *
 * A workload that cannot complete (a session that does not become secure,
 * an SMP the library refuses) writes why on stderr, prints no line, and the
 * harness goes on with the next workload and exits 1 at the end.
 *
 * The host clock is the real one (Date.now()), as a host would pass it.
 *
 * Usage: node --expose-gc bench/build/sotto/harness.js [--quick] [--sessions N]
 *        [--workloads a,b] [--messages-scale F] [--runs-scale F] [--keygen-runs N]
 *
 * --sessions applies to session_memory; v4_session_memory holds a tenth
 * as many (1,000 by default: each is a v4 DAKE, some 30 times a v3 AKE).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Account, Policies, generateDsaKey, generateV4Identity, type DsaPrivateKey, type GeneratedV4Identity, type Outcome } from '@sotto/otr';

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

/** Why a workload could not complete; the workload's line is not printed. */
class WorkloadFailure extends Error {}

function fail(why: string): never {
  throw new WorkloadFailure(why);
}

/** The Ed448 operation counters of @sotto/otr's crypto/v4 (for the benchmarks and tests; not on the public surface). */
interface Ed448Counts {
  baseMultiplications: number;
  pointMultiplications: number;
  subgroupChecks: number;
}
interface Ed448Counters {
  ed448OperationCounts(): Ed448Counts;
  resetEd448OperationCounts(): void;
}
/**
 * Loaded from the built library next to its entry point, so it is the same
 * module instance the Account uses; undefined (and the harness fails at the
 * end) when the build has no such module.
 */
async function loadEd448Counters(): Promise<Ed448Counters | undefined> {
  try {
    const url = new URL('./crypto/v4/index.js', import.meta.resolve('@sotto/otr')).href;
    const mod = (await import(url)) as Partial<Ed448Counters>;
    if (typeof mod.ed448OperationCounts === 'function' && typeof mod.resetEd448OperationCounts === 'function') return mod as Ed448Counters;
  } catch {
    // reported below
  }
  return undefined;
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
  /** The version of the last `secure` event. */
  version: number | undefined;
  /** The reason of the last `refused` event. */
  refused: string | undefined;

  constructor(
    readonly name: string,
    readonly key: DsaPrivateKey,
    readonly tag: number,
    /** With an OTRv4 identity the account speaks v4 (its policy allows 2, 3 and 4). */
    readonly v4?: GeneratedV4Identity,
  ) {
    this.alias = name;
    this.account = this.fresh();
  }

  /** A new account with the same identity; its v4 address is the name the other side knows it by now. */
  fresh(): Account {
    const v4 = this.v4 && { identityKey: this.v4.identityKey, forgingKey: this.v4.forgingKey, profile: this.v4.profile, address: this.alias };
    return new Account({ privateKey: this.key, instanceTag: this.tag, policy: Policies.MANUAL, ...(v4 ? { v4 } : {}) });
  }

  /** Read through a method: the fields change inside drain(), behind the type checker's back. */
  isSecure(): boolean {
    return this.secure;
  }

  secureVersion(): number | undefined {
    return this.version;
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
        side.version = e.version;
        break;
      case 'smp-request':
        side.smpAsked = true;
        break;
      case 'smp-result':
        side.smpSuccess = e.success;
        break;
      case 'refused':
        side.refused = e.reason;
        break;
      case 'extra-key':
      case 'insecure':
      case 'finished':
      case 'profile-refreshed':
        break;
      default:
        fail(`unexpected event ${JSON.stringify(e)}`);
    }
  }
}

/** Deliveries one drain may make before it gives up: no workload needs near as many, so more means the sides loop. */
const MAX_DELIVERIES = 1000;

function drain(): void {
  let deliveries = 0;
  while (queue.length > 0) {
    if (++deliveries > MAX_DELIVERIES) {
      queue.length = 0;
      fail(`no end after ${MAX_DELIVERIES} deliveries`);
    }
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
  alice.version = bob.version = undefined;
  absorb(alice, alice.account.startOtr(bob.alias, Date.now()));
  drain();
  if (!alice.isSecure() || !bob.isSecure()) fail('AKE did not complete');
  const expected = alice.v4 && bob.v4 ? 4 : 3;
  for (const side of [alice, bob]) if (side.secureVersion() !== expected) fail(`${side.name}'s session is version ${String(side.secureVersion())}, not ${expected}`);
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
  queue.length = 0;
  for (const side of sides) {
    side.account.wipe();
    side.account = side.fresh();
  }
}

/** Ed448 operations counted over `run` (none when the counters are not available). */
function counted(run: () => void): Ed448Counts | undefined {
  counters?.resetEd448OperationCounts();
  run();
  return counters?.ed448OperationCounts();
}

/** Adds up the counts of several runs and gives them per run, as extra JSON fields. */
function perRun(counts: (Ed448Counts | undefined)[]): Record<string, number> {
  if (counts.length === 0 || counts.some((c) => c === undefined)) return {};
  const sum = (key: keyof Ed448Counts): number => counts.reduce((n, c) => n + c![key], 0) / counts.length;
  return { ed448_base_mults: sum('baseMultiplications'), ed448_point_mults: sum('pointMultiplications'), ed448_subgroup_checks: sum('subgroupChecks') };
}

function benchAke(workload: string, alice: Side, runs: number, warmUp: number): void {
  const t: number[] = [];
  const counts: (Ed448Counts | undefined)[] = [];
  for (let i = -warmUp; i < runs; i++) {
    reset(alice, alice.other);
    let dt = 0;
    const c = counted(() => {
      const t0 = nowMs();
      runAke(alice);
      dt = nowMs() - t0;
    });
    if (i >= 0) {
      t.push(dt);
      counts.push(c);
    }
  }
  emit(workload, median(t), 'ms', runs, alice.v4 ? perRun(counts) : {});
}

/** `a - b` per counter: what one run cost beyond another. */
function minus(a: Ed448Counts | undefined, b: Ed448Counts | undefined): Ed448Counts | undefined {
  if (a === undefined || b === undefined) return undefined;
  return {
    baseMultiplications: a.baseMultiplications - b.baseMultiplications,
    pointMultiplications: a.pointMultiplications - b.pointMultiplications,
    subgroupChecks: a.subgroupChecks - b.subgroupChecks,
  };
}

/**
 * A full SMP, timed. In v4 each of its four data messages (Alice, Bob,
 * Alice, Bob) is also a DH ratchet step, whose ECDH key and shared secret
 * the Ed448 counters see too: after each run, four plain one-character
 * messages in the same order count the ratchet's share, which is
 * subtracted, so the `ed448_*` fields count the SMP alone (the share is
 * reported in `ratchet_ed448_*`). The time includes the ratchet steps, as
 * v3's `smp` includes its key rotations.
 */
function benchSmp(workload: string, alice: Side, runs: number, warmUp: number): void {
  const bob = alice.other;
  reset(alice, bob);
  runAke(alice);
  const t: number[] = [];
  const counts: (Ed448Counts | undefined)[] = [];
  const ratchetCounts: (Ed448Counts | undefined)[] = [];
  for (let i = -warmUp; i < runs; i++) {
    alice.smpSuccess = bob.smpSuccess = undefined;
    alice.refused = bob.refused = undefined;
    let dt = 0;
    const c = counted(() => {
      const t0 = nowMs();
      absorb(alice, alice.account.startSmp(bob.alias, SECRET, undefined, Date.now()));
      drain();
      dt = nowMs() - t0;
    });
    for (const side of [alice, bob]) if (side.refused !== undefined) fail(`${side.name}'s SMP call was refused (${side.refused}) in a version ${String(side.version)} session`);
    if (!alice.smpSucceeded() || !bob.smpSucceeded()) fail('SMP did not succeed');
    // The same four ratchet steps with nothing else in them (the next SMP then starts from the same turn).
    const ratchet = alice.v4 ? counted(() => [alice, bob, alice, bob].forEach((side) => sendData(side, 'x'))) : undefined;
    if (i >= 0) {
      t.push(dt);
      counts.push(alice.v4 ? minus(c, ratchet) : c);
      ratchetCounts.push(ratchet);
    }
  }
  const ratchetShare = Object.fromEntries(Object.entries(perRun(ratchetCounts)).map(([key, value]) => [`ratchet_${key}`, value]));
  emit(workload, median(t), 'ms', runs, alice.v4 ? { ...perRun(counts), ...ratchetShare } : {});
}

const makeText = (n: number): string => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');

function benchAlternating(workload: string, alice: Side, runs: number, messages: number, warmUp: number): void {
  const bob = alice.other;
  reset(alice, bob);
  runAke(alice);
  const text = makeText(100);
  for (let i = 0; i < warmUp; i++) sendData(i % 2 ? bob : alice, text);
  const r: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = nowMs();
    for (let i = 0; i < messages; i++) sendData(i % 2 ? bob : alice, text);
    r.push(messages / ((nowMs() - t0) / 1e3));
  }
  emit(workload, median(r), 'msg/s', runs, { messages });
}

function benchOneway(workload: string, alice: Side, runs: number, messages: number): void {
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
  emit(workload, med, 'msg/s', runs, { messages, MB_per_s: (med * size) / 1e6 });
}

// Alice holds `sessions` established sessions (peers bob0, bob1, ...); Bob's
// side of each is wiped after its AKE, so only Alice's sessions stay. No data
// message is exchanged, so a v4 session stores no skipped message keys.
function benchMemory(workload: string, alice: Side, sessions: number): void {
  const bob = alice.other;
  reset(alice, bob);
  runAke(alice); // warm-up
  reset(alice, bob);
  gc();
  const before = rssKib();
  for (let i = 0; i < sessions; i++) {
    // A fresh Bob for each: his v4 address is the name Alice knows him by.
    bob.alias = `bob${i}`;
    reset(bob);
    runAke(alice);
  }
  reset(bob);
  bob.alias = bob.name;
  gc();
  const after = rssKib();
  emit(workload, (after - before) / sessions, 'KiB/session', 1, {
    sessions,
    rss_growth_kib: Math.round(after - before),
    heap_used_kib: Math.round(process.memoryUsage().heapUsed / 1024),
  });
}

/** Two sides that know each other; with `v4`, each has an OTRv4 identity. */
function makePair(v4: boolean): Side {
  const now = Date.now();
  const side = (name: string, tag: number): Side => {
    const key = generateDsaKey();
    return new Side(name, key, tag, v4 ? generateV4Identity({ instanceTag: tag, privateKey: key, now }) : undefined);
  };
  const a = side('alice', v4 ? 0x3000_0003 : 0x1000_0001);
  const b = side('bob', v4 ? 0x4000_0004 : 0x2000_0002);
  a.other = b;
  b.other = a;
  return a;
}

const counters = await loadEd448Counters();
let failed = counters === undefined;
if (failed) process.stderr.write('sotto harness: the Ed448 operation counters of @sotto/otr (dist/crypto/v4) were not found: v4 rows carry no counts\n');
const wanted: [string, (pair: Side) => void][] = [];
const sessions = args.sessions !== undefined ? Number(args.sessions) : quick ? 200 : 10000;
// v3 (DSA identities only)
wanted.push(['keygen', () => benchKeygen(quick ? 1 : args['keygen-runs'] !== undefined ? Number(args['keygen-runs']) : runsOf(100))]);
wanted.push(['ake', (a) => benchAke('ake', a, quick ? 1 : Math.max(20, runsOf(30)), 10)]);
wanted.push(['smp', (a) => benchSmp('smp', a, runsOf(20), 3)]);
wanted.push(['data_100B_alternating', (a) => benchAlternating('data_100B_alternating', a, runsOf(5), messagesOf(10000, 1000), 200)]);
wanted.push(['data_10KiB_oneway', (a) => benchOneway('data_10KiB_oneway', a, runsOf(5), messagesOf(1000, 100))]);
wanted.push(['session_memory', (a) => benchMemory('session_memory', a, sessions)]);
// v4 (Ed448 identities and Client Profiles as well): fewer warm-ups and
// messages in the quick run, where a DAKE costs as much as 15 v3 AKEs.
wanted.push(['v4_dake', (a) => benchAke('v4_dake', a, quick ? 1 : Math.max(10, runsOf(30)), quick ? 2 : 5)]);
wanted.push(['v4_smp', (a) => benchSmp('v4_smp', a, runsOf(20), quick ? 1 : 3)]);
// Every alternating v4 message is a DH ratchet step (an ECDH key, and a
// 3072-bit DH key every third step): 500 messages a batch, not 10,000.
wanted.push(['v4_data_100B_alternating', (a) => benchAlternating('v4_data_100B_alternating', a, runsOf(5), messagesOf(500, 60), quick ? 12 : 60)]);
wanted.push(['v4_data_10KiB_oneway', (a) => benchOneway('v4_data_10KiB_oneway', a, runsOf(5), messagesOf(1000, 100))]);
wanted.push(['v4_session_memory', (a) => benchMemory('v4_session_memory', a, Math.max(1, Math.round(sessions / 10)))]);

let v3Pair: Side | undefined;
let v4Pair: Side | undefined;
for (const [workload, run] of wanted) {
  if (!want(workload)) continue;
  try {
    run(workload.startsWith('v4_') ? (v4Pair ??= makePair(true)) : (v3Pair ??= makePair(false)));
  } catch (error) {
    if (!(error instanceof WorkloadFailure)) throw error;
    process.stderr.write(`sotto harness: ${workload} failed: ${error.message}\n`);
    failed = true;
    queue.length = 0;
  }
}
if (failed) process.exitCode = 1;
