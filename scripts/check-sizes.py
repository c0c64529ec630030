#!/usr/bin/env python3
"""Checks that no file under src/ is over 600 lines and no function over 100.

A function may stay longer where splitting it costs speed: a comment within the five lines above it that
says "hot path" and names the benchmark that shows it (a program in tests/benchmarks/, e.g.
"// hot path, measured by bench_recvstream: one loop, no calls per byte") exempts it.

What is over the limits today is listed in scripts/oversize.txt, one "path" or "path function" a line
with the size it has. A listed file or function may shrink, not grow; anything over the limits and not
listed fails the check. When a listed one comes under the limit, take its line out (the check says so).

    scripts/check-sizes.py [--root DIR] [--allowed FILE] [--report] [--expect FILE]

--report prints every file and function over the limits, listed or not, and exits 0. --expect succeeds
when the problems found are exactly those FILE lists, one a line (the test of the check itself, on
tests/fixtures/sizes/ with --max-file-lines and --max-function-lines made small).
"""
import argparse
import os
import re
import sys

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 100
EXEMPT = re.compile(r"hot path.*\b(bench_\w+)")


def strip_code(text):
    """The text with comments, string and character literals and preprocessor lines blanked (newlines
    kept, so line numbers stay)."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#" :
            # A preprocessor line, with its continuations.
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append("\n")
                    i += 2
                    continue
                i += 1
            continue
        if c in " \t":
            out.append(c)
            i += 1
            continue
        at_line_start = c == "\n"
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
            continue
        m = re.match(r'R"([^(\s]*)\(', text[i:i + 40])
        if m and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = ")" + m.group(1) + '"'
            end = text.find(close, i + len(m.group(0)))
            end = n if end < 0 else end + len(close)
            out.append('""' + re.sub(r"[^\n]", "", text[i:end]))
            i = end
            continue
        if c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum() and text[i + 1:i + 2].isalnum():
                out.append(" ")  # a digit separator: 1'000'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def function_name(declaration):
    """The name a function definition's text declares ("ModuleController::onUrc"), or a short excerpt."""
    depth = 0
    for k, ch in enumerate(declaration):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(0, depth - 1)
        elif ch == "(" and depth == 0:
            m = re.search(r"((?:[\w~]+(?:<[^()]*>)?::)*(?:operator\s*[^\s(]+|~?\w+)|\])\s*$", declaration[:k])
            if m:
                return "lambda" if m.group(1) == "]" else re.sub(r"\s+", "", m.group(1))
            break
    return " ".join(declaration.split())[:60]


FUNCTION_END = re.compile(r"(\)|\}|\b(const|override|final|noexcept|mutable|volatile)|->\s*[\w:<>,\s*&]+)\s*$")


def functions(text):
    """(name, first line, last line) of each function body at namespace or class scope."""
    code = strip_code(text)
    found = []
    stack = []  # scope kinds: "namespace", "class", "function", "other"
    pending = []  # the declaration text since the last ; { } at this level
    line = 1
    starts = []
    for ch in code:
        if ch == "\n":
            line += 1
            pending.append(" ")
            continue
        inside_function = "function" in stack
        if ch == "{":
            decl = "".join(pending).strip()
            if inside_function:
                kind = "other"
            elif re.search(r"\bnamespace\b|\bextern\s*\"\"", decl) and "(" not in decl:
                kind = "namespace"
            elif re.match(r"^(template\s*<.*>\s*)?(class|struct|union|enum)\b", decl) and "(" not in decl.split(":")[0]:
                kind = "class"
            elif "(" in decl and FUNCTION_END.search(decl) and not decl.endswith("="):
                kind = "function"
                found.append([function_name(decl), line, None])
            else:
                kind = "other"
            stack.append(kind)
            starts.append(len(found) - 1 if kind == "function" else None)
            if kind != "other":
                pending = []
            else:
                pending.append(ch)
            continue
        if ch == "}":
            kind = stack.pop() if stack else "other"
            index = starts.pop() if starts else None
            if kind == "function" and index is not None:
                found[index][2] = line
            if kind == "other" and not inside_function:
                pending.append(ch)
            else:
                pending = []
            continue
        if ch == ";" and not inside_function:
            pending = []
            continue
        if not inside_function:
            pending.append(ch)
    return [(name, first, last) for name, first, last in found if last is not None]


