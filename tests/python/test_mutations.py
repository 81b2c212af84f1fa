"""Mutated golden files through Python (``chiso.read`` then ``chiso.score``): every mutant is
either scored with its accounting adding up (read = scored + excluded + rejected) or refused with
a ``chiso.ChisoError`` (or an ``OSError`` naming the file); never a panic or another exception.

Seeded: ``CHISO_MUTATION_SEED`` (default 766) and ``CHISO_MUTATIONS`` (cases per format, default
2,000, i.e. 14,000 in all, about half a minute). A failure names the seed, the format and the
case; the Rust suite (``crates/chiso-io/tests/mutations.rs``) runs thousands per format in
process.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

import chiso

GOLDEN = Path(__file__).resolve().parents[2] / "tests" / "golden" / "input"
SEED = int(os.environ.get("CHISO_MUTATION_SEED", "766"))
CASES = int(os.environ.get("CHISO_MUTATIONS", "2000"))
FORMATS = [
    ("dossiers.csv", True),
    ("dossiers-unicode.txt", True),
    ("dossiers-sync.json", True),
    ("dossiers-sync.jsonl", True),
    ("dossiers.xlsx", False),
    ("dossiers.arrow", False),
    ("dossiers.parquet", False),
]


def _replace_cell(data: bytes, rng: random.Random, value: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if len(lines) < 2:
        return data
    i = rng.randrange(1, len(lines))
    seps = [k for k, c in enumerate(lines[i]) if c in b";,\t:"]
    if seps:
        at = rng.choice(seps)
        lines[i] = lines[i][: at + 1] + value + lines[i][at + 1 :]
    return b"".join(lines)


def mutate(orig: bytes, text: bool, rng: random.Random) -> tuple[bytes, str]:
    """One seeded mutation of ``orig`` (line and cell mutations for text formats only)."""
    b = bytearray(orig)
    kind = rng.randrange(12 if text else 6)
    if kind == 0:
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        return bytes(b), "bit flips"
    if kind == 1:
        return bytes(b[: rng.randrange(len(b))]), "truncated"
    if kind == 2:
        for _ in range(rng.randint(1, 16)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b), "random bytes"
    if kind == 3:
        at = rng.randrange(len(b))
        return bytes(b[:at] + rng.randbytes(rng.randint(1, 64)) + b[at:]), "bytes inserted"
    if kind == 4:
        return b"", "empty"
    if kind == 5:
        return rng.randbytes(rng.randrange(64)), "random file"
    lines = orig.splitlines(keepends=True)
    if kind == 6 and len(lines) > 1:
        del lines[rng.randrange(1, len(lines))]
        return b"".join(lines), "line deleted"
    if kind == 7:
        lines.insert(rng.randrange(len(lines)), rng.choice(lines))
        return b"".join(lines), "line duplicated"
    if kind == 8:
        head, rest = lines[:1], lines[1:]
        rng.shuffle(rest)
        return b"".join(head + rest), "lines shuffled"
    if kind == 9:
        return lines[0] if lines else b"", "header only"
    if kind == 10:
        size = 1 << rng.randrange(10, 24)  # up to 8 MiB: past the 4 MiB cell limit sometimes
        return _replace_cell(orig, rng, b"9" * size), "large cell"
    depth = rng.randrange(100, 5000)
    return _replace_cell(orig, rng, b"[" * depth + b"1" + b"]" * depth), "deep nesting"


def check(path: Path) -> None:
    try:
        records = chiso.read(path)
        card = chiso.score(records, period="2026-Q3", as_of="2026-09-30T17:00")
    except chiso.ChisoError:
        return
    except OSError as e:
        assert path.name in str(e), e
        return
    acc = card.accounting
    assert acc["read"] == acc["scored"] + acc["excluded"] + acc["rejected"], acc


@pytest.mark.parametrize(("name", "text"), FORMATS)
def test_mutants_are_scored_or_refused(tmp_path: Path, name: str, text: bool) -> None:
    orig = (GOLDEN / name).read_bytes()
    failures = []
    for case in range(CASES):
        rng = random.Random(f"{SEED}/{name}/{case}")
        data, kind = mutate(orig, text, rng)
        path = tmp_path / f"mutant{Path(name).suffix}"
        path.write_bytes(data)
        try:
            check(path)
        except BaseException as e:  # noqa: BLE001 - a panic is a BaseException: report it all
            keep = tmp_path / f"failure-{case}{Path(name).suffix}"
            keep.write_bytes(data)
            failures.append(f"seed {SEED} case {case} ({kind}): {type(e).__name__}: {e} [{keep}]")
    assert not failures, f"{name}: {len(failures)} of {CASES} failed:\n" + "\n".join(failures)
