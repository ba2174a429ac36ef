"""The ``docgen`` command: one group, subcommands loaded when they run.

    documents.py  templates, schemas, render, doctor
    check.py      check (Decree 30 and tag checks on a Word template)
    serve.py      serve (the development server)
    batch.py      batch … (and worker)
    register.py   register …, db …
    rounds.py     round …
    types.py      types list | show | add | versions | deploy (the template store)
    _common.py    the error handler, settings read once, the shared document options

Every failure a user can cause prints one Vietnamese line with a stable code (field
paths for validation errors) and exits non-zero, never a traceback: each
:class:`~docgen.errors.DocgenError` — settings included — reaches :meth:`DocgenGroup.invoke`,
the one handler. Exit codes: 0 done, 1 docgen's own failure (a broken template, the PDF
converter), 2 bad input, usage or settings, 3 some batch rows failed, 130 interrupted.

Importing this package costs click alone: a subcommand's module (and what it needs:
the engine for ``render``, SQLAlchemy for ``register``, Flask for ``serve``) is imported
only when that subcommand runs, so ``docgen render`` starts in a fraction of a second.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from docgen import __version__
from docgen.cli import _vi
from docgen.cli._common import fail

_vi.install()  # click's own help and error words in Vietnamese

__all__ = ["main"]

#: command name -> "module:attribute", imported on use.
COMMANDS = {
    "templates": "docgen.cli.documents:templates",
    "schemas": "docgen.cli.documents:schemas",
    "render": "docgen.cli.documents:render",
    "doctor": "docgen.cli.documents:doctor",
    "check": "docgen.cli.check:check",
    "serve": "docgen.cli.serve:serve",
    "batch": "docgen.cli.batch:batch",
    "worker": "docgen.cli.batch:worker",
    "register": "docgen.cli.register:register",
    "db": "docgen.cli.register:db",
    "round": "docgen.cli.rounds:round_group",
    "types": "docgen.cli.types:types",
}


class DocgenGroup(click.Group):
    """Subcommands imported on use, and the one place a :class:`DocgenError` is shown."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        from docgen.errors import DocgenError

        try:
            return super().invoke(ctx)
        except DocgenError as exc:
            fail(exc)


@click.group(cls=DocgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
def main() -> None:
    """docgen — văn bản hành chính theo Nghị định 30/2020/NĐ-CP cho kiểm tra ISO 9001."""
