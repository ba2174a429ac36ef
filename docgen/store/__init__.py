"""The template store: uploaded versions of packs, kept in the register database.

    models.py    store_types (the deployed version per type), store_versions (each upload)
    _upload.py   reading an upload — size, zip bomb, DTDs, the declaration — storing nothing
    _prove.py    loading it as a pack, validating and rendering its example (or ``docgen
                 check`` when installed) before it is stored
    _store.py    TemplateStore: add a type or a version, list, deploy / roll back; the
                 catalog's third source of types
    errors.py    the store's leaves of docgen's error tree

No Flask here: the HTTP layer is :mod:`docgen.api.store` (behind ``DOCGEN_ADMIN_KEYS``),
the administrators' page :mod:`docgen.web.admin`, the CLI ``docgen types``.
:func:`init_app` opens the store on the app's register and attaches it to the catalog.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from docgen.catalog import DOCUMENT_TYPES
from docgen.config import Settings
from docgen.store._store import Added, TemplateStore, VersionInfo
from docgen.store._upload import Upload, read_pack, read_template

if TYPE_CHECKING:
    from flask import Flask

    from docgen.register import Register

__all__ = ["EXTENSION", "Added", "TemplateStore", "Upload", "VersionInfo", "init_app",
           "open_store", "read_pack", "read_template"]

EXTENSION = "docgen.store"


def open_store(register: Register, settings: Settings) -> TemplateStore:
    """The store on ``register``'s database, its packs written under the instance folder,
    attached to the catalog (so ``get_type`` sees the deployed versions)."""
    store = TemplateStore(register.session_factory, settings.instance_path.resolve() / "store",
                          max_bytes=settings.store_max_bytes, refresh=settings.store_refresh)
    DOCUMENT_TYPES.attach_store(store)
    return store


def init_app(app: Flask, register: Register) -> TemplateStore:
    store = open_store(register, app.config["DOCGEN"])
    app.extensions[EXTENSION] = store
    # The catalog is process-wide: once this app is gone its store must not go on answering
    # (and reconnecting to its database) for whatever runs next in the process.
    weakref.finalize(app, DOCUMENT_TYPES.detach_store, store)
    return store
