"""Display options of the chiso package (``chiso.set_option`` / ``chiso.get_option``).

Only what changes how results are shown lives here; scoring rules are in rule profiles.
"""

from __future__ import annotations

from typing import Any

__all__ = ["get_option", "set_option"]

_OPTIONS: dict[str, Any] = {
    # Report language: "vi", "en", or None (from LC_ALL / LC_MESSAGES / LANG: vi_* → "vi").
    "lang": None,
}


def set_option(name: str, value: Any) -> None:
    """Sets a display option: ``"lang"`` (``"vi"``, ``"en"`` or ``None`` for the locale).

    The option is the default of ``card.to_html()``, ``card.to_excel()``, ``card.to_csv()`` and
    the notebook view.

    >>> import chiso
    >>> chiso.set_option("lang", "vi")
    >>> chiso.get_option("lang")
    'vi'
    >>> chiso.set_option("lang", None)
    """
    if name not in _OPTIONS:
        raise KeyError(f"unknown option {name!r} (known: {', '.join(sorted(_OPTIONS))})")
    if name == "lang" and value is not None and str(value).lower()[:2] not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi', 'en' or None, not {value!r}")
    _OPTIONS[name] = value


def get_option(name: str) -> Any:
    """The value of a display option (see :func:`set_option`).

    >>> import chiso
    >>> chiso.get_option("lang") is None
    True
    """
    if name not in _OPTIONS:
        raise KeyError(f"unknown option {name!r} (known: {', '.join(sorted(_OPTIONS))})")
    return _OPTIONS[name]


def lang(explicit: str | None) -> str | None:
    """The language of a report: the argument, else the option, else None (the locale)."""
    return explicit if explicit is not None else _OPTIONS["lang"]
