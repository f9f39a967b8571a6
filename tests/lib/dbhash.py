#!/usr/bin/env python3
"""dbhash.py SNAPSHOT.json: the DB hash of a snapshot as data/snapshot-format.md defines it,
computed by Python's json and hashlib alone: the document without generator,
server_version, oids and attnums, keys sorted, no white space, schemas sorted, enums and
tables by (schema, name), constraints by name. Prints "sha256:<hex>". The tests compare
schemerge's hash with it (differential: cJSON's printing against Python's)."""
import hashlib
import json
import sys

VOLATILE = {"oid", "attnum", "generator", "server_version"}


def canon(x):
    if isinstance(x, dict):
        return {k: canon(v) for k, v in x.items() if k not in VOLATILE}
    if isinstance(x, list):
        return [canon(v) for v in x]
    return x


def db_hash(doc):
    d = canon(doc)
    by_name = lambda o: (o["schema"], o["name"])
    d["schemas"].sort()
    d["enums"].sort(key=by_name)
    d["tables"].sort(key=by_name)
    for t in d["tables"]:
        t["constraints"].sort(key=lambda k: k["name"])
    text = json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


if __name__ == "__main__":
    print(db_hash(json.load(open(sys.argv[1], encoding="utf-8"))))
