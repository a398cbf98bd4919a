"""A portfolio as it was in a git revision: ``REV:PATH``, read without touching the work tree.

``sopkit diff HEAD~1:processes/ processes/`` compares the files as they are
with the files as they were. The revision's files are read with ``git
ls-tree`` and ``git cat-file`` (nothing is checked out, no index or work-tree
file is written) into a temporary folder that keeps the repository's layout,
so a process finds its ``roles.yaml`` in its folder or a parent, and the
processes it runs in its own folder, just as in the work tree. Problems in
those files name them as git does: ``HEAD~1:processes/en/seo.yaml:12:5``.

``PATH`` is read as git reads it: from the top of the repository, or from the
current folder when it starts with ``./`` or ``../``.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem, SopkitError, UsageError
from ..load import ROLES_FILENAMES
from ..output import safe_child, write_atomic
from ..source import MAX_BYTES

__all__ = ["Revision", "is_revision", "revision_files", "split_revision"]

_SUFFIXES = (".yaml", ".yml")
_BLOB_MODES = ("100644", "100755")


def split_revision(text: str) -> tuple[str, str] | None:
    """``("HEAD~1", "processes/")`` for ``HEAD~1:processes/``; ``None`` for a plain path.

    A path that exists is a path, even with a colon in its name.
    """
    if ":" not in text or Path(text).exists():
        return None
    revision, _, path = text.partition(":")
    return revision, path


def is_revision(text: str) -> bool:
    return split_revision(text) is not None


@dataclass(frozen=True, slots=True)
class Revision:
    """The files of ``REV:PATH`` in a temporary folder, and how to name them to the user."""

    spec: str
    revision: str
    #: ``PATH`` from the top of the repository, in POSIX form ("" for the top itself).
    path: str
    folder: Path

    @property
    def local(self) -> Path:
        """Where ``PATH`` is in the temporary folder: what to load."""
        return self.folder / self.path if self.path else self.folder

    def shown(self, text: str) -> str:
        """``text`` with every path into the temporary folder written ``REV:path``."""
        for base in {str(self.folder), str(self.folder.resolve())}:
            text = text.replace(base + os.sep, f"{self.revision}:").replace(
                base, f"{self.revision}:"
            )
        return text

    def problems(self, problems: Sequence[Problem]) -> list[Problem]:
        """Problems found in the revision's files, naming them ``REV:path``."""
        return [
            Problem(
                self.shown(p.message),
                path=None if p.path is None else self.shown(p.path),
                line=p.line,
                column=p.column,
                hint=None if p.hint is None else self.shown(p.hint),
                step=p.step,
                severity=p.severity,
                code=p.code,
                role=p.role,
            )
            for p in problems
        ]

    def error(self, exc: SopkitError) -> SopkitError:
        """The same error, naming the revision's files ``REV:path``."""
        return type(exc).collect(self.problems(exc.problems), exc.summary)


@contextmanager
def revision_files(spec: str, *, cwd: str | Path | None = None) -> Iterator[Revision]:
    """Write the files of ``REV:PATH`` into a temporary folder, removed afterwards.

    A folder brings every YAML file under it; a single file brings the YAML
    files of its folder (the processes it may run). Either way the roles files
    of the folders above come too.

    Raises:
        UsageError: ``spec`` is not ``REV:PATH``.
        InputError: no git, no repository, no such revision or path in it.
    """
    split = split_revision(spec)
    if split is None or not split[0]:
        raise UsageError(
            f"'{spec}' is neither a file or folder nor REV:PATH",
            hint="e.g. HEAD~1:processes/ or main:processes/en/",
        )
    revision, given = split
    here = Path(cwd) if cwd is not None else Path.cwd()
    git = _Git(here, spec)
    path = _repository_path(git, given)
    kind = git.text("cat-file", "-t", f"{revision}:{path}", what="object").strip()
    if kind not in ("tree", "blob"):
        raise InputError(f"'{given}' in {revision} is a {kind}, not a file or folder", path=spec)
    folder_in_repo = path if kind == "tree" else posixpath.dirname(path)
    entries = _tree(git, revision, path, recursive=True) if kind == "tree" else []
    if kind == "blob":
        entries = [e for e in _tree(git, revision, folder_in_repo, recursive=False)]
    entries += _roles_above(git, revision, folder_in_repo)
    with tempfile.TemporaryDirectory(prefix="sopkit-revision-") as temporary:
        folder = Path(temporary)
        _write(git, folder, entries)
        yield Revision(spec, revision, path, folder)


@dataclass(frozen=True, slots=True)
class _Entry:
    mode: str
    sha: str
    size: int
    path: str  # from the top of the repository


