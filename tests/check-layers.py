#!/usr/bin/env python3
"""check-layers.py SRCDIR — the layering rules of DESIGN.md §3, checked.

Vigie has three rooms: src/core (no GTK, no desktop), src/cli (the
command-line modes) and src/app (the GTK applet). This check fails when

  - core includes GTK, a desktop library, or a header of cli or app;
  - cli and app include each other's headers;
  - core's modules include each other in a circle (a module is a public
    header and the files named after it: vigie-history.h,
    vigie-history-private.h, vigie-history-store.c…; or a folder of core
    with a private header of its own, such as feeds/; a circle means no
    module of it can be read, tested or changed alone);
  - a foreign library is included outside the files that own it (curl by the
    HTTP engine, SQLite by the outage log, json-glib by the JSON owner,
    appindicator by the tray, libnotify by the notifier).

It prints one line per breach, naming the file and the include, and exits 1.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)

# Headers core must never include: the desktop side's libraries.
DESKTOP = ('gtk/', 'gdk/', 'libayatana-appindicator/', 'libnotify/')

# Foreign library header prefix → the source files allowed to include it
# (paths relative to src/, matched as prefixes so a module split into
# several files keeps its ownership).
OWNERS = {
    'curl/': ('core/vigie-http',),
    'sqlite3.h': ('core/vigie-history',),
    'json-glib/': ('core/feeds/', 'core/vigie-feeds', 'core/vigie-json'),
    'libayatana-appindicator/': ('app/vigie-tray',),
    'libnotify/': ('app/vigie-notifier',),
}


def sources(srcdir):
    for root, _dirs, files in os.walk(srcdir):
        for name in sorted(files):
            if name.endswith(('.c', '.h')):
                path = os.path.join(root, name)
                yield os.path.relpath(path, srcdir), open(path, encoding='utf-8').read()


def room(rel):
    return rel.split(os.sep, 1)[0] if os.sep in rel else 'main'


def module(rel, headers=frozenset()):
    """A file's module: its folder below core/ if it has one; else the
    longest public header its name starts with (vigie-history-store.c is
    part of vigie-history); else its own name."""
    parts = rel.split(os.sep)
    if len(parts) > 2 and parts[0] == 'core':
        return parts[1] + '/'
    words = os.path.splitext(parts[-1])[0].split('-')
    if words[-1] == 'private':
        words = words[:-1]
    for n in range(len(words), 1, -1):
        if '-'.join(words[:n]) + '.h' in headers:
            return '-'.join(words[:n])
    return '-'.join(words)


def find_cycle(graph):
    """Returns one circle of module names, or None (iterative DFS)."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {node: WHITE for node in graph}
    for start in sorted(graph):
        if colour[start] != WHITE:
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        colour[start] = GREY
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = BLACK
                stack.pop()
                path.pop()
                continue
            if child not in colour:
                continue
            if colour[child] == GREY:
                return path[path.index(child):] + [child]
            if colour[child] == WHITE:
                colour[child] = GREY
                stack.append((child, iter(sorted(graph[child]))))
                path.append(child)
    return None


def main():
    srcdir = sys.argv[1]
    files = dict(sources(srcdir))
    headers = frozenset(os.path.basename(rel) for rel in files if rel.endswith('.h'))
    header_room = {}
    header_module = {}
    for rel in files:
        if rel.endswith('.h'):
            header_room[os.path.basename(rel)] = room(rel)
            header_module[os.path.basename(rel)] = module(rel, headers)

    problems = []
    core_graph = {}
    for rel, text in sorted(files.items()):
        here = room(rel)
        if here == 'core':
            core_graph.setdefault(module(rel, headers), set())
        for kind, target in INCLUDE.findall(text):
            base = os.path.basename(target)
            there = header_room.get(base) if kind == '"' else None
            if here == 'core':
                if kind == '<' and target.startswith(DESKTOP):
                    problems.append(f'{rel}: core includes <{target}>, a desktop library')
                if there in ('app', 'cli'):
                    problems.append(f'{rel}: core includes "{target}" from src/{there}')
                if there == 'core' and header_module[base] != module(rel, headers):
                    core_graph[module(rel, headers)].add(header_module[base])
            if {here, there} == {'app', 'cli'}:
                problems.append(f'{rel}: src/{here} includes "{target}" from src/{there}')
            if kind == '<':
                for prefix, owners in OWNERS.items():
                    if target.startswith(prefix) and not rel.startswith(owners):
                        problems.append(f'{rel}: includes <{target}>, which only '
                                        f'{", ".join(owners)} may')

    cycle = find_cycle(core_graph)
    if cycle:
        problems.append('src/core: modules include each other in a circle: '
                        + ' → '.join(cycle))

    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f'layers: {len(files)} files checked, no breach')
    return 0


if __name__ == '__main__':
    sys.exit(main())
