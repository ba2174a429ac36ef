"""``docgen types …``: the document types and the template store.

    docgen types list                          every loaded type: id, source, version in use
    docgen types show notice                   one type, and its stored versions
    docgen types add ./permit/ [--comment …]   a pack (folder or zip): a new type, or a new
                                               version of the type it declares
    docgen types add mau.docx --type notice    a new template for a type (not deployed)
    docgen types versions notice
    docgen types deploy notice 2               a version by number or sha256 (a roll-back
                                               too; the pack's own sha256 goes back to it)

The store is the register database's (``DOCGEN_DATABASE_URL``); the author recorded is
``--author`` or ``cli:<user>``. Uploads are checked exactly as over HTTP.
"""

from __future__ import annotations

import getpass
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docgen.cli._common import open_store

if TYPE_CHECKING:
    from docgen.store import Added, TemplateStore

types: click.Group = click.Group(
    "types", help="Các loại văn bản và kho mẫu: liệt kê, thêm, phiên bản, triển khai.")


def _store() -> TemplateStore:
    """The store on this command's register, attached to the catalog until the command ends."""
    return open_store()


def _author(author: str | None) -> str:
    if author:
        return author[:100]
    try:
        return f"cli:{getpass.getuser()}"[:100]
    except (KeyError, OSError):  # no user name (a container without passwd entry)
        return "cli"


def _zip_folder(folder: Path) -> bytes:
    """A pack folder as the zip an upload would be (its files, not its subfolders' junk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
                archive.write(path, str(path.relative_to(folder)))
    return buffer.getvalue()


def _say(added: Added) -> None:
    info = added.info
    state = "đang dùng" if info.deployed else "chưa triển khai"
    click.echo(f"{info.type_id}\tphiên bản {info.version}\t{info.sha256}\t{state}")
    for finding in added.findings:
        click.echo(f"  Cảnh báo [{finding['code']}]: {finding['message']}"
                   + (f" — {finding['location']}" if finding.get("location") else ""), err=True)


@types.command("list")
def list_command() -> None:
    """Mỗi loại: id, nguồn (shipped/folder/store), phiên bản mẫu đang dùng, tên."""
    from docgen.catalog import DOCUMENT_TYPES

    store = _store()
    for kind in DOCUMENT_TYPES.values():
        number = ""
        if kind.source == "store":
            info = store.deployed_version(kind.id)
            number = f"v{info.version}" if info is not None else ""
        click.echo("\t".join([kind.id, kind.source, number, kind.version[:12], kind.name]))


@types.command("show")
@click.argument("doc_type")
def show_command(doc_type: str) -> None:
    """Một loại văn bản: tên, mã loại, nguồn, phiên bản đang dùng và các phiên bản trong kho."""
    from docgen.catalog import get_type

    store = _store()
    kind = get_type(doc_type)
    click.echo(f"id: {kind.id}\ntên: {kind.name}\ntên loại in: {kind.type_name}\n"
               f"mã loại: {kind.type_code or '(công văn: không có)'}\nnguồn: {kind.source}\n"
               f"mẫu đang dùng (sha256): {kind.version}")
    _print_versions(store, kind.id)


def _print_versions(store: TemplateStore, type_id: str) -> None:
    versions = store.versions(type_id)
    if not versions:
        click.echo("(chưa có phiên bản nào trong kho mẫu)", err=True)
    for v in versions:
        mark = "*" if v.deployed else " "
        click.echo(f"{mark} {v.version}\t{v.sha256}\t{v.created_at:%Y-%m-%d %H:%M}\t"
                   f"{v.author}\t{v.comment}")


@types.command("versions")
@click.argument("doc_type")
def versions_command(doc_type: str) -> None:
    """Các phiên bản mẫu của một loại, mới nhất trước (* = đang dùng)."""
    from docgen.catalog import get_type

    store = _store()
    _print_versions(store, get_type(doc_type).id)


@types.command("add")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--type", "doc_type", help="Với một tệp .docx: loại văn bản nhận mẫu này.")
@click.option("--comment", default="", help="Ghi chú cho phiên bản.")
@click.option("--author", default=None, help="Người thêm (mặc định cli:<tên người dùng>).")
def add_command(path: Path, doc_type: str | None, comment: str, author: str | None) -> None:
    """Thêm một gói (thư mục hoặc zip: loại mới, hoặc phiên bản mới của loại nó khai báo)
    hoặc một mẫu Word (.docx, cần --type). Phiên bản mới chưa được triển khai."""
    from docgen.catalog import DOCUMENT_TYPES
    from docgen.store import read_pack
    from docgen.store.errors import UploadRefusedError

    store = _store()
    who = _author(author)
    if path.is_dir():
        data, name = _zip_folder(path), path.name
    else:
        data, name = path.read_bytes(), path.name
    if path.suffix.lower() == ".docx":
        if not doc_type:
            raise UploadRefusedError("Một tệp .docx cần --type (loại văn bản nhận mẫu này).",
                                     place=name)
        _say(store.add_version(doc_type, template=data, name=name, author=who,
                               comment=comment))
        return
    declared = read_pack(data, name, max_bytes=store.max_bytes).type_id or ""
    if doc_type and doc_type != declared:
        raise UploadRefusedError(f"Gói khai báo id = '{declared}', không phải '{doc_type}'.",
                                 place="type.toml: id")
    if declared in DOCUMENT_TYPES:
        _say(store.add_version(declared, pack=data, name=name, author=who, comment=comment))
    else:
        _say(store.add_type(data, name=name, author=who, comment=comment))


@types.command("deploy")
@click.argument("doc_type")
@click.argument("version")
@click.option("--author", default=None, help="Người triển khai (mặc định cli:<tên người dùng>).")
def deploy_command(doc_type: str, version: str, author: str | None) -> None:
    """Dùng một phiên bản (số hoặc sha256) làm mặc định; cũng để quay lại phiên bản cũ."""
    from docgen.catalog import get_type

    store = _store()
    kind = get_type(doc_type)
    info = store.deploy(kind.id, version, author=_author(author))
    now = get_type(kind.id)
    where = f"phiên bản {info.version}" if info is not None else f"gói {now.source}"
    click.echo(f"{kind.id}\t{where}\t{now.version}")
