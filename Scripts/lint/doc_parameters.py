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


def signature_key(text):
    """`name(label:label:)` of the first declaration in `text`."""
    name = re.search(r"(func\s+[^\s(<]+|init[?!]?)", text).group(1).split()[-1]
    inside = text[text.index("(") + 1:]
    depth, current, labels = 0, "", []
    for char in inside:
        if char in "([{<":
            depth += 1
        elif char in ")]}>":
            if depth == 0:
                break
            depth -= 1
        if char == "," and depth == 0:
            labels.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        labels.append(current)
    return name + "(" + "".join(label.split(":")[0].split()[0] + ":" for label in labels if label.strip()) + ")"


def documented_requirements(paths):
    """Keys of protocol requirements documented with '- Parameters:' (implementations inherit
    the protocol's documentation in DocC)."""
    keys = set()
    for path in paths:
        lines = open(path, encoding="utf-8").read().split("\n")
        depth, in_protocol = 0, False
        for index, line in enumerate(lines):
            if re.match(r"^\s*(public\s+|package\s+)?protocol\s", line):
                in_protocol, depth = True, 0
            if in_protocol:
                if re.match(r"^\s*(mutating\s+)?(func\s|init)", line) and "(" in line:
                    above, documented = index - 1, False
                    while above >= 0 and lines[above].strip().startswith("///"):
                        documented |= "- Parameters:" in lines[above]
                        above -= 1
                    if documented:
                        keys.add(signature_key(line))
                depth += line.count("{") - line.count("}")
                if depth <= 0 and "}" in line:
                    in_protocol = False
    return keys


def check(path, inherited=frozenset()):
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
        if signature_key(text) in inherited:
            continue  # implements a documented protocol requirement
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
    paths = []
    for root in roots:
        for folder, _, files in os.walk(root):
            paths += [os.path.join(folder, name) for name in sorted(files) if name.endswith(".swift")]
    inherited = documented_requirements(paths)
    results = []
    for path in paths:
        results += check(path, inherited)
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
