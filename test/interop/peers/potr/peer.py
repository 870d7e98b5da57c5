#!/usr/bin/python3
"""A driver-protocol peer (shared/interop/DRIVER.md) on python3-potr 1.0.2.

Run with Debian's /usr/bin/python3 (python3-potr, python3-pycryptodome). One
process: a relay connection (echo-network framing), JSON commands on stdin,
JSON events on stdout (nothing else), diagnostics on stderr. potr speaks OTR
version 2 only, so --versions must include 2 (else exit status 2).

potr has no callbacks for what a user would be shown: this wrapper derives
the driver events from potr's return values, exceptions and SMP state after
each call, and keeps its own trust store (peer_state.py). How potr differs
from the contract, and what the wrapper does about it, is in ../README.md.
"""
import argparse
import json
import logging
import os
import sys
import time

import potr_compat

potr_compat.install()

import potr.context as otr  # noqa: E402  (after the shim)
from potr import crypt, proto  # noqa: E402

from echo_relay import RelayConnection  # noqa: E402
from peer_state import PeerState  # noqa: E402

POLICIES = {
    'manual': {'ALLOW_V2': True},
    'opportunistic': {'ALLOW_V2': True, 'SEND_TAG': True, 'WHITESPACE_START_AKE': True,
                      'ERROR_START_AKE': True},
    'always': {'ALLOW_V2': True, 'SEND_TAG': True, 'WHITESPACE_START_AKE': True,
               'ERROR_START_AKE': True, 'REQUIRE_ENCRYPTION': True},
}
MAX_STDIN_LINE = 1 << 20
# Network errors shown to the user: at most this many per window (DRIVER.md: rate-limited).
ERROR_BURST, ERROR_WINDOW = 10, 10.0


class UsageExit(Exception):
    """Bad flags: exit status 2."""


def parse_flags(argv):
    parser = argparse.ArgumentParser(prog='potr-peer', allow_abbrev=False)
    parser.add_argument('--relay', required=True)
    parser.add_argument('--policy', choices=sorted(POLICIES), default='opportunistic')
    parser.add_argument('--versions', default='2')
    parser.add_argument('--max-message-size', default='0')
    parser.add_argument('--state-dir')
    parser.add_argument('--local-port')
    flags = parser.parse_args(argv)  # exits with status 2 on bad flags
    host, sep, port = flags.relay.rpartition(':')
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageExit('--relay needs HOST:PORT')
    flags.relay_host, flags.relay_port = host, int(port)
    items = flags.versions.split(',')
    if not all(item.isdigit() and item.isascii() for item in items):
        raise UsageExit('--versions needs a comma-separated list of numbers')
    if 2 not in {int(item) for item in items}:
        raise UsageExit('potr speaks only OTR version 2')
    if not flags.max_message_size.isdigit():
        raise UsageExit('--max-message-size needs a number')
    flags.max_message_size = int(flags.max_message_size)
    if 1 <= flags.max_message_size <= 63:
        raise UsageExit('--max-message-size must be 0 or at least 64')
    if flags.local_port is not None:
        if not flags.local_port.isdigit() or not 0 < int(flags.local_port) < 65536:
            raise UsageExit('--local-port needs a port number')
        flags.local_port = int(flags.local_port)
    return flags


def emit(event, **fields):
    record = {'event': event}
    record.update(fields)
    # ensure_ascii: stdout stays valid JSON whatever the text holds.
    sys.stdout.write(json.dumps(record) + '\n')
    sys.stdout.flush()


def text_of(data):
    return data.decode('utf-8', 'replace') if isinstance(data, bytes) else str(data)


def looks_like_otr(data):
    """An OTR-encoded message or fragment: never shown as text, even when potr gives up on it."""
    return b'?OTR:' in data or data.startswith(b'?OTR,') or data.startswith(b'?OTR|')


