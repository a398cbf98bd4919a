"""``sopkit serve``: the edit loop over real HTTP.

Each test starts a server on a free port (port 0), fetches pages with
``http.client`` (so the request line is sent exactly as written, ``..`` and
all), edits files and polls the page until it shows the change, with a
timeout: no sleep-and-hope.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sopkit.build import build_site
from sopkit.build.cache import Cache
from sopkit.build.serve import (
    VERSION_PATH,
    SiteServer,
    Watcher,
    _wrong_host,
    content_type,
    host_allowed,
    is_loopback,
    reload_html,
    safe_path,
    what_changed,
)
from sopkit.render.pdf import Printer

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "processes" / "en"
TIMEOUT = 120.0
NAME = "Content marketing — blog post"
NEW = "Content marketing — blog factory"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "processes"
    folder.mkdir()
    for name in ("content-marketing.yaml", "roles.yaml"):
        shutil.copy(ENGLISH / name, folder / name)
    return folder


def _fetch(
    url: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """GET ``path`` sent verbatim (no client-side normalisation), with ``headers``
    (a ``Host`` among them replaces the one the client would send)."""
    parts = urlsplit(url)
    given = headers or {}
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host="Host" in given, skip_accept_encoding=True)
        for name, value in given.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def _get(url: str, path: str) -> tuple[int, str]:
    """GET ``path`` sent verbatim (no client-side normalisation)."""
    status, _, body = _fetch(url, path)
    return status, body.decode("utf-8", "replace")


def _until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting until {what}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[SiteServer, Path]]:
    folder = _copy(tmp_path)
    lines: list[str] = []
    server = SiteServer(
        [folder],
        tmp_path / "site",
        port=0,
        cache=Cache(tmp_path / "cache"),
        diagrams=False,
        echo=lines.append,
    )
    thread = threading.Thread(target=server.run, kwargs={"poll": 0.05}, daemon=True)
    thread.start()
    try:
        _until(lambda: server.state.read()[0] >= 1, "the first build is done")
        yield server, folder
    finally:
        server.stop()
        thread.join(TIMEOUT)


def test_an_edit_shows_on_the_page(served: tuple[SiteServer, Path]) -> None:
    server, folder = served
    status, page = _get(server.url, "/processes/content-marketing.html")
    assert status == 200 and NAME in page
    path = folder / "content-marketing.yaml"
    text = path.read_text()
    assert f"name: {NAME}" in text
    path.write_text(text.replace(f"name: {NAME}", f"name: {NEW}", 1))
    _until(
        lambda: NEW in _get(server.url, "/processes/content-marketing.html")[1],
        "the SOP shows the new name",
    )
    _until(lambda: NEW in _get(server.url, "/")[1], "the dashboard shows it")


def test_served_pages_reload_and_the_files_stay_as_built(
    served: tuple[SiteServer, Path], tmp_path: Path
) -> None:
    server, folder = served
    version, _ = server.state.read()
    status, page = _get(server.url, "/processes/content-marketing.html")
    nonce = re.search(r"<script nonce=\"([^\"]+)\">", page)
    assert nonce is not None and "/__sopkit__/version" in page
    assert f"script-src 'nonce-{nonce.group(1)}'" in page  # the page's policy allows it
    assert _get(server.url, "/__sopkit__/version") == (200, str(version))
    built = tmp_path / "built"
    build_site([folder], built, diagrams=False)
    on_disk = server.out_dir / "processes" / "content-marketing.html"
    assert on_disk.read_bytes() == (built / "processes" / "content-marketing.html").read_bytes()
    assert b"<script" not in on_disk.read_bytes()


def test_a_broken_file_shows_its_errors_until_it_is_fixed(
    served: tuple[SiteServer, Path],
) -> None:
    server, folder = served
    path = folder / "content-marketing.yaml"
    good = path.read_text()
    path.write_text(good + "steps: [<b>\n")
    _until(lambda: "sopkit-errors" in _get(server.url, "/")[1], "the page shows the errors")
    for page in ("/", "/processes/content-marketing.html", "/no-such-page.html"):
        status, text = _get(server.url, page)
        located = re.search(r"content-marketing\.yaml:\d+:\d+: error: ", text)
        assert status == 503 and located is not None, text  # as the downloads
    assert "<b>" not in _get(server.url, "/")[1].split("sopkit-errors")[1]  # escaped
    # Files built from the old inputs are not handed out as current.
    for download in ("/cost.csv", "/cost.xlsx", "/report.pdf"):
        status, text = _get(server.url, download)
        located = re.search(r"content-marketing\.yaml:\d+:\d+: error: ", text)
        assert status == 503 and located is not None, (download, text)
    path.write_text(good)
    _until(
        lambda: (
            "sopkit-errors" not in _get(server.url, "/")[1] and NAME in _get(server.url, "/")[1]
        ),
        "the site is back",
    )
    assert _get(server.url, "/cost.csv")[0] == 200


def test_requests_outside_the_site_are_refused(
    served: tuple[SiteServer, Path], tmp_path: Path
) -> None:
    server, _ = served
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    site = server.out_dir
    (site / "processes" / "link.txt").symlink_to(secret)
    depth = "/".join([".."] * len(site.resolve().parts))
    attempts = [
        "/../secret.txt",
        "/processes/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/processes/..%2f..%2fsecret.txt",
        f"/{depth}{secret}",
        "//" + str(secret).lstrip("/"),
        "/processes/link.txt",
        "/..%5csecret.txt",
        "/%00",
        "/%ff",
    ]
    for attempt in attempts:
        status, body = _get(server.url, attempt)
        assert status in (403, 404), attempt
        assert "SECRET" not in body, attempt
    assert _get(server.url, "/cost.csv")[0] == 200


def test_safe_path_and_loopback() -> None:
    root = ROOT / "tests"
    assert safe_path(root, "/conftest.py") == (root / "conftest.py").resolve()
    assert safe_path(root, "/") == root.resolve() / "index.html"
    assert safe_path(root, "/../pyproject.toml") is None
    assert safe_path(root, "/%2e%2e/pyproject.toml") is None
    assert safe_path(root, "/" + "x" * 300) is None  # too long a name: no file of ours
    missing = root / "not-built-yet"  # before the first build: "/" is still its page
    assert safe_path(missing, "/") == missing.resolve() / "index.html"
    assert safe_path(missing, "/processes/") == missing.resolve() / "processes" / "index.html"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")


def test_reload_script_goes_before_the_last_body_end() -> None:
    page = reload_html("<html><body><p>&lt;/body&gt;</p></body></html>", 7)
    assert page.endswith("</script></body></html>")
    assert 'var seen="7"' in page
    assert reload_html("plain", 1).startswith("plain<script")


def _default_signals() -> None:
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


@pytest.mark.parametrize(
    "stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["ctrl-c", "sigterm", "sighup"]
)
def test_sopkit_serve_runs_and_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    folder = _copy(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "sopkit", "serve", str(folder), "--port", "0"]
    command += ["--no-diagram", "--cache-dir", str(tmp_path / "cache")]
    # The child takes the stop signal as a terminal would give it, even when this test
    # runs in the background (where a shell starts it with SIGINT ignored, which
    # sopkit respects).
    child = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_default_signals
    )
    try:
        assert child.stderr is not None
        first = child.stderr.readline()
        found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", first)
        assert found is not None, first
        url = found.group(1)
        lines = [first]
        while not lines[-1].startswith("built "):
            line = child.stderr.readline()
            assert line, "".join(lines)
            lines.append(line)
        status, page = _get(url, "/processes/content-marketing.html")
        assert status == 200 and NAME in page
        building = re.search(r"building (.+) \.\.\.", "".join(lines))
        assert building is not None
        site = Path(building.group(1))
        assert site.is_dir()
        child.send_signal(stop)
        _, rest = child.communicate(timeout=TIMEOUT)
        assert child.returncode == 0
        assert "Traceback" not in rest and "stopped" in rest
        assert not site.parent.exists()  # its temporary folder is gone
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stderr is not None:
            child.stderr.close()


def test_the_watcher_sees_inputs_and_not_the_site(tmp_path: Path) -> None:
    from sopkit.build.serve import Watcher

    folder = _copy(tmp_path)
    site = folder / "site"
    site.mkdir()
    watcher = Watcher([folder], skip=site)
    assert not watcher.changed()
    (site / "index.html").write_text("built")
    assert not watcher.changed()  # the site it writes is not an edit
    (folder / "roles.yaml").write_text((folder / "roles.yaml").read_text() + "\n")
    assert watcher.changed()
    assert not watcher.changed()
    (folder / "content-marketing.yaml").unlink()
    assert watcher.changed()
    # The files a build read join the watch without counting as a change (no second
    # build, no second reload); an edit to one of them afterwards is one.
    extra = tmp_path / "elsewhere.yaml"
    extra.write_text("roles: {}\n")
    watcher.watch_also([extra])
    assert not watcher.changed()
    extra.write_text("roles: {A: {rate: 1}}\n")
    assert watcher.changed()


def test_a_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    import socket

    from typer.testing import CliRunner

    from sopkit.cli import app

    folder = _copy(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        before = set(Path(tempfile.gettempdir()).glob("sopkit-serve-*"))
        done = CliRunner().invoke(app, ["serve", str(folder), "--port", str(port)])
    assert done.exit_code == 2
    assert set(Path(tempfile.gettempdir()).glob("sopkit-serve-*")) == before  # none left
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr


def test_a_build_says_what_validate_warns_about(tmp_path: Path) -> None:
    """As ``sopkit build`` does: the edit loop is where a missing done_when is fixed."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    (folder / "p.yaml").write_text(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\npurpose: Why.\n"
        "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n",
        encoding="utf-8",
    )
    lines: list[str] = []
    server = SiteServer([folder], tmp_path / "site", port=0, diagrams=False, echo=lines.append)
    try:
        assert server.build() is not None
    finally:
        server.close()
    assert any(
        line.startswith(f"{folder / 'p.yaml'}:8:")
        and ": warning: step 'a' has no done_when" in line
        for line in lines
    ), lines
    assert lines[-1].startswith("built 1 process in ")


