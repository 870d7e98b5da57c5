"""Benchmark harness for python-potr (Debian python3-potr 1.0.2), a reference
the sotto benchmarks compare against. Run with /usr/bin/python3.

Two potr Accounts live in one process; each Context's inject() puts the message
on a queue and the queue delivers it straight to the other side's
receiveMessage(). Prints one JSON line per workload:
{"impl":"potr","workload",...,"median","unit","runs"}.

python-potr implements OTR version 2 only (no instance tags), so its `ake`
is a v2 AKE; the cryptographic work is the same as v3's. Every line carries
"version": 2.

Debian ships potr on pycryptodome, where potr's key generation, DSA and
AES-CTR calls fail; test/interop/peers/potr/potr_compat.py replaces exactly
those primitives with pycryptodome calls and is shared with the interop peer.
This harness also builds DSA keys without pycryptodome's primality checks (see
_construct_unchecked), as PyCrypto did.

Usage: harness.py [--quick] [--sessions N] [--workloads a,b,c] [--messages-scale F]
                  [--runs-scale F] [--keygen-runs N]
"""
import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections import deque

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'test', 'interop', 'peers', 'potr'))

import potr_compat  # noqa: E402

potr_compat.install()

import potr  # noqa: E402
from potr import compatcrypto  # noqa: E402
from potr.compatcrypto import pycrypto as potr_pycrypto  # noqa: E402
from Cryptodome.PublicKey import DSA  # noqa: E402


def _construct_unchecked(self, key=None, private=False):
    """potr's DSAKey constructor, building the pycryptodome key without its
    consistency check. pycryptodome's DSA.construct() runs primality tests on p
    and q for every key it builds (potr builds one for each public key it
    receives, twice per AKE); PyCrypto, which potr was written for, did not, and
    those tests took about 70% of a potr AKE here. Benchmarking them would
    measure the Debian packaging, not potr."""
    self.priv = self.pub = None
    if not isinstance(key, tuple):
        raise TypeError('4/5-tuple required for key')
    if len(key) == 5 and private:
        self.priv = DSA.construct(key, consistency_check=False)
        self.pub = self.priv.publickey()
    elif len(key) == 4 and not private:
        self.pub = DSA.construct(key, consistency_check=False)
    else:
        raise TypeError('wrong number of key parts')


potr_pycrypto.DSAKey.__init__ = _construct_unchecked

PROTOCOL = 'bench'
POLICY = {'ALLOW_V1': False, 'ALLOW_V2': True, 'REQUIRE_ENCRYPTION': False,
          'SEND_TAG': False, 'WHITESPACE_START_AKE': False, 'ERROR_START_AKE': False}
SECRET = b'shared secret'

queue = deque()


class BenchContext(potr.context.Context):
    """A context whose injected messages go to the delivery queue."""

    def getPolicy(self, key):
        return POLICY.get(key, False)

    def inject(self, msg, appdata=None):
        queue.append((self.user.other, self.user.alias, self.peer, msg))

    def setCurrentTrust(self, trustLevel):
        # SMP success marks the fingerprint 'smp'; no trust store here.
        self.smp_trust = trustLevel


class BenchAccount(potr.context.Account):
    contextclass = BenchContext

    def __init__(self, name, key):
        super().__init__(name, PROTOCOL, 0, key)
        self.alias = name  # the name the other side knows us by
        self.other = None
        self.shown = None

    def loadPrivkey(self):
        return self.privkey

    def savePrivkey(self):
        pass

    def saveTrusts(self):
        pass


def receive(account, sender, text):
    """Deliver one message; answer an SMP request once the call has returned."""
    ctx = account.getContext(sender)
    try:
        plaintext, _tlvs = ctx.receiveMessage(text)
    except potr.context.NotOTRMessage:
        plaintext = None
    account.shown = plaintext
    smp = ctx.crypto.smp
    if smp is not None and smp.state == 0 and getattr(ctx, 'smp_asked', False) is False:
        ctx.smp_asked = True
        ctx.smpGotSecret(SECRET)


def drain():
    while queue:
        to, sender, _recipient, text = queue.popleft()
        receive(to, sender, text)


def run_ake(alice, bob):
    query = alice.getDefaultQueryMessage(lambda key: POLICY.get(key, False))
    queue.append((bob, alice.alias, bob.alias, query))
    drain()
    a = alice.getContext(bob.alias)
    b = bob.getContext(alice.alias)
    if a.state != potr.context.STATE_ENCRYPTED or b.state != potr.context.STATE_ENCRYPTED:
        raise SystemExit('potr harness: AKE did not complete')


def reset(*accounts):
    for account in accounts:
        account.ctxs.clear()


def send_data(sender, text):
    ctx = sender.getContext(sender.other.alias)
    ctx.sendMessage(potr.context.FRAGMENT_SEND_ALL, text)
    drain()
    if sender.other.shown != text:
        raise SystemExit('potr harness: message not shown intact')


def emit(workload, median, unit, runs, **extra):
    line = {'impl': 'potr', 'workload': workload, 'median': median, 'unit': unit, 'runs': runs}
    line.update(extra)
    line['version'] = 2
    print(json.dumps(line), flush=True)


