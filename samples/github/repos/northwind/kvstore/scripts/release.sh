#!/usr/bin/env bash
# Tags the current commit with the version in VERSION and pushes the tag.
set -euo pipefail

version="$(cat VERSION)"
if git rev-parse "v${version}" >/dev/null 2>&1; then
    echo "tag v${version} exists already" >&2
    exit 1
fi
git tag -a "v${version}" -m "release ${version}"
git push origin "v${version}"
