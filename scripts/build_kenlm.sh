#!/usr/bin/env bash
# Builds KenLM's lmplz, build_binary and query from the kenlm==0.3.0 source on PyPI and installs
# them into .venv/bin, beside the `kenlm` Python module of the same version, so they travel with
# the venv and `shutil.which` finds them when it is active.
#
# Needs g++, cmake and Debian's libboost-{program-options,system,thread}-dev, zlib1g-dev,
# libbz2-dev and liblzma-dev (scripts/setup.sh installs them). Idempotent: does nothing when the
# three binaries are already there and run. Not kenlm-ex: its lmplz writes positive log-probs.
#
#   DOLMAKIT_KENLM_BIN=DIR  install into DIR instead of .venv/bin
#   DOLMAKIT_CACHE=DIR      where the source and build folder live (default ~/.cache/dolmakit)
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.3.0
TOOLS=(lmplz build_binary query)
BIN_DIR=${DOLMAKIT_KENLM_BIN:-.venv/bin}
CACHE=${DOLMAKIT_CACHE:-$HOME/.cache/dolmakit}/kenlm-$VERSION
# only pip's downloader is needed, so any Python will do when there is no venv yet
if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=${PYTHON:-python3}; fi

# build_binary and query answer --help with their usage and status 1, so "runs" means: the
# binary starts and prints its usage (a missing Boost library prints neither). The output is
# captured first: `| grep -q` would close the pipe early and fail the check under pipefail.
tool_runs() {
  [ -x "$BIN_DIR/$1" ] || return 1
  local help
  help=$("$BIN_DIR/$1" --help 2>&1 || true)
  grep -qi "usage\|options" <<<"$help"
}

all_present=1
for tool in "${TOOLS[@]}"; do tool_runs "$tool" || all_present=0; done
if [ "$all_present" = 1 ]; then
  echo "KenLM $VERSION tools already in $BIN_DIR"
  exit 0
fi

start=$(date +%s)
mkdir -p "$CACHE" "$BIN_DIR"
if [ ! -f "$CACHE/kenlm-$VERSION.tar.gz" ]; then
  # --no-binary kenlm, not :all:, so that pip fetches the build requirements it installs to
  # read the sdist's metadata (setuptools, wheel, cmake) as wheels instead of compiling cmake
  "$PYTHON" -m pip download --quiet --disable-pip-version-check --no-deps \
    --no-binary kenlm "kenlm==$VERSION" -d "$CACHE"
fi
if [ ! -f "$CACHE/src/CMakeLists.txt" ]; then
  rm -rf "$CACHE/src" "$CACHE/src.partial" "$CACHE/build" && mkdir -p "$CACHE/src.partial"
  tar xzf "$CACHE/kenlm-$VERSION.tar.gz" -C "$CACHE/src.partial" --strip-components=1
  mv "$CACHE/src.partial" "$CACHE/src"
fi
# KenLM asks for Boost's unit_test_framework even with COMPILE_TESTS off; the tools never use it,
# so drop it rather than make everyone install libboost-test-dev
sed -i '/^  unit_test_framework$/d' "$CACHE/src/CMakeLists.txt"

# KENLM_MAX_ORDER 6 matches the Python module of the same release, which reads the models
cmake -S "$CACHE/src" -B "$CACHE/build" -DCMAKE_BUILD_TYPE=Release -DKENLM_MAX_ORDER=6 \
  -DCOMPILE_TESTS=OFF -DENABLE_PYTHON=OFF >"$CACHE/cmake.log" 2>&1 \
  || { tail -30 "$CACHE/cmake.log" >&2; exit 1; }
cmake --build "$CACHE/build" --target "${TOOLS[@]}" -j2 >"$CACHE/build.log" 2>&1 \
  || { tail -30 "$CACHE/build.log" >&2; exit 1; }

for tool in "${TOOLS[@]}"; do
  install -m 755 "$CACHE/build/bin/$tool" "$BIN_DIR/$tool"
  tool_runs "$tool" || { echo "$BIN_DIR/$tool does not run" >&2; exit 1; }
done
echo "KenLM $VERSION: ${TOOLS[*]} installed into $BIN_DIR in $(( $(date +%s) - start )) s"
