"""code_license_header_v1: which comment blocks opening a file are licence headers, and the spans
that move when one is stripped."""

import pytest

from dolmakit.core.document import Document
from dolmakit.core.errors import ConfigError
from dolmakit.filters.license_header import LicenseHeader, LicenseHeaderConfig

HEADER = LicenseHeader("code_license_header_v1", LicenseHeaderConfig())


def source(text: str, path: str | None = "src/main.py") -> Document:
    return Document(id="d", text=text, source="github", metadata={"path": path} if path else {})


APACHE = """\
#!/usr/bin/env python
# Copyright 2024 The Example Authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.

# SPDX-License-Identifier: Apache-2.0

\"\"\"The module's own docstring stays.\"\"\"
import os  # Copyright notices in code stay too
"""
MIT = """/*
 * MIT License
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 */

#include <stdio.h>
int main(void) { return 0; }
"""
BSD = """// Copyright (c) 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style license that can be
// found in the LICENSE file.

// Package fmt formats things.
package fmt
"""
GPL = """-- This program is free software: you can redistribute it under the terms of the
-- GNU General Public License as published by the Free Software Foundation.
SELECT 1;
"""


@pytest.mark.parametrize(
    "text, family, rest",
    [
        (
            APACHE,
            "apache",
            '#!/usr/bin/env python\n"""The module\'s own docstring stays."""\n'
            "import os  # Copyright notices in code stay too\n",
        ),
        (MIT, "mit", "#include <stdio.h>\nint main(void) { return 0; }\n"),
        (BSD, "bsd", "// Package fmt formats things.\npackage fmt\n"),
        (GPL, "gpl", "SELECT 1;\n"),
    ],
)
def test_licence_headers_are_stripped(text, family, rest):
    step = LicenseHeader("code_license_header_v1", LicenseHeaderConfig())
    assert step.process(source(text)).text == rest
    assert step.stats[f"stripped/{family}"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "# A helper module for parsing.\nimport re\n",
        "/* not closed, Copyright 2020\nint x;\n",
        "#include <x.h>\n// Copyright 2020 later is not a header\n",
        "x = 1  # Copyright 2020\n",
        "#!/bin/sh",
        "",
    ],
)
def test_other_comments_and_code_are_left_alone(text):
    assert HEADER.process(source(text)).text == text


def test_spans_move_with_the_stripped_header():
    text = "// Copyright 2020 A. All rights reserved.\nint x;\n"
    doc = source(text)
    doc.attributes = {
        "t__whole": [[0, len(text), 1.0]],
        "t__x": [[text.index("x;"), len(text), 2.0]],
    }
    stripped = HEADER.process(doc)
    assert stripped.text == "int x;\n"
    assert stripped.attributes == {"t__whole": [[0, 7, 1.0]], "t__x": [[4, 7, 2.0]]}


def test_bad_licence_pattern_is_a_config_error():
    with pytest.raises(ConfigError, match="patterns.bad"):
        LicenseHeader("h", LicenseHeaderConfig(patterns={"bad": "("}))