class DriverContext(otr.Context):
    """potr's per-peer context, wired to the relay and the driver's events."""

    def getPolicy(self, key):
        return self.user.driver.policy.get(key, False)

    def inject(self, msg, appdata=None):
        self.user.driver.relay.send(self.peer, bytes(msg))

    def setCurrentTrust(self, trustLevel):
        # potr sets trust itself after SMP ('' on a failure, which would remove
        # earlier trust; 'smp' only when no question was asked). The driver
        # contract decides trust instead, in Driver.after_receive.
        pass

    def handleQuery(self, message, appdata=None):
        # potr starts the AKE on any whitespace tag; the manual policy must not.
        if isinstance(message, proto.TaggedPlaintext) and not self.getPolicy('WHITESPACE_START_AKE'):
            return
        super().handleQuery(message, appdata=appdata)

    def _wentEncrypted(self):
        super()._wentEncrypted()
        self.user.driver.on_secure(self)


class DriverAccount(otr.Account):
    contextclass = DriverContext

    def __init__(self, driver, max_message_size):
        super().__init__('peer', 'echo', max_message_size)
        self.driver = driver

    def loadPrivkey(self):
        return self.driver.state.load_key()

    def savePrivkey(self):
        self.driver.state.save_key(self.privkey)

    def saveTrusts(self):
        pass  # trust lives in PeerState


