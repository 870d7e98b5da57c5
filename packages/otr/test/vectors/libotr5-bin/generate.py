#!/usr/bin/python3
"""Known-answer vectors for OTR v3 data-message keys, computed by libotr's own
tools from Debian's libotr5-bin: otr_sesskeys (our public key and the sending
and receiving AES and MAC keys for a DH private key and a peer public key) and
otr_mackey (the MAC key of an AES key). Writes sesskeys.json next to this file.
Besides eight random cases it covers the edges of MPI encoding and of the
legal range: a shared secret and our public value one byte short of 192
bytes, and their public value at 2 and p-2. Each case also keeps the v1
session id otr_sesskeys prints, SHA-1(0x00 || MPI(s)).
Inputs are fixed, so the output is reproducible."""
import hashlib, json, os, re, subprocess

P = int('FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD'
        'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
        'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F'
        '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF', 16)

def private(label):
    # 40-byte exponents derived from a label, so the inputs are fixed.
    return hashlib.sha512(label.encode()).hexdigest()[:80]

def field(name, text):
    match = re.search(name + r':\s*([0-9a-f]+)', text)
    return match.group(1)

def even_hex(value):
    text = format(value, 'x')
    return text if len(text) % 2 == 0 else '0' + text


def case(ours, their_public, note=None):
    out = subprocess.run(['otr_sesskeys', ours, even_hex(their_public)], capture_output=True, text=True, check=True).stdout
    result = {'note': note} if note else {}
    result.update({
        'ourPrivate': ours,
        'theirPublic': even_hex(their_public),
        'high': 'high end' in out,
        'ourPublic': field('Our public key', out),
        'sessionId': field('Session id', out),
        'sendingAesKey': field('Sending   AES key', out),
        'sendingMacKey': field('Sending   MAC key', out),
        'receivingAesKey': field('Receiving AES key', out),
        'receivingMacKey': field('Receiving MAC key', out),
    })
    mac = subprocess.run(['otr_mackey', result['sendingAesKey']], capture_output=True, text=True, check=True).stdout
    result['otrMackeyOfSendingAesKey'] = re.search(r'([0-9a-f]{40})', mac).group(1)
    return result


def first(labels, accept):
    """The first label-derived exponent for which accept(x) holds."""
    for i in range(100000):
        x = private(f'{labels}-{i}')
        if accept(int(x, 16)):
            return x
    raise RuntimeError('no exponent found')


SHORT = 1 << (8 * 191)  # values below this have a 191-byte MPI
cases = []
for i in range(8):
    ours = private(f'ours-{i}')
    theirs = private(f'theirs-{i}')
    cases.append(case(ours, pow(2, int(theirs, 16), P)))

their_x = int(private('theirs-edges'), 16)
their_public = pow(2, their_x, P)
ours = first('short-secret', lambda x: pow(their_public, x, P) < SHORT)
cases.append(case(ours, their_public, 'shared secret with a leading zero byte (191-byte MPI)'))
ours = first('short-public', lambda x: pow(2, x, P) < SHORT)
cases.append(case(ours, their_public, 'our public value with a leading zero byte (191-byte MPI)'))
ours = private('ours-edges')
cases.append(case(ours, 2, 'their public value 2, the smallest legal one'))
cases.append(case(ours, P - 2, 'their public value p-2, the largest legal one'))

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, 'sesskeys.json'), 'w') as f:
    json.dump(cases, f, indent=2)
    f.write('\n')
