"""The course on a real JupyterHub: nbgitpuller links, the student edition, five students at once.

Fast checks (always run): the nbgitpuller links built from course.toml, clear errors for a malformed
hub URL or repository, `tools/hub.py publish` (the student edition as a git branch, no solutions,
continuous history), the Helm values file and the guide showing deploy/jupyterhub_config.py.

The hub test (test_five_students_on_a_real_hub) runs JupyterHub 6.1.1 (requirements-hub.txt) with
configurable-http-proxy (npm) on loopback ports, configured by deploy/jupyterhub_config.py exactly as
docs/hub.md shows it: PAM authentication against five real system users that the test creates
(random passwords) in a new group, one LocalProcessSpawner JupyterLab per student running the
course's .venv. Five headless Chromium browsers log in at the same time, open chapter 03's
nbgitpuller link (pointing at a local git repository holding the student edition), run all cells,
work every widget (the Play button included) and check the picture changes and no error appears.
Then: no solutions in any home; a student cannot read another's home (OS) nor reach another's server
(hub); a student's saved edit survives a teacher's update to another chapter and to the same
notebook (nbgitpuller merges with -Xours: the student's lines win); merged notebooks are valid JSON.
Per-student peak memory and CPU time (all processes of that user: server + kernel) are written
to artifacts/hub/report.json with the CPU model.

Needs root (useradd/userdel), Chromium + Playwright (as tests/test_browser.py), and
requirements-hub.txt in the course venv plus configurable-http-proxy (.ci/setup-hub does all this).
Skipped with the reason otherwise, except with CNNLIB_REQUIRE_HUB=1 (set by .ci/run): then it fails.
Every process is stopped by PID and every user, group and home removed, also when the test fails.
"""
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import hub as hubtool  # noqa: E402  (tools/hub.py)
import student_copy  # noqa: E402

CONFIG_FILE = ROOT / "deploy" / "jupyterhub_config.py"
VALUES_FILE = ROOT / "deploy" / "z2jh-values.yaml"
GUIDE = ROOT / "docs" / "hub.md"
VENV_BIN = Path(sys.executable).parent
CHAPTER = "notebooks/03_conv_layer_padding_stride.ipynb"
OTHER_CHAPTER = "notebooks/05_pooling_flatten_dense.ipynb"
STUDENTS = 5
REQUIRED = os.environ.get("CNNLIB_REQUIRE_HUB", "") == "1"
ARTIFACTS = ROOT / "artifacts" / "hub"


def write_config(path, hub_url="https://hub.school.edu", repository="https://github.com/o/course", branch="student"):
    path.write_text(f'[hub]\nurl = "{hub_url}"\nrepository = "{repository}"\nbranch = "{branch}"\n')
    return path


# ---------------------------------------------------------------- links and configuration (fast)

def test_links_open_each_chapter_of_the_student_edition(tmp_path):
    config = hubtool.load_hub_config(write_config(tmp_path / "c.toml", "https://hub.school.edu/"))
    links = dict(hubtool.chapter_links(config))
    assert sorted(links) == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    parts = urlsplit(links["03_conv_layer_padding_stride.ipynb"])
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.school.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {"repo": ["https://github.com/o/course"], "branch": ["student"],
                                     "urlpath": ["lab/tree/course/notebooks/03_conv_layer_padding_stride.ipynb"]}


def test_course_toml_hub_section_is_valid_and_marked_as_placeholder():
    config = hubtool.load_hub_config()
    assert config["placeholder"], "course.toml's [hub] url should stay the documented placeholder"
    assert config["branch"] != "main", "the links must pull the student edition, not the teacher's branch"
    assert subprocess.run([sys.executable, str(ROOT / "tools" / "hub.py"), "check"]).returncode == 0


@pytest.mark.parametrize("url, message", [("hub.school.edu", "must start with https://"),
                                          ("https://hub.school.edu/hub/login", "base address only"),
                                          ("https://hub.school.edu/?x=1", "query")])
def test_malformed_hub_url_is_explained(tmp_path, url, message):
    with pytest.raises(ValueError, match=message):
        hubtool.load_hub_config(write_config(tmp_path / "c.toml", url))


@pytest.mark.parametrize("repository", ["github.com/o/course", "https://github.com", "not a url"])
def test_malformed_repository_is_explained(tmp_path, repository):
    with pytest.raises(ValueError, match="not a git URL the hub can clone"):
        hubtool.load_hub_config(write_config(tmp_path / "c.toml", repository=repository))


