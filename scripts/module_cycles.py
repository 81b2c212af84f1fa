#!/usr/bin/env python3
"""Lists import cycles between the modules of each crate (a module's `crate::…` paths, test
modules excluded). Exit 1 when a cycle exists. Usage: python3 scripts/module_cycles.py"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def modules(src: pathlib.Path):
    mods = {}
    for f in src.rglob("*.rs"):
        rel = f.relative_to(src).with_suffix("")
        parts = [p for p in rel.parts if p not in ("lib", "main")]
        if parts and parts[-1] == "mod":
            parts = parts[:-1]
        text = f.read_text()
        # Drop `#[cfg(test)] mod tests { … }` (to the end of the file, where they live).
        cut = re.search(r"#\[cfg\(test\)\]\s*mod \w+", text)
        text = text[: cut.start()] if cut else text
        # Doc links, comments and imports for docs only are not imports.
        text = re.sub(r"#\[cfg\(doc\)\]\s*use [^;]*;", "", text)
        mods["::".join(parts)] = re.sub(r"//[^\n]*", "", text)
    return mods


def edges(mods):
    names = sorted(mods, key=len, reverse=True)
    out = {m: set() for m in mods}
    for m, text in mods.items():
        paths = re.findall(r"crate::((?:\w+::)*\w+)", text)
        for block in re.findall(r"crate::\{([^}]*)\}", text):
            paths += [p.strip() for p in block.split(",")]
        for p in paths:
            target = next((n for n in names if n and (p == n or p.startswith(n + "::"))), None)
            if target is None or target == m:
                continue
            # A module reaching into its own children is not a cycle; ancestors count.
            if target.startswith(m + "::") and m:
                continue
            out[m].add(target)
    return out


def cycles(graph):
    found, state = [], {}

    def visit(n, stack):
        state[n] = 1
        stack.append(n)
        for t in sorted(graph.get(n, ())):
            if state.get(t) == 1:
                found.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t, stack)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [])
    return found


bad = 0
for src in sorted(ROOT.glob("crates/*/src")):
    for c in cycles(edges(modules(src))):
        bad += 1
        print(f"{src.parent.name}: " + " -> ".join(x or "(root)" for x in c))
sys.exit(1 if bad else 0)
