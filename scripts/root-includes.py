#!/usr/bin/env python3
"""Rewrites every quoted #include of a file under src/ as its path from src/ ("core/at/atchannel.h").

Includes by bare file name ("atchannel.h", "module/modulecontroller.h") hide which way a dependency points;
a path from src/ shows it (DESIGN.md, "Layout"). Each include is resolved as the compiler resolved it
before: the including file's folder first, then src/, src/core/, src/gui/, src/sim/ (and, for tests, the
test support folders, whose includes stay as they are). Generated headers (ui_*.h, *.moc, moc_*.cpp) are
left alone. Files are rewritten in place; run scripts/check-format.sh --fix afterwards (the include order
changes).

    scripts/root-includes.py [--root DIR] [--check] [PATH...]

With PATHs, only those files or folders (for a branch that still has includes the old way); --check
rewrites nothing and exits 1 when something would change.
"""
import argparse
import os
import re
import sys

INCLUDE = re.compile(r'^(\s*#\s*include\s*)"([^"]+)"(.*)$')
SRC_ROOTS = ["src", "src/core", "src/gui", "src/sim"]
TEST_ROOTS = ["tests/common", "tests/unit", "tests/support", "tests/secrets"]


def resolve(root, including, name):
    """The repository path the include names, or None; raises on a name two roots could mean."""
    beside = os.path.normpath(os.path.join(os.path.dirname(including), name))
    if os.path.isfile(os.path.join(root, beside)):
        return beside
    roots = SRC_ROOTS + (TEST_ROOTS if including.startswith("tests/") else [])
    found = []
    for r in roots:
        candidate = os.path.normpath(os.path.join(r, name))
        if os.path.isfile(os.path.join(root, candidate)) and candidate not in found:
            found.append(candidate)
    if len(found) > 1:
        raise ValueError(f'{including}: "{name}" could be {" or ".join(found)}')
    return found[0] if found else None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.path.dirname(here))
    parser.add_argument("--check", action="store_true")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    root = os.path.abspath(args.root)

    targets = []
    for p in args.paths or ["src", "tests"]:
        full = os.path.join(root, p) if not os.path.isabs(p) else p
        if os.path.isfile(full):
            targets.append(os.path.relpath(full, root))
            continue
        for folder, _, names in os.walk(full):
            if "/fixtures" in folder.replace(os.sep, "/"):
                continue  # trees made to test the checks, never compiled
            for n in sorted(names):
                if n.endswith((".h", ".cpp")):
                    targets.append(os.path.relpath(os.path.join(folder, n), root))

    changed_files = 0
    changed_includes = 0
    problems = []
    for rel in sorted(targets):
        path = os.path.join(root, rel)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        changed = False
        for i, line in enumerate(lines):
            m = INCLUDE.match(line)
            if not m:
                continue
            head, name, tail = m.groups()
            base = os.path.basename(name)
            if base.startswith(("ui_", "moc_")) or base.endswith(".moc"):
                continue
            try:
                target = resolve(root, rel, name)
            except ValueError as e:
                problems.append(str(e))
                continue
            if target is None:
                problems.append(f'{rel}:{i + 1}: "{name}" is no file here')
                continue
            if not target.startswith("src/"):
                continue
            rooted = target[len("src/"):]
            if rooted != name:
                lines[i] = f'{head}"{rooted}"{tail}'
                changed = True
                changed_includes += 1
        if changed:
            changed_files += 1
            if not args.check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(lines))
    for p in problems:
        print(p, file=sys.stderr)
    verb = "would change" if args.check else "changed"
    print(f"root-includes: {verb} {changed_includes} includes in {changed_files} of {len(targets)} files")
    if problems:
        return 2
    return 1 if args.check and changed_files else 0


if __name__ == "__main__":
    sys.exit(main())
