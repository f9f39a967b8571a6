#!/bin/sh
# The man page and --help say the same thing: the same commands, the same options for
# the program and for each command, the options the parser really accepts (ui/cli.c's
# long_options), the UI keys of ui/keymap.c's action table, and the package version.
# The man page is read from its roff source (macros and escapes undone), the help from
# the built program.
. "$TESTLIB"
need python3

MAN="$SRCDIR/man/schemerge.1"
run "$SCHEMERGE" --help
expect_rc 0 "schemerge --help"

python3 - "$MAN" "$SCHEMERGE" "$SRCDIR/ui/cli.c" "$SRCDIR/ui/keymap.c" >"$T/report" 2>&1 <<'EOF'
import re, shlex, subprocess, sys

man_path, prog, cli_c, keymap_c = sys.argv[1:5]
problems = []

def fail(msg):
    problems.append(msg)

# ------------------------------------------------------------------ roff, undone
ESCAPES = [(r'\-', '-'), (r'\(dq', '"'), (r'\&', ''), (r'\fI', ''), (r'\fR', ''),
           (r'\fB', ''), (r'\fP', ''), (r'\e', '\\'), (r'\(aq', "'")]

def unescape(s):
    for a, b in ESCAPES:
        s = s.replace(a, b)
    return s

def macro_args(rest):
    # roff arguments: blank-separated, "double quoted" groups, "" inside quotes is a quote
    args, cur, i, quoted, have = [], '', 0, False, False
    while i < len(rest):
        c = rest[i]
        if quoted:
            if c == '"' and rest[i + 1:i + 2] == '"':
                cur += '"'; i += 2; continue
            if c == '"':
                quoted = False; i += 1; continue
            cur += c
        elif c == '"':
            quoted = True; have = True
        elif c in ' \t':
            if cur or have:
                args.append(cur)
            cur, have = '', False
        else:
            cur += c
        i += 1
    if cur or have:
        args.append(cur)
    return args

def text_of(line):
    """The text a source line contributes, or None for a request without text."""
    if not line.startswith('.'):
        return unescape(line)
    m = re.match(r'\.(\w+)\s*(.*)', line)
    if not m:
        return None
    name, rest = m.group(1), m.group(2)
    if name in ('B', 'I'):
        return unescape(' '.join(macro_args(rest)))
    if name in ('BR', 'RB', 'BI', 'IB', 'IR', 'RI'):
        return unescape(''.join(macro_args(rest)))
    return None

src = open(man_path, encoding='utf-8').read().replace('\\\n', '')
lines = src.split('\n')

# sections: {name: [lines]} and subsections
sections, subsections, sec, sub = {}, {}, None, None
for line in lines:
    if line.startswith('.SH '):
        sec = ' '.join(macro_args(line[4:])); sub = None
        sections[sec] = []
        continue
    if line.startswith('.SS '):
        sub = ' '.join(macro_args(line[4:]))
        subsections[sub] = []
        continue
    if sec is not None:
        sections[sec].append(line)
    if sub is not None:
        subsections[sub].append(line)

def tags(block):
    """The tag line of each .TP entry in a block."""
    out = []
    for i, line in enumerate(block):
        if line == '.TP' and i + 1 < len(block):
            t = text_of(block[i + 1])
            if t is not None:
                out.append(t)
    return out

OPT = re.compile(r'(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])')

def options_in(text):
    return set(OPT.findall(text))

# SYNOPSIS: one entry per .br-separated run of lines
synopsis, cur = [], []
for line in sections.get('SYNOPSIS', []):
    if line == '.br':
        synopsis.append(' '.join(cur)); cur = []
        continue
    t = text_of(line)
    if t is not None:
        cur.append(t)
if cur:
    synopsis.append(' '.join(cur))
man_cmd_opts = {}
for entry in synopsis:
    words = entry.split()
    if words[0] != 'schemerge':
        fail('SYNOPSIS line does not start with schemerge: ' + entry)
        continue
    if len(words) < 2 or not re.match(r'[a-z]+$', words[1]):
        continue  # "schemerge [OPTION]..."
    man_cmd_opts.setdefault(words[1], set()).update(options_in(entry))

man_commands = {t.split()[0] for t in tags(sections.get('COMMANDS', []))}
man_options = set()
for t in tags(sections.get('OPTIONS', [])):
    man_options |= options_in(t)

# ------------------------------------------------------------------ the program's help
def help_of(*args):
    r = subprocess.run([prog, *args, '--help'], capture_output=True, text=True)
    if r.returncode != 0:
        fail('schemerge %s --help exited %d: %s' % (' '.join(args), r.returncode, r.stderr))
    return r.stdout

def block(text, title):
    """Lines of the block that starts with a line 'title' and ends at a blank line."""
    out, on = [], False
    for line in text.split('\n'):
        if line == title:
            on = True; continue
        if on and not line.strip():
            break
        if on:
            out.append(line)
    return out

ALIAS = {}     # every spelling of an option -> its first spelling on its help line
NEEDS_ARG = {}  # option -> whether it takes a value

def option_lines(lines):
    opts = set()
    for line in lines:
        m = re.match(r'\s+(-\S.*?)(\s{2,}|$)', line)
        if m:
            found = OPT.findall(m.group(1))
            for o in found:
                ALIAS.setdefault(o, found[0])
                NEEDS_ARG.setdefault(o, bool(re.search(r'[= ][A-Z]', m.group(1))))
            opts |= set(found)
    return opts

def canon(opts):
    return {ALIAS.get(o, o) for o in opts}

def usage_of(text):
    """The usage line and its indented continuation lines."""
    lines = text.split('\n')
    out = [lines[0]]
    for line in lines[1:]:
        if not line.startswith(' '):
            break
        out.append(line)
    return ' '.join(out)

