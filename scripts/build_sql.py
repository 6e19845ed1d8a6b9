#!/usr/bin/env python3
"""Assemble the extension scripts from migrations/ and sql/.

An install script for version V holds every migration of every version up to
V, then every file of sql/.  An update script A--V holds the migrations of the
versions after A up to V, then sql/ again: sql/ only holds objects that are
safe to re-run (CREATE OR REPLACE), so an update ends in the same state as a
fresh install.

The files of sql/ run in an order of their dependencies: a file that names an
object another file creates (query_ml.x or @extschema@.x) runs after it, since an
SQL-standard body or a view binds its objects when it is created.  Among files
free to go, the path order decides, so the output stays stable.

Each PL/Python body starts with the line ``#QUERY_ML_LOAD``; it becomes the
loader that imports the package from the versioned library folder.
"""
import argparse
import heapq
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOAD_MARKER = "#QUERY_ML_LOAD"
# A frozen release keeps this in place of the library folder, which each machine chooses.
LIB_DIR_MARKER = "@QUERY_ML_LIB_DIR@"
RELEASED = ROOT / "migrations" / "released"
# One GD entry per version: a session that loaded another version gets a clear
# error from query_ml.bootstrap instead of silently mixing two versions.
LOADER = (
    "qml = GD.get('query_ml {version}') or __import__('sys').path.insert(0, '{lib_dir}') "
    "or GD.setdefault('query_ml {version}', __import__('query_ml').bootstrap(plpy, '{version}'))"
)


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def migration_versions():
    folders = [p.name for p in (ROOT / "migrations").iterdir() if p.is_dir()]
    return sorted((v for v in folders if re.fullmatch(r"\d+\.\d+\.\d+", v)), key=version_key)


def control_version():
    text = (ROOT / "query_ml.control").read_text()
    return re.search(r"^default_version\s*=\s*'([^']+)'", text, re.M).group(1)


class BuildError(Exception):
    """A tree that cannot make a script; main() shows it and exits with 1."""

    def __init__(self, message, hint=None):
        super().__init__(message + (f"\nhint: {hint}" if hint else ""))


def sql_files(folder):
    return sorted(p for p in folder.rglob("*.sql") if p.is_file())


def shown(path):
    return str(path.relative_to(ROOT))


# What hides a name from the dependency analysis: comments, and string literals (a COMMENT's
# text, or SQL that EXECUTE runs later).  Dollar-quoted bodies are read as SQL again.
_TOKEN = re.compile(r"""
    --[^\n]*
  | /\*
  | (?<![\w$])[eE]'(?:[^'\\]|\\.|'')*'
  | '(?:[^']|'')*'
  | "(?:[^"]|"")*"
  | (?<![\w$])\$(?:[A-Za-z_]\w*)?\$
""", re.X | re.S)
_COMMENT_MARK = re.compile(r"/\*|\*/")
_NAME = r"(?:query_ml|@extschema@)\.(\w+)"
_REFERENCE = re.compile(r"(?<![\w$.])" + _NAME, re.I)
_DEFINITION = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED|MATERIALIZED|RECURSIVE)\s+)*"
    r"(?:FUNCTION|PROCEDURE|AGGREGATE|VIEW|TABLE|SEQUENCE|TYPE|DOMAIN)\s+(?:IF\s+NOT\s+EXISTS\s+)?" + _NAME, re.I)
# A trigger's name is not schema-qualified; only its table tells two apart.
_TRIGGER = re.compile(r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\s+(\w+)\s(?:(?!;).)*?\bON\s+" + _NAME,
                      re.I | re.S)


def _comment_end(text, start):
    """Where the block comment that starts at start ends (block comments nest)."""
    depth = 0
    for mark in _COMMENT_MARK.finditer(text, start):
        depth += 1 if mark.group() == "/*" else -1
        if depth == 0:
            return mark.end()
    return len(text)