def test_missing_hub_section_is_explained(tmp_path):
    (tmp_path / "c.toml").write_text('[repository]\nowner = "o"\n')
    with pytest.raises(ValueError, match=r"no \[hub\] section"):
        hubtool.load_hub_config(tmp_path / "c.toml")


def test_links_check_reports_a_malformed_hub_section(tmp_path, capsys):
    import links
    bad = tmp_path / "c.toml"
    bad.write_text((ROOT / "course.toml").read_text().replace('url = "https://hub.example.edu"', 'url = "hub"'))
    assert links.main(["--config", str(bad), "check"]) == 1
    assert "must start with https://" in capsys.readouterr().out
    assert links.main(["--config", str(ROOT / "course.toml"), "check"]) == 0


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


def make_edition_repo(path):
    path.mkdir(parents=True)
    git(path, "init", "--quiet")
    return path


def test_publish_commits_the_student_edition_without_solutions(tmp_path):
    repo = make_edition_repo(tmp_path / "course")
    first, changed = hubtool.publish(repo, "student")
    assert changed
    files = git(repo, "ls-tree", "-r", "--name-only", "student").splitlines()
    assert CHAPTER in files and "cnnlib/__init__.py" in files
    assert not [f for f in files if f.startswith("notebooks/solutions")]
    again, changed = hubtool.publish(repo, "student")
    assert (again, changed) == (first, False), "publishing an unchanged course must not add a commit"
    # The branch grows by one commit per change, so nbgitpuller can merge it into students' homes.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "artifacts", "__pycache__"))
    (source / "README.md").write_text((source / "README.md").read_text() + "\nTeacher's note.\n")
    second, changed = hubtool.publish(repo, "student", root=source)
    assert changed and git(repo, "rev-parse", f"{second}^") == first
    assert git(repo, "status", "--porcelain") == "", "publish must not touch the work tree or index"


def test_helm_values_are_valid_yaml_with_the_keys_the_guide_names():
    values = yaml.safe_load(VALUES_FILE.read_text())
    single = values["singleuser"]
    assert single["memory"]["limit"] and single["memory"]["guarantee"]
    assert single["image"]["name"] and single["defaultUrl"] == "/lab"
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    auth = values["hub"]["config"]
    assert auth["JupyterHub"]["authenticator_class"] == "ltiauthenticator.lti13.auth.LTI13Authenticator"
    assert {"issuer", "authorize_url", "jwks_endpoint", "client_id"} <= set(auth["LTI13Authenticator"])
    guide = GUIDE.read_text()
    for key in ("singleuser.memory.limit", "singleuser.memory.guarantee", "cull.timeout", "LTI13Authenticator",
                "deploy/z2jh-values.yaml"):
        assert key in guide, f"docs/hub.md should name {key}"


def test_guide_shows_the_config_the_hub_test_runs():
    text = CONFIG_FILE.read_text()
    assert f"```python\n{text}```" in GUIDE.read_text(), \
        "docs/hub.md must show deploy/jupyterhub_config.py verbatim (copy the file into its python block)"


# ---------------------------------------------------------------- the real hub

def find_proxy():
    candidates = [os.environ.get("CNNLIB_HUB_PROXY"), str(ROOT / ".ci" / "node_modules" / ".bin" / "configurable-http-proxy"),
                  shutil.which("configurable-http-proxy")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def missing_reason():
    from test_browser import missing_reason as browser_missing
    reasons = []
    if os.geteuid() != 0 or not shutil.which("useradd"):
        reasons.append("not root with useradd (the test creates real system users)")
    if not (VENV_BIN / "jupyterhub").exists() or not (VENV_BIN / "jupyterhub-singleuser").exists():
        reasons.append(f"jupyterhub is not installed in {VENV_BIN.parent} "
                       "(.venv/bin/python -m pip install -r requirements-hub.txt)")
    if find_proxy() is None:
        reasons.append("configurable-http-proxy not found (npm install --prefix .ci configurable-http-proxy@5.3.0)")
    reasons.append(browser_missing() or "")
    return "; ".join(r for r in reasons if r) or None


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, **kw)


