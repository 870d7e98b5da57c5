#!/usr/bin/python3
"""Known-answer vectors for the OTR v3 AKE key derivation (ssid, c, c', m1, m2,
m1', m2' and the extra symmetric key), computed by python-potr's own
AuthKeyExchange.createAuthKeys (Debian python3-potr). Writes akekeys.json."""
import hashlib, json, os
from potr import crypt

cases = []
for i in range(6):
    ake = crypt.AuthKeyExchange.__new__(crypt.AuthKeyExchange)
    ake.dh = crypt.DH.__new__(crypt.DH)
    ake.dh.priv = int(hashlib.sha512(f'x-{i}'.encode()).hexdigest()[:80], 16)
    y = int(hashlib.sha512(f'y-{i}'.encode()).hexdigest()[:80], 16)
    ake.gy = pow(2, y, crypt.DH_MODULUS)
    ake.createAuthKeys()
    cases.append({
        'ourPrivate': format(ake.dh.priv, 'x'),
        'theirPublic': format(ake.gy, 'x'),
        'ssid': ake.sessionId.hex(),
        'c': ake.enc_c.hex(), 'cPrime': ake.enc_cp.hex(),
        'm1': ake.mac_m1.hex(), 'm2': ake.mac_m2.hex(),
        'm1Prime': ake.mac_m1p.hex(), 'm2Prime': ake.mac_m2p.hex(),
        'extraKey': ake.extraKey.hex(),
    })

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, 'akekeys.json'), 'w') as f:
    json.dump(cases, f, indent=2)
    f.write('\n')
