"""Write this repository's .github/workflows/check.yml and publish.yml from the new-city templates.

The demo city's workflows are the ones `portal init` gives a city, rendered with
`workflows.REPOSITORY` (the generator installed from this checkout by `make setup`) and the demo's
time zone. Edit generator/scaffold/workflows/, then run:

    python scripts/render_workflows.py           # write the files
    python scripts/render_workflows.py --check   # exit 1 if they differ from the templates
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.authoring import workflows
from generator.inputs import folder  # noqa: E402


def rendered(root: Path = REPO) -> dict[str, str]:
    timezone = folder.read_settings(root).timezone
    return workflows.workflow_files(folder.package_texts("scaffold"), workflows.REPOSITORY, timezone)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="only compare; exit 1 if a file differs")
    args = p.parse_args(argv)
    stale = []
    for path, text in rendered().items():
        target = REPO / path
        current = target.read_text("utf-8") if target.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
            print(f"wrote {path}")
    if args.check and stale:
        print("out of date with generator/scaffold/workflows/: " + ", ".join(stale)
              + "\nrun python scripts/render_workflows.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