class Hub:
    """A JupyterHub on loopback with real users; stop() ends every process and removes every user."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cnnlib-hub-"))
        self.dir.chmod(0o755)  # students must traverse it to their homes and to the edition repository
        tag = secrets.token_hex(3)
        self.group = f"cnnhub{tag}"
        self.users = {f"cnnhub{tag}s{i}": secrets.token_urlsafe(12) for i in range(1, STUDENTS + 1)}
        self.created_users, self.process, self.proxy_pid, self.daemon = [], None, None, None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def create_users(self):
        run("groupadd", self.group)
        for name, password in self.users.items():
            # -K UMASK=0077: the home is created 0700, so no other student can read it (docs/hub.md).
            run("useradd", "--create-home", "--home-dir", str(self.dir / "home" / name), "--gid", self.group,
                "--shell", "/bin/bash", "-K", "UMASK=0077", name)
            self.created_users.append(name)
            run("chpasswd", input=f"{name}:{password}\n")

    def serve_edition(self, repo):
        """Serve the edition repository with `git daemon` on loopback (read-only) and return its URL.
        (A file:// URL does not work: git refuses a repository owned by another user.)"""
        port = free_port()
        self.daemon = subprocess.Popen(["git", "daemon", "--listen=127.0.0.1", f"--port={port}", "--reuseaddr",
                                        "--export-all", "--informative-errors", f"--base-path={self.dir}", str(repo)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"git://127.0.0.1:{port}/{repo.name}"
        for _ in range(40):
            if run("git", "ls-remote", url, check=False).returncode == 0:
                return url
            time.sleep(0.25)
        raise RuntimeError("git daemon did not answer")

    def start(self):
        (self.dir / "state").mkdir(mode=0o700)
        (self.dir / "home").mkdir(mode=0o755)
        self.create_users()
        env = dict(os.environ, CNNLIB_HUB_VENV=str(VENV_BIN.parent), CNNLIB_HUB_IP="127.0.0.1",
                   CNNLIB_HUB_PORT=str(self.port), CNNLIB_HUB_API_PORT=str(free_port()),
                   CNNLIB_HUB_PROXY_API_PORT=str(free_port()), CNNLIB_HUB_STATE=str(self.dir / "state"),
                   CNNLIB_HUB_GROUP=self.group, CNNLIB_HUB_CULL_S="0",
                   CNNLIB_HUB_EXTRA_ARGS="--LabApp.expose_app_in_browser=True",
                   PATH=f"{Path(find_proxy()).parent}:{VENV_BIN}:{os.environ['PATH']}")
        env.pop("CNNLIB_QUICK", None)
        self.log = open(self.dir / "state" / "jupyterhub.log", "w")
        self.process = subprocess.Popen([str(VENV_BIN / "jupyterhub"), "-f", str(CONFIG_FILE)], cwd=self.dir / "state",
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited: {self.logtail()}")
            try:
                urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2)
                pid_file = self.dir / "state" / "jupyterhub-proxy.pid"
                self.proxy_pid = int(pid_file.read_text()) if pid_file.exists() else None
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"jupyterhub did not answer within 90 s: {self.logtail()}")

    def logtail(self):
        path = self.dir / "state" / "jupyterhub.log"
        return path.read_text()[-3000:] if path.exists() else ""

    def home(self, name):
        return Path(pwd.getpwnam(name).pw_dir)

    def user_processes(self):
        uids = {pwd.getpwnam(n).pw_uid: n for n in self.created_users}
        return [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real in uids]

    def browser_processes(self):
        """Chromium helpers (e.g. crashpad) that outlive their browser: their HOME is under self.dir."""
        found = []
        for proc in psutil.process_iter(["cmdline"]):
            if proc.pid != os.getpid() and str(self.dir) in " ".join(proc.info["cmdline"] or []):
                found.append(proc)
        return found

    def stop(self):
        """SIGTERM the hub (it stops the servers and the proxy), then anything left, by PID."""
        try:
            if self.daemon and self.daemon.poll() is None:
                self.daemon.terminate()
                self.daemon.wait(10)
            if self.process and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(60)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(10)
            leftovers = self.user_processes() + self.browser_processes()
            if self.proxy_pid and psutil.pid_exists(self.proxy_pid):
                leftovers.append(psutil.Process(self.proxy_pid))
            for proc in leftovers:
                try:
                    proc.kill()
                except psutil.NoSuchProcess:
                    pass
            psutil.wait_procs(leftovers, timeout=10)
        finally:
            for name in self.created_users:
                run("userdel", "--remove", name, check=False)
            run("groupdel", self.group, check=False)
            if getattr(self, "log", None):
                self.log.close()
            shutil.rmtree(self.dir, ignore_errors=True)


class Meter(threading.Thread):
    """Samples each student's processes (server + kernel): peak summed RSS and CPU time."""

    def __init__(self, hub):
        super().__init__(daemon=True)
        self.hub, self.stopped = hub, threading.Event()
        self.peak_mib = {n: 0.0 for n in hub.users}
        self.cpu_s = {n: 0.0 for n in hub.users}
        self.cpu_seen = {}

    def run(self):
        uids = {pwd.getpwnam(n).pw_uid: n for n in self.hub.users}
        while not self.stopped.wait(0.5):
            rss = {n: 0 for n in self.hub.users}
            for proc in psutil.process_iter(["uids", "memory_info", "cpu_times"]):
                uid = proc.info["uids"].real if proc.info["uids"] else None
                if uid in uids and proc.info["memory_info"]:
                    rss[uids[uid]] += proc.info["memory_info"].rss
                    times = proc.info["cpu_times"]
                    self.cpu_seen[(uids[uid], proc.pid)] = times.user + times.system
            for name, value in rss.items():
                self.peak_mib[name] = max(self.peak_mib[name], value / 2**20)
        for (name, _), seconds in self.cpu_seen.items():
            self.cpu_s[name] += seconds


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


@pytest.fixture(scope="module")
def hub():
    reason = missing_reason()
    if reason:
        if REQUIRED:
            pytest.fail(f"hub test required (CNNLIB_REQUIRE_HUB=1) but {reason}", pytrace=False)
        pytest.skip(f"hub test skipped: {reason}")
    hub = Hub()
    try:
        # The teacher's source (a copy of this course, solutions included) and the published edition.
        hub.source = hub.dir / "source"
        shutil.copytree(ROOT, hub.source, ignore=shutil.ignore_patterns(".venv", ".git", "artifacts", "__pycache__",
                                                                        ".pytest_cache", "node_modules"))
        hub.edition = make_edition_repo(hub.dir / "cnns-from-scratch")
        hubtool.publish(hub.edition, "student", root=hub.source)
        hub.config = {"url": hub.url, "repository": hub.serve_edition(hub.edition), "branch": "student",
                      "folder": "cnns-from-scratch"}
        hub.start()
        yield hub
    finally:
        hub.stop()


class DirectLab:
    def __init__(self, hub, name):
        self.base = f"{hub.url}/user/{name}/lab/tree/{hub.config['folder']}/"

    def url(self, relpath):
        return self.base + relpath


def log_in_and_pull(page, hub, name, notebook, timeout_s=600):
    """Log in (if needed) and open the chapter's nbgitpuller link; wait until JupyterLab shows it."""
    if "/hub/login" in page.url or page.url == "about:blank":
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", name)
        page.fill("#password_input", hub.users[name])
        page.click("#login_submit")
        page.wait_for_url(lambda u: "/hub/login" not in u, timeout=60_000)
    page.goto(hubtool.nbgitpuller_url(hub.config, notebook), timeout=timeout_s * 1000)
    page.wait_for_url(f"**/user/{name}/lab/tree/**", timeout=timeout_s * 1000)


JS_EDIT_AND_SAVE = """async (text) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cell = Array.from(panel.content.model.cells).find(c => (c.getMetadata('tags') || []).includes('exercise'));
  cell.sharedModel.setSource(text);
  await panel.context.save();
  return cell.sharedModel.getSource();
}"""
STUDENT_EDIT = "def output_size(n, f, p, s):\n    # my own answer, written in class\n    return (n + 2 * p - f) // s + 1\n"


def student_session(hub, name, results):
    """One student in their own Chromium: log in, pull chapter 03, run it, work its widgets."""
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM_ARGS, exercise_notebook, find_chromium
    result = results[name] = {"errors": []}
    try:
        with sync_playwright() as playwright:
            home = hub.dir / "browsers" / name  # so that stop() finds Chromium's leftover helpers
            home.mkdir(parents=True)
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS,
                                                 env={**os.environ, "HOME": str(home)})
            try:
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.goto("about:blank")
                started = time.monotonic()
                log_in_and_pull(page, hub, name, CHAPTER)
                result["pull_s"] = round(time.monotonic() - started, 1)
                result["report"] = exercise_notebook(page, DirectLab(hub, name), CHAPTER, ARTIFACTS / name)
                if name == min(hub.users):  # the first student also edits an exercise and saves
                    result["saved"] = page.evaluate(JS_EDIT_AND_SAVE, STUDENT_EDIT)
                    result["other_server"] = page.request.get(
                        f"{hub.url}/user/{max(hub.users)}/api/contents/{hub.config['folder']}").status
                    # Updates: the teacher changes another chapter, then the same notebook.
                    teacher_edit(hub.source / OTHER_CHAPTER, markdown="Teacher's update to chapter 05.")
                    hubtool.publish(hub.edition, "student", root=hub.source)
                    log_in_and_pull(page, hub, name, OTHER_CHAPTER)
                    result["after_other"] = read_home_notebooks(hub, name)
                    teacher_edit(hub.source / CHAPTER, markdown="Teacher's update to chapter 03.",
                                 exercise="def output_size(n, f, p, s):\n    # teacher's new hint\n    raise NotImplementedError\n")
                    hubtool.publish(hub.edition, "student", root=hub.source)
                    log_in_and_pull(page, hub, name, CHAPTER)
                    result["after_conflict"] = read_home_notebooks(hub, name)
            finally:
                browser.close()
    except Exception as error:  # reported by the test, with the student's name
        result["errors"].append(f"{type(error).__name__}: {error}")


def teacher_edit(path, markdown=None, exercise=None):
    """The teacher's change in the source repository: a line in the first markdown cell and/or a new
    source for the first exercise cell."""
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if markdown and cell["cell_type"] == "markdown":
            cell["source"] = ("".join(cell["source"]) + "\n\n" + markdown).splitlines(True)
            markdown = None
        if exercise and "exercise" in cell["metadata"].get("tags", []):
            cell["source"] = exercise.splitlines(True)
            exercise = None
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def read_home_notebooks(hub, name):
    """The student's copies of chapters 03 and 05 as text, plus whether each loads as JSON."""
    folder = hub.home(name) / hub.config["folder"]
    out = {}
    for rel in (CHAPTER, OTHER_CHAPTER):
        text = (folder / rel).read_text()
        try:
            json.loads(text)
            out[rel] = {"text": text, "json": True}
        except ValueError as error:
            out[rel] = {"text": text, "json": False, "error": str(error)}
    return out


def test_five_students_on_a_real_hub(hub):
    results, meter = {}, Meter(hub)
    meter.start()
    threads = [threading.Thread(target=student_session, args=(hub, name, results), daemon=True) for name in hub.users]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(1500)
    meter.stopped.set()
    meter.join()
    report = {"cpu": cpu_model(), "cpus": os.cpu_count(), "students": STUDENTS, "chapter": CHAPTER,
              "wall_s": round(time.monotonic() - started, 1),
              "per_student": {n: {"peak_mib": round(meter.peak_mib[n]), "cpu_s": round(meter.cpu_s[n], 1),
                                  "pull_s": results.get(n, {}).get("pull_s")} for n in hub.users}}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))

    problems = []
    for name in hub.users:
        result = results.get(name, {"errors": ["did not finish"]})
        problems += [f"{name}: {e}" for e in result["errors"]]
        run_report = result.get("report", {})
        problems += [f"{name}: {e}" for e in run_report.get("errors", [])]
        widgets = [w for w in run_report.get("widgets", []) if w["control"]]
        if not any(w["control"] == "play" for w in widgets):
            problems.append(f"{name}: no Play widget found in chapter 03")
        problems += [f"{name}: {w['control']} {w.get('label')}: {w['detail']}" for w in widgets if not w["changed"]]
        home = hub.home(name)
        if not (home / hub.config["folder"] / CHAPTER).is_file():
            problems.append(f"{name}: chapter 03 was not pulled into {home}")
        problems += [f"{name}: solutions in the home: {p}" for p in home.rglob("solutions")]
    assert not problems, "\n".join(problems) + "\n" + hub.logtail()[-1500:]

    # Isolation: each home is 0700 and owned by its student; another student cannot list or read it.
    first, last = min(hub.users), max(hub.users)
    assert (hub.home(last).stat().st_mode & 0o077) == 0
    peek = run("runuser", "-u", first, "--", "ls", str(hub.home(last)), check=False)
    assert peek.returncode != 0 and "Permission denied" in peek.stderr
    assert results[first]["other_server"] in (403, 404), "a student reached another student's server"

    # Updates without loss.
    saved = results[first]["saved"]
    assert saved == STUDENT_EDIT
    after_other, after_conflict = results[first]["after_other"], results[first]["after_conflict"]
    assert all(v["json"] for v in list(after_other.values()) + list(after_conflict.values())), \
        {k: v.get("error") for k, v in {**after_other, **after_conflict}.items()}
    assert "Teacher's update to chapter 05." in after_other[OTHER_CHAPTER]["text"]
    assert "my own answer, written in class" in after_other[CHAPTER]["text"]
    conflict = after_conflict[CHAPTER]["text"]
    assert "my own answer, written in class" in conflict, "nbgitpuller lost the student's edit"
    assert "Teacher's update to chapter 03." in conflict, "the teacher's non-conflicting change did not arrive"
    assert "teacher's new hint" not in conflict, "expected the student's version of the conflicting cell"
