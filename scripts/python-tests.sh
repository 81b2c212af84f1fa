#!/usr/bin/env bash
# Python tests: a fresh virtual environment in .venv, the wheel built once (release, abi3),
# the native module's stub checked by mypy.stubtest, ruff, then pytest over tests/python and
# the example notebook (nbmake). Called by scripts/test.sh when pyproject.toml exists.
# Usage: bash scripts/python-tests.sh   (from anywhere; CARGO_TARGET_DIR is honoured)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}

echo "== Python: fresh venv in .venv"
rm -rf .venv
"$PY" -m venv .venv
VPY="$ROOT/.venv/bin/python"
"$VPY" -m pip install --quiet --upgrade pip
"$VPY" -m pip install --quiet "maturin>=1.9.4,<2" pytest nbmake mypy ruff \
  "pandas>=2.2" polars pyarrow matplotlib openpyxl ipykernel holidays pyspark

# chiso.spark is tested on a real PySpark (local[2]), which needs Java: install it where we can
# (Debian, as root), and then require the Spark tests rather than let them skip.
if ! command -v java >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing openjdk-17-jre-headless (Spark tests)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null) \
    || echo "could not install Java: the Spark tests will say they skipped"
fi
if command -v java >/dev/null 2>&1; then
  export CHISO_REQUIRE_SPARK=1
fi

echo "== Python: build the wheel once (release)"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
rm -rf "$TARGET/wheels"
start=$(date +%s)
"$ROOT/.venv/bin/maturin" build --release --out "$TARGET/wheels" --interpreter "$VPY"
echo "wheel built in $(( $(date +%s) - start )) s"
"$VPY" -m pip install --quiet --force-reinstall --no-deps "$TARGET"/wheels/chiso-*.whl

echo "== Python: stubtest (python/chiso/_chiso.pyi against the binary)"
( cd "$ROOT/tests" && "$VPY" -m mypy.stubtest chiso._chiso 2>&1 ) || {
  echo "stubtest failed"; exit 1; }

echo "== Python: ruff"
"$ROOT/.venv/bin/ruff" check python tests/python

echo "== Python: the CLI, to check that it and Python write the same report files"
cargo build --quiet -p chiso-cli
export CHISO_CLI="$TARGET/debug/chiso"

echo "== Python: doctests of the installed package (every docstring example runs)"
# --pyargs collects the installed chiso (with its native module), not the source folder;
# LANG pins the locale the examples' default language would otherwise follow.
( cd "$ROOT/tests" && LANG=C.UTF-8 LC_ALL= "$VPY" -m pytest -q -p no:cacheprovider \
    --doctest-modules --pyargs chiso )

echo "== Python: pytest (tests/python and the example notebook)"
export MPLBACKEND=Agg
set +e
( cd "$ROOT" && "$VPY" -m pytest -q -p no:cacheprovider --nbmake tests/python python/examples/quickstart.ipynb )
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing"; exit 1
fi
exit "$rc"
