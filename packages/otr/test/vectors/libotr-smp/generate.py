#!/usr/bin/python3
"""Regenerates smp.json: SMP computed by libotr and python-potr, not by us.

1. The SMP secrets x (initiator) and y (responder) for fixed fingerprints,
   SSID and user secrets come from python-potr's SMPHandler.gotSecret
   (Debian python3-potr), which hashes them as the spec says.
2. smp.c (built here against libotr5-dev) runs the whole SMP with libotr's
   otrl_sm_step1..5 on those secrets, with libotr's random exponents made
   reproducible (see smp.c). Every draw, message and verdict is recorded.
3. Each checked value of each message is replaced in turn (boundary values
   of the group and exponent ranges, tampered proofs) and libotr's verdict on
   the altered message is recorded.
4. The value of TLV 7 (question, NUL, message 1) comes from python-potr's
   SMP1QTLV.getPayload.

Usage: /usr/bin/python3 generate.py   (needs gcc, pkg-config, libotr5-dev, python3-potr)
Inputs are fixed, so the output is the same on every run.
"""
import hashlib
import json
import os
import subprocess
import tempfile

from potr import crypt, proto

HERE = os.path.dirname(os.path.abspath(__file__))
P = crypt.DH_MODULUS
Q = crypt.SM_ORDER

FIELDS = {
    1: ["g2a", "c2", "d2", "g3a", "c3", "d3"],
    2: ["g2b", "c2", "d2", "g3b", "c3", "d3", "pb", "qb", "cp", "d5", "d6"],
    3: ["pa", "qa", "cp", "d5", "d6", "ra", "cr", "d7"],
    4: ["rb", "cr", "d7"],
}
# Which step of the receiver checks each message (libotr's function names).
RECEIVER_STEP = {1: "2a", 2: "3", 3: "4", 4: "5"}


def kind_of(name):
    if name.startswith("g") or name in ("pa", "qa", "pb", "qb", "ra", "rb"):
        return "element"
    if name.startswith("d"):
        return "exponent"
    return "hash"


def package_version(name):
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def label_bytes(label, length):
    return hashlib.sha512(label.encode()).digest()[:length]


class Stub:
    """Just enough of potr's context and crypto objects for SMPHandler.gotSecret."""

    def __init__(self, our_fp, their_fp, ssid):
        self.sent = []
        key = lambda fp: type("Key", (), {"fingerprint": lambda self: fp})()
        self.ctx = type("Ctx", (), {})()
        self.ctx.user = type("User", (), {"getPrivkey": lambda self: key(our_fp)})()
        self.ctx.sendInternal = lambda msg, tlvs=None, appdata=None: self.sent.extend(tlvs or [])
        self.theirPubkey = key(their_fp)
        self.sessionId = ssid


def potr_secret(our_fp, their_fp, ssid, secret, initiating):
    """The combined secret potr computes in gotSecret, as 32 bytes."""
    handler = crypt.SMPHandler(Stub(our_fp, their_fp, ssid))
    if not initiating:
        # gotSecret answers when a message 1 was handled (state 0); the
        # generators only feed the message it sends, which is not used here.
        handler.state, handler.g2, handler.g3, handler.x2, handler.x3 = 0, 4, 4, 5, 5
    handler.gotSecret(secret)
    return handler.secret.to_bytes(32, "big")


def mpis(payload):
    count = int.from_bytes(payload[:4], "big")
    values, offset = [], 4
    for _ in range(count):
        length = int.from_bytes(payload[offset:offset + 4], "big")
        values.append(int.from_bytes(payload[offset + 4:offset + 4 + length], "big"))
        offset += 4 + length
    assert offset == len(payload)
    return values


