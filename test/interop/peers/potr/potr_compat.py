"""Compatibility shim: python3-potr 1.0.2 on Debian's pycryptodome 3.x.

Debian's python3-potr (potr/compatcrypto/pycrypto.py) is written against the
old PyCrypto API, but Debian ships it on top of pycryptodome (`Cryptodome`),
where three things potr relies on no longer work:

1. Key generation: `DSAKey.generate` reads `privkey.key.y` etc.; pycryptodome's
   `DsaKey` has no `.key` attribute (AttributeError: key).
2. DSA signing and verification: `DsaKey.sign(data, K)` and
   `DsaKey.verify(data, (r, s))` only raise NotImplementedError in
   pycryptodome (it wants `Crypto.Signature.DSS`).
3. AES-CTR: `AES.new(key, MODE_CTR, counter=callable)` is refused; pycryptodome
   takes a nonce and an initial counter value instead.

This module replaces exactly those three primitives with pycryptodome calls
and leaves the rest of potr (AKE, SMP, data messages, fragmentation) untouched.

Why `DsaKey._sign` / `_verify` and not `DSS`: OTR v2 signs the 32-byte
SHA256-HMAC value as a plain integer (libotr hands it to libgcrypt as a raw
MPI, which reduces it modulo q), exactly what PyCrypto's `sign(M, K)` did.
`DSS` (FIPS 186-3) instead truncates the hash to the leftmost 160 bits, which
would not interoperate. `_sign(m, k)` / `_verify(m, (r, s))` are the
pycryptodome primitives that compute the textbook DSA over the integer m.

Import this module before using potr; `install()` is idempotent.
"""
from numbers import Number

import potr  # noqa: F401  (loads potr.context and potr.crypt, which bind AESCTR by name)
import potr.compatcrypto
import potr.crypt
from potr.compatcrypto import pycrypto as _potr_pycrypto
from potr.utils import bytes_to_long, long_to_bytes

from Cryptodome.Cipher import AES
from Cryptodome.PublicKey import DSA
import Cryptodome.Random.random

_installed = False


def _generate(cls):
    """A fresh 1024-bit DSA key (OTR v2/v3 long-term keys are 1024/160 DSA)."""
    key = DSA.generate(1024)
    return cls((key.y, key.g, key.p, key.q, key.x), private=True)


def _sign(self, data):
    """DSA signature over `data` read as a big-endian integer; r and s as 20 bytes each."""
    # 2 <= K < q, as potr's original code chose it.
    k = Cryptodome.Random.random.randrange(2, self.priv.q)
    r, s = self.priv._sign(bytes_to_long(data), k)
    return long_to_bytes(r, 20) + long_to_bytes(s, 20)


def _verify(self, data, sig):
    """Checks a 40-byte (r, s) signature over `data` read as an integer."""
    if len(sig) != 40:
        return False
    r, s = bytes_to_long(sig[:20]), bytes_to_long(sig[20:])
    return bool(self.pub._verify(bytes_to_long(data), (r, s)))


def AESCTR(key, counter=0):
    """AES in counter mode with OTR's counter block: 8-byte top half, 8-byte block counter.

    potr passes either 0 (AKE: counter block 0) or its `Counter` object, whose
    `prefix` is the message's top half (ctr) and `val` the block counter.
    """
    if isinstance(counter, Number):
        counter = _potr_pycrypto.Counter(counter)
    if not isinstance(counter, _potr_pycrypto.Counter):
        raise TypeError('counter must be a number or a potr Counter')
    return AES.new(key, AES.MODE_CTR, nonce=counter.byteprefix(),
                   initial_value=counter.val)


def install():
    """Patches potr in place (once)."""
    global _installed
    if _installed:
        return
    dsa_key = _potr_pycrypto.DSAKey
    dsa_key.generate = classmethod(_generate)
    dsa_key.sign = _sign
    dsa_key.verify = _verify
    # potr.crypt and potr.compatcrypto imported AESCTR by name: replace every binding.
    for module in (_potr_pycrypto, potr.compatcrypto, potr.crypt):
        module.AESCTR = AESCTR
    _installed = True