def exemption(lines, first_line, root):
    """The benchmark named by a "hot path" comment in the five lines above `first_line`, if it exists."""
    for text in lines[max(0, first_line - 7):first_line]:
        m = EXEMPT.search(text)
        if m:
            bench = m.group(1)
            folder = os.path.join(root, "tests", "benchmarks")
            if any(os.path.isfile(os.path.join(folder, bench + ext)) for ext in (".cpp", ".py")):
                return bench
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.path.dirname(here))
    parser.add_argument("--allowed", default=None)
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--expect", default=None)
    parser.add_argument("--max-file-lines", type=int, default=MAX_FILE_LINES)
    parser.add_argument("--max-function-lines", type=int, default=MAX_FUNCTION_LINES)
    args = parser.parse_args()
    max_file, max_function = args.max_file_lines, args.max_function_lines
    allowed_file = args.allowed or os.path.join(args.root, "scripts", "oversize.txt")

    allowed = {}
    if os.path.isfile(allowed_file):
        with open(allowed_file, encoding="utf-8") as f:
            for raw in f:
                entry = raw.split("#", 1)[0].strip()
                if entry:
                    *key, size = entry.split()
                    allowed[" ".join(key)] = int(size)

    over = {}  # key -> (size, where)
    exempt = []
    src = os.path.join(args.root, "src")
    for folder, _, names in os.walk(src):
        for name in sorted(names):
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, args.root)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            lines = text.split("\n")
            count = text.count("\n")
            if count > max_file:
                over[rel] = (count, f"{rel}: {count} lines (at most {max_file})")
            for fname, first, last in functions(text):
                size = last - first + 1
                if size <= max_function:
                    continue
                bench = exemption(lines, first, args.root)
                key = f"{rel} {fname}"
                if bench:
                    exempt.append(f"{rel}:{first}: {fname}, {size} lines: a hot path ({bench})")
                    continue
                if key not in over or over[key][0] < size:
                    over[key] = (size, f"{rel}:{first}: {fname} is {size} lines (at most {max_function})")

    if args.report:
        for key in sorted(over):
            print(over[key][1] + ("" if key in allowed else "  [not in oversize.txt]"))
        for e in exempt:
            print(e)
        print(f"check-sizes: {sum(1 for k in over if ' ' not in k)} files and "
              f"{sum(1 for k in over if ' ' in k)} functions over the limits, {len(exempt)} hot paths exempt")
        return 0

    problems = []
    for key in sorted(over):
        size, message = over[key]
        if key not in allowed:
            problems.append(message)
        elif size > allowed[key]:
            problems.append(f"{message}; it was {allowed[key]}: listed ones may shrink, not grow")
    for key in sorted(allowed):
        if key not in over:
            print(f"check-sizes: \"{key}\" is within the limits now (or gone): take it out of "
                  f"{os.path.relpath(allowed_file, args.root)}")
        elif over[key][0] < allowed[key]:
            print(f"check-sizes: \"{key}\" shrank to {over[key][0]} lines: lower its size in "
                  f"{os.path.relpath(allowed_file, args.root)}")
    if args.expect:
        with open(args.expect, encoding="utf-8") as f:
            expected = [line.rstrip("\n") for line in f if line.strip()]
        for p in expected:
            if p not in problems:
                print(f"not found: {p}")
        for p in problems:
            if p not in expected:
                print(f"not expected: {p}")
        return 0 if sorted(expected) == sorted(problems) else 1
    for p in problems:
        print(p)
    print(f"check-sizes: {len(over)} over the limits ({len(allowed)} listed), {len(exempt)} hot paths exempt, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
