"""tools/links.py: every chapter carries the Binder link built from course.toml, and `update` is
idempotent and changes nothing in a notebook but that one line."""
import difflib
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import links  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "course"
CHAPTERS = links.chapter_notebooks()
CONFIG = links.load_config()


def test_config_gives_the_documented_url_shape():
    owner, name, branch = CONFIG["owner"], CONFIG["name"], CONFIG["branch"]
    assert links.binder_url(CONFIG, "notebooks/01_why_cnns.ipynb") == (
        f"https://mybinder.org/v2/gh/{owner}/{name}/{branch}?urlpath=lab/tree/notebooks/01_why_cnns.ipynb")
    assert links.badge_markdown(CONFIG) == ("[![Binder](https://mybinder.org/badge_logo.svg)]"
                                            f"(https://mybinder.org/v2/gh/{owner}/{name}/{branch}"
                                            "?urlpath=lab/tree/notebooks)")


def test_binder_uses_the_one_requirements_list():
    # repo2docker reads top-level files only when there is no binder/ folder.
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"
    assert (ROOT / "requirements.txt").is_file()


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_chapter_links_to_itself_on_binder(path):
    assert links.check_notebooks([path], CONFIG) == [], "run: python3 tools/links.py update"


def fake_config(owner="someone", name="fork", branch="dev"):
    return {"owner": owner, "name": name, "branch": branch}


def test_update_is_idempotent_and_changes_only_the_link(tmp_path):
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    path = root / "notebooks" / "01_fixture.ipynb"
    original_text = path.read_text(encoding="utf-8")
    original = json.loads(original_text)

    assert links.update_notebook(path, fake_config(), root=root) == "added"
    once = path.read_text(encoding="utf-8")
    assert links.update_notebook(path, fake_config(), root=root) == "unchanged"
    assert path.read_text(encoding="utf-8") == once  # byte for byte

    updated = json.loads(once)
    url = "https://mybinder.org/v2/gh/someone/fork/dev?urlpath=lab/tree/notebooks/01_fixture.ipynb"
    first = updated["cells"][0]
    assert first["source"][0] == f"[![Open in Binder](https://mybinder.org/badge_logo.svg)]({url})\n"
    assert first["source"][1:] == ["\n"] + original["cells"][0]["source"]
    first["source"] = original["cells"][0]["source"]
    assert updated == original  # outputs, counts, ids, metadata all kept
    # As text: exactly two lines added (the link and a blank line), nothing removed or reflowed.
    changes = [line for line in difflib.ndiff(original_text.splitlines(), once.splitlines())
               if line[:2] in ("+ ", "- ")]
    assert len(changes) == 2 and all(line.startswith("+ ") for line in changes)
    assert url in changes[0] and changes[1][2:].strip() == '"\\n",'
    assert links.check_notebooks([path], fake_config(), root=root) == []


def test_update_replaces_a_stale_link_and_missing_only_keeps_it(tmp_path):
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    path = root / "notebooks" / "01_fixture.ipynb"
    links.update_notebook(path, fake_config(branch="old"), root=root)
    problems = links.check_notebooks([path], fake_config(branch="new"), root=root)
    assert len(problems) == 1 and "does not match" in problems[0]
    assert links.update_notebook(path, fake_config(branch="new"), missing_only=True, root=root) == "kept"
    assert links.update_notebook(path, fake_config(branch="new"), root=root) == "updated"
    cell = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    text = "".join(cell["source"])
    assert text.count("mybinder.org/v2/") == 1 and "/fork/new?" in text
    assert links.check_notebooks([path], fake_config(branch="new"), root=root) == []


def test_update_refuses_a_notebook_in_another_layout(tmp_path):
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    path = root / "notebooks" / "01_fixture.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(nb, indent=2) + "\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="indent=1"):
        links.update_notebook(path, fake_config(), root=root)
    assert path.read_text(encoding="utf-8") == before
    assert links.update_notebook(path, fake_config(), reformat=True, root=root) == "added"


def test_table_lists_every_chapter_with_measured_figures_only(tmp_path):
    resources = {CHAPTERS[0].name: {"status": "ok", "peak_rss_mib": 123.4, "run_time_s": 4.56}} if CHAPTERS else {}
    table = links.chapter_table(CONFIG, CHAPTERS, resources).splitlines()
    assert table[0] == "| Chapter | Binder | Peak memory | Run time |"
    assert len(table) == 2 + len(CHAPTERS)
    if CHAPTERS:
        assert "| 123 MiB | 4.6 s |" in table[2]
        assert all("not measured" in row for row in table[3:])
