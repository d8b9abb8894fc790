#!/usr/bin/env python3
"""The course on a JupyterHub: nbgitpuller links per chapter, and the student edition as a git branch.

    python3 tools/hub.py links                    # one nbgitpuller link per chapter
    python3 tools/hub.py table                    # markdown table of those links (TEACHING.md)
    python3 tools/hub.py check                    # exit 1 if course.toml's [hub] section is malformed
    python3 tools/hub.py publish [--repo PATH] [--branch NAME]
                                                  # commit the student edition onto a branch
    python3 course.py student-edition             # the same as `publish`, through course.py

The links open a chapter of the STUDENT EDITION (made by tools/student_copy.py: no solutions,
exercise outputs cleared), never of this repository, whose notebooks/solutions/ nbgitpuller would
otherwise pull into every student's home. `publish` writes that edition as one new commit on the
branch named in course.toml (default `student`) of this repository, on top of the branch's previous
commit, so the history is continuous and nbgitpuller merges each update into the students' homes.
It uses a temporary index: the working tree, the index and the checked-out branch are untouched.
The teacher then pushes the branch (`git push origin student`).

Standard library only (Python 3.11+).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import student_copy  # noqa: E402  (tools/ is not a package)

CONFIG = ROOT / "course.toml"
NOTEBOOKS = ROOT / "notebooks"
PLACEHOLDER_HOSTS = ("hub.example.edu",)
REPO_SCHEMES = ("https", "http", "file", "ssh", "git")


def repo_folder(repository):
    """The folder nbgitpuller clones into by default: the repository's last path part, minus .git.
    "https://github.com/o/course.git" -> "course"."""
    tail = repository.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return tail[:-4] if tail.endswith(".git") else tail


def check_hub_url(url):
    """The hub's base URL (no trailing slash) or ValueError saying what is wrong and how to fix it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"[hub] url = {url!r} is not a hub address: it must start with https:// (or http://) "
                         f"and name a host, e.g. url = \"https://hub.school.edu\".")
    if parts.query or parts.fragment:
        raise ValueError(f"[hub] url = {url!r} has a ?query or #fragment: give only the hub's base "
                         f"address, e.g. \"https://hub.school.edu\" (the links add /hub/user-redirect/...).")
    if "/hub/" in parts.path + "/" or parts.path.rstrip("/").endswith("/user-redirect"):
        raise ValueError(f"[hub] url = {url!r} contains /hub/...: give the base address only "
                         f"(what students type before /hub/login).")
    return url.strip().rstrip("/")


def check_repository(repository):
    """The student edition's git URL or ValueError: it must be a URL git can clone from the hub."""
    repository = repository.strip()
    parts = urlsplit(repository)
    scp_like = "@" in repository.split(":", 1)[0] and ":" in repository and "://" not in repository
    if not scp_like and (parts.scheme not in REPO_SCHEMES or not (parts.netloc or parts.scheme == "file")
                         or not parts.path.strip("/")):
        raise ValueError(f"[hub] repository = {repository!r} is not a git URL the hub can clone: use e.g. "
                         f"\"https://github.com/OWNER/NAME\" (or file:///path for a repository on the hub).")
    if any(c.isspace() for c in repository):
        raise ValueError(f"[hub] repository = {repository!r} contains white space.")
    return repository


def load_hub_config(path=CONFIG):
    """course.toml's [hub] section, checked: {"url", "repository", "branch", "folder", "placeholder"}."""
    path = Path(path)
    with path.open("rb") as f:
        data = tomllib.load(f)
    hub = data.get("hub")
    if not hub:
        raise ValueError(f"{path} has no [hub] section: add url, repository and branch (see TEACHING.md).")
    missing = [key for key in ("url", "repository", "branch") if not str(hub.get(key, "")).strip()]
    if missing:
        raise ValueError(f"{path}: [hub] needs {', '.join(missing)} (see the comments in course.toml).")
    branch = str(hub["branch"]).strip()
    if any(c.isspace() or c in "~^:?*[\\" for c in branch) or branch.startswith("-"):
        raise ValueError(f"[hub] branch = {branch!r} is not a valid git branch name.")
    config = {"url": check_hub_url(str(hub["url"])), "repository": check_repository(str(hub["repository"])),
              "branch": branch}
    config["folder"] = str(hub.get("folder", "")).strip() or repo_folder(config["repository"])
    config["placeholder"] = urlsplit(config["url"]).hostname in PLACEHOLDER_HOSTS
    return config


