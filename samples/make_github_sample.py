"""Build ``samples/github/``: four tiny invented repositories and a table of source files.

The sample exists so that dolmakit's GitHub readers (``code_repository`` for checkouts,
``code_files`` for tables), the licence detection and filter, the licence-header removal, the
code heuristics and exact dedup can be run and tested offline. Every file was written for this
sample; the licence texts are the standard ones, abbreviated to a few of their sentences (the
ones licence detection looks for) to keep the sample small.

- ``repos/<owner>/<name>/``: checkouts (without .git, which a repository cannot hold):
  acme-labs/tinyjson (MIT), northwind/kvstore (Apache-2.0, licence headers in its files),
  quill-tools/gplnotes (GPL-3.0, removed by the licence filter) and solo-dev/scratch (no licence
  file). Traps: a PNG (binary), a vendored node_modules folder, an empty file, a minified
  JavaScript bundle, a generated Go file, a script duplicated byte for byte across repositories.
- ``files.jsonl.gz``: a BigQuery github_repos style table (repo_name, ref, path, license,
  content, binary), with a binary row, a row without path and a line that is not JSON.

The output is deterministic (sorted rows, gzip without timestamp). Regenerate with::

    python samples/make_github_sample.py
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent / "github"

MIT = """MIT License

Copyright (c) 2024 Acme Labs

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
"""

APACHE = """
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION

   (abbreviated for this sample: sections 1 and 3 to 9 are left out)

   2. Grant of Copyright License. Subject to the terms and conditions of
      this License, each Contributor hereby grants to You a perpetual,
      worldwide, non-exclusive, no-charge, royalty-free, irrevocable
      copyright license to reproduce, prepare Derivative Works of,
      publicly display, publicly perform, sublicense, and distribute the
      Work and such Derivative Works in Source or Object form.

   END OF TERMS AND CONDITIONS
"""

GPL3 = """                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
 Everyone is permitted to copy and distribute verbatim copies
 of this license document, but changing it is not allowed.

                            Preamble

  The GNU General Public License is a free, copyleft license for
software and other kinds of works.

  (abbreviated for this sample: the terms and conditions are left out)
"""

APACHE_HEADER_GO = """// Copyright 2024 Northwind Systems
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS.

"""

# the tricky document: its Apache header goes, the package comment and code stay as they are
STORE_GO_BODY = """// Package store keeps string values in memory, guarded by a read-write lock.
package store

import "sync"

// Store maps keys to values; the zero value is not ready, use New.
type Store struct {
	mu   sync.RWMutex
	data map[string]string
}

// New returns an empty store.
func New() *Store {
	return &Store{data: make(map[string]string)}
}

// Get returns the value of key and whether it was there.
func (s *Store) Get(key string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	value, ok := s.data[key]
	return value, ok
}

// Put sets key to value, replacing what was there.
func (s *Store) Put(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[key] = value
}
"""

RELEASE_SH = """#!/usr/bin/env bash
# Tags the current commit with the version in VERSION and pushes the tag.
set -euo pipefail

version="$(cat VERSION)"
if git rev-parse "v${version}" >/dev/null 2>&1; then
    echo "tag v${version} exists already" >&2
    exit 1
fi
git tag -a "v${version}" -m "release ${version}"
git push origin "v${version}"
"""


def minified_bundle() -> str:
    """One line of about 2,400 characters, as a minifier writes it."""
    parts = [f"function f{i}(a,b){{return a*{i}+b-{i % 7}}}" for i in range(60)]
    return "!function(){'use strict';" + ";".join(parts) + "}();\n"


TINYJSON = {
    "LICENSE": MIT,
    "README.md": """# tinyjson

A small JSON parser written to learn how recursive descent works.

```python
from tinyjson import loads
loads('{"a": [1, 2.5, true, null]}')
```

