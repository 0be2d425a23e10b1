"""Safe output writing: nothing a user made is ever overwritten or deleted.

Rules (checked before any analysis runs, so a refusal costs nothing):

* an output folder is written to a hidden temporary sibling and renamed into place; it replaces
  an existing folder only when that folder is empty or holds exactly the files mofglass wrote
  there (listed with their SHA-256 in the folder's ``.mofglass-output`` marker) - any other file
  makes mofglass refuse;
* an output file may not be an input, and may not replace an existing file unless mofglass wrote
  that very file (same content as recorded in a small registry in the user's cache folder) or
  the user passes ``--force``;
* the folder an output goes to must exist and be writable (tested by creating a file there);
* temporary folders of runs that were killed (``.<out>.tmp-<pid>-*``, ``mofglass-demo-<pid>-*``,
  ``mofglass-dask-<pid>-*``)
  are removed on the next run once their process is gone;
* new folders get the permissions of the user's umask, not ``mkdtemp``'s 0700.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import mofglass
from mofglass.errors import OutputError

__all__ = [
    "OUTPUT_MARKER",
    "OutputFolder",
    "check_output_file",
    "cleanup_stale",
    "demo_tempdir",
    "record_written",
    "run_tempdir",
]

OUTPUT_MARKER = ".mofglass-output"
_LEGACY_NAMES = re.compile(r"^(?:.*/)?(?:results\.json|results\.csv|report\.html|figures/[^/]+)$")
_STALE = re.compile(r"^(?:\.(?P<name>.+)\.(?:tmp|old)|mofglass-(?:demo|dask))-(?P<pid>\d+)-")
_LEGACY_AGE_S = 24 * 3600


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def cleanup_stale(folder: Path, *, name: str | None = None) -> list[Path]:
    """Remove temporary folders of dead mofglass runs in ``folder``; return what was removed.

    Only folders named like ours whose process id no longer exists (or, without a process id,
    older than a day) are removed; with ``name`` only those of that output folder.
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for p in entries:
        m = _STALE.match(p.name)
        legacy = name is not None and re.match(rf"^\.{re.escape(name)}\.(?:tmp|old)-", p.name)
        if not (m or legacy) or not p.is_dir() or p.is_symlink():
            continue
        if name is not None and m and m.group("name") not in (None, name):
            continue
        if m:
            stale = not _pid_alive(int(m.group("pid")))
        else:
            try:
                stale = time.time() - p.stat().st_mtime > _LEGACY_AGE_S
            except OSError:
                continue
        if stale:
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def _probe_writable(folder: Path, what: str) -> None:
    """Raise OutputError unless a file can be created in ``folder`` (works for root too)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".mofglass-probe-", dir=folder)
    except OSError as exc:
        raise OutputError(f"{what}: cannot write in {folder} ({exc.strerror})") from None
    os.close(fd)
    os.unlink(probe)


def _nearest_existing(path: Path) -> Path:
    p = path
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _read_marker(folder: Path) -> dict[str, str] | None:
    """Files mofglass wrote in ``folder`` (relative path -> sha256), None for a legacy marker."""
    try:
        text = (folder / OUTPUT_MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return None
    return {str(k): str(v) for k, v in files.items()}


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())


class OutputFolder:
    """An output folder that is replaced only if mofglass made everything in it.

    Create it before the work starts (it checks and refuses then), and write with
    :meth:`writing`, which yields a temporary folder that is moved into place on success.
    """

    def __init__(self, path: str | Path, *, option: str = "--out", inputs: Iterable[Path] = ()):
        self.path = Path(path).expanduser().resolve()
        self.option = option
        self.check(inputs)

    def check(self, inputs: Iterable[Path] = ()) -> None:
        """Refuse a folder we may not replace, an input inside it, or an unwritable parent."""
        out, opt = self.path, self.option
        for f in inputs:
            rf = Path(f).resolve()
            if rf == out or out in rf.parents:
                raise OutputError(
                    f"{opt} {out} would replace the input {rf}; choose another output folder"
                )
        if out.exists() and not out.is_dir():
            raise OutputError(f"{opt} {out} is an existing file, not a folder; choose another")
        if out.is_dir():
            foreign = self.foreign_files()
            if foreign:
                shown = ", ".join(str(p.relative_to(out)) for p in foreign[:3])
                more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
                raise OutputError(
                    f"{opt} {out} holds files mofglass did not write ({shown}{more}); "
                    "mofglass replaces only its own output - choose another folder"
                )
        base = _nearest_existing(out.parent)
        if not base.is_dir():
            raise OutputError(f"{opt} {out}: {base} is not a folder")
        _probe_writable(base, f"{opt} {out}")
        cleanup_stale(out.parent, name=out.name)

    def foreign_files(self) -> list[Path]:
        """Files in the folder that mofglass did not write (or that changed since)."""
        out = self.path
        files = _files_under(out)
        if not files:
            return []
        if not (out / OUTPUT_MARKER).is_file():
            return files
        written = _read_marker(out)
        foreign = []
        for p in files:
            rel = p.relative_to(out).as_posix()
            if rel == OUTPUT_MARKER:
                continue
            if written is None:
                if not _LEGACY_NAMES.match(rel):
                    foreign.append(p)
            elif rel not in written or p.is_symlink() or sha256_of(p) != written[rel]:
                foreign.append(p)
        return foreign

    @contextlib.contextmanager
    def writing(self) -> Iterator[Path]:
        """Yield a temporary folder; on success it replaces the output folder atomically."""
        out = self.path
        self.check()
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
        try:
            yield tmp
            files = {
                p.relative_to(tmp).as_posix(): sha256_of(p)
                for p in _files_under(tmp)
                if p.name != OUTPUT_MARKER
            }
            marker = {"mofglass": mofglass.__version__, "files": files}
            (tmp / OUTPUT_MARKER).write_text(json.dumps(marker, indent=1) + "\n", "utf-8")
            _apply_umask(tmp)
            self.check()  # nothing foreign appeared while we worked
            if out.exists():
                old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.time_ns()}")
                out.rename(old)
                tmp.rename(out)
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def _apply_umask(root: Path) -> None:
    mode = 0o777 & ~_umask()
    for p in [root, *root.rglob("*")]:
        if p.is_dir() and not p.is_symlink():
            p.chmod(mode)


@contextlib.contextmanager
def run_tempdir(kind: str = "demo") -> Iterator[Path]:
    """Yield a temporary folder ``mofglass-<kind>-<pid>-*``, removed on exit (also on Ctrl-C).

    Stale ones of killed runs are removed first.

    Parameters
    ----------
    kind : {"demo", "dask"}
        What it holds: the demo's generated inputs, or the Dask workers' scratch space.
    """
    base = Path(tempfile.gettempdir())
    cleanup_stale(base)
    tmp = Path(tempfile.mkdtemp(prefix=f"mofglass-{kind}-{os.getpid()}-", dir=base))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


demo_tempdir = run_tempdir


# ---- single output files -------------------------------------------------------------------


def _registry_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mofglass" / "written-files.json"


def _load_registry() -> dict[str, str]:
    try:
        data = json.loads(_registry_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def record_written(paths: Iterable[Path]) -> None:
    """Remember the content of files mofglass wrote, so that it may replace them later."""
    reg = _load_registry()
    for p in paths:
        rp = Path(p).resolve()
        if rp.is_file():
            reg[str(rp)] = sha256_of(rp)
    items = list(reg.items())[-2000:]
    target = _registry_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".written-", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(dict(items), fh)
        os.replace(tmp, target)
    except OSError:  # no cache folder: files simply need --force to be replaced
        pass


def written_by_mofglass(path: Path) -> bool:
    """Return True if ``path`` holds exactly what mofglass last wrote there."""
    rp = path.resolve()
    digest = _load_registry().get(str(rp))
    return digest is not None and rp.is_file() and sha256_of(rp) == digest


def check_output_file(
    path: Path, *, option: str, inputs: Iterable[Path] = (), force: bool = False
) -> None:
    """Refuse an output file that mofglass must not write, before any analysis runs.

    Refused: an input, a folder, an existing file mofglass did not write (unless ``force``),
    or a file in a missing or read-only folder.
    """
    p = Path(path).expanduser()
    rp = p.resolve()
    for f in inputs:
        with contextlib.suppress(OSError):
            if Path(f).resolve() == rp or (p.exists() and os.path.samefile(f, p)):
                raise OutputError(
                    f"{option} {p} is also an input file; it would be overwritten - "
                    "choose another name"
                )
    if p.is_dir():
        raise OutputError(f"{option} {p} is a folder; give a file name")
    if p.exists() and not force and not written_by_mofglass(p):
        raise OutputError(
            f"{option} {p} exists and was not written by mofglass; choose another name "
            "or add --force to replace it"
        )
    parent = rp.parent
    if not parent.is_dir():
        raise OutputError(f"{option} {p}: the folder {parent} does not exist")
    _probe_writable(parent, f"{option} {p}")
