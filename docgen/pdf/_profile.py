"""LibreOffice user profiles for the pool: one template, one fresh copy per start.

A first start on an empty profile makes soffice.bin build the profile and exit
with code 81 ("restart me"), which the ``soffice`` shell wrapper's oosplash would
handle. The pool starts soffice.bin directly (so it is the pool's own child, reaped
by it, killed with its process group), so it builds the profile once per pool with
``--terminate_after_init`` and copies it for every instance start: a start on a
ready profile takes under a second, and a restarted instance never inherits a profile a
killed one may have left half-written.

Our settings go into the profile's ``registrymodifications.xcu``, never into the
system-wide LibreOffice configuration:

* the font replacement table maps Times New Roman (Decree 30's font) to Liberation
  Serif 2.x when Times New Roman is not installed (see :mod:`docgen.pdf.fonts`).
  LibreOffice honours a user table entry only with "Always" set, so the entry is
  written, or not, when the template is built; where the real font exists it is
  used. fontconfig's 30-metric-aliases.conf does the same on Debian; the table
  makes the mapping independent of the host's fontconfig.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from docgen.pdf._discovery import Office
from docgen.pdf.fonts import replacements_needed

logger = logging.getLogger("docgen.pdf")

#: soffice.bin asks for a restart after it first builds a profile.
_RESTART_EXIT_CODE = 81


#: How every soffice the pool starts runs: no window, no dialogs, no recovery.
HEADLESS_FLAGS = (
    "--headless",
    "--invisible",
    "--nocrashreport",
    "--nodefault",
    "--nologo",
    "--nofirststartwizard",
    "--norestore",
)


def _prop(name: str, value: str | bool) -> str:
    text = ("true" if value else "false") if isinstance(value, bool) else escape(value)
    return f'<prop oor:name="{name}" oor:op="fuse"><value>{text}</value></prop>'


def profile_items(replacements: list[tuple[str, str]]) -> str:
    """The ``<item>`` elements docgen adds to every instance profile."""
    items = [
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        + _prop("Replacement", bool(replacements))
        + "</item>"
    ]
    for i, (font, substitute) in enumerate(replacements):
        items.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="docgen{i}" oor:op="replace">'
            + _prop("Always", True)
            + _prop("OnScreenOnly", False)
            + _prop("ReplaceFont", font)
            + _prop("SubstituteFont", substitute)
            + "</node></item>"
        )
    # Nothing to recover in a throwaway profile; skip the autosave timer.
    items.append(
        '<item oor:path="/org.openoffice.Office.Recovery/AutoSave">'
        + _prop("Enabled", False)
        + "</item>"
    )
    return "\n".join(items)


def soffice_env(tmpdir: Path | None = None) -> dict[str, str]:
    """Environment for soffice.bin and the bridge: ours minus the app's Python settings.

    ``tmpdir`` becomes TMPDIR, so LibreOffice's own ``lu*.tmp`` directory lives in
    the instance's work directory and goes away with it, even after a SIGKILL.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.pop("VIRTUAL_ENV", None)
    env["SAL_ENABLE_FILE_LOCKING"] = "1"  # what the soffice wrapper script sets
    if tmpdir is not None:
        tmpdir.mkdir(parents=True, exist_ok=True)
        env["TMPDIR"] = str(tmpdir)
    return env


def pipe_paths(pipe_name: str, profile: Path) -> list[Path]:
    """The Unix sockets soffice.bin leaves in /tmp when it is killed.

    One for ``--accept=pipe,name=...`` and the single-instance pipe, named after
    the MD5 of the profile URL in UTF-16, each byte in hex without its leading
    zero (desktop/source/app/officeipcthread.cxx, CreateMD5FromString).
    """
    uid = os.getuid()
    md5 = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False)
    digest = "".join(f"{byte:x}" for byte in md5.digest())
    return [
        Path(f"/tmp/OSL_PIPE_{uid}_{pipe_name}"),
        Path(f"/tmp/OSL_PIPE_{uid}_SingleOfficeIPC_{digest}"),
    ]


def build_template(office: Office, dest: Path, timeout: float) -> None:
    """Create a ready LibreOffice profile at ``dest`` with docgen's settings."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    cmd = [
        str(office.soffice_bin),
        *HEADLESS_FLAGS,
        "--terminate_after_init",
        f"-env:UserInstallation={dest.as_uri()}",
    ]
    for _ in range(3):
        result = subprocess.run(
            cmd,
            capture_output=True,
            timeout=timeout,
            env=soffice_env(dest.parent / "template-tmp"),
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if result.returncode != _RESTART_EXIT_CODE:
            break
    shutil.rmtree(dest.parent / "template-tmp", ignore_errors=True)
    xcu = dest / "user" / "registrymodifications.xcu"
    if result.returncode != 0 or not xcu.is_file():
        raise RuntimeError(
            f"soffice.bin --terminate_after_init exited {result.returncode}: "
            f"{result.stderr.decode(errors='replace')[-1000:]}"
        )
    text = xcu.read_text(encoding="utf-8")
    replacements = replacements_needed()
    text = text.replace("</oor:items>", profile_items(replacements) + "\n</oor:items>")
    xcu.write_text(text, encoding="utf-8")
    for path in pipe_paths("", dest)[1:]:
        path.unlink(missing_ok=True)
    logger.debug("LibreOffice profile ready at %s, font replacements %s", dest, replacements)


def copy_template(template: Path, dest: Path) -> None:
    """A fresh instance profile from the template (without any stale lock)."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(template, dest, symlinks=True)
    (dest / "user" / ".lock").unlink(missing_ok=True)
