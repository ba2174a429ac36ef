"""Start-up: marshmallow's e-mail patterns compiled on first use, not on import.

``marshmallow.validate`` compiles ``Email.USER_REGEX`` and ``Email.DOMAIN_REGEX`` in
the class body. The domain pattern case-folds every character from U+00A1 to U+FFFF
(``re.IGNORECASE`` over ``[¡-\\uffff]``): 25-30 ms on this machine, a tenth of a
``docgen render`` from the command line, for a validator docgen never uses.

:func:`install` puts a finder first on ``sys.meta_path`` that, the one time
``marshmallow.validate`` is loaded, runs the module with ``re.compile`` answering a
:class:`LazyPattern` *to that module's own calls* (every other caller, in any thread,
gets the real ``re.compile``). A LazyPattern compiles on its first use and then
forwards every attribute to the real pattern, so ``Email()("a@b.vn")`` behaves exactly
as before. When marshmallow is imported before docgen, nothing changes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

__all__ = ["LazyPattern", "install"]

#: The module whose import-time patterns are deferred.
TARGET = "marshmallow.validate"


class LazyPattern:
    """``re.compile(pattern, flags)``, done on the first attribute asked for."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def compiled(self) -> re.Pattern[Any]:
        """The real pattern, compiled now if it was not yet (two threads racing here
        compile the same pattern twice: harmless, ``re`` caches it)."""
        found = self._compiled
        if found is None:
            found = self._compiled = _real_compile(*self._args)
        return found

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # ``type()`` asks a class attribute for __set_name__
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyPattern):
            other = other.compiled()
        return self.compiled() == other

    def __hash__(self) -> int:
        return hash(self.compiled())

    def __repr__(self) -> str:
        return repr(self.compiled())

    def __copy__(self) -> re.Pattern[Any]:
        return self.compiled()

    def __deepcopy__(self, memo: dict[int, Any]) -> re.Pattern[Any]:
        return self.compiled()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_real_compile, self._args)


_real_compile = re.compile


def _compile(pattern: Any, flags: int = 0) -> Any:
    """``re.compile`` while the target runs: lazy for the target's own calls only."""
    caller = sys._getframe(1).f_globals.get("__name__")
    if caller == TARGET and isinstance(pattern, str | bytes):
        return LazyPattern(pattern, flags)
    return _real_compile(pattern, flags)


class _Loader:
    """Wraps the target's real loader: the module body runs with :func:`_compile`."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: Any) -> ModuleType | None:
        module: ModuleType | None = self._loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self._loader
        previous, re.compile = re.compile, _compile  # type: ignore[assignment]
        try:
            self._loader.exec_module(module)
        finally:
            re.compile = previous

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


class _Finder:
    """First on ``sys.meta_path``; steps aside after it has seen the target once."""

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> Any:
        if name != TARGET:
            return None
        _uninstall()
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]  # duck-typed loader
        return spec


_finder = _Finder()


def install() -> None:
    """Defer marshmallow's import-time patterns, unless marshmallow is loaded already."""
    if TARGET not in sys.modules and _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def _uninstall() -> None:
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