def code_only(text):
    """text without its comments and string literals."""
    out, pos = [], 0
    while (token := _TOKEN.search(text, pos)):
        out.append(text[pos:token.start()])
        word, pos = token.group(), token.end()
        if word == "/*":
            out.append(" ")
            pos = _comment_end(text, token.start())
        elif word.startswith('"'):
            out.append(word)
        elif word.startswith("$"):
            end = text.find(word, pos)
            end = len(text) if end < 0 else end
            out.append(word + code_only(text[pos:end]) + word)
            pos = end + len(word)
        elif not word.startswith("--"):
            out.append("''")
    out.append(text[pos:])
    return "".join(out)


def defined_objects(code):
    """Keys of the objects code creates: query_ml.name, or trigger name on query_ml.table."""
    names = {f"query_ml.{name.lower()}" for name in _DEFINITION.findall(code)}
    triggers = {f"trigger {name.lower()} on query_ml.{table.lower()}" for name, table in _TRIGGER.findall(code)}
    return names | triggers


def referenced_objects(code):
    return {f"query_ml.{name.lower()}" for name in _REFERENCE.findall(code)}


def owners(codes):
    """{object: the file that creates it}; an object created by two files is an error."""
    owner = {}
    for path, code in codes.items():
        for key in sorted(defined_objects(code)):
            if owner.setdefault(key, path) != path:
                raise BuildError(f"{key} is created in two files: {shown(owner[key])} and {shown(path)}",
                                 "create each object in one file only, its overloads included: the build order "
                                 "follows names to the file that creates them")
    return owner


def dependencies(codes):
    """{file: {file it needs: [the objects it names from there]}}."""
    owner = owners(codes)
    needs = {}
    for path, code in codes.items():
        needs[path] = {}
        for key in sorted(referenced_objects(code)):
            if owner.get(key, path) != path:
                needs[path].setdefault(owner[key], []).append(key)
    return needs


def cycle_error(needs, left):
    """A BuildError naming the files of one cycle among left, files that each need another of left."""
    path, seen = min(left), []
    while path not in seen:
        seen.append(path)
        path = min(p for p in needs[path] if p in left)
    cycle = seen[seen.index(path):] + [path]
    steps = "\n".join(f"  {shown(a)} names {', '.join(needs[a][b])} from {shown(b)}" for a, b in zip(cycle, cycle[1:]))
    return BuildError(f"sql/ files need each other's objects in a cycle:\n{steps}",
                      "move the objects of the cycle into one file, in an order that works")


def dependency_order(paths):
    """paths, each after the files whose objects it names; ties keep the order of paths.

    A file that creates nothing (grants, drops of retired objects) speaks about the objects of
    the others, so it comes after all of them.
    """
    paths = list(paths)
    codes = {path: code_only(path.read_text()) for path in paths}
    needs = dependencies(codes)
    position = {path: (not defined_objects(codes[path]), i) for i, path in enumerate(paths)}
    waiting = {path: set(needed) for path, needed in needs.items()}
    users = {path: [] for path in paths}
    for path, needed in needs.items():
        for other in needed:
            users[other].append(path)
    ready = [(position[path], path) for path in paths if not waiting[path]]
    heapq.heapify(ready)
    order = []
    while ready:
        _, path = heapq.heappop(ready)
        order.append(path)
        for user in users[path]:
            waiting[user].discard(path)
            if not waiting[user]:
                heapq.heappush(ready, (position[user], user))
    if len(order) < len(paths):
        raise cycle_error(needs, set(paths) - set(order))
    return order


def render(path, version, lib_dir):
    text = path.read_text()
    loader = LOADER.format(version=version, lib_dir=f"{lib_dir}/{version}")
    text = text.replace(LOAD_MARKER, loader)
    return f"-- {path.relative_to(ROOT)}\n{text.rstrip()}\n"


def released_versions():
    return sorted((p.name[len("query_ml--"):-len(".sql")] for p in RELEASED.glob("query_ml--*.sql")),
                  key=version_key)


