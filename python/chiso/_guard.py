"""No Rust panic reaches the user as pyo3's ``PanicException``.

``PanicException`` derives from ``BaseException``, so ``except Exception`` misses it and a
notebook or a web worker dies. At import, every function of the native module ``chiso._chiso``
and every method, property and special method of its classes is wrapped so that a panic becomes
:class:`chiso.InternalError` (a :class:`chiso.ChisoError`) asking for a report. Wrapping at
import covers entry points added later without anyone remembering to guard them;
``tests/python/test_hardening.py`` checks that none is left out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import ModuleType
from typing import Any

from .errors import InternalError

_REPORT = "https://example.invalid/chiso/issues"

# Kinds of native callables found in a pyo3 module and its classes.
_NATIVE = {
    "builtin_function_or_method",
    "method_descriptor",
    "wrapper_descriptor",
    "classmethod_descriptor",
}


# Ordering comparisons pyo3 generates for a class that defines only equality: they return
# NotImplemented without running chiso code, and left as they are the stub need not declare them.
ORDERING = ("__lt__", "__le__", "__gt__", "__ge__")


def _is_panic(e: BaseException) -> bool:
    t = type(e)
    return t.__name__ == "PanicException" and t.__module__ == "pyo3_runtime"


def _internal(e: BaseException, where: str) -> InternalError:
    return InternalError(
        f"internal error in chiso ({where}): {e}. This is a bug in chiso, not a problem with "
        f"your data; please report it with the input that caused it at {_REPORT}"
    )


def _wrap(fn: Callable[..., Any], where: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BaseException as e:
            if _is_panic(e):
                raise _internal(e, where) from e
            raise

    guarded.__chiso_guarded__ = True  # type: ignore[attr-defined]
    return guarded


def _guard_class(cls: type) -> None:
    for name, attr in list(vars(cls).items()):
        kind = type(attr).__name__
        where = f"{cls.__name__}.{name}"
        if kind == "getset_descriptor" and not name.startswith("__"):
            getter = _wrap(attr.__get__, where)
            setattr(cls, name, property(lambda self, g=getter: g(self), doc=attr.__doc__))
        elif kind == "staticmethod":
            setattr(cls, name, staticmethod(_wrap(attr.__func__, where)))
        elif name == "__new__":
            # A class's own constructor is left as it is: replacing it would change the type's
            # slot, and CPython then refuses to call the original ("is not safe").
            continue
        elif kind == "classmethod_descriptor":
            setattr(cls, name, staticmethod(_wrap(getattr(cls, name), where)))
        elif kind in _NATIVE and name not in ("__init_subclass__", "__subclasshook__", *ORDERING):
            setattr(cls, name, _wrap(attr, where))


def install(native: ModuleType) -> None:
    """Wraps every function of ``native`` and every member of its classes (once)."""
    if getattr(native, "__chiso_guarded__", False):
        return
    for name, obj in list(vars(native).items()):
        if isinstance(obj, type) and obj.__module__ == native.__name__:
            _guard_class(obj)
        elif type(obj).__name__ == "builtin_function_or_method":
            setattr(native, name, _wrap(obj, name))
    native.__chiso_guarded__ = True  # type: ignore[attr-defined]
