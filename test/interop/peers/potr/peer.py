#!/usr/bin/python3
"""A driver-protocol peer (shared/interop/DRIVER.md) on python-potr 1.0.2
(Debian python3-potr), an independent OTR version 2 implementation used in
sotto's interop tests. Run with /usr/bin/python3. See README.md for potr's
deviations from the spec and the pycryptodome shim."""
import json
import os
import selectors
import socket
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import potr_compat  # noqa: E402

potr_compat.install()
import potr  # noqa: E402
from potr import proto  # noqa: E402
from potr.context import (STATE_ENCRYPTED, STATE_FINISHED, STATE_PLAINTEXT, FRAGMENT_SEND_ALL,  # noqa: E402
                          ErrorReceived, NotEncryptedError, NotOTRMessage, UnencryptedMessage)
from potr.crypt import SMPPROG_CHEATED, SMPPROG_FAILED, SMPPROG_SUCCEEDED  # noqa: E402

out = sys.stdout


def emit(**event):
    out.write(json.dumps(event, ensure_ascii=False) + '\n')
    out.flush()


def usage_exit(why):
    sys.stderr.write('potr-peer: ' + why + '\n')
    sys.exit(2)


class Peer:
    def __init__(self, args):
        self.policy_name = args['policy']
        self.max_size = args['max_size']
        self.state_dir = args['state_dir']
        self.sock = None
        self.address = ''
        self.trust_file = os.path.join(self.state_dir, 'trust.json')
        self.trust = json.load(open(self.trust_file)) if os.path.exists(self.trust_file) else {}
        self.account = Account(self)

    def policy(self, key):
        name = self.policy_name
        return {
            'ALLOW_V1': False,
            'ALLOW_V2': True,
            'REQUIRE_ENCRYPTION': name == 'always',
            'SEND_TAG': name != 'manual',
            'WHITESPACE_START_AKE': name != 'manual',
            'ERROR_START_AKE': name != 'manual',
        }.get(key, False)

    # ---- trust, per peer address ----
    def trusted(self, peer, fp):
        return fp in self.trust.get(peer, [])

    def set_trusted(self, peer, fp):
        self.trust.setdefault(peer, [])
        if fp not in self.trust[peer]:
            self.trust[peer].append(fp)
        tmp = self.trust_file + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(self.trust, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.trust_file)
        emit(event='trusted', peer=peer, fingerprint=fp)

    # ---- relay ----
    def relay_send(self, to, data):
        if isinstance(data, str):
            data = data.encode('utf-8')
        if not data:
            return
        to_b = to.encode('utf-8')
        self.sock.sendall(struct.pack('!I', len(to_b)) + to_b + struct.pack('!I', len(data)) + data)

    def context(self, peer):
        return self.account.getContext(peer)

    # ---- events from potr ----
    def went_secure(self, ctx):
        fp = ctx.crypto.theirPubkey.cfingerprint()
        trusted = self.trusted(ctx.peer, fp)
        if not trusted and self.trust.get(ctx.peer):
            emit(event='fingerprint-changed', peer=ctx.peer, fingerprint=fp)
        emit(event='secure', peer=ctx.peer, version=2, fingerprint=fp, ssid=ctx.crypto.sessionId.hex(), trusted=trusted)

    def receive(self, sender, data):
        ctx = self.context(sender)
        smp_before = ctx.crypto.smp.state if ctx.crypto.smp else 1
        try:
            text, tlvs = ctx.receiveMessage(data)
        except UnencryptedMessage as e:
            emit(event='message', **{'from': sender}, text=self.text(e.args[0]), encrypted=False)
            return
        except NotOTRMessage as e:
            if data.startswith((b'?OTR,', b'?OTR|')) or b'?OTR:' in data:
                # potr hands back OTR messages it cannot parse (v3, garbage) as
                # "not OTR"; an OTR message is never shown as text.
                sys.stderr.write('potr-peer: unreadable OTR message from %s\n' % sender)
                return
            shown = self.text(e.args[0])
            if shown:
                emit(event='message', **{'from': sender}, text=shown, encrypted=False)
            return
        except ErrorReceived as e:
            emit(event='error', peer=sender, message='the peer reported an OTR error: ' + self.text(bytes(e.args[0].error) if hasattr(e.args[0], 'error') else b''))
            if self.policy('ERROR_START_AKE'):
                self.relay_send(sender, self.account.getDefaultQueryMessage(self.policy))
            return
        except NotEncryptedError:
            emit(event='error', peer=sender, message='unreadable encrypted message')
            return
        except Exception as e:  # keep running after any malformed input
            sys.stderr.write('potr-peer: error handling a message: %r\n' % (e,))
            return
        if text:
            emit(event='message', **{'from': sender}, text=self.text(text), encrypted=True)
        for tlv in tlvs or []:
            self.handle_tlv(ctx, tlv, smp_before)

    def handle_tlv(self, ctx, tlv, smp_before):
        smp = ctx.crypto.smp
        if isinstance(tlv, proto.DisconnectTLV):
            emit(event='finished', peer=ctx.peer)
        elif isinstance(tlv, proto.SMPABORTTLV):
            emit(event='smp-aborted', peer=ctx.peer)
        elif isinstance(tlv, (proto.SMP1TLV, proto.SMP1QTLV)):
            if smp is not None and smp.state == 0:
                question = self.text(tlv.msg) if isinstance(tlv, proto.SMP1QTLV) else None
                emit(event='smp-request', peer=ctx.peer, question=question)
            else:
                emit(event='smp-aborted', peer=ctx.peer)  # potr answered with an abort
        elif isinstance(tlv, proto.SMP2TLV):
            if smp is None or smp.prog == SMPPROG_CHEATED:
                emit(event='smp-aborted', peer=ctx.peer)  # out of order or invalid: potr aborted
        elif isinstance(tlv, (proto.SMP3TLV, proto.SMP4TLV)):
            if smp is None or smp.prog == SMPPROG_CHEATED:
                emit(event='smp-aborted', peer=ctx.peer)
            elif smp.prog in (SMPPROG_SUCCEEDED, SMPPROG_FAILED):
                success = smp.prog == SMPPROG_SUCCEEDED
                emit(event='smp-result', peer=ctx.peer, success=success)
                if success:
                    self.set_trusted(ctx.peer, ctx.crypto.theirPubkey.cfingerprint())
        elif isinstance(tlv, proto.ExtraKeyTLV):
            pass

    @staticmethod
    def text(data):
        if isinstance(data, bytes):
            return data.decode('utf-8', 'replace')
        return str(data)

    # ---- commands ----
    def command(self, line):
        try:
            return self.run_command(line)
        except Exception as e:  # malformed input never ends the process
            emit(event='error', peer=None, message='bad command: %r' % (e,))
            return True

    def run_command(self, line):
        try:
            cmd = json.loads(line)
            if not isinstance(cmd, dict):
                raise ValueError
        except ValueError:
            emit(event='error', peer=None, message='bad command line')
            return True
        name, to = cmd.get('cmd'), cmd.get('to')
        if name == 'quit':
            return False
        if not isinstance(to, str):
            emit(event='error', peer=None, message='missing to')
            return True
        ctx = self.context(to)
        if name == 'send':
            text = cmd.get('text')
            if not isinstance(text, str):
                emit(event='error', peer=to, message='send needs a text')
                return True
            if ctx.state == STATE_PLAINTEXT and self.policy('REQUIRE_ENCRYPTION'):
                emit(event='not-sent', to=to, reason='encryption-required')
            try:
                msg = ctx.sendMessage(FRAGMENT_SEND_ALL, text.encode('utf-8'))
                if msg:
                    self.relay_send(to, msg)
            except NotEncryptedError:
                emit(event='not-sent', to=to, reason='finished')
        elif name == 'start':
            self.relay_send(to, self.account.getDefaultQueryMessage(self.policy))
        elif name == 'end':
            if ctx.state == STATE_PLAINTEXT:
                emit(event='error', peer=to, message='no private conversation to end')
            else:
                ctx.disconnect()
                emit(event='insecure', peer=to)
        elif name == 'smp':
            if ctx.state != STATE_ENCRYPTED or not isinstance(cmd.get('secret'), str):
                emit(event='smp-aborted', peer=to)
            else:
                q = cmd.get('question')
                ctx.smpInit(cmd['secret'].encode('utf-8'), question=q.encode('utf-8') if isinstance(q, str) else None)
        elif name == 'smp-answer':
            if ctx.state != STATE_ENCRYPTED or not ctx.crypto.smp or ctx.crypto.smp.state != 0:
                emit(event='error', peer=to, message='nothing to answer')
            else:
                ctx.smpGotSecret(cmd.get('secret', '').encode('utf-8'))
        elif name == 'smp-abort':
            if ctx.state == STATE_ENCRYPTED:
                ctx.smpAbort()
            emit(event='smp-aborted', peer=to)
        elif name == 'trust':
            if ctx.crypto.theirPubkey is None:
                emit(event='error', peer=to, message='no fingerprint to trust')
            else:
                self.set_trusted(to, ctx.crypto.theirPubkey.cfingerprint())
        elif name == 'symkey':
            emit(event='error', peer=to, message='the extra symmetric key needs OTR version 3')
        else:
            emit(event='error', peer=None, message='unknown command')
        return True


