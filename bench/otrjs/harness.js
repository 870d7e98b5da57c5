// Benchmark harness for otr.js (npm `otr` 0.2.16, arlolra/otr), a reference the
// sotto benchmarks compare against. Two OTR objects (one per side of a
// conversation) live in one process; each 'io' event puts the message on a
// queue and the queue delivers it straight to the other side's receiveMsg().
// Prints one JSON line per workload: {"impl":"otr.js","workload",...}.
//
// otr.js paces outgoing messages through setTimeout (OTR.prototype.io sends
// one queued message per timer tick, at least 1 ms apart in Node). That pacing
// is transport politeness, not protocol work, so this harness replaces
// OTR.prototype.io with a synchronous emit of the same 'io' events.
//
// Usage: node bench/otrjs/harness.js [--quick] [--sessions N] [--workloads a,b]
//        [--messages-scale F] [--runs-scale F] [--keygen-runs N]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
let otrjs;
try {
  otrjs = require('otr');
} catch {
  process.stderr.write('otr.js harness: npm package `otr` (0.2.16) is not installed\n');
  process.exit(3);
}
const { OTR, DSA } = otrjs;
const CONST = OTR.CONST;

OTR.prototype.io = function io(msg, meta) {
  for (const m of [].concat(msg)) this.trigger('io', [m, meta]);
};

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
const want = (w) => args.workloads === undefined || args.workloads.split(',').includes(w);
const runsOf = (full) => (quick ? 1 : Math.max(1, Math.round(full * runsScale)));
const messagesOf = (full, quickCount) => Math.max(10, Math.round((quick ? quickCount : full) * messagesScale));

const SECRET = 'shared secret';
const queue = [];

function fail(why) {
  process.stderr.write(`otr.js harness: ${why}\n`);
  process.exit(1);
}

/** One side of one conversation. */
class Side {
  constructor(name, key, tag) {
    this.name = name;
    this.otr = new OTR({ priv: key, instance_tag: tag });
    this.otr.ALLOW_V2 = false; // v3 only, as in the other harnesses' AKE
    this.secure = false;
    this.shown = null;
    this.trust = null;
    this.askSecret = false;
    this.other = null;
    this.otr.on('io', (msg) => queue.push([this.other, msg]));
    this.otr.on('ui', (msg) => {
      this.shown = msg;
    });
    this.otr.on('status', (state) => {
      if (state === CONST.STATUS_AKE_SUCCESS) this.secure = true;
    });
    this.otr.on('smp', (type, data) => {
      if (type === 'question') this.askSecret = true;
      else if (type === 'trust') this.trust = data;
      else if (type === 'abort') fail('SMP aborted');
    });
    this.otr.on('error', (err) => fail(`error: ${err}`));
  }

  receive(msg) {
    this.otr.receiveMsg(msg);
    if (this.askSecret) {
      // The SMP answer is a user decision: give it after the call returns.
      this.askSecret = false;
      this.otr.smpSecret(SECRET);
    }
  }
}

function drain() {
  while (queue.length > 0) {
    const [to, msg] = queue.shift();
    to.receive(msg);
  }
}

function pair(keys) {
  const alice = new Side('alice', keys.alice, keys.aliceTag);
  const bob = new Side('bob', keys.bob, keys.bobTag);
  alice.other = bob;
  bob.other = alice;
  return [alice, bob];
}

function runAke(alice) {
  alice.otr.sendQueryMsg();
  drain();
  if (!alice.secure || !alice.other.secure) fail('AKE did not complete');
}

function sendData(from, text) {
  from.otr.sendMsg(text);
  drain();
  if (from.other.shown !== text) fail('message not shown intact');
}

const nowMs = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
function emit(workload, med, unit, runs, extra = {}) {
  process.stdout.write(`${JSON.stringify({ impl: 'otr.js', workload, median: med, unit, runs, ...extra })}\n`);
}
function rssKib() {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : process.memoryUsage().rss / 1024;
}
const gc = () => globalThis.gc?.();

