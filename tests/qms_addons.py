"""Our addons, discovered from the repository (never a hand-kept list).

An addon is a top-level folder with a ``__manifest__.py``; the order is the
order of their dependencies among each other (an addon after those it depends
on), names breaking ties.
"""

import ast
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def manifests(root=REPO_ROOT):
    """{addon: manifest dict} of the addons of the repository."""
    result = {}
    for path in sorted(Path(root).glob("*/__manifest__.py")):
        manifest = ast.literal_eval(path.read_text(encoding="utf-8"))
        if manifest.get("installable", True):
            result[path.parent.name] = manifest
    return result


def our_addons(root=REPO_ROOT):
    """The addons of the repository, each after the addons of ours it depends on."""
    found = manifests(root)
    ordered, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for dep in found[name].get("depends", []):
            if dep in found:
                visit(dep)
        ordered.append(name)

    for name in found:
        visit(name)
    return tuple(ordered)


ADDONS = our_addons()


if __name__ == "__main__":  # scripts/common.sh: one addon a line
    print("\n".join(ADDONS))
