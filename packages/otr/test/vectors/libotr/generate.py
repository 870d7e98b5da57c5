#!/usr/bin/python3
"""Regenerates transcript.json: real libotr wire traffic plus otr_parse's view of it.

1. Builds transcript.c against the installed libotr (gcc, pkg-config).
2. Runs it for each scenario ("v3", "v2", "tag"); it prints JSON lines.
3. Runs libotr5-bin's otr_parse on every complete encoded message (an
   unfragmented "?OTR:" text, or the message libotr itself reassembled from
   fragments) and attaches the fields otr_parse printed.

Usage: /usr/bin/python3 generate.py   (needs gcc, pkg-config, libotr5-dev, libotr5-bin)
The output is random (fresh DSA keys, DH values); tests read the committed file.
"""
import json
import os
import re
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = ["v3", "v2", "tag"]
FIELD = re.compile(r"^(\t+)([^:]+):\s?(.*)$")


def package_version(name):
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def build(workdir):
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libotr"], capture_output=True, text=True, check=True).stdout.split()
    binary = os.path.join(workdir, "transcript")
    subprocess.run(["gcc", "-O1", "-Wall", "-Wextra", "-o", binary, os.path.join(HERE, "transcript.c"), *flags, "-lgcrypt"], check=True)
    return binary


def otr_parse(text):
    """Runs otr_parse on one encoded message; returns {"message": title, "fields": {...}}."""
    out = subprocess.run(["otr_parse"], input=text, capture_output=True, text=True, check=True).stdout
    lines = [line for line in out.split("\n") if line.strip()]
    if not lines:
        return {"message": None, "fields": {}}
    result = {"message": lines[0].rstrip(":"), "fields": {}}
    for line in lines[1:]:
        match = FIELD.match(line)
        if not match:
            continue
        depth, name, value = match.groups()
        if name == "Revealed MAC keys":
            result["fields"]["Revealed MAC keys"] = []
        elif depth == "\t\t" and name.startswith("Key "):
            result["fields"]["Revealed MAC keys"].append(value)
        else:
            result["fields"][name] = value
    return result


def main():
    with tempfile.TemporaryDirectory() as workdir:
        binary = build(workdir)
        runs = {}
        for run in RUNS:
            out = subprocess.run([binary, run], capture_output=True, text=True, check=True).stdout
            records = [json.loads(line) for line in out.splitlines()]
            for record in records:
                text = record.get("text", "")
                complete = record["type"] == "reassembled" or (record["type"] == "wire" and not record["fragment"])
                if complete and text.startswith("?OTR:"):
                    record["otrParse"] = otr_parse(text)
                del record["run"]
            runs[run] = records

    header = {
        "description": "Wire messages of two in-memory libotr users (transcript.c) with otr_parse's decoding of each complete encoded message. See README.md.",
        "packages": {name: package_version(name) for name in ["libotr5-dev", "libotr5-bin", "gcc"]},
        "maxMessageSize": 140,
        "command": "/usr/bin/python3 generate.py",
    }
    path = os.path.join(HERE, "transcript.json")
    with open(path, "w", encoding="utf-8") as out:
        out.write("{\n")
        for key, value in header.items():
            out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        out.write('  "runs": {\n')
        for i, run in enumerate(RUNS):
            out.write(f"    {json.dumps(run)}: [\n")
            rows = [json.dumps(record, ensure_ascii=False) for record in runs[run]]
            out.write(",\n".join(f"      {row}" for row in rows))
            out.write("\n    ]" + ("," if i < len(RUNS) - 1 else "") + "\n")
        out.write("  }\n}\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
