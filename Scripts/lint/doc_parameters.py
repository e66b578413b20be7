#!/usr/bin/env python3
"""Every public function or initialiser that takes more than one argument documents them with
a DocC `- Parameters:` list (issue 14; the house style of docs/ARCHITECTURE.md).

    python3 Scripts/lint/doc_parameters.py [--report] [Sources/...]

Exits 1 and lists each offender as file:line when one lacks it; --report prints the coverage
per module. A rough Swift reader: a declaration's parameter list is its first balanced
parenthesis group; its doc comment is the run of `///` lines above it (attributes skipped).
"""
import os
import re
import sys

DECLARATION = re.compile(r"^\s*(?:@[\w().: ]+\s+)*public\s+(?:(?:static|mutating|nonisolated|override|final|convenience|required)\s+)*(func\s+[^\s(<]+|init[?!]?)\s*[(<]")


def parameter_count(text):
    """Top-level parameters in the first balanced (...) of `text`."""
    start = text.index("(")
    depth, count, seen = 0, 0, False
    for char in text[start:]:
        if char in "([{<":
            depth += 1
        elif char in ")]}>":
            depth -= 1
            if depth == 0:
                break
        elif char == "," and depth == 1:
            count += 1
        elif depth >= 1 and not char.isspace():
            seen = True
    return count + 1 if seen else 0


def check(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    results = []
    for index, line in enumerate(lines):
        match = DECLARATION.match(line)
        if not match:
            continue
        # Join continuation lines until the parameter list closes.
        text, end = line, index
        while text.count("(") > text.count(")") and end + 1 < len(lines):
            end += 1
            text += " " + lines[end]
        text = re.sub(r"<[^()]*>\s*\(", "(", text, count=1)  # generic parameter clause
        if parameter_count(text) < 2:
            continue
        name = match.group(1).split()[-1]
        if match.group(1).startswith("func") and not (name[0].isalpha() or name[0] == "_"):
            continue  # operators (==, <) are documented by the protocol they implement
        above, comment = index - 1, []
        while above >= 0 and (lines[above].strip().startswith("@") or lines[above].strip().startswith("///")):
            if lines[above].strip().startswith("///"):
                comment.append(lines[above])
            above -= 1
        documented = any("- Parameters:" in entry for entry in comment)
        results.append((path, index + 1, match.group(1), documented))
    return results


def main():
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    roots = arguments or ["Sources"]
    results = []
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                if name.endswith(".swift"):
                    results += check(os.path.join(folder, name))
    if "--report" in sys.argv:
        modules = {}
        for path, _, _, documented in results:
            module = path.split(os.sep)[1] if path.startswith("Sources") else path
            done, total = modules.get(module, (0, 0))
            modules[module] = (done + documented, total + 1)
        for module, (done, total) in sorted(modules.items()):
            print(f"{module}: {done} of {total} public multi-argument declarations have '- Parameters:'")
    missing = [r for r in results if not r[3]]
    for path, line, name, _ in missing:
        print(f"{path}:{line}: public {name} takes several arguments but its doc comment has no '- Parameters:' list")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