def now_ms():
    return time.perf_counter() * 1e3


def rss_kib():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return -1


def bench_keygen(runs):
    compatcrypto.generateDefaultKey()  # warm-up
    times = []
    for _ in range(runs):
        t0 = now_ms()
        compatcrypto.generateDefaultKey()
        times.append(now_ms() - t0)
    emit('keygen', statistics.median(times), 'ms', runs)


def bench_ake(alice, bob, runs):
    times = []
    for i in range(runs + 10):  # ten warm-up rounds
        reset(alice, bob)
        t0 = now_ms()
        run_ake(alice, bob)
        if i >= 10:
            times.append(now_ms() - t0)
    emit('ake', statistics.median(times), 'ms', runs)


def bench_smp(alice, bob, runs):
    reset(alice, bob)
    run_ake(alice, bob)
    a = alice.getContext(bob.alias)
    b = bob.getContext(alice.alias)
    times = []
    for i in range(runs + 3):  # three warm-up rounds
        a.smp_trust = b.smp_trust = None
        b.smp_asked = False
        t0 = now_ms()
        a.smpInit(SECRET)
        drain()
        dt = now_ms() - t0
        if not (a.smpIsSuccess() and b.smpIsSuccess() and a.smp_trust == 'smp' and b.smp_trust == 'smp'):
            raise SystemExit('potr harness: SMP did not succeed')
        if i >= 3:
            times.append(dt)
    emit('smp', statistics.median(times), 'ms', runs)


def make_text(n):
    return bytes(ord('a') + i % 26 for i in range(n))


def bench_alternating(alice, bob, runs, messages):
    reset(alice, bob)
    run_ake(alice, bob)
    text = make_text(100)
    for i in range(50):  # warm-up
        send_data(bob if i % 2 else alice, text)
    rates = []
    for _ in range(runs):
        t0 = now_ms()
        for i in range(messages):
            send_data(bob if i % 2 else alice, text)
        rates.append(messages / ((now_ms() - t0) / 1e3))
    emit('data_100B_alternating', statistics.median(rates), 'msg/s', runs, messages=messages)


def bench_oneway(alice, bob, runs, messages):
    size = 10240
    reset(alice, bob)
    run_ake(alice, bob)
    text = make_text(size)
    for _ in range(10):  # warm-up
        send_data(alice, text)
    rates = []
    for _ in range(runs):
        t0 = now_ms()
        for _ in range(messages):
            send_data(alice, text)
        rates.append(messages / ((now_ms() - t0) / 1e3))
    median = statistics.median(rates)
    emit('data_10KiB_oneway', median, 'msg/s', runs, messages=messages, MB_per_s=median * size / 1e6)


def bench_memory(alice, bob, sessions):
    """Alice holds `sessions` established sessions (peers bob0, bob1, ...);
    Bob's side of each is dropped after its AKE, so only Alice's stay."""
    reset(alice, bob)
    run_ake(alice, bob)  # warm-up
    reset(alice, bob)
    gc.collect()
    before = rss_kib()
    for i in range(sessions):
        bob.alias = 'bob%d' % i
        run_ake(alice, bob)
        reset(bob)
    bob.alias = bob.name
    gc.collect()
    after = rss_kib()
    emit('session_memory', (after - before) / sessions, 'KiB/session', 1,
         sessions=sessions, rss_growth_kib=after - before)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--quick', action='store_true')
    parser.add_argument('--sessions', type=int, default=None)
    parser.add_argument('--workloads', default=None)
    parser.add_argument('--messages-scale', type=float, default=1.0,
                        help='fraction of the data messages to send per run (slow references)')
    parser.add_argument('--runs-scale', type=float, default=1.0,
                        help='fraction of the runs per workload (slow references)')
    parser.add_argument('--keygen-runs', type=int, default=None)
    args = parser.parse_args()
    quick = args.quick
    sessions = args.sessions if args.sessions is not None else (200 if quick else 10000)

    def runs_of(full):
        return 1 if quick else max(1, round(full * args.runs_scale))

    def messages_of(full, quick_count):
        return max(10, round((quick_count if quick else full) * args.messages_scale))

    def want(name):
        return args.workloads is None or name in args.workloads.split(',')

    alice = BenchAccount('alice', compatcrypto.generateDefaultKey())
    bob = BenchAccount('bob', compatcrypto.generateDefaultKey())
    alice.other, bob.other = bob, alice

    if want('keygen'):
        bench_keygen(1 if quick else args.keygen_runs or runs_of(100))
    if want('ake'):
        bench_ake(alice, bob, 1 if quick else max(20, runs_of(30)))
    if want('smp'):
        bench_smp(alice, bob, runs_of(20))
    if want('data_100B_alternating'):
        bench_alternating(alice, bob, runs_of(5), messages_of(10000, 1000))
    if want('data_10KiB_oneway'):
        bench_oneway(alice, bob, runs_of(5), messages_of(1000, 100))
    if want('session_memory'):
        bench_memory(alice, bob, sessions)


if __name__ == '__main__':
    main()
