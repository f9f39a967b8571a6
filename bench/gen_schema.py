#!/usr/bin/env python3
"""gen_schema.py N: print SQL for a synthetic schema of N tables (about one enum per five
tables) with a realistic column mix: uuid primary key, text, varchar(n), integers, bool,
timestamptz with defaults, jsonb, enum columns, arrays, foreign keys to earlier tables,
a few checks and uniques, table and column comments. Deterministic for a given N."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
rnd = random.Random(n)
nenums = max(1, n // 5)
out = ["BEGIN;"]
for e in range(nenums):
    labels = ", ".join(f"'value_{e}_{k}'" for k in range(rnd.randint(3, 8)))
    out.append(f"CREATE TYPE enum_{e} AS ENUM ({labels});")
    if e % 3 == 0:
        out.append(f"COMMENT ON TYPE enum_{e} IS 'synthetic enum {e}';")
for t in range(n):
    cols = [
        "id uuid PRIMARY KEY DEFAULT gen_random_uuid()",
        "name text NOT NULL",
        f"code varchar({rnd.choice([16, 32, 64, 255])})",
        "quantity integer NOT NULL DEFAULT 0",
        "total bigint",
        "active boolean NOT NULL DEFAULT true",
        "created_at timestamptz NOT NULL DEFAULT now()",
        "updated_at timestamptz",
        "metadata jsonb",
        f"status enum_{rnd.randrange(nenums)} NOT NULL",
    ]
    if rnd.random() < 0.5:
        cols.append("tags text[]")
    if rnd.random() < 0.3:
        cols.append("price numeric(12,2) CHECK (price >= 0)")
    if rnd.random() < 0.3:
        cols.append(f"kind enum_{rnd.randrange(nenums)}")
    for extra in range(rnd.randint(0, 6)):
        cols.append(f"attr_{extra} {rnd.choice(['text', 'integer', 'date', 'double precision', 'uuid'])}")
    if t > 0:
        cols.append(f"parent_id uuid REFERENCES table_{rnd.randrange(t)} (id)")
    if t > 1 and rnd.random() < 0.3:
        cols.append(f"other_id uuid REFERENCES table_{rnd.randrange(t)} (id) ON DELETE SET NULL")
    if rnd.random() < 0.3:
        cols.append("UNIQUE (name, code)")
    if t and t % 200 == 0:  # one transaction would run out of locks at 5000 tables
        out.append("COMMIT;\nBEGIN;")
    out.append(f"CREATE TABLE table_{t} (\n  " + ",\n  ".join(cols) + "\n);")
    if t % 2 == 0:
        out.append(f"COMMENT ON TABLE table_{t} IS 'synthetic table {t}';")
    if t % 4 == 0:
        out.append(f"COMMENT ON COLUMN table_{t}.name IS 'display name';")
out.append("COMMIT;")
print("\n".join(out))
