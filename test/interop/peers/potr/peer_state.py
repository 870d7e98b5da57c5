"""The potr peer's state directory: its long-term key and its trust store.

Files (the same --state-dir gives the same identity across runs):
- potr.private_key: potr's own serialisation of the DSA private key
  (`PK.serializePrivateKey()`: key type u16 then the MPIs p, q, g, y, x),
  as lowercase hex on one line; mode 0600.
- otr.fingerprints: the trust store in libotr's text format, one line per
  verified fingerprint: USERNAME TAB ACCOUNT TAB PROTOCOL TAB FINGERPRINT TAB
  TRUST, where USERNAME is the peer's relay address (trust is per address,
  DRIVER.md) and TRUST is "verified".
Both are replaced atomically (write a temporary file, then rename).
"""
import os
import tempfile

from potr.compatcrypto import PK

ACCOUNT = 'peer'
PROTOCOL = 'echo'


class PeerState:
    """Key and trust for one state directory (a fresh temporary one when None)."""

    def __init__(self, directory):
        if directory is None:
            directory = tempfile.mkdtemp(prefix='potr-peer-')
        os.makedirs(directory, mode=0o700, exist_ok=True)
        self.directory = directory
        self.key_path = os.path.join(directory, 'potr.private_key')
        self.trust_path = os.path.join(directory, 'otr.fingerprints')
        self.verified = {}  # peer address -> set of fingerprints (40 lowercase hex)
        self._load_trust()

    def _write(self, path, text, mode=0o600):
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix='.tmp-')
        try:
            with os.fdopen(fd, 'w', encoding='utf-8') as out:
                out.write(text)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def load_key(self):
        """The stored private key, or None when there is none yet."""
        try:
            with open(self.key_path, encoding='ascii') as source:
                data = bytes.fromhex(source.read().strip())
        except FileNotFoundError:
            return None
        key, _rest = PK.parsePrivateKey(data)
        return key

    def save_key(self, key):
        self._write(self.key_path, key.serializePrivateKey().hex() + '\n')

    def _load_trust(self):
        try:
            with open(self.trust_path, encoding='utf-8') as source:
                lines = source.read().splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            fields = line.split('\t')
            if len(fields) != 5 or fields[4] == '':
                continue
            self.verified.setdefault(fields[0], set()).add(fields[3].lower())

    def _save_trust(self):
        lines = []
        for peer in sorted(self.verified):
            for fingerprint in sorted(self.verified[peer]):
                lines.append('\t'.join((peer, ACCOUNT, PROTOCOL, fingerprint, 'verified')))
        self._write(self.trust_path, ''.join(line + '\n' for line in lines))

    def is_verified(self, peer, fingerprint):
        return fingerprint in self.verified.get(peer, ())

    def has_verified(self, peer):
        return bool(self.verified.get(peer))

    def verify(self, peer, fingerprint):
        self.verified.setdefault(peer, set()).add(fingerprint)
        self._save_trust()
