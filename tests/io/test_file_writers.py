"""io/file_writers: closing files into folders that other workers make at the same moment."""

from __future__ import annotations

import pytest
from apache_beam.io.filesystems import FileSystems

from dolmakit.io import file_writers


def test_a_folder_another_worker_made_in_between_is_used(tmp_path, monkeypatch):
    # The race CI met with two workers: both saw no folder, the other made it first.
    folder = tmp_path / "_segments" / "1"
    folder.mkdir(parents=True)
    real_exists = FileSystems.exists
    seen = []

    def exists_once_late(path):
        if path == str(folder) and not seen:
            seen.append(path)
            return False
        return real_exists(path)

    monkeypatch.setattr(FileSystems, "exists", exists_once_late)
    source = tmp_path / "part.tmp"
    source.write_text("kept\n")
    file_writers.replace(str(source), f"{folder}/part-00000.zst")
    assert (folder / "part-00000.zst").read_text() == "kept\n"
    assert not source.exists()


def test_a_folder_that_cannot_be_made_still_fails(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    source = tmp_path / "part.tmp"
    source.write_text("kept\n")
    with pytest.raises(OSError):
        file_writers.replace(str(source), f"{blocker}/sub/part-00000.zst")
    assert source.read_text() == "kept\n"  # nothing renamed, nothing lost