top = help_of()
help_commands = [l.split()[0] for l in block(top, 'Commands:')]
help_options = option_lines(block(top, 'Options:'))
for line in top.split('\n'):
    if len(line) > 80:
        fail('schemerge --help: line longer than 80 columns: %r' % line)

# ------------------------------------------------------------------ the parser's table
cli = open(cli_c, encoding='utf-8').read()
table = cli[cli.index('long_options[]'):]
table = table[:table.index('};')]
parser_options = {'--' + n for n in re.findall(r'\{\s*"([a-z-]+)"', table)} - {'--colour'}
short = re.search(r'getopt_long\([^"]*"([^"]*)"', cli).group(1)
parser_options |= {'-' + c for c in short if c.isalpha()}

# ------------------------------------------------------------------ comparisons
def compare(what, a_name, a, b_name, b):
    for x in sorted(set(a) - set(b)):
        fail('%s: %s in %s, not in %s' % (what, x, a_name, b_name))
    for x in sorted(set(b) - set(a)):
        fail('%s: %s in %s, not in %s' % (what, x, b_name, a_name))

compare('commands', 'schemerge --help', help_commands, 'the man SYNOPSIS', man_cmd_opts)
compare('commands', 'schemerge --help', help_commands, 'the man COMMANDS', man_commands)
compare('options', 'schemerge --help', help_options, 'the man OPTIONS', man_options)
if not help_commands or len(help_options) < 10:
    fail('could not read the help: %d commands, %d options' % (len(help_commands), len(help_options)))
compare('options', 'ui/cli.c long_options', parser_options, 'schemerge --help', help_options)

for cmd in help_commands:
    h = help_of(cmd)
    usage = usage_of(h)
    if not usage.startswith('Usage: schemerge [OPTION]... ' + cmd):
        fail('%s --help: usage line is %r' % (cmd, usage))
    own = option_lines(block(h, 'Options:'))
    common = option_lines(block(h, 'Common options:'))
    if not common:
        fail('%s --help lists no common options' % cmd)
    compare(cmd + ' options', cmd + ' --help', canon(own), 'its man SYNOPSIS',
            canon(man_cmd_opts.get(cmd, set())))
    compare(cmd + ' usage', cmd + ' --help Options', canon(own), 'its usage line',
            canon(options_in(usage)))
    for o in own | common:
        if o not in help_options:
            fail('%s --help documents %s, which schemerge --help does not' % (cmd, o))
    for line in h.split('\n'):
        if len(line) > 80:
            fail('%s --help: line longer than 80 columns: %r' % (cmd, line))

# every option the help documents is accepted by the parser
for o in sorted(help_options):
    if o in ('--help', '-h', '--version'):
        continue
    arg = [o, '.'] if NEEDS_ARG.get(o) else [o]
    if o == '--color':
        arg = ['--color=never']
    r = subprocess.run([prog, *arg, 'check', '--help'], capture_output=True, text=True)
    if r.returncode != 0:
        fail('the parser refuses documented option %s: %s' % (' '.join(arg), r.stderr.strip()))

# version: the man page's .TH names the program's version
ver = subprocess.run([prog, '--version'], capture_output=True, text=True).stdout.strip()
th = next(l for l in lines if l.startswith('.TH '))
if macro_args(th[4:])[3] != ver:
    fail('man .TH says %r, schemerge --version says %r' % (macro_args(th[4:])[3], ver))

# ------------------------------------------------------------------ UI keys
KEYNAMES = {'KEY_UP': 'Up', 'KEY_DOWN': 'Down', 'KEY_PPAGE': 'PgUp', 'KEY_NPAGE': 'PgDn',
            'KEY_HOME': 'Home', 'KEY_END': 'End', 'KEY_ENTER': 'Enter', "'\\n'": 'Enter',
            "'\\r'": 'Enter', 'KEY_ESCAPE': 'Esc', "'\\t'": 'Tab', "' '": 'space',
            'KEY_LEFT': 'Left', 'KEY_RIGHT': 'Right', 'KEY_BACKSPACE': 'Backspace',
            'KEY_BTAB': 'Shift-Tab'}

def key_name(k):
    k = k.strip()
    if k in KEYNAMES:
        return KEYNAMES[k]
    m = re.match(r"CTRL\('(.)'\)$", k)
    if m:
        return 'Ctrl-' + m.group(1).upper()
    m = re.match(r"'(.)'$", k)
    if m:
        return m.group(1)
    fail('ui/keymap.c: key %s has no name in this test' % k)
    return k

km = open(keymap_c, encoding='utf-8').read()
scope_names = dict(re.findall(r'case (SCOPE_\w+): return "([^"]*)"', km))
want = {}
for scope, keys in re.findall(r'\{\s*(SCOPE_\w+),\s*ACT_\w+,\s*\{([^}]*)\}', km):
    title = scope_names.get(scope)
    if title is None:
        fail('ui/keymap.c: scope %s has no name' % scope)
        continue
    want.setdefault(title, set()).update(key_name(k) for k in keys.split(',') if k.strip())
if not want:
    fail('no key found in ui/keymap.c')
for title, keys in want.items():
    if title not in subsections:
        fail('man page: no "%s" subsection for the UI keys' % title)
        continue
    documented = set()
    for t in tags(subsections[title]):
        documented |= {w.strip() for w in t.split(',') if w.strip()}
    compare('UI keys in "%s"' % title, 'ui/keymap.c', keys, 'the man page', documented)

for p in problems:
    print(p)
print('%d problems' % len(problems))
sys.exit(1 if problems else 0)
EOF
rc=$?
cat "$T/report"
[ "$rc" = 0 ] || fail "the man page and --help disagree (see above)"
finish
