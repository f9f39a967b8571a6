"""hostile_names.py: the catalog and the judges of tests/cli/hostile_names.sh (issue 15).

    hostile_names.py sql            the SQL that creates the hostile catalog (stdout)
    hostile_names.py count          how many distinct names the catalog uses
    hostile_names.py judge DIR KIND N_TABLES N_ENUMS
                                    every file under DIR/schemas parses (ast), every class
                                    name is an identifier, the row classes and enum classes
                                    number N_TABLES and N_ENUMS; KIND (typeddict, pydantic,
                                    dataclass) says which form row classes take
    hostile_names.py classes DIR    the class names of the files, one a line

The names are what real catalogs hold and Python cannot take as they are: hard and soft
keywords, builtins, the names the generated files import, Pydantic's reserved names,
leading digits, spaces, dots, dashes, quotes, backslashes, triple quotes, emoji, combining
marks, right-to-left text and bidi controls, NFKC and case pairs, control characters and
63-byte names; the first ones are used in all three schemas."""
import ast
import builtins
import keyword
import os
import sys

SCHEMAS = ["public", "auth", "My-Schema"]


def names():
    out = []
    out += keyword.kwlist + ["match", "case", "type", "_", "__", "_x", "__x__", "_sunder_"]
    out += sorted(n for n in dir(builtins) if not n.startswith("__"))[:120]
    out += ["Optional", "Any", "TypedDict", "List", "Dict", "NotRequired", "Required", "Field",
            "field", "BaseModel", "ConfigDict", "dataclass", "Enum", "StrEnum", "Decimal",
            "UUID", "datetime", "date", "time", "timedelta", "typing", "pydantic", "enum"]
    out += ["schema", "json", "dict", "copy", "fields", "model_config", "model_dump",
            "model_fields", "model_x", "construct", "validate", "Config", "parse_obj"]
    out += ["2fa", "1", "007", "3d_model", "9lives", "1st place", "0x10"]
    out += ["First Name", "a.b", "a-b", "it's", 'say "hi"', "back\\slash", '"""', "'''",
            "a  b", " lead", "trail ", "a.b.c", "-", ".", "x\\", "\\n", '""', "''", "a'b\"c",
            "semi;colon", "per%cent", "braces{}", "at@sign", "hash#tag", "dollar$"]
    out += ["\U0001F389", "\U0001F389party", "a\U0001F389b", "\u2603", "\u00e9t\u00e9",
            "e\u0301", "cafe\u0301", "\u0301x", "\u0928\u092e\u0938\u094d\u0924\u0947",
            "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u202eevil",
            "a\u200fb", "\u200bzero", "x\u00a0y", "\u65e5\u672c", "\u0130stanbul", "stra\u00dfe"]
    out += ["\ufb01x", "fix", "\u210c", "H", "\u2460", "\uff21", "A", "\uff46\uff55\uff4c\uff4c",
            "full", "\u00e9", "e\u0301t\u00e9", "\u2126", "\u03a9", "\u212b", "\u00c5",
            "\u00b5", "\u03bc", "\u1e9b\u0323", "x\u00b2", "x2"]
    out += ["Name", "name", "NAME", "nAME", "Users", "users", "USERS", "FooBars", "foo_bars",
            "foo-bars", "foo bars", "Foo.Bars"]
    out += ["tab\there", "bell\x07", "esc\x1b[2J", "nl\nname", "cr\rname", "del\x7f"]
    out += ["x" * 63, "\u00e9" * 31 + "x", "a_" * 31 + "a", "\U0001F389" * 15 + "abc",
            "Z" * 62 + "s"]
    base = list(out)
    for n in base:  # the same words as people prefix and suffix them
        out += [n + "_id", "my " + n, n.upper(), n + "s"]
    seen, res = set(), []
    for n in out:
        if not n or len(n.encode()) > 63 or "\x00" in n or n in seen:
            continue
        seen.add(n)
        res.append(n)
    return res