# Put into a frozen script, after its header: its functions import the package of their own
# version, which make install takes from the git history, and a clone without it cannot provide.
RELEASE_CHECK = """
-- Added by scripts/build_sql.py: this version runs only with its own Python package.
DO $check$
import os
try:
    with open(os.path.join({package!r}, 'query_ml', '__init__.py')) as init:
        found = {version_line!r} in init.read()
except OSError:
    found = False
if not found:
    # Read as "query_ml: <message>", as query_ml.errors.fail would raise it.
    error = type('query_ml', (plpy.Error,), {{'__module__': 'builtins'}})({message!r})
    error.sqlstate, error.detail, error.hint = '58P01', {detail!r}, {hint!r}
    raise error
$check$ LANGUAGE plpython3u;
"""


def release_check(version, lib_dir):
    """The statement that refuses to create version when its Python package is missing."""
    package = f"{lib_dir}/{version}"
    return RELEASE_CHECK.format(
        package=package, version_line=f'__version__ = "{version}"',
        message=f"version {version} cannot be created without its python package",
        detail=f"Its functions import query_ml {version} from {package}, which does not hold it.",
        hint=f"Create the current version, or run make install from a git clone that holds the history of {version}.")


def released_script(version, lib_dir):
    """A frozen install script for this machine: its library folder, and the check above after its header."""
    text = (RELEASED / f"query_ml--{version}.sql").read_text().replace(LIB_DIR_MARKER, lib_dir)
    header, stop, rest = text.partition("\\quit\n")     # psql stops at \quit: the check comes after it
    if not stop:
        header, rest = "", text
    return header + stop + release_check(version, lib_dir) + rest


def build(target, lib_dir):
    """Return the text of the script that brings the extension to target."""
    if target in released_versions() and target != control_version():
        return released_script(target, lib_dir)
    if "--" in target:
        start, end = target.split("--")
    else:
        start, end = None, target
    if end != control_version():
        raise BuildError(f"only the current version {control_version()} can be built, not {end}",
                         "an earlier version is built from its frozen script in migrations/released/")
    versions = [
        v for v in migration_versions()
        if version_key(v) <= version_key(end) and (start is None or version_key(v) > version_key(start))
    ]
    parts = [
        f'-- query_ml {target}: generated by scripts/build_sql.py from migrations/ and sql/; do not edit.\n'
        '\\echo Use "CREATE EXTENSION query_ml" to load this file. \\quit\n'
    ]
    for v in versions:
        parts += [render(p, end, lib_dir) for p in sql_files(ROOT / "migrations" / v)]
    parts += [render(p, end, lib_dir) for p in dependency_order(sql_files(ROOT / "sql"))]
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="VERSION for an install script, FROM--TO for an update script")
    parser.add_argument("--lib-dir", default="/usr/local/lib/query_ml")
    parser.add_argument("--out", type=pathlib.Path)
    parser.add_argument("--list-updates", action="store_true",
                        help="print the update targets FROM--TO for every earlier version")
    parser.add_argument("--list-released", action="store_true",
                        help="print the earlier versions whose install scripts are kept")
    parser.add_argument("--freeze", action="store_true",
                        help="keep the current version's install script in migrations/released/")
    args = parser.parse_args()
    current = control_version()
    if args.list_updates:
        print(" ".join(f"{v}--{current}" for v in migration_versions() if version_key(v) < version_key(current)))
        return
    if args.list_released:
        print(" ".join(v for v in released_versions() if v != current))
        return
    if args.freeze:
        args.target, args.lib_dir, args.out = current, LIB_DIR_MARKER, RELEASED / f"query_ml--{current}.sql"
    try:
        text = build(args.target, args.lib_dir.rstrip("/"))
    except BuildError as error:
        sys.exit(f"build_sql: {error}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)


if __name__ == "__main__":
    main()
