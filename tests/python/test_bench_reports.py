"""The benchmark scripts write their part of BENCHMARKS.md and keep the others' sections: the
peers' script once dropped everything after its analysis (the Python, Spark, live scoreboard and
limits sections) when it re-included its notes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benches" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_re_including_the_notes_keeps_the_sections_after_them(tmp_path: Path) -> None:
    peers = load("run_peers")
    report = tmp_path / "BENCHMARKS.md"
    report.write_text(
        "# Benchmarks\n\nmeasured rows\n\n"
        f"{peers.NOTES_HEADING}\n\nold analysis\n\n### a subsection of it\n\ntext\n\n"
        "## Live scoreboard\n\nlive rows\n\n### Allocator\n\nmore\n\n## Limits (issue 17)\n\nend\n",
        encoding="utf-8",
    )
    peers.include_notes(str(report))
    text = report.read_text(encoding="utf-8")
    notes = (ROOT / "benches" / "peers" / "NOTES.md").read_text(encoding="utf-8").strip()
    assert text.startswith("# Benchmarks\n\nmeasured rows\n")
    assert notes in text
    assert "old analysis" not in text and "### a subsection of it" not in text
    assert text.endswith(
        "## Live scoreboard\n\nlive rows\n\n### Allocator\n\nmore\n\n## Limits (issue 17)\n\nend\n"
    )
    assert text.index(notes) < text.index("## Live scoreboard")


def test_the_live_section_is_replaced_in_place(tmp_path: Path) -> None:
    live = load("run_live")
    report = tmp_path / "BENCHMARKS.md"
    report.write_text(
        "# Benchmarks\n\n## Live scoreboard\n\nold\n\n### kept? no, part of it\n\n"
        "## Limits (issue 17)\n\nend\n",
        encoding="utf-8",
    )
    live.put_section(str(report), "## Live scoreboard\n\nnew\n")
    text = report.read_text(encoding="utf-8")
    assert "old" not in text
    assert text == "# Benchmarks\n\n## Live scoreboard\n\nnew\n\n## Limits (issue 17)\n\nend\n"
