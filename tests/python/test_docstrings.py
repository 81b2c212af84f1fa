"""Every public name of ``chiso`` (``chiso.__all__``, the public functions of its modules and
the public methods and properties of its classes) has a docstring with a ``>>>`` example, and
every example runs and prints what it says.

``pytest --doctest-modules --pyargs chiso`` runs the examples of the Python modules; the native
classes' docstrings (``chiso.Profile``, ``chiso.Records``, ``chiso.Tally``, written in Rust) live
in the extension module, which it does not collect, so this test runs every example itself.
"""

from __future__ import annotations

import doctest
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

import chiso


def public_api() -> Iterator[tuple[str, Any]]:
    """(name, object) for each public function, class, method and property of chiso."""
    for name in chiso.__all__:
        obj = getattr(chiso, name)
        if inspect.ismodule(obj):
            for member in getattr(obj, "__all__", []):
                yield f"{name}.{member}", getattr(obj, member)
            continue
        yield name, obj
        if not inspect.isclass(obj) or issubclass(obj, BaseException):
            continue
        for attr, raw in vars(obj).items():
            if attr.startswith("_"):
                continue
            if isinstance(raw, (property, staticmethod, classmethod)) or callable(raw):
                yield f"{name}.{attr}", raw
            elif inspect.isgetsetdescriptor(raw) or inspect.ismethoddescriptor(raw):
                yield f"{name}.{attr}", raw


API = dict(public_api())


def docstring(obj: Any) -> str:
    target = obj.__func__ if isinstance(obj, (staticmethod, classmethod)) else obj
    return inspect.getdoc(target) or ""


def test_the_walk_finds_the_whole_api() -> None:
    """The walk is not vacuous: it sees functions, classes, methods, properties and the
    native classes' methods."""
    for name in ("score", "Scorecard.total", "Scorecard.accounting", "Table.to_pylist",
                 "Tally.merge", "Profile.options", "Records.rejects", "calendar.to_lunar",
                 "Scoreboard.load", "InputError"):
        assert name in API, name
    assert len(API) > 90


@pytest.mark.parametrize("name", sorted(API))
def test_every_public_name_has_an_example(name: str) -> None:
    assert ">>>" in docstring(API[name]), f"chiso.{name} has no docstring with a >>> example"


@pytest.mark.parametrize("name", sorted(API))
def test_every_example_runs(name: str) -> None:
    text = docstring(API[name])
    test = doctest.DocTestParser().get_doctest(text, {}, f"chiso.{name}", None, 0)
    assert test.examples, name
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
