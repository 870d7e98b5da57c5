"""Compatibility shim for Debian's python3-potr 1.0.2 with the packaged
pycryptodome (Cryptodome 3.x). potr was written for PyCrypto; three of its
primitives break on pycryptodome, and only those are replaced here, with
pycryptodome calls that compute the same values:

- DSA key generation: pycryptodome keys expose p, q, g, y, x directly
  (PyCrypto had them under `.key`).
- DSA signing and verification: pycryptodome has no raw `sign(M, K)`; its
  `_sign`/`_verify` take the message as an integer, which is what PyCrypto did
  with the 32-byte value potr passes (no truncation, as libotr).
- AES-CTR: pycryptodome does not accept a callable counter; the counter potr
  builds (8-byte prefix, 8-byte block counter) maps to nonce and initial_value.
Everything else (the protocol, SMP, hashes) is potr's own code, untouched."""
from Cryptodome.Cipher import AES
from Cryptodome.PublicKey import DSA

import potr.compatcrypto.pycrypto as pycrypto
import potr.crypt
from potr.utils import bytes_to_long, long_to_bytes


def _generate(cls):
    key = DSA.generate(1024)
    return cls((key.y, key.g, key.p, key.q, key.x), private=True)


def _sign(self, data):
    k = pycrypto.randrange(2, self.priv.q)
    r, s = self.priv._sign(bytes_to_long(data), k)
    return long_to_bytes(r, 20) + long_to_bytes(s, 20)


def _verify(self, data, sig):
    r, s = bytes_to_long(sig[:20]), bytes_to_long(sig[20:])
    return self.pub._verify(bytes_to_long(data), (r, s))


def _aesctr(key, counter=0):
    if not isinstance(counter, pycrypto.Counter):
        counter = pycrypto.Counter(counter)
    return AES.new(key, AES.MODE_CTR, nonce=counter.byteprefix(), initial_value=counter.val)


def install():
    pycrypto.DSAKey.generate = classmethod(_generate)
    pycrypto.DSAKey.sign = _sign
    pycrypto.DSAKey.verify = _verify
    pycrypto.AESCTR = _aesctr
    potr.crypt.AESCTR = _aesctr
