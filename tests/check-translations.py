#!/usr/bin/env python3
"""check-translations.py — the translations are complete and actually used.

  check-translations.py catalogue SRCROOT
      Every source file under src/ that marks strings for translation (_(),
      N_(), C_(), NC_(), g_dngettext(), translatable="yes" in a .ui file) is
      listed in po/POTFILES.in; a catalogue template regenerated from
      POTFILES.in with xgettext (the keywords of meson's glib preset) into a
      temporary folder has no message that a language of po/LINGUAS leaves
      missing, empty or fuzzy. Nothing in the source tree is written.

  check-translations.py cli VIGIE LOCALEDIR PODIR
      The program speaks French: `vigie --help` and `vigie --list-services`
      run with LANGUAGE=fr (and LC_ALL=C.UTF-8, which every glibc system has)
      print the translations of po/fr.po, not the English text.
"""
import os
import re
import subprocess
import sys
import tempfile

XGETTEXT_KEYWORDS = ['-k_', '-kN_', '-kC_:1c,2', '-kNC_:1c,2', '-kg_dngettext:2,3',
                     '-kg_dpgettext2:2c,3']
MARKS = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|g_dpgettext2)\s*\(')


def unquote(text):
    out, i = [], 0
    escapes = {'n': '\n', 't': '\t', '"': '"', '\\': '\\', 'r': '\r'}
    while i < len(text):
        c = text[i]
        if c == '\\' and i + 1 < len(text):
            out.append(escapes.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def parse_po(path):
    """Returns {(msgctxt, msgid): {'plural': bool, 'str': [..], 'fuzzy': bool}}."""
    entries = {}
    blocks = open(path, encoding='utf-8').read().split('\n\n')
    for block in blocks:
        lines = [l for l in block.strip('\n').split('\n') if l]
        if not lines or all(l.startswith('#~') or l.startswith('#') for l in lines):
            continue
        fuzzy = any(l.startswith('#,') and 'fuzzy' in l for l in lines)
        fields, current = {}, None
        for line in lines:
            if line.startswith('#'):
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if m:
                current = m.group(1)
                fields[current] = unquote(m.group(2))
            elif line.startswith('"') and current:
                fields[current] += unquote(line[1:-1])
        if 'msgid' not in fields:
            continue
        strs = [v for k, v in sorted(fields.items()) if k.startswith('msgstr')]
        entries[(fields.get('msgctxt'), fields['msgid'])] = {
            'plural': 'msgid_plural' in fields, 'str': strs, 'fuzzy': fuzzy}
    return entries


def linguas(srcroot):
    text = open(os.path.join(srcroot, 'po', 'LINGUAS'), encoding='utf-8').read()
    return re.sub(r'#.*', '', text).split()


def nplurals(entries):
    header = entries.get((None, ''), {'str': ['']})['str'][0]
    m = re.search(r'nplurals\s*=\s*(\d+)', header)
    return int(m.group(1)) if m else 2


def catalogue(srcroot):
    problems = []
    potfiles_in = os.path.join(srcroot, 'po', 'POTFILES.in')
    listed = [l.strip() for l in open(potfiles_in, encoding='utf-8')
              if l.strip() and not l.startswith('#')]
    for name in listed:
        if not os.path.exists(os.path.join(srcroot, name)):
            problems.append(f'po/POTFILES.in lists {name}, which does not exist')

    for folder, _, names in os.walk(os.path.join(srcroot, 'src')):
        for name in sorted(names):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, srcroot)
            if name.endswith('.c'):
                marked = MARKS.search(open(path, encoding='utf-8').read())
            elif name.endswith('.ui'):
                marked = 'translatable="yes"' in open(path, encoding='utf-8').read()
            else:
                continue
            if marked and rel not in listed:
                problems.append(f'{rel} has strings marked for translation but is not in '
                                'po/POTFILES.in')

    with tempfile.TemporaryDirectory(prefix='vigie-pot-') as tmp:
        pot = os.path.join(tmp, 'vigie.pot')
        subprocess.run(['xgettext', '--package-name=vigie', '--from-code=UTF-8',
                        '--add-comments=Translators', *XGETTEXT_KEYWORDS,
                        '-D', srcroot, '-f', potfiles_in, '-o', pot],
                       check=True)
        template = parse_po(pot)
    messages = [key for key in template if key[1] != '']
    print(f'{len(messages)} messages in the regenerated template')

    for lang in linguas(srcroot):
        po = os.path.join(srcroot, 'po', f'{lang}.po')
        catalog = parse_po(po)
        n = nplurals(catalog)
        missing = []
        for key in messages:
            entry = catalog.get(key)
            label = (f'[{key[0]}] ' if key[0] else '') + repr(key[1])
            if entry is None:
                missing.append(f'{label}: not in {lang}.po (run meson compile vigie-update-po)')
            elif entry['fuzzy']:
                missing.append(f'{label}: fuzzy')
            elif not all(entry['str']) or (template[key]['plural'] and len(entry['str']) != n):
                missing.append(f'{label}: not translated')
        print(f'{lang}: {len(messages) - len(missing)}/{len(messages)} translated')
        problems += [f'{lang}: {m}' for m in missing]

    for p in problems:
        print(p)
    return 1 if problems else 0


def printf_pattern(fmt):
    """A regex matching what a C format string prints."""
    parts = re.split(r'(%[-0-9.]*l?[sud]|%%)', fmt)
    out = []
    for p in parts:
        if p == '%%':
            out.append('%')
        elif re.fullmatch(r'%[-0-9.]*l?[sud]', p):
            out.append(r'.+?' if p.endswith('s') else r'[0-9.,]+')
        else:
            out.append(re.escape(p))
    return ''.join(out)


def cli(vigie, localedir, podir):
    fr = parse_po(os.path.join(podir, 'fr.po'))
    problems = []

    def tr(msgid, form=0):
        return fr[(None, msgid)]['str'][form]

    with tempfile.TemporaryDirectory(prefix='vigie-fr-') as home:
        env = dict(os.environ)
        for var in ('DISPLAY', 'WAYLAND_DISPLAY', 'LC_MESSAGES', 'LANG'):
            env.pop(var, None)
        env.update(LANGUAGE='fr', LC_ALL='C.UTF-8', VIGIE_LOCALEDIR=localedir, HOME=home,
                   XDG_CONFIG_HOME=os.path.join(home, 'config'),
                   XDG_STATE_HOME=os.path.join(home, 'state'),
                   XDG_CACHE_HOME=os.path.join(home, 'cache'),
                   DBUS_SESSION_BUS_ADDRESS='unix:path=/nonexistent')

        def run(*args):
            result = subprocess.run([vigie, *args], env=env, capture_output=True, text=True)
            print(f'$ LANGUAGE=fr vigie {" ".join(args)}  (exit {result.returncode})')
            print(result.stdout + result.stderr)
            if result.returncode != 0:
                problems.append(f'vigie {" ".join(args)} exited with {result.returncode}')
            return result.stdout

        out = run('--help')
        for msgid in ('Print the outage log',
                      'List the services Vigie can watch (* marks the watched ones)'):
            if tr(msgid) not in out:
                problems.append(f'--help lacks the French for {msgid!r}: {tr(msgid)!r}')
            if msgid in out:
                problems.append(f'--help still says {msgid!r} in English')

        out = run('--list-services')
        for msgid in ('NAME', 'PROVIDER', 'CATEGORY'):
            if not re.search(r'\b' + re.escape(tr(msgid)) + r'\b', out):
                problems.append(f'--list-services lacks the heading {tr(msgid)!r}')
        watched = printf_pattern(tr('* %u service watched (Services= in %s)\n', 1))
        if not re.search(watched, out):
            problems.append('--list-services lacks the French count of watched services')
        if 'services watched' in out:
            problems.append('--list-services still says "services watched" in English')

    for p in problems:
        print(p)
    return 1 if problems else 0


def main(argv):
    if len(argv) == 3 and argv[1] == 'catalogue':
        return catalogue(argv[2])
    if len(argv) == 5 and argv[1] == 'cli':
        return cli(*argv[2:])
    print(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
