#!/usr/bin/env python3
"""Binder links for the course, built from course.toml (the one place owner/name/branch live).

    python3 tools/links.py badge                 # README badge: the whole course on Binder
    python3 tools/links.py links                 # one direct Binder link per chapter
    python3 tools/links.py update [--missing-only] [NOTEBOOK ...]
                                                 # write the "Open in Binder" line into notebooks
    python3 tools/links.py check                 # exit 1 if a notebook's line is missing or stale
                                                 # (or course.toml's [hub] section is malformed)
    python3 tools/links.py hub                   # one nbgitpuller link per chapter (tools/hub.py)
    python3 tools/links.py table [--resources benchmarks/notebook_resources.json]
    python3 tools/links.py colab                 # one "Open in Colab" link per chapter
    python3 tools/links.py colab-apply [NOTEBOOK ...]
                                                 # Colab badge + guarded setup cell (tools/colab.py)
                                                 # markdown chapter table for the README

`update` puts one line, `[![Open in Binder](badge)](link to this notebook)`, at the top of each
notebook's first markdown cell (or replaces the line already there). Only that cell's `source`
changes: outputs, execution counts and metadata stay as they are, and the file is written the way
nbformat writes it (indent=1, ensure_ascii=False, trailing newline). A notebook whose file is not
already in that layout is refused (nothing written) unless --reformat is given, so the tool never
makes a diff larger than the one line. Running `update` twice changes nothing the second time.

Standard library only (Python 3.11+), so it runs before any venv exists.
"""
import argparse
import json
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "course.toml"
NOTEBOOKS = ROOT / "notebooks"
RESOURCES = ROOT / "benchmarks" / "notebook_resources.json"

BADGE_SVG = "https://mybinder.org/badge_logo.svg"
LABEL = "Open in Binder"
# The line `update` writes and recognises: the badge image linking to mybinder.org.
LINK_LINE = re.compile(r"^\[!\[" + re.escape(LABEL) + r"\]\([^)]*\)\]\(https://mybinder\.org/v2/[^)\s]*\)\s*$")


def load_config(path=CONFIG):
    """Read course.toml and return {"owner", "name", "branch"}; explain what is missing."""
    path = Path(path)
    if not path.exists():
        raise SystemExit(f"{path} not found: it holds the repository owner/name/branch for the Binder links.")
    with path.open("rb") as f:
        data = tomllib.load(f)
    repo = data.get("repository", {})
    missing = [key for key in ("owner", "name", "branch") if not str(repo.get(key, "")).strip()]
    if missing:
        raise SystemExit(f"{path}: [repository] needs {', '.join(missing)} (e.g. owner = \"cnn-course\").")
    return {key: str(repo[key]).strip() for key in ("owner", "name", "branch")}


def binder_url(config, notebook=None):
    """mybinder.org link for the repository; with `notebook` (path relative to the repository root,
    e.g. "notebooks/01_why_cnns.ipynb") it opens that notebook in JupyterLab directly."""
    base = "https://mybinder.org/v2/gh/{owner}/{name}/{branch}".format(
        owner=quote(config["owner"], safe=""), name=quote(config["name"], safe=""),
        branch=quote(config["branch"], safe=""))
    target = notebook if notebook is not None else "notebooks"
    return f"{base}?urlpath=lab/tree/{quote(Path(target).as_posix(), safe='/')}"


def badge_markdown(config):
    """The README badge: opens the course's notebooks folder on Binder."""
    return f"[![Binder]({BADGE_SVG})]({binder_url(config)})"


def link_line(config, notebook_relpath):
    """The one-line link written at the top of a notebook's first markdown cell."""
    return f"[![{LABEL}]({BADGE_SVG})]({binder_url(config, notebook_relpath)})"


def relpath(path, root=ROOT):
    """Path of a notebook relative to the repository root, in URL form (forward slashes)."""
    return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()


def chapter_notebooks(folder=NOTEBOOKS):
    """The chapter notebooks (notebooks/*.ipynb, not checkpoints), sorted by name."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if p.is_file())


def nbformat_dumps(nb):
    """Serialise like nbformat: indent=1, ensure_ascii=False, trailing newline (key order kept)."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def first_markdown_cell(nb):
    """Index of the first markdown cell, or None."""
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "markdown":
            return i
    return None


def cell_text(cell):
    """A cell's source as one string (on disk it is a list of lines or a string)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def current_link(nb):
    """The link line at the top of the first markdown cell, or None if it has none."""
    index = first_markdown_cell(nb)
    if index is None:
        return None
    first_line = cell_text(nb["cells"][index]).split("\n", 1)[0]
    return first_line.rstrip() if LINK_LINE.match(first_line) else None


def with_link(text, line):
    """Markdown text with `line` as its first line: replaces an old link line, else inserts
    the line followed by a blank line (so the badge is its own paragraph)."""
    first, newline, rest = text.partition("\n")
    if LINK_LINE.match(first):
        return line + newline + rest
    return line + "\n\n" + text if text else line


def set_cell_text(cell, text):
    """Store `text` in the cell in the same form the source had (list of lines or one string)."""
    if isinstance(cell.get("source"), list):
        cell["source"] = text.splitlines(True)
    else:
        cell["source"] = text


def update_notebook(path, config, missing_only=False, reformat=False, root=ROOT):
    """Write the Binder line into one notebook. Returns what happened: "added", "updated",
    "unchanged", "kept" (had a link, --missing-only), or raises ValueError with the reason."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    if not reformat and nbformat_dumps(nb) != raw:
        raise ValueError(f"{path} is not laid out the way nbformat writes notebooks (indent=1); writing it "
                         f"would change more than the link line. Save it with Jupyter (or nbformat) first, "
                         f"or pass --reformat.")
    index = first_markdown_cell(nb)
    if index is None:
        raise ValueError(f"{path} has no markdown cell to hold the Binder link; add a title cell first.")
    line = link_line(config, relpath(path, root))
    old = current_link(nb)
    if old == line:
        return "unchanged"
    if old is not None and missing_only:
        return "kept"
    cell = nb["cells"][index]
    set_cell_text(cell, with_link(cell_text(cell), line))
    path.write_text(nbformat_dumps(nb), encoding="utf-8")
    return "added" if old is None else "updated"