def test_the_next_builds_printer_starts_after_a_build_and_stops_with_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every build's report prints in a child Python (even a small portfolio's: Ctrl-C
    can stop a child, not WeasyPrint in a thread); serve starts the next one as soon
    as a build is done, so WeasyPrint is imported while the user edits, and keeps it
    waiting when a build took report.pdf from the cache."""
    from sopkit.build import serve as serve_module

    used: list[object] = []
    real_build = serve_module.build_site

    def build_site(*args: object, **kwargs: object) -> object:
        used.append(kwargs["printer"])
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(serve_module, "build_site", build_site)
    folder = _copy(tmp_path)
    server = SiteServer(
        [folder],
        tmp_path / "site",
        port=0,
        cache=Cache(tmp_path / "cache"),
        diagrams=False,
        echo=lambda _: None,
    )
    try:
        assert server.build() is not None
        first = used[0]
        assert isinstance(first, Printer) and not first.unused  # it printed the first report
        spare = server._printer
        assert spare is not None and spare is not first
        assert server.build() is not None  # nothing changed: report.pdf from the cache
        assert used[-1] is spare and server._printer is spare and spare.unused
        path = folder / "content-marketing.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(NAME, NEW), encoding="utf-8")
        assert server.build() is not None  # printed by the spare, and a new one waits
        assert used[-1] is spare and server._printer is not spare and not spare.unused
        assert (tmp_path / "site" / "report.pdf").read_bytes().startswith(b"%PDF")
        waiting = server._printer
    finally:
        server.close()
    assert server._printer is None
    for printer in (spare, waiting):  # one printed, the other was stopped
        assert printer is not None and printer._child is not None
        assert printer._child.returncode is not None


def test_a_missing_page_reloads_when_a_build_makes_it(tmp_path: Path) -> None:
    """A tab opened before the first build is done, or on a process renamed and back,
    gets a page that polls for the next build (a plain 404 would stop there)."""
    folder = _copy(tmp_path)
    server = SiteServer([folder], tmp_path / "site", port=0, diagrams=False, echo=lambda _: None)
    try:
        server.serve_in_background()
        status, body = _get(server.url, "/")
        assert status == 503 and "Building the site" in body and VERSION_PATH in body
        for download in ("/cost.csv", "/processes/content-marketing.png", "/report.pdf"):
            status, body = _get(server.url, download)  # not "404": it is being made
            assert (status, body) == (
                503,
                "sopkit: the site is being built; try again in a moment\n",
            )
        assert server.build() is not None
        assert _get(server.url, "/")[0] == 200
        status, body = _get(server.url, "/processes/renamed.html")
        assert status == 404 and "/processes/renamed.html" in body and VERSION_PATH in body
        status, body = _get(server.url, "/processes/renamed.png")
        assert (status, body) == (404, "404 Not Found\n")  # not a page: no script
    finally:
        server.close()


def test_a_build_waits_while_another_build_writes_the_folder(tmp_path: Path) -> None:
    """A build of the -o folder started before the server marked it as served: the
    server's build tries again until it is done, instead of showing an error until the
    next edit."""
    folder = _copy(tmp_path)
    holder = (  # another build: holds the folder until told to finish
        "import sys\n"
        "from pathlib import Path\n"
        "from sopkit.build.publish import Publication\n"
        "with Publication(Path(sys.argv[1]), shown='site'):\n"
        "    print('locked', flush=True)\n"
        "    sys.stdin.readline()\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", holder, str((tmp_path / "site").resolve())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    lines: list[str] = []
    server: SiteServer | None = None
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        running = SiteServer([folder], tmp_path / "site", port=0, diagrams=False, echo=lines.append)
        server = running
        built: list[object] = []
        thread = threading.Thread(target=lambda: built.append(running.build()))
        thread.start()
        _until(lambda: any("another sopkit build is writing" in x for x in lines), "it waits")
        assert other.stdin is not None
        other.stdin.write("done\n")
        other.stdin.close()
        assert other.wait(timeout=60) == 0
        thread.join(TIMEOUT)
        assert built and built[0] is not None and server.state.read()[1] is None
    finally:
        if other.poll() is None:
            other.kill()
            other.wait()
        if other.stdout is not None:
            other.stdout.close()
        if server is not None:
            server.close()


def test_the_served_folder_is_not_built_by_another_process_while_serve_runs(
    tmp_path: Path,
) -> None:
    """`sopkit build -o SAME` while serve runs would replace the served site unseen (built
    with other options; the open pages never reload): it is refused, and serve's own
    builds go on. A second server on the folder is refused too."""
    from sopkit.errors import OutputError

    folder = _copy(tmp_path)
    site = tmp_path / "site"
    server = SiteServer([folder], site, port=0, diagrams=False, echo=lambda _: None)
    command = [sys.executable, "-m", "sopkit", "build", str(folder), "-o", str(site), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        assert server.build() is not None
        before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT)
        assert done.returncode == 1, done.stderr
        assert done.stderr == (
            f"{site}: error: sopkit serve is serving this folder (process {os.getpid()}); "
            "a build would replace its site unseen (stop the server (Ctrl-C) and build "
            "again, or build into another folder with -o)\n"
        )
        assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
        with pytest.raises(OutputError, match="another sopkit serve is serving this folder"):
            SiteServer([folder], site, port=0, diagrams=False, echo=lambda _: None)
        assert server.build() is not None  # its own builds go on
    finally:
        server.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processes", "site"]  # mark gone
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr  # the server is gone: the folder is free


def test_a_killed_servers_mark_holds_nothing(tmp_path: Path) -> None:
    """The mark is a lock the kernel releases however the server ends."""
    from sopkit.build.publish import served_by, work_folder

    folder = _copy(tmp_path)
    site = tmp_path / "site"
    killed = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from sopkit.build.publish import Served\n"
        "Served(Path(sys.argv[1]), shown='site')\n"
        "print(os.getpid(), flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", killed, str(site.resolve())],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIMEOUT,
    )
    assert done.returncode == -signal.SIGKILL and done.stdout.strip().isdigit()
    assert (work_folder(site.resolve()) / "served").read_text().strip() == done.stdout.strip()
    assert served_by(site.resolve()) is None
    assert build_site([folder], site, diagrams=False).processes == 1
    # Nothing else would clear the mark: the build does, with the work folder it is in.
    assert not work_folder(site.resolve()).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processes", "site"]


def test_a_server_starting_while_a_build_looks_at_the_mark_is_not_refused(
    tmp_path: Path,
) -> None:
    """A build looking whether the folder is served locks the mark for a moment; a
    server starting then is not told that another server serves the folder."""
    import fcntl

    from sopkit.build.publish import Served, work_folder

    site = (tmp_path / "site").resolve()
    mark = work_folder(site) / "served"
    mark.parent.mkdir()
    mark.write_text("", encoding="utf-8")
    looking = os.open(mark, os.O_RDONLY)
    fcntl.flock(looking, fcntl.LOCK_SH | fcntl.LOCK_NB)  # as served_by() looks
    timer = threading.Timer(0.3, os.close, (looking,))
    timer.start()
    try:
        served = Served(site, shown="site")
    finally:
        timer.join()
    try:
        assert mark.read_text().strip() == str(os.getpid())
    finally:
        served.release()
    assert not mark.parent.exists()


def test_the_log_says_what_changed_and_does_not_repeat_warnings(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "roles.yaml").write_text("roles: {Editor: {rate: 50}}\n", encoding="utf-8")
    process = folder / "p.yaml"
    process.write_text(
        "sopkit: 1\nid: p\nname: P\nowner: Editor\nfrequency: 1/month\npurpose: Why.\n"
        "steps:\n  - {id: a, name: A, owner: Editor, time: 1h}\n",
        encoding="utf-8",
    )
    watcher = Watcher([folder])
    process.write_text(process.read_text(encoding="utf-8").replace("1h", "2h"), encoding="utf-8")
    assert watcher.changed() and what_changed(watcher.last_changed) == "p.yaml changed"
    lines: list[str] = []
    server = SiteServer([folder], tmp_path / "site", port=0, diagrams=False, echo=lines.append)
    try:
        assert server.build() is not None
        first = [line for line in lines if "no done_when" in line]
        assert len(first) == 1
        lines.clear()
        assert server.build("p.yaml changed") is not None
    finally:
        server.close()
    assert lines[0].endswith("... (p.yaml changed)")
    assert not any("no done_when" in line for line in lines)
    assert "1 warning as before" in lines
    assert re.search(r"^built 1 process in [\d.]+ s at \d\d:\d\d:\d\d; serving ", lines[-1])


def test_requests_for_another_host_are_refused(served: tuple[SiteServer, Path]) -> None:
    """DNS rebinding: a page of attacker.example pointed its name at 127.0.0.1; its
    requests say so in their Host header, and get nothing but a short refusal."""
    server, _ = served
    port = urlsplit(server.url).port
    for host in ("rebind.attacker.example", f"rebind.attacker.example:{port}", "127.0.0.1.evil"):
        for path in ("/cost.json", "/", VERSION_PATH, "/processes/content-marketing.md"):
            status, headers, body = _fetch(server.url, path, {"Host": host})
            assert status == 403, (host, path)
            assert headers["Content-Type"] == "text/plain; charset=utf-8"
            assert b"localhost, 127.0.0.1 or [::1]" in body and b"rate" not in body
    for host in ("localhost", f"localhost:{port}", "127.0.0.1", f"127.0.0.1:{port}", "[::1]"):
        status, _, body = _fetch(server.url, "/cost.json", {"Host": host})
        assert status == 200 and b"rate" in body, host
    assert _fetch(server.url, "/cost.json", {"Host": f"[::1]:{port}"})[0] == 200
    assert _fetch(server.url, "/cost.json", {"Host": "localhost:9999"})[0] == 200  # a tunnel


def test_a_server_bound_elsewhere_answers_its_own_address(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    server = SiteServer(
        [folder], tmp_path / "site", host="127.0.0.2", port=0, diagrams=False, echo=print
    )
    try:
        server.serve_in_background()
        assert server.build() is not None
        port = urlsplit(server.url).port
        for host in (f"127.0.0.2:{port}", "127.0.0.2", "localhost"):
            assert _fetch(server.url, "/cost.csv", {"Host": host})[0] == 200, host
        assert _fetch(server.url, "/cost.csv", {"Host": "rebind.attacker.example"})[0] == 403
    finally:
        server.close()


def test_host_allowed() -> None:
    for header in ("localhost", "LOCALHOST:8000", "localhost.", "127.0.0.1:1", "[::1]:80"):
        assert host_allowed(header, "127.0.0.1"), header
    assert host_allowed(None, "127.0.0.1")  # HTTP/1.0 without a Host: no browser
    refused = ["attacker.example", "127.0.0.1.nip.io", "[::1]x", "localhost:x", "", "::1"]
    refused += ["192.168.1.2", "localhost:80:80", "[::1"]
    for header in refused:
        assert not host_allowed(header, "127.0.0.1"), header
        assert not host_allowed(header, "localhost"), header
    assert host_allowed("192.168.1.2:8000", "192.168.1.2")
    assert host_allowed("[fe80::1]:8000", "fe80::1")
    assert not host_allowed("attacker.example", "192.168.1.2")
    assert host_allowed("myhost.example", "myhost.example")
    # An empty port is valid (RFC 3986); a port of other digits than ASCII is not.
    for header in ("localhost:", "[::1]:", "127.0.0.1:"):
        assert host_allowed(header, "127.0.0.1"), header
    assert not host_allowed("localhost:\u0661", "127.0.0.1")
    # --host writes IPv6 without brackets: bound to that address, not to every one.
    for bound in ("::1", "fe80::1", "[fe80::1]"):
        assert host_allowed("localhost", bound), bound
        assert not host_allowed("10.1.2.3:8000", bound), bound
        assert not host_allowed("[fe80::2]", bound), bound
    assert host_allowed("[fe80::1]", "fe80::1") and host_allowed("[::1]:80", "::1")
    assert "IP address" not in _wrong_host("::1", ["laptop"])
    assert "IP address" in _wrong_host("::", ["laptop"])
    # Bound to every address: any address of the machine, and its name.
    for bound in ("0.0.0.0", "::"):
        assert host_allowed("10.1.2.3:8000", bound) and host_allowed("[fe80::1]", bound)
        assert host_allowed("Laptop:8000", bound, local_names=("laptop",))
        assert not host_allowed("attacker.example", bound, local_names=("laptop",))


def test_text_is_served_as_utf_8(served: tuple[SiteServer, Path]) -> None:
    """Without a charset, Chromium reads a Markdown SOP as Windows-1252: "—" as "â€\x9d"."""
    server, _ = served
    expected = {
        "/processes/content-marketing.md": "text/markdown; charset=utf-8",
        "/processes/content-marketing.checklist.md": "text/markdown; charset=utf-8",
        "/processes/content-marketing.html": "text/html; charset=utf-8",
        "/cost.csv": "text/csv; charset=utf-8",
        "/cost.json": "application/json; charset=utf-8",
        "/cost.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "/report.pdf": "application/pdf",
    }
    for path, kind in expected.items():
        status, headers, body = _fetch(server.url, path)
        assert (status, headers["Content-Type"]) == (200, kind), path
    status, _, body = _fetch(server.url, "/processes/content-marketing.md")
    assert NAME in body.decode("utf-8")  # the em dash, as UTF-8
    assert content_type("a/flow.svg") == "image/svg+xml; charset=utf-8"
    assert content_type("a/flow.PNG") == "image/png"
    assert content_type("notes.txt") == "text/plain; charset=utf-8"
    assert content_type("blob") == "application/octet-stream"


def test_the_server_names_itself_and_hides_the_sites_marker(
    served: tuple[SiteServer, Path],
) -> None:
    from sopkit import __version__

    server, _ = served
    assert (server.out_dir / ".sopkit-site").is_file()
    status, headers, _ = _fetch(server.url, "/")
    assert status == 200 and headers["Server"] == f"sopkit/{__version__}"
    for path in ("/.sopkit-site", "/%2esopkit-site", "/processes/.hidden", "/.git/config"):
        assert _get(server.url, path) == (404, "404 Not Found\n"), path


def test_the_watcher_sees_new_bytes_not_new_times(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    roles = folder / "roles.yaml"
    watcher = Watcher([folder, roles])
    later = roles.stat().st_mtime_ns + 5_000_000_000
    os.utime(roles, ns=(later, later))  # touch
    assert not watcher.changed()
    roles.write_bytes(roles.read_bytes())  # saved without an edit
    assert not watcher.changed()
    roles.write_text(roles.read_text() + "# a comment\n")
    assert watcher.changed() and watcher.last_changed == [str(roles)]
    roles.unlink()
    assert watcher.changed() and watcher.last_changed == [str(roles)]
    roles.write_text("roles: {}\n")
    assert watcher.changed()  # back, even with a time it had before
    process = folder / "content-marketing.yaml"
    text = process.read_bytes()
    process.unlink()
    assert watcher.changed() and watcher.last_changed == [str(process)]
    process.write_bytes(text)
    assert watcher.changed() and watcher.last_changed == [str(process)]


def test_a_touch_rebuilds_nothing(tmp_path: Path) -> None:
    """`touch roles.yaml` and then an edit: one rebuild, for the edit alone."""
    folder = _copy(tmp_path)
    lines: list[str] = []
    server = SiteServer([folder], tmp_path / "site", port=0, diagrams=False, echo=lines.append)
    thread = threading.Thread(target=server.run, kwargs={"poll": 0.05}, daemon=True)
    thread.start()
    try:
        _until(lambda: server.state.read()[0] >= 1, "the first build is done")
        roles = folder / "roles.yaml"
        later = roles.stat().st_mtime_ns + 5_000_000_000
        os.utime(roles, ns=(later, later))
        path = folder / "content-marketing.yaml"
        path.write_text(path.read_text().replace(f"name: {NAME}", f"name: {NEW}", 1))
        _until(lambda: NEW in _get(server.url, "/")[1], "the edit is shown")
    finally:
        server.stop()
        thread.join(TIMEOUT)
    building = [line for line in lines if line.startswith("building ")]
    assert len(building) == 2, lines
    assert building[1].endswith("(content-marketing.yaml changed)")


def test_a_rebuild_that_changes_no_byte_reloads_no_page(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    lines: list[str] = []
    server = SiteServer([folder], tmp_path / "site", port=0, diagrams=False, echo=lines.append)
    path = folder / "content-marketing.yaml"
    try:
        assert server.build() is not None
        assert server.state.read() == (1, None)
        path.write_text(path.read_text() + "# only a comment\n")
        assert server.build("content-marketing.yaml changed") is not None
        assert server.state.read() == (1, None)  # the same site: open pages stay
        assert lines[-1].endswith("(the site is unchanged: no page reloads)")
        good = path.read_text()
        path.write_text(good + "steps: [\n")
        assert server.build() is None
        version, errors = server.state.read()
        assert version == 2 and errors is not None
        assert server.build() is None
        assert server.state.read() == (2, errors)  # the same errors: nothing new to show
        path.write_text(good)
        assert server.build() is not None
        assert server.state.read() == (3, None)  # the site is back: the pages reload
        path.write_text(good.replace(f"name: {NAME}", f"name: {NEW}", 1))
        assert server.build() is not None
        assert server.state.read() == (4, None)
        assert not lines[-1].endswith("no page reloads)")
    finally:
        server.close()