class Driver:
    def __init__(self, flags):
        self.policy = POLICIES[flags.policy]
        self.state = PeerState(flags.state_dir)
        self.account = DriverAccount(self, flags.max_message_size)
        self.relay = None
        self.held = {}  # peer -> texts refused under REQUIRE_ENCRYPTION, sent once secure
        self.flush_after_receive = set()
        self.error_times = []

    # ---- events derived from potr ----

    def on_secure(self, ctx):
        fingerprint = ctx.crypto.theirPubkey.cfingerprint()
        trusted = self.state.is_verified(ctx.peer, fingerprint)
        if not trusted and self.state.has_verified(ctx.peer):
            emit('fingerprint-changed', peer=ctx.peer, fingerprint=fingerprint)
        emit('secure', peer=ctx.peer, version=2, fingerprint=fingerprint,
             ssid=ctx.crypto.sessionId.hex(), trusted=trusted)
        # Held texts go out after potr has sent the AKE's last message.
        self.flush_after_receive.add(ctx.peer)

    def trust_current(self, ctx):
        fingerprint = ctx.crypto.theirPubkey.cfingerprint()
        self.state.verify(ctx.peer, fingerprint)
        emit('trusted', peer=ctx.peer, fingerprint=fingerprint)

    def network_error(self, peer, message):
        now = time.monotonic()
        self.error_times = [t for t in self.error_times if now - t < ERROR_WINDOW]
        if len(self.error_times) < ERROR_BURST:
            self.error_times.append(now)
            emit('error', peer=peer, message=message)

    def after_receive(self, ctx, tlvs):
        smp = ctx.crypto.smp
        for tlv in tlvs:
            if isinstance(tlv, proto.SMPABORTTLV):
                emit('smp-aborted', peer=ctx.peer)
            elif isinstance(tlv, (proto.SMP1TLV, proto.SMP1QTLV)):
                if smp is not None and smp.state == 0 and smp.prog == crypt.SMPPROG_OK:
                    question = text_of(tlv.msg) if isinstance(tlv, proto.SMP1QTLV) else None
                    emit('smp-request', peer=ctx.peer, question=question)
                else:
                    emit('smp-aborted', peer=ctx.peer)  # potr answered with an abort
            elif isinstance(tlv, proto.SMP2TLV):
                if smp is None or smp.prog != crypt.SMPPROG_OK:
                    emit('smp-aborted', peer=ctx.peer)
            elif isinstance(tlv, (proto.SMP3TLV, proto.SMP4TLV)):
                progress = smp.prog if smp is not None else crypt.SMPPROG_CHEATED
                if progress == crypt.SMPPROG_SUCCEEDED:
                    emit('smp-result', peer=ctx.peer, success=True)
                    self.trust_current(ctx)
                elif progress == crypt.SMPPROG_FAILED:
                    # potr also sends an SMP abort to the peer here (README.md).
                    emit('smp-result', peer=ctx.peer, success=False)
                else:
                    emit('smp-aborted', peer=ctx.peer)
        if any(isinstance(tlv, proto.DisconnectTLV) for tlv in tlvs):
            emit('finished', peer=ctx.peer)

    # ---- network ----

    def on_frame(self, sender, content):
        ctx = self.account.getContext(sender)
        try:
            plaintext, tlvs = ctx.receiveMessage(content)
        except otr.NotOTRMessage as plain:
            shown = plain.args[0] if plain.args else content
            if looks_like_otr(content):
                self.network_error(sender, 'OTR message that could not be read')
            elif shown:
                emit('message', **{'from': sender, 'text': text_of(shown), 'encrypted': False})
        except otr.UnencryptedMessage as plain:
            if plain.args and plain.args[0]:
                emit('message', **{'from': sender, 'text': text_of(plain.args[0]), 'encrypted': False})
        except otr.ErrorReceived as error:
            detail = text_of(error.args[0].error) if error.args else ''
            emit('error', peer=sender, message='OTR error from the peer: ' + detail.strip())
            if self.policy.get('ERROR_START_AKE') and ctx.state != otr.STATE_ENCRYPTED:
                self.send_query(ctx)
        except otr.NotEncryptedError:
            self.network_error(sender, 'encrypted message outside a private conversation')
        except crypt.InvalidParameterError:
            self.network_error(sender, 'unreadable or invalid OTR message')
        except Exception as failure:  # potr raises many types on malformed input
            logging.exception('potr failed on a message from %s', sender)
            self.network_error(sender, 'malformed message (%s)' % type(failure).__name__)
        else:
            if plaintext:
                emit('message', **{'from': sender, 'text': text_of(plaintext), 'encrypted': True})
            self.after_receive(ctx, tlvs)
        for peer in sorted(self.flush_after_receive):
            self.flush_held(self.account.getContext(peer))
        self.flush_after_receive.clear()

    def send_query(self, ctx):
        self.relay.send(ctx.peer, self.account.getDefaultQueryMessage(ctx.getPolicy))

    def flush_held(self, ctx):
        for text in self.held.pop(ctx.peer, []):
            if ctx.state != otr.STATE_ENCRYPTED:
                break
            self.send_text(ctx, text)

    def send_text(self, ctx, text):
        out = ctx.sendMessage(otr.FRAGMENT_SEND_ALL, text.encode('utf-8'))
        if out:
            self.relay.send(ctx.peer, out)

    # ---- commands ----

    def command(self, line):
        """Runs one stdin line; False ends the process."""
        try:
            request = json.loads(line)
        except ValueError:
            emit('error', peer=None, message='not a JSON line')
            return True
        if not isinstance(request, dict) or not isinstance(request.get('cmd'), str):
            emit('error', peer=None, message='a command needs "cmd"')
            return True
        name = request['cmd']
        if name == 'quit':
            return False
        to = request.get('to')
        if not isinstance(to, str):
            emit('error', peer=None, message='"%s" needs "to"' % name)
            return True
        handler = getattr(self, 'cmd_' + name.replace('-', '_'), None) \
            if name in ('send', 'start', 'end', 'smp', 'smp-answer', 'smp-abort', 'trust', 'symkey') else None
        if handler is None:
            emit('error', peer=None, message='unknown command ' + name)
            return True
        try:
            handler(self.account.getContext(to), request)
        except (TypeError, ValueError, UnicodeError) as bad:
            emit('error', peer=to, message='bad %s command: %s' % (name, bad))
        return True

    @staticmethod
    def string(request, key, required=True):
        value = request.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise TypeError('"%s" must be a string' % key)
        value.encode('utf-8')  # lone surrogates raise UnicodeError here
        return value

    def cmd_send(self, ctx, request):
        text = self.string(request, 'text')
        if ctx.state == otr.STATE_FINISHED:
            emit('not-sent', to=ctx.peer, reason='finished')
        elif ctx.state == otr.STATE_PLAINTEXT and self.policy.get('REQUIRE_ENCRYPTION'):
            self.held.setdefault(ctx.peer, []).append(text)
            emit('not-sent', to=ctx.peer, reason='encryption-required')
            self.send_query(ctx)
        else:
            self.send_text(ctx, text)

    def cmd_start(self, ctx, _request):
        self.send_query(ctx)

    def cmd_end(self, ctx, _request):
        if ctx.state == otr.STATE_PLAINTEXT:
            emit('error', peer=ctx.peer, message='no private conversation to end')
            return
        ctx.disconnect()
        emit('insecure', peer=ctx.peer)

    def cmd_smp(self, ctx, request):
        secret = self.string(request, 'secret')
        question = self.string(request, 'question', required=False)
        if ctx.state != otr.STATE_ENCRYPTED:
            emit('smp-aborted', peer=ctx.peer)
            return
        ctx.smpInit(secret.encode('utf-8'),
                    question=None if question is None else question.encode('utf-8'))

    def cmd_smp_answer(self, ctx, request):
        secret = self.string(request, 'secret')
        smp = ctx.crypto.smp
        if ctx.state != otr.STATE_ENCRYPTED or smp is None or smp.state != 0:
            emit('error', peer=ctx.peer, message='no SMP request to answer')
            return
        ctx.smpGotSecret(secret.encode('utf-8'))

    def cmd_smp_abort(self, ctx, _request):
        if ctx.state == otr.STATE_ENCRYPTED:
            ctx.smpAbort()
        emit('smp-aborted', peer=ctx.peer)

    def cmd_trust(self, ctx, _request):
        if ctx.crypto.theirPubkey is None:
            emit('error', peer=ctx.peer, message='no AKE with this peer yet')
            return
        self.trust_current(ctx)

    def cmd_symkey(self, ctx, _request):
        emit('error', peer=ctx.peer, message='symkey needs OTR version 3; potr speaks version 2')

    # ---- main loop ----

    def run(self, flags):
        key = self.account.getPrivkey()  # generated and saved on first use
        self.relay = RelayConnection(flags.relay_host, flags.relay_port, flags.local_port)
        emit('ready', address=self.relay.address, fingerprint=key.cfingerprint())
        pending = b''
        while True:
            stdin_ready, relay_ready = self.relay.wait()
            if relay_ready:
                frames = self.relay.receive()
                if frames is None:
                    print('potr-peer: relay closed the connection', file=sys.stderr)
                    return 1
                for sender, content in frames:
                    self.on_frame(sender, content)
            if stdin_ready:
                chunk = os.read(0, 65536)
                if not chunk:
                    return 0  # end of stdin = quit
                pending += chunk
                while b'\n' in pending:
                    line, pending = pending.split(b'\n', 1)
                    if line.strip() and not self.line(line):
                        return 0
                if len(pending) > MAX_STDIN_LINE:
                    pending = b''
                    emit('error', peer=None, message='stdin line too long')

    def line(self, raw):
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError:
            emit('error', peer=None, message='stdin line is not UTF-8')
            return True
        return self.command(text)


def main(argv):
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format='potr-peer: %(name)s: %(message)s')
    try:
        flags = parse_flags(argv)
    except UsageExit as usage:
        print('potr-peer: %s' % usage, file=sys.stderr)
        return 2
    driver = Driver(flags)
    try:
        return driver.run(flags)
    except ConnectionError as failure:
        print('potr-peer: relay: %s' % failure, file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