class Context(potr.context.Context):
    def __init__(self, account, peername):
        super().__init__(account, peername)
        self.peer_app = account.peer_app

    def getPolicy(self, key):
        return self.peer_app.policy(key)

    def inject(self, msg, appdata=None):
        self.peer_app.relay_send(self.peer, msg)

    def handleQuery(self, message, appdata=None):
        # potr starts the AKE on every whitespace tag; the manual policy must not.
        if isinstance(message, proto.TaggedPlaintext) and not self.getPolicy('WHITESPACE_START_AKE'):
            return
        super().handleQuery(message, appdata=appdata)

    def setState(self, newstate):
        old = self.state
        super().setState(newstate)
        if newstate == STATE_ENCRYPTED:
            self.peer_app.went_secure(self)
        del old


class Account(potr.context.Account):
    contextclass = Context

    def __init__(self, peer_app):
        self.peer_app = peer_app
        self.keyfile = os.path.join(peer_app.state_dir, 'potr.key')
        super().__init__('peer', 'echo', peer_app.max_size)

    def loadPrivkey(self):
        if os.path.exists(self.keyfile):
            with open(self.keyfile, 'rb') as f:
                return potr.crypt.PK.parsePrivateKey(f.read())[0]
        return None

    def savePrivkey(self):
        tmp = self.keyfile + '.tmp'
        with open(tmp, 'wb') as f:
            f.write(self.getPrivkey().serializePrivateKey())
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.keyfile)

    def saveTrusts(self):
        pass