It handles objects, arrays, strings with escapes, numbers, booleans and null.
""",
    "tinyjson/__init__.py": '''"""A small recursive-descent JSON parser."""

from tinyjson.parser import ParseError, loads

__all__ = ["ParseError", "loads"]
''',
    "tinyjson/py.typed": "",
    "tinyjson/parser.py": '''# Copyright (c) 2024 Acme Labs
# SPDX-License-Identifier: MIT

"""Parses JSON text into Python values, one character class at a time."""

import re

NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
LITERALS = {"true": True, "false": False, "null": None}


class ParseError(ValueError):
    pass


def loads(text):
    value, end = parse_value(text, skip_space(text, 0))
    if skip_space(text, end) != len(text):
        raise ParseError(f"extra data at {end}")
    return value


def skip_space(text, pos):
    while pos < len(text) and text[pos] in " \\t\\r\\n":
        pos += 1
    return pos


def parse_value(text, pos):
    for word, value in LITERALS.items():
        if text.startswith(word, pos):
            return value, pos + len(word)
    if match := NUMBER.match(text, pos):
        number = match.group()
        is_float = "." in number or "e" in number.lower()
        return (float(number) if is_float else int(number)), match.end()
    raise ParseError(f"unexpected character at {pos}")
''',
    "tests/test_parser.py": """from tinyjson import loads


def test_literals():
    assert loads("true") is True
    assert loads(" null ") is None


def test_numbers():
    assert loads("-12") == -12
    assert loads("2.5e3") == 2500.0
""",
    "scripts/release.sh": RELEASE_SH,
    "static/tinyjson.min.js": minified_bundle(),
    "node_modules/left-pad/index.js": "module.exports = (s, n, c) => String(s).padStart(n, c);\n",
    "node_modules/left-pad/package.json": '{"name": "left-pad", "version": "1.3.0"}\n',
}

KVSTORE = {
    "LICENSE": APACHE,
    "go.mod": "module example.test/northwind/kvstore\n\ngo 1.22\n",
    "store/store.go": APACHE_HEADER_GO + STORE_GO_BODY,
    "store/store_test.go": APACHE_HEADER_GO
    + """package store

import "testing"

func TestPutThenGet(t *testing.T) {
	s := New()
	s.Put("colour", "teal")
	if got, ok := s.Get("colour"); !ok || got != "teal" {
		t.Fatalf("Get = %q, %v; want teal, true", got, ok)
	}
}
""",
    "cmd/kvctl/main.go": """/*
 * Copyright 2024 Northwind Systems
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 */

// Command kvctl reads key=value pairs from its arguments and prints them back sorted.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	pairs := os.Args[1:]
	sort.Strings(pairs)
	for _, pair := range pairs {
		key, value, _ := strings.Cut(pair, "=")
		fmt.Printf("%s\\t%s\\n", key, value)
	}
}
""",
    "internal/kvpb/kv.pb.go": """// Code generated by protoc-gen-go. DO NOT EDIT.
// source: kv.proto

package kvpb

type PutRequest struct {
	Key   string `protobuf:"bytes,1,opt,name=key,proto3" json:"key,omitempty"`
	Value string `protobuf:"bytes,2,opt,name=value,proto3" json:"value,omitempty"`
}

func (x *PutRequest) GetKey() string {
	if x != nil {
		return x.Key
	}
	return ""
}
""",
    "scripts/release.sh": RELEASE_SH,
}

GPLNOTES = {
    "COPYING": GPL3,
    "README.md": "# gplnotes\n\nA command-line notebook that appends dated lines to ~/.notes.\n",
    "src/notes.h": """#ifndef NOTES_H
#define NOTES_H

int notes_append(const char *path, const char *line);

#endif
""",
    "src/notes.c": """#include <stdio.h>
#include <time.h>
#include "notes.h"

/* Appends "YYYY-MM-DD line" to the file at path; returns 0 on success. */
int notes_append(const char *path, const char *line)
{
    char date[11];
    time_t now = time(NULL);
    FILE *out = fopen(path, "a");
    if (out == NULL)
        return -1;
    strftime(date, sizeof date, "%Y-%m-%d", localtime(&now));
    fprintf(out, "%s %s\\n", date, line);
    return fclose(out);
}
""",
}

SCRATCH = {
    "main.py": 'print("hello from a repository without a licence file")\n',
}

REPOSITORIES = {
    "acme-labs/tinyjson": TINYJSON,
    "northwind/kvstore": KVSTORE,
    "quill-tools/gplnotes": GPLNOTES,
    "solo-dev/scratch": SCRATCH,
}


def tiny_png() -> bytes:
    """A valid 2x2 grey PNG (it holds NUL bytes, as every PNG does)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)  # 2x2, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80\x80\x00\x80\x80", 9)  # filter byte + 2 pixels per row
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


