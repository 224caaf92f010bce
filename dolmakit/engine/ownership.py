"""What dolmakit wrote under an output path, so that it replaces that and nothing else.

A published job records every file it wrote in the output path's ledger, `<root>/_dolmakit.json`,
under its job key (`run`, `mix`, `tag:<name>`). A later job replaces only files some dolmakit job
recorded there; any other file under a name it would write is the user's, and the job stops
before launch listing them. Staging folders (`_incomplete-<time>-<id>`) carry a mark file written
before anything else, so a staging folder dolmakit did not make is never taken for one.

Everything goes through Beam's FileSystems: a local path, gs:// or s3:// alike (object stores
have no folders, so a "folder" here is the files under a prefix).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from apache_beam.io.filesystem import BeamIOError
from apache_beam.io.filesystems import FileSystems

from dolmakit.report.build import write_atomically

LEDGER = "_dolmakit.json"
INCOMPLETE = "_incomplete-"  # the name a job's staging folder starts with
STAGING_MARK = "_dolmakit_staging.json"
_FORMAT = "dolmakit-ledger/1"


@dataclass
class Ledger:
    """The files of each published job under root, relative to it, by job key."""

    root: str
    jobs: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, root: str) -> Ledger:
        path = f"{root}/{LEDGER}"
        if not FileSystems.exists(path):
            return cls(root)
        with FileSystems.open(path) as stream:
            data = json.loads(stream.read().decode("utf-8"))
        return cls(root, {key: list(job["files"]) for key, job in data["jobs"].items()})

    def owned(self) -> set[str]:
        return {path for files in self.jobs.values() for path in files}

    def record(self, key: str, files: Iterable[str]) -> None:
        """The job `key` now owns exactly `files`; no other job owns any of them."""
        files = sorted(set(files))
        taken = set(files)
        for other, listed in list(self.jobs.items()):
            self.jobs[other] = [path for path in listed if path not in taken]
            if not self.jobs[other]:
                del self.jobs[other]
        self.jobs[key] = files

    def forget(self, files: Iterable[str]) -> None:
        gone = set(files)
        self.jobs = {key: kept for key, listed in self.jobs.items()
                     if (kept := [path for path in listed if path not in gone])}  # fmt: skip

    def write(self) -> None:
        jobs = {key: {"files": files} for key, files in sorted(self.jobs.items())}
        data = {"format": _FORMAT, "jobs": jobs}
        write_atomically(f"{self.root}/{LEDGER}", json.dumps(data, indent=1))


def files_under(root: str, name: str) -> list[str]:
    """The files at `name` under root, relative to root: the file itself, or every file below
    the folder (prefix) of that name."""
    path = f"{root}/{name}"
    below = [meta.path for meta in FileSystems.match([f"{path}/**"])[0].metadata_list]
    if below:
        return sorted(p[len(root) + 1 :] for p in below)
    if FileSystems.match([path])[0].metadata_list and not _is_folder(path):
        return [name]
    return []


def foreign_files(ledger: Ledger, names: Iterable[str]) -> list[str]:
    """Files under `names` that no dolmakit job recorded, and every file of a staging folder
    without dolmakit's mark: the user's, never to be deleted or overwritten."""
    owned = ledger.owned()
    found = [path for name in names for path in files_under(ledger.root, name)]
    foreign = [path for path in found if path not in owned]
    for folder, files in staging_folders(ledger.root).items():
        if f"{folder}/{STAGING_MARK}" not in files:
            foreign += files
    return sorted(set(foreign))


def staging_folders(root: str) -> dict[str, list[str]]:
    """`_incomplete-*` folders under root -> their files, relative to root."""
    matched = FileSystems.match([f"{root}/{INCOMPLETE}*/**"])[0].metadata_list
    folders: dict[str, list[str]] = {}
    for meta in matched:
        relative = meta.path[len(root) + 1 :]
        folders.setdefault(relative.split("/", 1)[0], []).append(relative)
    return folders


def staging_path(root: str) -> str:
    """A new job's staging folder under root, `_incomplete-<time>-<random>` (a `_` name, which
    `documents/*` globs and Hadoop-style readers pass over); not made yet."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{root}/{INCOMPLETE}{stamp}-{uuid.uuid4().hex[:8]}"


def open_staging(staging: str, command: str, more: dict | None = None) -> None:
    """Makes the staging folder with dolmakit's mark in it, before anything else; `more` is
    what a later resume needs (the job's fingerprint)."""
    mark = {"command": command, "started": datetime.now(UTC).isoformat(timespec="seconds"),
            **(more or {})}  # fmt: skip
    write_atomically(f"{staging}/{STAGING_MARK}", json.dumps(mark))


def read_mark(staging: str) -> dict:
    with FileSystems.open(f"{staging}/{STAGING_MARK}") as stream:
        return json.loads(stream.read().decode("utf-8"))


def own_staging_folders(root: str, keep: str) -> list[str]:
    """The marked staging folders under root (earlier jobs' that were killed or not
    published), but for `keep`, as paths."""
    return [f"{root}/{folder}" for folder, files in staging_folders(root).items()
            if f"{folder}/{STAGING_MARK}" in files and f"{root}/{folder}" != keep]  # fmt: skip


def delete_files(root: str, files: Iterable[str]) -> None:
    """Deletes the files (relative to root) that exist, then the local folders they leave
    empty. A ledger may list a file the user has deleted since: that one is passed over."""
    paths = [f"{root}/{path}" for path in files]
    try:
        FileSystems.delete(paths)
    except (BeamIOError, OSError):  # one request for all, then one by one: some are missing
        FileSystems.delete([path for path in paths if FileSystems.exists(path)])
    for folder in sorted({p.rsplit("/", 1)[0] for p in paths}, key=len, reverse=True):
        _remove_empty_folders(folder, root)


def delete_folder(path: str) -> None:
    """A local folder whole; on an object store every object under the prefix (it has no
    folders: deleting the prefix's own name deletes nothing there)."""
    if "://" not in path:
        if FileSystems.exists(path):
            FileSystems.delete([path])
        return
    files = [meta.path for meta in FileSystems.match([f"{path}/**"])[0].metadata_list]
    if files:
        FileSystems.delete(files)


def _is_folder(path: str) -> bool:
    return "://" not in path and os.path.isdir(path)


def _remove_empty_folders(folder: str, root: str) -> None:
    """Local folders only (object stores have none): `folder` and its parents up to root,
    while they are empty."""
    while "://" not in folder and folder.startswith(root + "/") and os.path.isdir(folder):
        if os.listdir(folder):
            return
        os.rmdir(folder)
        folder = folder.rsplit("/", 1)[0]