def nbgitpuller_url(config, notebook):
    """The link that pulls the student edition into the student's home and opens `notebook`
    (path inside the repository, e.g. "notebooks/03_conv_layer_padding_stride.ipynb") in JupyterLab."""
    target = f"lab/tree/{config['folder']}/{Path(notebook).as_posix()}"
    query = urlencode({"repo": config["repository"], "branch": config["branch"], "urlpath": target},
                      quote_via=quote, safe="")
    return f"{config['url']}/hub/user-redirect/git-pull?{query}"


def chapter_links(config, folder=NOTEBOOKS):
    """[(notebook file name, link)] for every chapter notebook."""
    return [(p.name, nbgitpuller_url(config, f"notebooks/{p.name}"))
            for p in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))]


def links_table(config, folder=NOTEBOOKS):
    """Markdown table: chapter notebook, its nbgitpuller link."""
    rows = ["| Chapter | Open on your JupyterHub (nbgitpuller) |", "|---|---|"]
    rows += [f"| {name} | [pull and open]({url}) |" for name, url in chapter_links(config, folder)]
    return "\n".join(rows)


def git(repo, *args, env=None, input=None):
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                            env=env, input=input)
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {repo}: {result.stderr.strip()}")
    return result.stdout.strip()


def publish(repo=ROOT, branch="student", root=ROOT, message=None):
    """Commit the student edition of `root` onto `branch` of the git repository `repo`.
    Returns (commit, changed): changed is False when the edition is identical to the branch tip
    (then nothing is committed). Raises RuntimeError if `repo` is not a git repository."""
    repo = Path(repo)
    git(repo, "rev-parse", "--git-dir")
    try:
        parent = git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}")
    except RuntimeError:
        parent = None
    with tempfile.TemporaryDirectory() as tmp:
        edition = Path(tmp) / "edition"
        student_copy.make_student_copy(edition, root=root)
        if (edition / "notebooks" / student_copy.SOLUTIONS).exists():  # never publish solutions
            raise RuntimeError("the student copy contains notebooks/solutions/; refusing to publish")
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(tmp) / "index"), GIT_WORK_TREE=str(edition))
        git(repo, "add", "--all", "--force", ".", env=env)
        tree = git(repo, "write-tree", env=env)
        if parent and git(repo, "rev-parse", f"{parent}^{{tree}}") == tree:
            return parent, False
        source = git(root, "rev-parse", "--short", "HEAD") if (Path(root) / ".git").exists() else "?"
        message = message or f"Student edition of {source} (tools/hub.py publish: no solutions, exercise outputs cleared)"
        commit = git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
        git(repo, "update-ref", f"refs/heads/{branch}", commit, *([parent] if parent else []))
    return commit, True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(CONFIG), help="course config (default: course.toml)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("links", help="print one nbgitpuller link per chapter")
    sub.add_parser("table", help="print the markdown table of nbgitpuller links")
    sub.add_parser("check", help="exit 1 if course.toml's [hub] section is malformed")
    pub = sub.add_parser("publish", help="commit the student edition onto a git branch")
    pub.add_argument("--repo", default=str(ROOT), help="git repository to commit into (default: this one)")
    pub.add_argument("--branch", help="branch name (default: [hub] branch in course.toml)")
    args = parser.parse_args(argv)
    try:
        config = load_hub_config(args.config)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.command == "links":
        for name, url in chapter_links(config):
            print(f"{name}: {url}")
    elif args.command == "table":
        print(links_table(config))
    elif args.command == "check":
        note = " (placeholder: set [hub] url to your hub's address)" if config["placeholder"] else ""
        print(f"[hub] ok: {len(chapter_links(config))} chapter links to {config['url']}{note}, "
              f"pulling {config['repository']} branch {config['branch']} into ~/{config['folder']}")
    elif args.command == "publish":
        branch = args.branch or config["branch"]
        try:
            commit, changed = publish(args.repo, branch)
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        state = "committed" if changed else "unchanged (nothing to commit)"
        print(f"student edition {state}: {branch} = {commit[:12]}\nnext: git push origin {branch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