def q(n):
    return '"' + n.replace('"', '""') + '"'


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def plan():
    """(schema, kind, name, detail) for every object."""
    ns = names()
    shared = ns[:60]               # in all three schemas
    rest = ns[60:]
    objs = []
    for si, schema in enumerate(SCHEMAS):
        mine = shared + rest[si::3]
        enums = mine[::9]
        for k, e in enumerate(enums):
            labels = [mine[(k * 7 + j) % len(mine)] for j in range(6)]
            labels = list(dict.fromkeys(labels))
            objs.append((schema, "enum", e, labels))
        enum_set = set(enums)  # a table's row type would take an enum's name
        tables = [n for n in mine if n not in enum_set]
        tables = tables[:60] + tables[60::2]
        for k, t in enumerate(tables):
            cols = [mine[(k * 5 + j) % len(mine)] for j in range(1, 5)]
            cols = list(dict.fromkeys(c for c in cols))
            objs.append((schema, "table", t, (cols, enums[k % len(enums)])))
    return objs


def sql():
    lines = ["SET client_min_messages = warning;"]
    for s in SCHEMAS:
        if s != "public":
            lines.append("CREATE SCHEMA %s;" % q(s))
    for schema, kind, name, detail in plan():
        if kind == "enum":
            lines.append("CREATE TYPE %s.%s AS ENUM (%s);" % (q(schema), q(name),
                                                              ", ".join(lit(l) for l in detail)))
    for schema, kind, name, detail in plan():
        if kind != "table":
            continue
        cols, enum = detail
        types = ["text", "integer NOT NULL", "jsonb", "timestamptz", "numeric", "uuid"]
        defs = ["%s %s" % (q(c), types[i % len(types)]) for i, c in enumerate(cols)]
        en = q(schema) + "." + q(enum)
        # an enum column and an array of it, unless a column already has the name
        if "state" not in cols:
            defs.append('"state" %s' % en)
        if "states" not in cols:
            defs.append('"states" %s[]' % en)
        lines.append("CREATE TABLE %s.%s (%s);" % (q(schema), q(name), ", ".join(defs)))
    return "\n".join(lines) + "\n"


def classes_of(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    out = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            out.append((node.name, [b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases],
                        node))
        elif (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and
              ast.unparse(node.value.func).endswith("TypedDict")):
            out.append((node.targets[0].id, ["TypedDict"], node))
    return out


def files(root):
    res = []
    for d, _, fs in os.walk(os.path.join(root, "schemas")):
        res += [os.path.join(d, f) for f in fs if f.endswith(".py")]
    return sorted(res)


def judge(root, kind, ntables, nenums):
    rows = enums = 0
    names = set()
    for path in files(root):
        for name, bases, node in classes_of(path):
            assert name.isidentifier() and not keyword.iskeyword(name), (path, name)
            assert name not in names, ("a class name twice", name)
            names.add(name)
            if "Enum" in bases or "StrEnum" in bases:
                enums += 1
            elif path.endswith("schema_version.py"):
                pass
            else:
                rows += 1
                if kind == "pydantic":
                    assert "BaseModel" in bases, (name, bases)
                elif kind == "dataclass":
                    assert isinstance(node, ast.ClassDef) and node.decorator_list, name
    assert rows == ntables, ("row classes", rows, "tables", ntables)
    assert enums == nenums, ("enum classes", enums, "enums", nenums)


def main():
    cmd = sys.argv[1]
    if cmd == "sql":
        sys.stdout.write(sql())
    elif cmd == "count":
        used = set()
        for _, kind, name, detail in plan():
            used.add(name)
            used.update(detail if kind == "enum" else detail[0])
        print(len(used))
    elif cmd == "judge":
        judge(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "classes":
        for path in files(sys.argv[2]):
            for name, _, _ in classes_of(path):
                print(name)
    elif cmd == "objects":
        t = sum(1 for o in plan() if o[1] == "table" and (len(sys.argv) < 3 or o[0] in sys.argv[2:]))
        e = sum(1 for o in plan() if o[1] == "enum" and (len(sys.argv) < 3 or o[0] in sys.argv[2:]))
        print(t, e)


main()
