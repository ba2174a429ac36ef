"""Settings: ``DOCGEN_*`` environment variables read once, with embedded defaults.

Like Starlette's ``Config``, :meth:`Settings.from_env` takes an ``environ``
mapping, so tests pass a dict instead of patching ``os.environ``. Every
setting has a default that runs on a fresh machine with nothing configured.

| variable                     | default                          | meaning |
|------------------------------|----------------------------------|---------|
| DOCGEN_TEMPLATE_DIR          | <repo>/templates                 | the shipped packs, one folder per type (`<id>/type.toml`, `template.docx`, `example.json`) |
| DOCGEN_PACKS_DIR             | (unset: shipped packs only)      | an agency's own packs, same layout; a pack whose `id` is a shipped type's replaces it (declarations and Word templates only, no code) |
| DOCGEN_HOST                  | 127.0.0.1                        | `docgen serve` bind address |
| DOCGEN_PORT                  | 8000                             | `docgen serve` port |
| DOCGEN_MAX_REQUEST_BYTES     | 5242880 (5 MiB)                  | request body limit (413 above) |
| DOCGEN_INSTANCE_PATH         | <cwd>/instance                   | local state (register, job results) |
| DOCGEN_PDF_WORKERS           | cores / web workers, at least 1  | warm LibreOffice instances per web process |
| DOCGEN_PDF_TIMEOUT           | 60                               | seconds per PDF conversion |
| DOCGEN_PDF_MAX_CONVERSIONS   | 200                              | recycle an instance after this many |
| DOCGEN_PDF_QUEUE             | 16                               | waiting PDF requests before 503 |
| DOCGEN_PDF_START             | lazy                             | `lazy` or `eager` (start the pool with the app) |
| DOCGEN_PDF_PDFA              | (unset: plain PDF)               | `1b`, `2b` or `3b`: PDF/A for every PDF unless a request says otherwise |
| DOCGEN_PDF_SOFFICE           | (search PATH)                    | LibreOffice's `soffice` |
| DOCGEN_PDF_PYTHON            | /usr/bin/python3                 | the Python that can `import uno` (python3-uno) |
| DOCGEN_LOG_LEVEL             | INFO                             | logging level |
| DOCGEN_API_KEYS              | (unset: API open)                | comma-separated keys, or `@/path/to/file` (one a line); every /api/v1 call then needs one, and every page a login |
| DOCGEN_SECRET_KEY            | (generated: `<instance>/secret_key`, 0600) | signs the pages' session cookie (login, CSRF token); one value for every worker |
| DOCGEN_KEY_ATTEMPTS          | 10                               | wrong keys (API, /login, admin login) one address may send per window; then 429 `too_many_attempts`; 0: no limit |
| DOCGEN_KEY_ATTEMPTS_WINDOW   | 300                              | that window, in seconds |
| DOCGEN_PROXY_HOPS            | 0                                | reverse proxies in front whose X-Forwarded-For/-Proto/-Host/-Prefix are believed (0: ignored) |
| DOCGEN_TRUSTED_USER_HEADER   | (unset: no header trusted)       | e.g. `X-Remote-User`: the agency's reverse proxy names the signed-in clerk; honoured only when set |
| DOCGEN_BROKER_URL            | (unset: local worker pool)       | Celery broker for batch jobs, e.g. `redis://localhost:6379/0`; `docgen batch worker` runs the workers |
| DOCGEN_JOB_WORKERS           | 1                                | batch jobs the local pool runs at once (one process each) |
| DOCGEN_JOB_TTL               | 86400                            | seconds a finished job's result is kept in `<instance>/jobs` |
| DOCGEN_BATCH_MAX_ROWS        | 5000                             | data rows per batch (413 above) |
| DOCGEN_BATCH_MAX_UPLOAD_BYTES| 20971520 (20 MiB)                | a request uploading files (413 above) |
| DOCGEN_DATABASE_URL          | sqlite:///<instance>/register.sqlite3 | the outgoing register (sổ đăng ký văn bản đi); `postgresql://user:pw@host/db` for PostgreSQL |
| DOCGEN_DATABASE_UPGRADE      | auto                             | `auto`: migrate the register when the app starts; `off`: only `docgen db upgrade` |
| DOCGEN_LOG_FORMAT            | text                             | `text` or `json` (one JSON object per line, every record) |
| DOCGEN_WEB_WORKERS           | $WEB_CONCURRENCY, else 1         | web server processes on this machine (sizes the PDF pool); gunicorn.conf.py sets it to gunicorn's -w |
| DOCGEN_HEALTH_TIMEOUT        | 2                                | seconds /readyz waits for the database and the broker |
| DOCGEN_WEBHOOK_ALLOW         | (unset: no webhooks)             | comma-separated URL prefixes a job's webhook may call |
| DOCGEN_WEBHOOK_SECRET        | (unset)                          | HMAC-SHA256 key signing webhook bodies (X-Docgen-Signature) |
| DOCGEN_WEBHOOK_ATTEMPTS      | 5                                | calls before a webhook is given up |
| DOCGEN_WEBHOOK_BACKOFF       | 1                                | seconds before the first retry, doubled each time |
| DOCGEN_CONVERT_MAX_BYTES     | 20971520 (20 MiB)                | POST /api/v1/conversions: largest .docx accepted |
| DOCGEN_CACHE_DIR             | $XDG_CACHE_HOME/docgen, else ~/.cache/docgen | compiled templates kept between processes (`compiled/`, private, safe to delete); empty: off |
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from docgen.errors import ConfigurationError

#: The repository's templates, found relative to the package (editable install,
#: the Docker image sets DOCGEN_TEMPLATE_DIR explicitly).
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


class SettingsError(ConfigurationError, ValueError):
    """A ``DOCGEN_*`` variable holds a value that cannot be used (Vietnamese message)."""


def _int(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ValueError("phải là một số nguyên") from None


def _ascii_digits(value: str) -> bool:
    """Digits 0-9 only: ``str.isdigit`` is also true of '³', which ``int`` refuses."""
    return value.isascii() and value.isdigit()


def _float(value: str) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        raise ValueError("phải là một số (dùng dấu chấm cho phần thập phân)") from None
    if not math.isfinite(number):
        raise ValueError("phải là một số hữu hạn")
    return number


def _number(cast: Callable[[str], Any], low: float,
            high: float | None = None) -> dict[str, Any]:
    """A numeric setting's metadata: its cast and its bounds, checked for the environment
    and for a value given to ``create_app`` alike (:meth:`Settings.__post_init__`)."""
    return {"cast": cast, "bounds": (low, high)}


def _check_bounds(name: str, value: Any, bounds: tuple[float, float | None]) -> None:
    low, high = bounds
    where = f"DOCGEN_{name.upper()}={value!r}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingsError(f"{where}: phải là một số.")
    if not math.isfinite(value):
        raise SettingsError(f"{where}: phải là một số hữu hạn.")
    if value < low or high is not None and value > high:
        span = f"từ {low:g} đến {high:g}" if high is not None else f"từ {low:g} trở lên"
        raise SettingsError(f"{where}: phải {span}.")


def _api_keys(value: str) -> tuple[str, ...]:
    """``"k1,k2"`` or ``"@/run/secrets/docgen-keys"`` (a file: one key a line or comma-separated,
    ``#`` comments). Keys never appear in an error message."""
    value = value.strip()
    if value.startswith("@"):
        path = Path(value[1:]).expanduser()
        try:
            value = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"không đọc được tệp khóa {path}: {exc.strerror}") from None
        value = "\n".join(line.split("#", 1)[0] for line in value.splitlines())
    keys = tuple(k.strip() for k in value.replace("\n", ",").split(",") if k.strip())
    if any(not k.isascii() or not k.isprintable() for k in keys):
        raise ValueError("khóa phải gồm ký tự ASCII in được")
    return keys


