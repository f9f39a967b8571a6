#!/usr/bin/env python3
"""Print what a schema file contains, according to Python's own ast module.

The output has the shape tests/unit/pyparse_dump prints from schemerge's parser, so that
tests/cli/parser_vs_ast.sh can compare the two (after normalising both through json):
top-level classes (bases, keywords, decorators, docstring, members, annotated fields,
with lines and 1-based character columns) and top-level imports. A file Python rejects
prints {"error": "LINE:COL: MESSAGE"}.

Usage: ast_extract.py FILE
"""
import ast
import json
import re
import sys


def col(lines, lineno, byte_offset):
    """ast columns are UTF-8 byte offsets; schemerge counts characters from 1."""
    return len(lines[lineno - 1][:byte_offset].decode("utf-8")) + 1


def seg(text, node):
    return ast.get_source_segment(text, node)


def header_end_line(c):
    ends = [c.lineno] + [n.end_lineno for n in c.bases + c.keywords]
    return max(ends)


def main(path):
    data = open(path, "rb").read()
    try:
        tree = ast.parse(data, path)
    except SyntaxError as e:
        print(json.dumps({"error": "%d:%d: %s" % (e.lineno, e.offset, e.msg)}))
        return
    text = data.decode("utf-8-sig")
    lines = text.encode("utf-8").splitlines()
    out = {"classes": [], "imports": []}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            one_line = node.body[0].lineno == header_end_line(node)
            c = {
                "name": node.name,
                "line": node.lineno,
                "col": col(lines, node.lineno, node.col_offset),
                "start_line": node.decorator_list[0].lineno if node.decorator_list else node.lineno,
                # schemerge keeps bases as written with white space removed
                "bases": [re.sub(r"\s+", "", ast.unparse(b)) for b in node.bases],
                "keywords": [[k.arg, seg(text, k.value)] for k in node.keywords if k.arg],
                "decorators": [seg(text, d) for d in node.decorator_list],
                "docstring": None,
                "members": [],
                "fields": [],
            }
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                c["docstring"] = first.value.value
                if not one_line:
                    c["docstring_lines"] = [first.lineno, first.end_lineno]
            for st in node.body:
                if (isinstance(st, ast.Assign) and len(st.targets) == 1
                        and isinstance(st.targets[0], ast.Name)):
                    v = st.value
                    m = {
                        "name": st.targets[0].id,
                        "value": v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else None,
                        "line": st.lineno,
                        "col": col(lines, st.lineno, st.col_offset),
                    }
                    if not one_line:
                        m["lines"] = [st.lineno, st.end_lineno]
                    c["members"].append(m)
                elif isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and st.simple:
                    f = {
                        "name": st.target.id,
                        "annotation": seg(text, st.annotation),
                        "default": seg(text, st.value) if st.value is not None else None,
                        "line": st.lineno,
                        "col": col(lines, st.lineno, st.col_offset),
                    }
                    if not one_line:
                        f["lines"] = [st.lineno, st.end_lineno]
                    c["fields"].append(f)
            out["classes"].append(c)
        elif isinstance(node, ast.ImportFrom):
            out["imports"].append({"module": "." * node.level + (node.module or ""),
                                   "names": [a.name for a in node.names]})
        elif isinstance(node, ast.Import):
            for a in node.names:
                out["imports"].append({"module": a.name, "names": []})
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
