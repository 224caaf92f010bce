#!/usr/bin/env bash
# Builds Beam's Prism runner (a Go binary, Beam's portable local runner) for the installed
# apache-beam version with `go install` through the Go module proxy, cached under
# ~/.cache/dolmakit/prism/<version>/prism (or $DOLMAKIT_CACHE/prism/...). Safe to run again.
# `run.runner: prism` finds it there; without Go, dolmakit's default local runner still works.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v go >/dev/null; then
  echo "build_prism: no Go toolchain; skipping Prism (run.runner: prism needs it)" >&2
  exit 0
fi
version=$(.venv/bin/python -c 'import apache_beam; print(apache_beam.__version__)')
target="${DOLMAKIT_CACHE:-$HOME/.cache/dolmakit}/prism/$version"
if [ -x "$target/prism" ]; then
  echo "Prism $version: $target/prism (cached)"
  exit 0
fi
started=$(date +%s)
mkdir -p "$target"
GOBIN="$target" GOFLAGS=-mod=mod go install "github.com/apache/beam/sdks/v2/go/cmd/prism@v$version"
echo "Prism $version: built into $target/prism in $(( $(date +%s) - started )) s"