def _prefixes(value: str) -> tuple[str, ...]:
    """``"https://portal.example/hooks/,http://127.0.0.1:9000/"``: http(s) URL prefixes."""
    prefixes = tuple(p.strip() for p in value.split(",") if p.strip())
    for prefix in prefixes:
        if not prefix.startswith(("http://", "https://")):
            raise ValueError(f"{prefix!r} is not an http:// or https:// URL prefix")
        if prefix.count("/") < 3:
            raise ValueError(f"{prefix!r}: end the host with '/' so 'https://a.b' does not "
                             "also allow 'https://a.b.evil.example'")
    return prefixes


def default_pdf_workers(web_workers: int, cores: int | None = None) -> int:
    """The cores shared among the web processes, each of which starts its own pool.

    >>> default_pdf_workers(2, cores=2), default_pdf_workers(3, cores=2), default_pdf_workers(1, 8)
    (1, 1, 8)
    """
    cores = cores or os.cpu_count() or 1
    return max(1, cores // max(1, web_workers))


def _header_name(value: str) -> str:
    """An HTTP header name (``X-Remote-User``), or empty."""
    value = value.strip()
    if value and not re.fullmatch(r"[A-Za-z0-9-]{1,64}", value):
        raise ValueError("phải là tên một tiêu đề HTTP, ví dụ X-Remote-User")
    return value


def _cache_dir(value: str) -> Path | None:
    """A folder, or empty for no cache."""
    value = value.strip()
    return Path(value).expanduser() if value else None


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """``$XDG_CACHE_HOME/docgen``, else ``~/.cache/docgen``; None without a home folder."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME", "").strip()
    if base:
        return Path(base) / "docgen"
    try:
        return Path.home() / ".cache" / "docgen"
    except RuntimeError:  # no HOME and no passwd entry
        return None


def _choice(*allowed: str) -> Callable[[str], str]:
    def cast(value: str) -> str:
        if value not in allowed:
            raise ValueError("phải là một trong: " + ", ".join(a or '""' for a in allowed))
        return value

    return cast


@dataclass(frozen=True)
class Settings:
    template_dir: Path = field(default=DEFAULT_TEMPLATE_DIR, metadata={"cast": Path})
    packs_dir: Path | None = field(default=None, metadata={"cast": Path})
    host: str = field(default="127.0.0.1", metadata={"cast": str})
    port: int = field(default=8000, metadata=_number(_int, 1, 65535))
    max_request_bytes: int = field(default=5 * 1024 * 1024, metadata=_number(_int, 1))
    instance_path: Path = field(default_factory=lambda: Path.cwd() / "instance", metadata={"cast": Path})
    pdf_workers: int = field(default_factory=lambda: os.cpu_count() or 1, metadata=_number(_int, 1))
    pdf_timeout: float = field(default=60.0, metadata=_number(_float, 0.001))
    pdf_max_conversions: int = field(default=200, metadata=_number(_int, 1))
    pdf_queue: int = field(default=16, metadata=_number(_int, 0))
    pdf_start: str = field(default="lazy", metadata={"cast": _choice("lazy", "eager")})
    pdf_pdfa: str = field(default="", metadata={"cast": _choice("", "1b", "2b", "3b")})
    pdf_soffice: str = field(default="", metadata={"cast": str})
    pdf_python: str = field(default="", metadata={"cast": str})
    log_level: str = field(default="INFO", metadata={"cast": str.upper})
    #: API keys; empty means the API is open (bind to loopback then). ``repr=False``:
    #: settings get logged, keys never.
    api_keys: tuple[str, ...] = field(default=(), repr=False, metadata={"cast": _api_keys})
    #: Signs the pages' session cookie; empty means generated once under ``instance_path``
    #: (docgen.http.sessions), so every gunicorn worker reads the same one.
    secret_key: str = field(default="", repr=False, metadata={"cast": str})
    #: A header set by the agency's reverse proxy naming the signed-in user (``X-Remote-User``);
    #: empty means no header is trusted. Only safe when the proxy strips it from clients.
    trusted_user_header: str = field(default="", metadata={"cast": _header_name})
    #: Wrong keys one client address may send in a window before its key checks are
    #: answered 429 (docgen.http.throttle); 0: no limit.
    key_attempts: int = field(default=10, metadata=_number(_int, 0))
    key_attempts_window: float = field(default=300.0, metadata=_number(_float, 1))
    #: Reverse proxies in front of docgen whose X-Forwarded-For/-Proto/-Host/-Prefix are
    #: believed (werkzeug's ProxyFix); 0: none, the headers are ignored.
    proxy_hops: int = field(default=0, metadata=_number(_int, 0, 5))
    #: Administrator keys (same forms as ``api_keys``): required to change the template
    #: store over HTTP; empty means the store cannot be changed over HTTP at all.
    admin_keys: tuple[str, ...] = field(default=(), repr=False, metadata={"cast": _api_keys})
    #: The template store (docgen.store): the largest upload (a pack zip or a .docx), and
    #: how often (seconds) a process re-reads which versions are deployed.
    store_max_bytes: int = field(default=10 * 1024 * 1024, metadata=_number(_int, 1))
    store_refresh: float = field(default=2.0, metadata=_number(_float, 0))
    #: Batch jobs (docgen.jobs): Celery when a broker is set, else the local process pool.
    broker_url: str | None = field(default=None, repr=False, metadata={"cast": str})
    job_workers: int = field(default=1, metadata=_number(_int, 1))
    job_ttl: float = field(default=86400.0, metadata=_number(_float, 60))
    batch_max_rows: int = field(default=5000, metadata=_number(_int, 1))
    batch_max_upload_bytes: int = field(default=20 * 1024 * 1024, metadata=_number(_int, 1))
    #: The register (docgen.register); empty means the SQLite file under ``instance_path``.
    database_url: str = field(default="", repr=False, metadata={"cast": str})
    database_upgrade: str = field(default="auto", metadata={"cast": _choice("auto", "off")})
    log_format: str = field(default="text", metadata={"cast": _choice("text", "json")})
    #: Web server processes (gunicorn -w): each has its own PDF pool, so the pool's
    #: default size is the cores shared among them.
    web_workers: int = field(default=1, metadata=_number(_int, 1))
    health_timeout: float = field(default=2.0, metadata=_number(_float, 0.1))
    #: Job webhooks (docgen.jobs._webhook): URL prefixes allowed; empty refuses every webhook.
    webhook_allow: tuple[str, ...] = field(default=(), metadata={"cast": _prefixes})
    webhook_secret: str = field(default="", repr=False, metadata={"cast": str})
    webhook_attempts: int = field(default=5, metadata=_number(_int, 1))
    webhook_backoff: float = field(default=1.0, metadata=_number(_float, 0))
    convert_max_bytes: int = field(default=20 * 1024 * 1024, metadata=_number(_int, 1))
    #: Compiled templates shared between processes (``<cache_dir>/compiled``): a command-line
    #: render reads the minutes template's compiled code instead of compiling it. None: off.
    cache_dir: Path | None = field(default_factory=default_cache_dir,
                                   metadata={"cast": _cache_dir})

    def __post_init__(self) -> None:
        for f in fields(self):
            if "bounds" in f.metadata:
                _check_bounds(f.name, getattr(self, f.name), f.metadata["bounds"])

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read ``DOCGEN_<NAME>`` for every field; ``overrides`` win over both."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            key = f"DOCGEN_{f.name.upper()}"
            if key in environ:
                cast = f.metadata["cast"]
                try:
                    values[f.name] = cast(environ[key])
                except ValueError as exc:
                    shown = "***" if f.repr is False else repr(environ[key])
                    raise SettingsError(f"{key}={shown}: {exc}") from exc
        casts = {f.name: f.metadata["cast"] for f in fields(cls)}
        for name, value in overrides.items():
            if name not in casts:
                raise SettingsError(f"DOCGEN_{name.upper()}: không có thiết lập này.")
            # a mapping given to create_app may hold strings, as the environment does
            try:
                values[name] = casts[name](value) if isinstance(value, str) else value
            except ValueError as exc:
                raise SettingsError(f"DOCGEN_{name.upper()}={value!r}: {exc}") from exc
        if ("web_workers" not in values and _ascii_digits(environ.get("WEB_CONCURRENCY", ""))
                and int(environ["WEB_CONCURRENCY"]) >= 1):
            values["web_workers"] = int(environ["WEB_CONCURRENCY"])  # gunicorn's own default -w
        if "cache_dir" not in values:
            values["cache_dir"] = default_cache_dir(environ)
        if "pdf_workers" not in values:
            values["pdf_workers"] = default_pdf_workers(values.get("web_workers", 1))
        return cls(**values)


def database_configured(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``DOCGEN_DATABASE_URL`` is set, read alone: ``docgen templates`` asks it to
    know whether to read the template store, and reads no other setting."""
    environ = os.environ if environ is None else environ
    return bool((environ.get("DOCGEN_DATABASE_URL") or "").strip())


def pack_dirs(environ: Mapping[str, str] | None = None) -> tuple[Path, Path | None]:
    """The shipped packs' folder and the agency's (``DOCGEN_TEMPLATE_DIR``,
    ``DOCGEN_PACKS_DIR``), read alone: the catalog needs them before the rest of the
    settings, and a bad value elsewhere must not hide every document type."""
    environ = os.environ if environ is None else environ
    shipped = environ.get("DOCGEN_TEMPLATE_DIR") or ""
    packs = environ.get("DOCGEN_PACKS_DIR") or ""
    return (Path(shipped) if shipped else DEFAULT_TEMPLATE_DIR), (Path(packs) if packs else None)