def check_notebooks(paths, config, root=ROOT):
    """List of problems: notebooks whose first markdown cell lacks the configured link line."""
    problems = []
    for path in paths:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        want = link_line(config, relpath(path, root))
        got = current_link(nb)
        if got is None:
            problems.append(f"{relpath(path, root)}: no Binder link at the top of the first markdown cell")
        elif got != want:
            problems.append(f"{relpath(path, root)}: Binder link {got!r} does not match course.toml "
                            f"(want {want!r})")
    return problems


def chapter_title(nb, fallback):
    """The first markdown heading of the notebook (without the #s), else `fallback`."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for line in cell_text(cell).splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return fallback


def load_resources(path=RESOURCES):
    """Measured peak memory and run time per notebook (written by benchmarks/notebook_resources.py)."""
    path = Path(path)
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("notebooks", {})


def chapter_table(config, paths, resources, root=ROOT):
    """Markdown table: chapter, Binder link, peak memory, run time (figures only where measured)."""
    rows = ["| Chapter | Binder | Peak memory | Run time |", "|---|---|---|---|"]
    for path in paths:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        rel = relpath(path, root)
        title = chapter_title(nb, Path(path).stem).replace("|", "\\|")
        title = re.sub(r"^Chapter (\d+):\s*", r"\1 ", title)  # "Chapter 01: Why CNNs?" -> "01 Why CNNs?"
        figures = resources.get(Path(path).name, {})
        if figures.get("status") == "ok":
            memory = f"{figures['peak_rss_mib']:.0f} MiB"
            seconds = f"{figures['run_time_s']:.0f} s" if figures["run_time_s"] >= 10 else f"{figures['run_time_s']:.1f} s"
        else:
            memory = seconds = "not measured" if not figures else f"failed ({figures.get('status')})"
        rows.append(f"| [{title}]({rel}) | [{LABEL}]({binder_url(config, rel)}) | {memory} | {seconds} |")
    return "\n".join(rows)


def hub_problems(config_path=CONFIG):
    """course.toml's [hub] section (the nbgitpuller links, tools/hub.py): [] if valid, else why not."""
    sys.path.insert(0, str(ROOT / "tools"))
    import hub
    try:
        hub.load_hub_config(config_path)
    except ValueError as error:
        return [f"course.toml [hub]: {error}"]
    return []


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(CONFIG), help="course config (default: course.toml)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("badge", help="print the README badge")
    sub.add_parser("links", help="print one Binder link per chapter")
    update = sub.add_parser("update", help="write the Open-in-Binder line into notebooks")
    update.add_argument("notebooks", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    update.add_argument("--missing-only", action="store_true",
                        help="only notebooks without a link line; leave existing (even stale) ones")
    update.add_argument("--reformat", action="store_true",
                        help="write notebooks even if their JSON layout differs from nbformat's")
    sub.add_parser("check", help="exit 1 if any notebook's link is missing or stale")
    sub.add_parser("colab", help="print one Open-in-Colab link per chapter (tools/colab.py)")
    colab_apply = sub.add_parser("colab-apply", help="write the Colab badge and guarded setup cell into notebooks")
    colab_apply.add_argument("notebooks", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    sub.add_parser("hub", help="print one nbgitpuller link per chapter (course.toml [hub])")
    table = sub.add_parser("table", help="print the markdown chapter table")
    table.add_argument("--resources", default=str(RESOURCES),
                       help="measured figures (default: benchmarks/notebook_resources.json)")
    args = parser.parse_args(argv)
    config = load_config(args.config)

    if args.command == "badge":
        print(badge_markdown(config))
    elif args.command == "links":
        for path in chapter_notebooks():
            print(f"{path.stem}: {binder_url(config, relpath(path))}")
    elif args.command == "update":
        paths = [Path(p) for p in args.notebooks] or chapter_notebooks()
        failed = 0
        for path in paths:
            try:
                result = update_notebook(path, config, args.missing_only, args.reformat)
            except ValueError as error:
                print(f"error: {error}", file=sys.stderr)
                failed += 1
                continue
            print(f"{result:9s} {relpath(path)}")
        return 1 if failed else 0
    elif args.command == "check":
        problems = check_notebooks(chapter_notebooks(), config) + hub_problems(args.config)
        for problem in problems:
            print(problem)
        if problems:
            print("Fix: python3 tools/links.py update", file=sys.stderr)
            return 1
        print(f"All {len(chapter_notebooks())} notebooks link to {binder_url(config)}")
    elif args.command in ("colab", "colab-apply"):
        import colab  # tools/colab.py, beside this file
        if args.command == "colab":
            for path in chapter_notebooks():
                print(f"{path.stem}: {colab.colab_url(config, relpath(path))}")
        else:
            for path in [Path(p) for p in args.notebooks] or chapter_notebooks():
                changed = colab.apply(path, config, ROOT)
                print(f"{'updated' if changed else 'unchanged':9s} {relpath(path)}")
            print("Re-run them now: python3 course.py refresh notebooks/*.ipynb")
    elif args.command == "hub":
        sys.path.insert(0, str(ROOT / "tools"))
        import hub
        return hub.main(["--config", args.config, "links"])
    elif args.command == "table":
        print(chapter_table(config, chapter_notebooks(), load_resources(args.resources)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