class _Git:
    """``git`` in the repository that holds ``cwd``, its failures as sopkit errors."""

    def __init__(self, cwd: Path, spec: str) -> None:
        self.cwd = cwd
        self.spec = spec

    def run(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
        try:
            return subprocess.run(
                ["git", "-C", str(self.cwd), *args],
                input=stdin,
                capture_output=True,
                env=env,
                check=False,
            )
        except FileNotFoundError:
            raise InputError(
                "git is not installed, so a revision cannot be read",
                path=self.spec,
                hint="install git, or give two folders",
            ) from None

    def text(self, *args: str, what: str) -> str:
        done = self.run(*args)
        if done.returncode != 0:
            raise self._failure(done.stderr.decode("utf-8", "replace"), what)
        return done.stdout.decode("utf-8", "surrogateescape")

    def _failure(self, message: str, what: str) -> InputError:
        first = next((line for line in message.splitlines() if line.strip()), "git failed")
        lowered = message.lower()
        if "not a git repository" in lowered:
            return InputError(
                "the current folder is not in a git repository, so a revision cannot be read",
                path=self.spec,
                hint="run sopkit inside the repository, or give two folders",
            )
        if what == "object":
            revision, _, path = self.spec.partition(":")
            if "does not exist in" in lowered or "exists on disk, but not in" in lowered:
                return InputError(
                    f"'{path}' is not in {revision}",
                    path=self.spec,
                    hint="paths are from the top of the repository; './' starts from this folder",
                )
            if "invalid object name" in lowered or "not a valid object name" in lowered:
                known = self.run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
                if known.returncode != 0:
                    return InputError(
                        f"no revision '{revision}' in this repository",
                        path=self.spec,
                        hint="give a commit, branch or tag the repository has "
                        "('git log --oneline' lists its commits)",
                    )
                return InputError(
                    f"'{path}' is not in {revision}",
                    path=self.spec,
                    hint="paths are from the top of the repository; './' starts from this folder",
                )
        return InputError(f"git: {first.removeprefix('fatal: ')}", path=self.spec)


def _repository_path(git: _Git, given: str) -> str:
    """``PATH`` from the top of the repository, as git reads ``REV:PATH``."""
    if given.startswith(("./", "../")) or given in (".", ".."):
        prefix = git.text("rev-parse", "--show-prefix", what="prefix").strip()
        joined = posixpath.normpath(posixpath.join(prefix, given))
    else:
        joined = posixpath.normpath(given) if given.strip("/") else ""
    joined = "" if joined == "." else joined.strip("/")
    if joined.startswith(".."):
        raise InputError(
            f"'{given}' is outside the repository", path=git.spec, hint="give a path inside it"
        )
    return joined


def _tree(git: _Git, revision: str, folder: str, *, recursive: bool) -> list[_Entry]:
    """The YAML files in ``folder`` of the revision (and its subfolders when recursive)."""
    args = [
        "ls-tree",
        "--full-tree",
        "-z",
        "-l",
        *(["-r"] if recursive else []),
        f"{revision}:{folder}",
    ]
    listing = git.text(*args, what="tree")
    entries = []
    for record in listing.split("\0"):
        if not record:
            continue
        meta, _, name = record.partition("\t")
        mode, kind, sha, size = meta.split()
        if kind != "blob" or mode not in _BLOB_MODES or not name.endswith(_SUFFIXES):
            continue  # symbolic links and submodules are not files of the revision's own
        full = posixpath.join(folder, name) if folder else name
        entries.append(_Entry(mode, sha, int(size), full))
    return entries


def _roles_above(git: _Git, revision: str, folder: str) -> list[_Entry]:
    """The roles files of ``folder``'s parents, up to the top: one of them may be the nearest."""
    found = []
    parent = posixpath.dirname(folder) if folder else None
    while parent is not None:
        found += [
            e
            for e in _tree(git, revision, parent, recursive=False)
            if posixpath.basename(e.path) in ROLES_FILENAMES
        ]
        parent = posixpath.dirname(parent) if parent else None
    return found


def _write(git: _Git, folder: Path, entries: Sequence[_Entry]) -> None:
    """Write the entries' contents, read in one ``git cat-file --batch``.

    A file larger than any process is not read: a file of its size (with no
    content) stands in, so loading reports it as too large, as it would a file
    on disk.
    """
    small = [e for e in entries if e.size <= MAX_BYTES]
    contents = _blobs(git, [e.sha for e in small])
    for entry in entries:
        target = safe_child(folder, entry.path)
        if entry.size <= MAX_BYTES:
            write_atomic(target, contents[entry.sha])
        else:  # an empty file of that size, in the private temporary folder
            write_atomic(target, b"")
            os.truncate(target, entry.size)


def _blobs(git: _Git, shas: Sequence[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    unique = list(dict.fromkeys(shas))
    done = git.run("cat-file", "--batch", stdin=("\n".join(unique) + "\n").encode())
    if done.returncode != 0:
        raise git._failure(done.stderr.decode("utf-8", "replace"), "blob")
    out, position, found = done.stdout, 0, {}
    for sha in unique:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        found[sha] = out[position : position + size]
        position += size + 1
    return found
