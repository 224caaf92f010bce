"""The wheel dolmakit ships to remote workers holds the source tree as it is, not what an
earlier build left in setuptools' build/ folder."""

from __future__ import annotations

import shutil
import zipfile

from conftest import REPO

from dolmakit.engine import staging


def test_the_wheel_leaves_out_modules_an_earlier_build_left(tmp_path, monkeypatch):
    tree = tmp_path / "dolmakit-src"
    shutil.copytree(REPO, tree, ignore=shutil.ignore_patterns(*staging._NOT_SHIPPED))
    stale = tree / "build" / "lib" / "dolmakit" / "removed_long_ago.py"
    stale.parent.mkdir(parents=True)
    stale.write_text("from dolmakit.core.steps import CollectionStep\n")
    monkeypatch.setattr(staging, "PROJECT_ROOT", tree)
    names = zipfile.ZipFile(staging.build_wheel()).namelist()
    assert "dolmakit/engine/segments.py" in names
    assert "dolmakit/removed_long_ago.py" not in names
    assert stale.is_file()  # the source tree itself is left as it was