RINGBUF_H = (
    "#pragma once\n#include <stddef.h>\n\n/* A fixed-size ring of bytes. */\n"
    "struct ringbuf { unsigned char *data; size_t head, tail, size; };\n\n"
    "int ringbuf_push(struct ringbuf *rb, unsigned char byte);\n"
)
TABLE_ROWS: list[dict | str] = [
    {"repo_name": "pinecone-dev/ringbuf", "ref": "refs/heads/main", "path": "ringbuf.h",
     "license": "bsd-3-clause", "binary": False,
     "content": RINGBUF_H},
    {"repo_name": "pinecone-dev/ringbuf", "ref": "refs/heads/main", "path": "README.md",
     "license": "bsd-3-clause", "binary": False,
     "content": "# ringbuf\n\nA ring buffer of bytes in C, for drivers that cannot allocate.\n"},
    {"repo_name": "pinecone-dev/ringbuf", "ref": "refs/heads/main", "path": "test_ringbuf.c",
     "license": "bsd-3-clause", "binary": False,
     "content": '#include <assert.h>\n#include "ringbuf.h"\n\nint main(void)\n{\n'
                "    unsigned char store[2];\n    struct ringbuf rb = {store, 0, 0, 2};\n"
                "    assert(ringbuf_push(&rb, 7) == 0);\n    assert(ringbuf_push(&rb, 8) == -1);\n"
                "    return 0;\n}\n"},
    {"repo_name": "pinecone-dev/ringbuf", "ref": "refs/heads/main", "path": "ringbuf.c",
     "license": "bsd-3-clause", "binary": False,
     "content": '#include "ringbuf.h"\n\nint ringbuf_push(struct ringbuf *rb, unsigned char byte)\n'
                "{\n    size_t next = (rb->head + 1) % rb->size;\n    if (next == rb->tail)\n"
                "        return -1;\n    rb->data[rb->head] = byte;\n    rb->head = next;\n"
                "    return 0;\n}\n"},
    {"repo_name": "pinecone-dev/ringbuf", "ref": "refs/heads/main", "path": "docs/diagram.png",
     "license": "bsd-3-clause", "binary": True, "content": None},
    {"repo_name": "orbit-sh/orbit", "ref": "refs/heads/master", "path": "bin/orbit",
     "license": "mit", "binary": False,
     "content": "#!/bin/sh\n# Prints the working directory of every running shell.\n"
                'for pid in $(pgrep -x sh); do readlink "/proc/$pid/cwd"; done\n'},
    {"repo_name": "orbit-sh/orbit", "ref": "refs/heads/master", "path": "install.sh",
     "license": "mit", "binary": False,
     "content": "#!/bin/sh\n# Installs orbit into ~/.local/bin.\nset -e\n"
                'mkdir -p "$HOME/.local/bin"\ncp bin/orbit "$HOME/.local/bin/orbit"\n'},
    '{"repo_name": "orbit-sh/orbit", "path": "broken.sh", "content": "echo cut here',
    # a vendored copy of ringbuf.h: an exact duplicate across repositories
    {"repo_name": "fjord-io/skiff", "ref": "0f3c2a9d5e8b7a6c4d2e1f0a9b8c7d6e5f4a3b2c",
     "path": "third_party/ringbuf.h", "license": "apache-2.0", "binary": False,
     "content": RINGBUF_H},
    {"repo_name": "gnuish/calc", "ref": "refs/heads/master", "path": "calc.py",
     "license": "gpl-2.0", "binary": False,
     "content": "import sys\n\nprint(sum(float(arg) for arg in sys.argv[1:]))\n"},
    {"repo_name": "gnuish/calc", "ref": "refs/heads/master", "license": "gpl-2.0",
     "binary": False, "content": "a row that names no path\n"},
]  # fmt: skip


def write_repositories() -> None:
    for name, files in REPOSITORIES.items():
        for path, text in files.items():
            target = OUT / "repos" / name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    logo = OUT / "repos" / "acme-labs" / "tinyjson" / "docs" / "logo.png"
    logo.parent.mkdir(parents=True, exist_ok=True)
    logo.write_bytes(tiny_png())


def write_table() -> None:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in TABLE_ROWS]
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as stream:
        stream.write(("\n".join(lines) + "\n").encode("utf-8"))
    (OUT / "files.jsonl.gz").write_bytes(buffer.getvalue())


def main() -> None:
    shutil.rmtree(OUT / "repos", ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    write_repositories()
    write_table()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
