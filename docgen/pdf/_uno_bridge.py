"""UNO bridge: the one piece of docgen that runs under LibreOffice's Python.

Run by the converter pool as ``/usr/bin/python3 -I _uno_bridge.py --pipe NAME``,
never imported by docgen. It may import only the standard library and ``uno``
(Debian's python3-uno is built for the system interpreter, not for the
application's virtualenv), so it works the same on a developer machine, in CI and
in the python:3.11-slim image, with nothing pip-installed for the system Python.

It connects to one soffice.bin (started by the pool with
``--accept=pipe,name=NAME;urp;``) and then serves requests on stdin/stdout, one
JSON object per line:

    -> {"event": "ready", "version": "7.4.7.2"}            once connected
    <- {"id": 1, "in": "/x/1.docx", "out": "/x/1.pdf", "filter_data": {...}}
    -> {"id": 1, "ok": true}
    -> {"id": 1, "ok": false, "kind": "document", "error": "..."}   bad input, bridge lives
    -> {"id": 1, "ok": false, "kind": "fatal", "error": "..."}      lost soffice, bridge exits

The pool owns the timeouts and the restarts; this script only reports. The
conversion steps follow unoserver's ``converter.py`` (load hidden and read-only,
refresh indexes, ``storeToURL`` with a FilterData sequence, close).

A watchdog thread kills the whole process group (this script and its soffice.bin)
when the pool's process goes away, so a crashed or SIGKILLed web worker never
leaves LibreOffice running.
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time

import uno  # type: ignore[import-not-found]  # python3-uno: system python only
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

IMPORT_FILTER = "MS Word 2007 XML"
EXPORT_FILTER = "writer_pdf_Export"
#: com.sun.star.document.MacroExecMode.NEVER_EXECUTE, UpdateDocMode.NO_UPDATE
NEVER_EXECUTE = 0
NO_UPDATE = 0


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe, timeout):
    """Resolve the soffice component context, retrying while soffice boots."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(url)
        except Exception:  # NoConnectException (a UNO type) while soffice boots
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def office_version(ctx):
    try:
        provider = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", ctx
        )
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess",
            (prop("nodepath", "/org.openoffice.Setup/Product"),),
        )
        return access.getByName("ooSetupVersionAboutBox")
    except Exception:  # noqa: BLE001 - the version is informative only
        return ""


def filter_data_value(items):
    props = tuple(prop(k, v) for k, v in sorted(items.items()))
    return uno.Any("[]com.sun.star.beans.PropertyValue", props)


class Converter:
    def __init__(self, ctx):
        self.desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx
        )

    def warm_up(self, deadline):
        """Export an empty Writer document to PDF until it works.

        soffice accepts UNO connections before its desktop is fully up; a call made
        too early fails ("illegal object given"). This waits for the real thing, and
        loads the Writer and PDF export code before the first request needs it.
        """
        pdf = os.path.join(tempfile.gettempdir(), "docgen-warm-up.pdf")
        while True:
            try:
                document = self.desktop.loadComponentFromURL(
                    "private:factory/swriter", "_blank", 0, (prop("Hidden", True),)
                )
                try:
                    document.storeToURL(
                        uno.systemPathToFileUrl(pdf),
                        (prop("FilterName", EXPORT_FILTER), prop("Overwrite", True)),
                    )
                finally:
                    document.close(True)
                os.unlink(pdf)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def convert(self, inpath, outpath, filter_data):
        in_url = uno.systemPathToFileUrl(os.path.abspath(inpath))
        out_url = uno.systemPathToFileUrl(os.path.abspath(outpath))
        load_props = (
            prop("Hidden", True),
            prop("ReadOnly", True),
            prop("FilterName", IMPORT_FILTER),
            prop("MacroExecutionMode", NEVER_EXECUTE),
            prop("UpdateDocMode", NO_UPDATE),
        )
        document = self.desktop.loadComponentFromURL(in_url, "_blank", 0, load_props)
        if document is None:
            raise DocumentError("LibreOffice could not load the document")
        try:
            # Tables of contents grow as they fill, so refresh twice (unoserver does too).
            for _ in range(2):
                try:
                    document.refresh()
                    indexes = document.getDocumentIndexes()
                except AttributeError:
                    break
                for i in range(indexes.getCount()):
                    indexes.getByIndex(i).update()
            store_props = (
                prop("FilterName", EXPORT_FILTER),
                prop("Overwrite", True),
                prop("FilterData", filter_data_value(filter_data)),
            )
            document.storeToURL(out_url, store_props)
        finally:
            try:
                document.close(True)
            except Exception:  # noqa: BLE001, S110 - a close failure must not hide the result
                pass


class DocumentError(Exception):
    """The input, not the office, is at fault: the bridge keeps serving."""


def is_fatal(exc):
    """Did we lose soffice (dead pipe, disposed bridge) rather than fail on one file?"""
    name = type(exc).__name__.rsplit(".", 1)[-1]  # pyuno: "com.sun.star.uno.RuntimeException"
    text = str(exc)
    return (
        name in ("DisposedException", "RuntimeException")
        or "Binary URP bridge" in text
        or "disposed" in text.lower()
    )


def kill_instance():
    """SIGKILL our process group: soffice.bin and this bridge."""
    os.killpg(os.getpgid(0), signal.SIGKILL)


def watch_parent(parent):
    """Kill the instance once the pool's process is gone (even mid-conversion)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            kill_instance()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipe", required=True, help="UNO pipe name soffice accepts on")
    parser.add_argument("--connect-timeout", type=float, default=60.0)
    args = parser.parse_args(argv)

    # Keep fd 1 for the protocol only: anything else printed goes to stderr (a log file).
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)

    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()

    def send(obj):
        proto.write(json.dumps(obj, ensure_ascii=True) + "\n")
        proto.flush()

    deadline = time.monotonic() + args.connect_timeout
    try:
        ctx = connect(args.pipe, args.connect_timeout)
        converter = Converter(ctx)
        converter.warm_up(deadline)
    except Exception as exc:  # noqa: BLE001 - reported to the pool, which logs it
        send({"event": "error", "error": f"{type(exc).__name__}: {exc}"})
        return 3
    send({"event": "ready", "version": office_version(ctx), "pid": os.getpid()})

    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        rid = request.get("id")
        try:
            converter.convert(request["in"], request["out"], request.get("filter_data") or {})
        except DocumentError as exc:
            send({"id": rid, "ok": False, "kind": "document", "error": str(exc)})
        except Exception as exc:  # noqa: BLE001 - every UNO error is reported, then judged
            kind = "fatal" if is_fatal(exc) else "document"
            error = f"{type(exc).__name__}: {exc}"
            send({"id": rid, "ok": False, "kind": kind, "error": error})
            if kind == "fatal":
                return 4
        else:
            send({"id": rid, "ok": True})
    # stdin closed: the pool is gone (or let us go); soffice.bin must not outlive it.
    kill_instance()
    return 0


if __name__ == "__main__":
    sys.exit(main())
