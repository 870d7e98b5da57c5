#!/usr/bin/python3
"""Known-answer vectors for the OTRv4 primitives, from implementations other
than OpenSSL (which our code uses):

- shake256.json: SHAKE-256 outputs computed by pycryptodome's own Keccak
  (Debian python3-pycryptodome, Cryptodome.Hash.SHAKE256), for plain
  messages and for OTRv4's KDF input "OTRv4" || usage_ID || values.
- chacha20.json: the RFC 7539 (now RFC 8439) ChaCha20 vectors as pycryptodome
  ships them in its self-test (Cryptodome/SelfTest/Cipher/test_ChaCha20.py,
  test_rfc7539), each checked here by pycryptodome's own ChaCha20.
- dh3072.json: 2^x and (g^y)^x mod the RFC 3526 3072-bit prime with Python's
  built-in pow, and Python's verdict x^q == 1 on edge values.

Inputs are derived from labels with SHA-512, so a rerun reproduces the files.
"""
import hashlib, inspect, json, os
from Cryptodome.Hash import SHAKE256
from Cryptodome.Cipher import ChaCha20
from Cryptodome.SelfTest.Cipher import test_ChaCha20

here = os.path.dirname(os.path.abspath(__file__))


def label(text, n):
    out = b''
    i = 0
    while len(out) < n:
        out += hashlib.sha512(f'{text}-{i}'.encode()).digest()
        i += 1
    return out[:n]


def shake(data, n):
    return SHAKE256.new(data=data).read(n)


def write(name, value):
    with open(os.path.join(here, name), 'w') as f:
        json.dump(value, f, indent=2)
        f.write('\n')


# SHAKE-256 of plain messages (the empty message and "abc" are FIPS 202's usual examples).
plain = [(b'', 64), (b'abc', 64), (b'', 114), (label('shake-200', 200), 57), (label('shake-137', 137), 300)]
# KDF(usage_ID || values, size) = SHAKE-256("OTRv4" || usage_ID || values, size).
kdf = [(0x00, [label('H', 57), label('F', 57)], 56), (0x01, [label('k_dh', 384)], 32), (0x02, [label('brace', 32)], 32),
       (0x15, [label('chain', 64)], 64), (0x16, [label('mkenc', 64)], 64), (0x1a, [label('auth', 500)], 57)]
write('shake256.json', {
    'plain': [{'message': m.hex(), 'size': n, 'output': shake(m, n).hex()} for m, n in plain],
    'kdf': [{'usage': u, 'values': [v.hex() for v in vs], 'size': n, 'output': shake(b'OTRv4' + bytes([u]) + b''.join(vs), n).hex()}
            for u, vs, n in kdf],
})

# RFC 7539 vectors from pycryptodome's self-test source: key, nonce, block counter, plaintext, ciphertext.
source = inspect.getsource(test_ChaCha20)
start = source.index('def test_rfc7539')
tvs_text = source[source.index('tvs = [', start) + len('tvs = '):]
# The list is literals and string repetitions ("00"*32): evaluate it with no names available.
tvs = eval(tvs_text[:tvs_text.index(']\n') + 1], {'__builtins__': {}})
chacha = []
for key, nonce, counter, plaintext, ciphertext in tvs:
    cipher = ChaCha20.new(key=bytes.fromhex(key), nonce=bytes.fromhex(nonce))
    cipher.seek(counter * 64)
    assert cipher.encrypt(bytes.fromhex(plaintext)).hex() == ciphertext
    chacha.append({'key': key, 'nonce': nonce, 'counter': counter, 'plaintext': plaintext, 'ciphertext': ciphertext})
write('chacha20.json', {'source': 'RFC 7539 appendix A.2, via pycryptodome test_ChaCha20.test_rfc7539', 'cases': chacha})

P = int(
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD'
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F'
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B'
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510'
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7'
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C'
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF', 16)
Q = (P - 1) // 2
dh = []
for i in range(3):
    x = int.from_bytes(label(f'dh-x-{i}', 80), 'big')
    y = int.from_bytes(label(f'dh-y-{i}', 80), 'big')
    gy = pow(2, y, P)
    dh.append({'ourPrivate': format(x, 'x'), 'ourPublic': format(pow(2, x, P), 'x'), 'theirPublic': format(gy, 'x'),
               'shared': format(pow(gy, x, P), 'x')})
edges = [2, 3, 4, P - 3, P - 2, int.from_bytes(label('dh-any', 383), 'big'), pow(2, int.from_bytes(label('dh-sub', 80), 'big'), P)]
write('dh3072.json', {
    'prime': format(P, 'x'),
    'exchanges': dh,
    'subgroup': [{'value': format(v, 'x'), 'inSubgroup': pow(v, Q, P) == 1} for v in edges],
})