def parse_args(argv):
    args = {'relay': None, 'policy': 'opportunistic', 'max_size': 0, 'state_dir': None, 'local_port': None}
    i = 0
    while i < len(argv):
        a = argv[i]
        if i + 1 >= len(argv):
            usage_exit('option needs a value: ' + a)
        v = argv[i + 1]
        i += 2
        if a == '--relay':
            args['relay'] = v
        elif a == '--policy':
            if v not in ('manual', 'opportunistic', 'always'):
                usage_exit('bad --policy')
            args['policy'] = v
        elif a == '--versions':
            parts = v.split(',')
            if not v or not all(p.isdigit() for p in parts):
                usage_exit('bad --versions')
            if '2' not in parts:
                usage_exit('python-potr speaks OTR version 2 only')
        elif a == '--max-message-size':
            if not v.isdigit() or 1 <= int(v) <= 63:
                usage_exit('bad --max-message-size')
            args['max_size'] = int(v)
        elif a == '--state-dir':
            args['state_dir'] = v
        elif a == '--local-port':
            if not v.isdigit() or not 0 < int(v) < 65536:
                usage_exit('bad --local-port')
            args['local_port'] = int(v)
        else:
            usage_exit('unknown option ' + a)
    if not args['relay']:
        usage_exit('--relay HOST:PORT is required')
    host, _, port = args['relay'].rpartition(':')
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        usage_exit('bad --relay')
    if args['state_dir'] is None:
        args['state_dir'] = tempfile.mkdtemp(prefix='potr-peer-')
    os.makedirs(args['state_dir'], mode=0o700, exist_ok=True)
    return args


def connect(host, port, local_port):
    deadline = time.time() + 10
    while True:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            if local_port:
                s.bind((host, local_port))
            s.connect((host, port))
            return s
        except OSError:
            s.close()
            if not local_port or time.time() > deadline:
                raise
            time.sleep(0.2)


def main():
    args = parse_args(sys.argv[1:])
    peer = Peer(args)
    host, port = args['relay'].rsplit(':', 1)
    peer.sock = connect(host, int(port), args['local_port'])
    me = peer.sock.getsockname()
    peer.address = '%s:%d' % (me[0], me[1])
    emit(event='ready', address=peer.address, fingerprint=peer.account.getPrivkey().cfingerprint())
    sel = selectors.DefaultSelector()
    sel.register(sys.stdin, selectors.EVENT_READ, 'stdin')
    sel.register(peer.sock, selectors.EVENT_READ, 'relay')
    netbuf = b''
    inbuf = b''
    while True:
        for key, _ in sel.select():
            if key.data == 'stdin':
                chunk = os.read(sys.stdin.fileno(), 65536)
                if not chunk:
                    return 0
                inbuf += chunk
                while b'\n' in inbuf:
                    line, inbuf = inbuf.split(b'\n', 1)
                    if line.strip() and not peer.command(line.decode('utf-8', 'replace')):
                        return 0
            else:
                chunk = peer.sock.recv(65536)
                if not chunk:
                    sys.stderr.write('potr-peer: relay closed\n')
                    return 0
                netbuf += chunk
                while len(netbuf) >= 4:
                    alen = struct.unpack('!I', netbuf[:4])[0]
                    if len(netbuf) < 8 + alen:
                        break
                    clen = struct.unpack('!I', netbuf[4 + alen:8 + alen])[0]
                    if len(netbuf) < 8 + alen + clen:
                        break
                    sender = netbuf[4:4 + alen].decode('utf-8')
                    content = netbuf[8 + alen:8 + alen + clen]
                    netbuf = netbuf[8 + alen + clen:]
                    peer.receive(sender, content)


if __name__ == '__main__':
    sys.exit(main())
