"""Compiled parts on disk: a process that loads a template another one compiled skips the work.

Preprocessing a part (lxml, joining runs) and compiling its Jinja cost ~25 ms for the
minutes template; ``docgen render`` from the command line paid that on every run. The
result of both — each templated part's index, name, Jinja source, Python code
object and paragraph breaks — is written with :mod:`marshal` to
``<folder>/<template sha256>.bin`` and read
back by the next process in a fraction of a millisecond. The zip's other members are
still read from the template itself.

What makes a stored entry valid is in its header, the *fingerprint*: the Python
version (code objects are per version), Jinja's version, the bytes of this package's
own source (preprocessing or code generation changed: everything recompiles), and the
environment's filter, test and global names (Jinja refuses an unknown filter when it
compiles). An entry with another fingerprint, or one that does not read, is compiled
again and replaced.

Safe to lose and safe to be unable to write: every failure to read or write the
folder is a miss, never an error. A code object read back is executed, so the folder
must be private: it is created ``0700``, and one that is not owned by this user or
that others may write is not used at all.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import threading
from pathlib import Path
from types import CodeType
from typing import Any

__all__ = ["CachedPart", "DiskCache"]

#: Bumped when the file layout changes.
_FORMAT = b"docgen-compiled-2\n"

#: (zip member index, member name, Jinja source, compiled code, paragraph breaks) of one
#: templated part.
CachedPart = tuple[int, str, str, CodeType, tuple[str, ...]]

#: The filter the engine adds itself when a part has paragraph breaks (``_paragraphs``):
#: covered by the engine's source, so not part of the fingerprint.
_ENGINE_FILTERS = frozenset({"_docgen_paragraphs"})

_source_digest: str | None = None


def _engine_source_digest() -> str | None:
    """SHA-256 of this package's ``*.py`` files, or None when they are not there."""
    global _source_digest
    if _source_digest is None:
        digest = hashlib.sha256()
        files = sorted(Path(__file__).resolve().parent.glob("*.py"))
        if not files:
            return None
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        _source_digest = digest.hexdigest()
    return _source_digest


def fingerprint(environment: Any) -> bytes | None:
    """What the compiled code depends on besides the template (None: cannot tell)."""
    import jinja2

    try:
        source = _engine_source_digest()
    except OSError:
        return None
    if source is None:
        return None
    parts = [
        sys.version,
        jinja2.__version__,
        source,
        f"{type(environment).__module__}.{type(environment).__qualname__}",
        ",".join(sorted(set(environment.filters) - _ENGINE_FILTERS)),
        ",".join(sorted(environment.tests)),
        ",".join(sorted(environment.globals)),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).digest()


def _private(folder: Path) -> bool:
    """Whether ``folder`` is a directory only this user can write."""
    try:
        stat = folder.stat()
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is not None and stat.st_uid != getuid():
        return False
    return not stat.st_mode & 0o022


class DiskCache:
    """``<folder>/<sha256>.bin`` per template version; every failure is a miss."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.bin"

    def load(self, sha256: str, environment: Any) -> list[CachedPart] | None:
        """The parts stored for template ``sha256`` by an identical engine, or None."""
        stamp = fingerprint(environment)
        if stamp is None or not _private(self.folder):
            return None
        try:
            data = self._path(sha256).read_bytes()
        except OSError:
            return None
        header = _FORMAT + stamp
        if not data.startswith(header):
            return None
        try:
            parts = marshal.loads(data[len(header):])
        except (EOFError, ValueError, TypeError):
            return None
        if not isinstance(parts, tuple) or not all(_is_part(p) for p in parts):
            return None
        return list(parts)

    def store(self, sha256: str, environment: Any, parts: list[CachedPart]) -> None:
        """Write the parts for the next process (atomically); say nothing if it fails."""
        stamp = fingerprint(environment)
        if stamp is None:
            return
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(self.folder):
                return
            payload = _FORMAT + stamp + marshal.dumps(tuple(parts))
            # one name per process and thread: two writers never share a temporary file
            temporary = self.folder / f".{sha256}.{os.getpid()}.{threading.get_ident()}.tmp"
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                with os.fdopen(descriptor, "wb") as file:
                    file.write(payload)
                os.replace(temporary, self._path(sha256))
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
        except (OSError, ValueError):
            return


def _is_part(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 5 and isinstance(value[0], int)
            and isinstance(value[1], str) and isinstance(value[2], str)
            and isinstance(value[3], CodeType) and isinstance(value[4], tuple)
            and all(isinstance(b, str) for b in value[4]))