function benchKeygen(runs) {
  // nocache: generate fresh domain parameters (p, q, g) every time, as the
  // other implementations do; otr.js otherwise reuses them for the process.
  new DSA(null, { nocache: true }); // warm-up
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = nowMs();
    new DSA(null, { nocache: true });
    t.push(nowMs() - t0);
  }
  emit('keygen', median(t), 'ms', runs);
}

// A fresh AKE includes building both sides' session objects (otr.js makes its
// first DH keys in the OTR constructor).
function benchAke(keys, runs) {
  const t = [];
  for (let i = -10; i < runs; i++) {
    const t0 = nowMs();
    const [alice] = pair(keys);
    runAke(alice);
    if (i >= 0) t.push(nowMs() - t0);
  }
  emit('ake', median(t), 'ms', runs);
}

function benchSmp(keys, runs) {
  const [alice, bob] = pair(keys);
  runAke(alice);
  const t = [];
  for (let i = -3; i < runs; i++) {
    alice.trust = bob.trust = null;
    const t0 = nowMs();
    alice.otr.smpSecret(SECRET);
    drain();
    const dt = nowMs() - t0;
    if (alice.trust !== true || bob.trust !== true) fail('SMP did not succeed');
    if (i >= 0) t.push(dt);
  }
  emit('smp', median(t), 'ms', runs);
}

const makeText = (n) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');

function benchAlternating(keys, runs, messages) {
  const [alice, bob] = pair(keys);
  runAke(alice);
  const text = makeText(100);
  for (let i = 0; i < 20; i++) sendData(i % 2 ? bob : alice, text);
  const r = [];
  for (let k = 0; k < runs; k++) {
    const t0 = nowMs();
    for (let i = 0; i < messages; i++) sendData(i % 2 ? bob : alice, text);
    r.push(messages / ((nowMs() - t0) / 1e3));
  }
  emit('data_100B_alternating', median(r), 'msg/s', runs, { messages });
}

function benchOneway(keys, runs, messages) {
  const size = 10240;
  const [alice] = pair(keys);
  runAke(alice);
  const text = makeText(size);
  for (let i = 0; i < 10; i++) sendData(alice, text);
  const r = [];
  for (let k = 0; k < runs; k++) {
    const t0 = nowMs();
    for (let i = 0; i < messages; i++) sendData(alice, text);
    r.push(messages / ((nowMs() - t0) / 1e3));
  }
  const med = median(r);
  emit('data_10KiB_oneway', med, 'msg/s', runs, { messages, MB_per_s: (med * size) / 1e6 });
}

// Alice's side of `sessions` established sessions is kept; each Bob side is
// dropped after its AKE.
function benchMemory(keys, sessions) {
  runAke(pair(keys)[0]); // warm-up
  gc();
  const before = rssKib();
  const held = [];
  for (let i = 0; i < sessions; i++) {
    const [alice, bob] = pair(keys);
    runAke(alice);
    bob.otr = null;
    alice.other = null;
    held.push(alice);
  }
  gc();
  const after = rssKib();
  emit('session_memory', (after - before) / sessions, 'KiB/session', 1, {
    sessions,
    rss_growth_kib: Math.round(after - before),
    held: held.length,
  });
}

const keys = { alice: new DSA(), bob: new DSA(), aliceTag: OTR.makeInstanceTag(), bobTag: OTR.makeInstanceTag() };
const sessions = args.sessions !== undefined ? Number(args.sessions) : quick ? 200 : 10000;
if (want('keygen')) benchKeygen(quick ? 1 : args['keygen-runs'] !== undefined ? Number(args['keygen-runs']) : runsOf(100));
if (want('ake')) benchAke(keys, quick ? 1 : Math.max(20, runsOf(30)));
if (want('smp')) benchSmp(keys, runsOf(20));
if (want('data_100B_alternating')) benchAlternating(keys, runsOf(5), messagesOf(10000, 1000));
if (want('data_10KiB_oneway')) benchOneway(keys, runsOf(5), messagesOf(1000, 100));
if (want('session_memory')) benchMemory(keys, sessions);