def encode(values):
    out = len(values).to_bytes(4, "big")
    for value in values:
        body = value.to_bytes((value.bit_length() + 7) // 8, "big")
        out += len(body).to_bytes(4, "big") + body
    return out


def replacements(kind, original):
    if kind == "element":
        return [("0", 0), ("1", 1), ("2", 2), ("p-2", P - 2), ("p-1", P - 1), ("p", P), ("tampered", original ^ 1)]
    if kind == "exponent":
        tampered = original ^ 1 if 1 <= original ^ 1 < Q else original + 2
        return [("0", 0), ("1", 1), ("q-1", Q - 1), ("q", Q), ("tampered", tampered)]
    return [("0", 0), ("tampered", original ^ 1)]


def crafted_message1(base_values):
    """Message 1 whose g2a = -g1^a2 lies outside the order-q subgroup, with a
    proof of knowledge that libotr's check accepts: with c even,
    g1^D g2a^c = g1^r, so c = h(1, g1^D g2a^c) holds."""
    a2 = int.from_bytes(label_bytes("crafted a2", 64), "big")
    for attempt in range(1000):
        r = int.from_bytes(label_bytes(f"crafted r {attempt}", 64), "big")
        gr = pow(2, r, P)
        body = gr.to_bytes((gr.bit_length() + 7) // 8, "big")
        c = int.from_bytes(hashlib.sha256(b"\x01" + len(body).to_bytes(4, "big") + body).digest(), "big")
        if c % 2 == 0:
            break
    d = (r - a2 * c) % Q
    g2a = P - pow(2, a2, P)
    assert pow(2, d, P) * pow(g2a, c, P) % P == gr and pow(g2a, Q, P) != 1
    return encode([g2a, c, d] + base_values[3:])


def main():
    fp_alice, fp_bob, ssid = label_bytes("fingerprint alice", 20), label_bytes("fingerprint bob", 20), label_bytes("ssid", 8)
    secret_cases = [
        ("equal", "blue whale", "blue whale"),
        ("different", "one", "two"),
        ("non-ascii", "Grüße, 世界", "Grüße, 世界"),
    ]
    secrets = []
    for label, alice_secret, bob_secret in secret_cases:
        a, b = alice_secret.encode("utf-8"), bob_secret.encode("utf-8")
        secrets.append({
            "label": label,
            "initiatorFingerprint": fp_alice.hex(),
            "responderFingerprint": fp_bob.hex(),
            "ssid": ssid.hex(),
            "initiatorSecret": alice_secret,
            "responderSecret": bob_secret,
            "x": potr_secret(fp_alice, fp_bob, ssid, a, True).hex(),
            "y": potr_secret(fp_bob, fp_alice, ssid, b, False).hex(),
        })

    with tempfile.TemporaryDirectory() as workdir:
        binary = os.path.join(workdir, "smp")
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libotr"], capture_output=True, text=True, check=True).stdout.split()
        subprocess.run(["gcc", "-O1", "-Wall", "-Wextra", "-Werror", "-rdynamic", "-o", binary, os.path.join(HERE, "smp.c"), *flags, "-lgcrypt"], check=True)

        def run(lines):
            out = subprocess.run([binary], input="".join(line + "\n" for line in lines), capture_output=True, text=True, check=True).stdout
            return [json.loads(line) for line in out.splitlines()]

        runs = []
        base_lines = []
        for entry in secrets:
            seed = f"smp {entry['label']}".encode().hex()
            base_lines.append(f"{entry['label']} {seed} {entry['x']} {entry['y']} 0 -")
        for entry, result in zip(secrets, run(base_lines)):
            result["secrets"] = entry["label"]
            result["seed"] = f"smp {entry['label']}".encode().hex()
            runs.append(result)

        base = runs[0]
        assert [s["prog"] for s in base["steps"] if s["step"] in ("4", "5")] == ["succeeded", "succeeded"]
        sent = {int(s["step"][0]): bytes.fromhex(s["sent"]) for s in base["steps"] if "sent" in s}
        cases, lines = [], []
        for message, names in FIELDS.items():
            values = mpis(sent[message])
            for index, name in enumerate(names):
                for value_label, value in replacements(kind_of(name), values[index]):
                    altered = list(values)
                    altered[index] = value
                    payload = encode(altered)
                    label = f"m{message}-{name}-{value_label}"
                    cases.append({"label": label, "message": message, "index": index, "field": name, "kind": kind_of(name),
                                  "value": value_label, "valueHex": format(value, "x"),
                                  "inSubgroup": 2 <= value <= P - 2 and pow(value, Q, P) == 1,
                                  "payloadSha256": hashlib.sha256(payload).hexdigest()})
                    lines.append(f"{label} {base['seed']} {secrets[0]['x']} {secrets[0]['y']} {message} {payload.hex()}")
        crafted = crafted_message1(mpis(sent[1]))
        cases.append({"label": "m1-g2a-outside-subgroup", "message": 1, "index": 0, "field": "g2a", "kind": "element",
                      "value": "-g1^a2 with a proof that passes", "inSubgroup": False,
                      "payloadHex": crafted.hex(), "payloadSha256": hashlib.sha256(crafted).hexdigest()})
        lines.append(f"m1-g2a-outside-subgroup {base['seed']} {secrets[0]['x']} {secrets[0]['y']} 1 {crafted.hex()}")
        for case, result in zip(cases, run(lines)):
            step = next(s for s in result["steps"] if s["step"] == RECEIVER_STEP[case["message"]])
            assert hashlib.sha256(bytes.fromhex(step["received"])).hexdigest() == case["payloadSha256"]
            assert result["draws"] == base["draws"][:len(result["draws"])]
            case["libotr"] = {"step": step["step"], "error": step["error"], "prog": step["prog"]}

    questions = []
    message1 = mpis(sent[1])
    for question in ["What is our favourite animal?", "Grüße? 世界", ""]:
        tlv = proto.SMP1QTLV(question.encode("utf-8"), message1)
        questions.append({"question": question, "message1": sent[1].hex(), "tlvValue": tlv.getPayload().hex()})

    document = {
        "description": "SMP of OTR v2/v3 as libotr computes it (otrl_sm_step1..5 with reproducible random exponents), "
                       "secrets and TLV 7 values as python-potr computes them; see README.md",
        "packages": {name: package_version(name) for name in ["libotr5-dev", "libgcrypt20", "python3-potr"]},
        "command": "/usr/bin/python3 generate.py",
        "modulus": format(P, "x"),
        "order": format(Q, "x"),
        "secrets": secrets,
        "runs": runs,
        "tampered": {"base": base["label"], "cases": cases},
        "questions": questions,
    }
    with open(os.path.join(HERE, "smp.json"), "w") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
