#!/usr/bin/env python3
"""Import cycles between modules: each file of a crate is a module, and a mention of
`crate::a::b` (or `super::x` in a sub-module, grouped `{…}` paths included) is an edge to the
module it names. Re-exports (`pub use`) and glob imports of a parent (`use super::*`) are a
module's front door, not a dependency; tests are left out. Prints every
cycle (strongly connected group of modules) and exits 1 if a crate that must be acyclic has one.

    tests/layers/check.py crates/core/src crates/server/src src  # must be acyclic
    tests/layers/check.py --report src                            # prints only
"""
import re
import sys
from pathlib import Path

REF = re.compile(r"\bcrate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)")
SUPER = re.compile(r"\bsuper::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)")


def modules(root: Path) -> dict[str, Path]:
    out = {}
    for f in root.rglob("*.rs"):
        rel = f.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "mod":
            parts = parts[:-1]
        if parts in (["lib"], ["main"]) or (parts and parts[0] == "bin"):
            continue
        out["::".join(parts)] = f
    return out


def code(f: Path) -> str:
    text = f.read_text()
    # Tests may reach anywhere; comments and strings are not imports.
    text = re.split(r"#\[cfg\(test\)\]\s*mod tests", text)[0]
    text = re.sub(r"//.*", "", text)
    return text


def resolve(path: str, mods: dict) -> str | None:
    parts = path.split("::")
    while parts:
        name = "::".join(parts)
        if name in mods:
            return name
        parts.pop()
    return None


def grouped(text: str, head: str) -> list[str]:
    """The paths of `head p::{a, b::{c, d}}`, as `p::a`, `p::b::c`, `p::b::d`."""
    out = []
    for m in re.finditer(re.escape(head) + r"((?:[a-z_][a-z0-9_]*::)*)\{", text):
        i, depth = m.end(), 1
        start = i
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out += [m.group(1) + x for x in expand(text[start : i - 1])]
    return out


def expand(body: str) -> list[str]:
    items, depth, cur = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        cur += ch
    items.append(cur)
    out = []
    for item in (x.strip() for x in items):
        if "::{" in item:
            head, rest = item.split("::{", 1)
            out += [f"{head}::{x}" for x in expand(rest.rsplit("}", 1)[0])]
        elif item:
            out.append(item.split(" as ")[0].strip())
    return out


def graph(root: Path) -> dict[str, set[str]]:
    mods = modules(root)
    edges = {m: set() for m in mods}
    for m, f in mods.items():
        text = code(f)
        targets = REF.findall(text) + grouped(text, "crate::")
        parent = m.rsplit("::", 1)[0] if "::" in m else ""
        supers = SUPER.findall(text) + grouped(text, "super::")
        targets += [f"{parent}::{p}" if parent else p for p in supers]
        # A parent that uses its child's items (`child::x`, `self::child::x`) depends on it;
        # declaring `mod child;` or re-exporting (`pub use child::…`, the module's front door)
        # does not.
        own = re.sub(r"pub(?:\([a-z]+\))? use [^;]*;", "", text)
        named = set(re.findall(r"\bself::([a-z_][a-z0-9_]*)", own))
        named |= {p.split("::")[0] for p in grouped(own, "self::")}
        for child in (c for c in mods if c.startswith(m + "::") and "::" not in c[len(m) + 2 :]):
            name = child.rsplit("::", 1)[1]
            if name in named or re.search(rf"(?<![a-z0-9_:]){name}::", own):
                targets.append(child)
        for t in targets:
            r = resolve(t, mods)
            if r and r != m:
                edges[m].add(r)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return out


def main(argv: list[str]) -> int:
    report_only = "--report" in argv
    roots = [a for a in argv if not a.startswith("--")]
    failed = False
    for root in roots:
        found = cycles(graph(Path(root)))
        for c in found:
            print(f"{root}: import cycle: {' ↔ '.join(c)}")
        if found and not report_only:
            failed = True
        if not found:
            print(f"{root}: no import cycles")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
