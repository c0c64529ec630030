#!/usr/bin/env python3
"""Checks that every #include under src/ points the way the layers allow (docs/ARCHITECTURE.md).

Each quoted include is resolved to the file the compiler would read (the including file's folder first,
then the include roots src/, src/core/, src/gui/, src/sim/), and each Qt include to its Qt module. A
dependency the rules below do not allow, an include that resolves to no file or to more than one, is
reported with the file and line; the exit status is 1 when there is any.

    scripts/check-layers.py [--root DIR] [--qt-headers DIR] [--rooted] [--expect FILE]

--root is the folder that holds src/ (the repository by default); --qt-headers the folder that holds
QtCore/, QtGui/, QtWidgets/… (found with qtpaths6 or in Debian's place by default). --rooted also
requires every include of a file under src/ to be written as its path from src/ ("core/at/atchannel.h";
scripts/root-includes.py rewrites them). With --expect the
check succeeds when it finds exactly the problems FILE lists, one a line (to test the check itself). The
ctest test `layering` runs it on the sources and `layering_finds_violations` on tests/fixtures/layering/.
"""
import argparse
import os
import re
import subprocess
import sys

# Folders (relative to src/) in order: a file belongs to the first one its path starts with.
# For each: the folders it may include from, and the Qt modules it may use beyond QtCore, QtNetwork,
# QtSerialPort and QtSql (and the standard library); "uic" allows Designer forms (ui_<form>.h).
LAYERS = [
    # The AT channel knows no MQTT: framing, commands, timeouts.
    ("core/at", {"core/at"}, set()),
    # The QMT command set as data, over the AT layer.
    ("core/qmt", {"core/at", "core/qmt"}, set()),
    # Recording is a library of its own (Qt SQL); the rest of the core does not know it.
    ("core/recording", {"core"}, set()),
    # The rest of the core: no GUI, no virtual module, no recording.
    ("core", {"core/at", "core/qmt", "core/module", "core/secrets", "core/serial", "core/tls", "core/provisioning"},
     set()),
    # The virtual module: the core's spec table and parsers, nothing of the GUI.
    ("sim", {"core", "sim"}, set()),
    # Item models: plain data and Qt Gui (colours, fonts), no widgets, no controller wiring.
    ("gui/models", {"core", "gui/models"}, {"QtGui"}),
    # Profiles and their secrets, without widgets: what the Configuration panel shows and edits.
    ("gui/profiles", {"core", "gui/profiles"}, set()),
    # Widgets, panels, dialogs; the GUI embeds the virtual module as a port.
    ("gui", {"core", "sim", "gui"}, {"QtGui", "QtWidgets", "QtCharts", "qt6keychain", "uic"}),
    # Thin programs: each uses only the layers it needs.
    ("app/common", {"core", "app/common"}, set()),
    ("app/decode", {"core", "app/common", "app/decode"}, set()),
    ("app/sim", {"core", "sim", "app/common", "app/sim"}, set()),
    ("app/studio", {"core", "sim", "gui", "app/common", "app/studio"}, {"QtGui", "QtWidgets"}),
    ("app", {"core", "app"}, set()),
]
INCLUDE_ROOTS = ["", "core", "gui", "sim"]
QT_ALWAYS = {"QtCore", "QtNetwork", "QtSerialPort", "QtSql"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def layer_of(path):
    for name, allowed, qt in LAYERS:
        if path == name or path.startswith(name + "/"):
            return name, allowed, qt
    return None, set(), set()


def under(path, folders):
    return any(path == f or path.startswith(f + "/") for f in folders)


def find_qt_headers():
    try:
        out = subprocess.run(["qtpaths6", "--query", "QT_INSTALL_HEADERS"], capture_output=True, text=True,
                             check=True).stdout.strip()
        if out and os.path.isdir(out):
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    for guess in ("/usr/include/x86_64-linux-gnu/qt6", "/usr/include/aarch64-linux-gnu/qt6", "/usr/include/qt6"):
        if os.path.isdir(guess):
            return guess
    return None


def qt_class_headers(qt_headers):
    """{"QWidget": "QtWidgets", …}: the module of each class header; the first module wins a name two share."""
    modules = {}
    for module in sorted(os.listdir(qt_headers), reverse=True):
        folder = os.path.join(qt_headers, module)
        if module.startswith("Qt") and os.path.isdir(folder):
            for name in os.listdir(folder):
                if name.startswith("Q"):
                    modules[name] = module
    return modules


def qt_module(name, class_headers):
    """The Qt module of an angle include ("QtWidgets" for <QWidget> or <QtWidgets/qwidget.h>), or None."""
    if "/" in name:
        first = name.split("/", 1)[0]
        return first if first.startswith("Qt") or first == "qt6keychain" else None
    return class_headers.get(name)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.path.dirname(here))
    parser.add_argument("--qt-headers", default=None)
    parser.add_argument("--expect", default=None)
    parser.add_argument("--rooted", action="store_true")
    args = parser.parse_args()
    src = os.path.join(args.root, "src")
    qt_headers = args.qt_headers or find_qt_headers()
    class_headers = qt_class_headers(qt_headers) if qt_headers and os.path.isdir(qt_headers) else {}
    if class_headers.get("QString") != "QtCore" or class_headers.get("QWidget") != "QtWidgets":
        print(f"check-layers: no Qt headers (QtCore/QString, QtWidgets/QWidget) in {qt_headers}; give the folder"
              " that holds QtCore/ with --qt-headers", file=sys.stderr)
        return 2

    sources = []
    for folder, _, names in os.walk(src):
        for n in names:
            if n.endswith((".h", ".cpp")):
                sources.append(os.path.relpath(os.path.join(folder, n), src))
    sources.sort()
    known = set(sources)
    forms = os.path.join(args.root, "ui")

    problems = []
    checked = 0
    for rel in sources:
        layer, allowed, qt_allowed = layer_of(rel)
        if layer is None:
            problems.append(f"src/{rel}: not in any layer of scripts/check-layers.py")
            continue
        with open(os.path.join(src, rel), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                checked += 1
                kind, name = m.groups()
                where = f"src/{rel}:{number}"
                if kind == "<":
                    module = qt_module(name, class_headers)
                    if module and module not in QT_ALWAYS and module not in qt_allowed:
                        problems.append(f"{where}: {layer} may not use {module} (#include <{name}>)")
                    continue
                if name.startswith("ui_") and name.endswith(".h"):
                    if "uic" not in qt_allowed:
                        problems.append(f"{where}: {layer} may not include a Designer form ({name})")
                    elif not os.path.isfile(os.path.join(forms, name[3:-2] + ".ui")):
                        problems.append(f"{where}: no form ui/{name[3:-2]}.ui for {name}")
                    continue
                # As the compiler does: the including file's folder first, then the include roots (where a
                # name found under two roots depends on the order of -I options: an error).
                beside = os.path.normpath(os.path.join(os.path.dirname(rel), name))
                found = [beside] if beside in known else []
                for base in INCLUDE_ROOTS if not found else []:
                    target = os.path.normpath(os.path.join(base, name))
                    if target in known and target not in found:
                        found.append(target)
                if not found:
                    problems.append(f"{where}: \"{name}\" is no file under src/")
                    continue
                if len(found) > 1:
                    problems.append(f"{where}: \"{name}\" could be any of " + ", ".join("src/" + t for t in found)
                                    + "; write the path from src/")
                    continue
                target = found[0]
                if args.rooted and target != os.path.normpath(name):
                    problems.append(f"{where}: write \"{target}\", the path from src/ (\"{name}\")")
                if not under(target, allowed):
                    target_layer = layer_of(target)[0]
                    problems.append(f"{where}: {layer} may not include {target_layer} (\"{name}\" is src/{target})")

    print(f"check-layers: {len(sources)} files, {checked} includes, {len(problems)} problem(s)")
    if args.expect:
        with open(args.expect, encoding="utf-8") as f:
            expected = [line.rstrip("\n") for line in f if line.strip()]
        missed = [p for p in expected if p not in problems]
        extra = [p for p in problems if p not in expected]
        for p in missed:
            print(f"not found: {p}")
        for p in extra:
            print(f"not expected: {p}")
        return 1 if missed or extra else 0
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
