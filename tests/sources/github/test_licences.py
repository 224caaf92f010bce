"""Tests for dolmakit.sources.github.licences: detection by sentences, ids from tables."""

from __future__ import annotations

import pytest

from dolmakit.sources.github.licences import canonical_id, combine, detect_licence, licence_value

BSD_CLAUSES = """Copyright (c) 2021, Example Org
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice.
2. Redistributions in binary form must reproduce the above copyright notice.
"""
BSD_3 = (
    BSD_CLAUSES
    + """3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.
"""
)
BSD_4 = (
    BSD_3
    + """4. All advertising materials mentioning features or use of this software
   must display the following acknowledgement.
"""
)
MIT_BODY = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction.

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.
"""
ISC = """Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.
"""
GPL2 = """            GNU GENERAL PUBLIC LICENSE
               Version 2, June 1991
 ... use the GNU Library General Public License instead of this License.
"""
GPL3 = """GNU GENERAL PUBLIC LICENSE
Version 3, 29 June 2007
13. Use with the GNU Affero General Public License. ... version 3 of the GNU Affero
General Public License ... use the GNU Lesser General Public License instead of this License.
"""
LGPL3 = """GNU LESSER GENERAL PUBLIC LICENSE
Version 3, 29 June 2007
This version of the GNU Lesser General Public License incorporates
the terms and conditions of version 3 of the GNU General Public
License, supplemented by the additional permissions listed below.
"""
AGPL3 = "GNU AFFERO GENERAL PUBLIC LICENSE\n   Version 3, 19 November 2007\n"
APACHE = """Apache License
Version 2.0, January 2004
2. Grant of Copyright License. Subject to the terms and conditions of
   this License, each Contributor hereby grants to You a perpetual license.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MIT License\n\nCopyright (c) 2024 A\n\n" + MIT_BODY, "MIT"),
        # reflowed and commented: only the words count
        ("# " + MIT_BODY.replace("\n", "\n#   ").replace(", ", " ,  "), "MIT"),
        (MIT_BODY.split("\n\n")[0], "MIT-0"),
        (BSD_CLAUSES, "BSD-2-Clause"),
        (BSD_3, "BSD-3-Clause"),
        (BSD_4, "BSD-4-Clause"),
        (ISC, "ISC"),
        (ISC.split(", provided")[0] + ".", "0BSD"),
        (APACHE, "Apache-2.0"),
        ('Licensed under the Apache License, Version 2.0 (the "License");', "Apache-2.0"),
        (GPL2, "GPL-2.0"),  # names the Library GPL, is not it
        (GPL3, "GPL-3.0"),  # names the Affero and Lesser GPLs, is neither
        (LGPL3, "LGPL-3.0"),
        (AGPL3, "AGPL-3.0"),
        (
            "under the terms of the GNU General Public License as published by the Free Software\n"
            "Foundation, either version 3 of the License, or (at your option) any later version.",
            "GPL-3.0",
        ),  # fmt: skip
        ("This is free and unencumbered software released into the public domain.", "Unlicense"),
        ("Mozilla Public License Version 2.0\n==================================", "MPL-2.0"),
        ("SPDX-License-Identifier: bsd-2-clause\n", "BSD-2-Clause"),
    ],
)
def test_licence_detected_by_its_sentences(text: str, expected: str) -> None:
    assert detect_licence(text) == expected


def test_a_title_alone_is_not_a_licence() -> None:
    assert detect_licence("MIT License\n\nCopyright (c) 2024 Someone\n") == "unknown"
    assert detect_licence("Apache License\nVersion 2.0\n") == "unknown"
    assert detect_licence("") == "unknown"


def test_the_body_wins_over_a_misleading_title() -> None:
    assert detect_licence("MIT License\n\n" + GPL3) == "GPL-3.0"


def test_table_ids_are_normalized() -> None:
    assert canonical_id("apache-2.0") == "Apache-2.0"
    assert canonical_id(" bsd-3-clause ") == "BSD-3-Clause"
    assert canonical_id("gpl-3.0-or-later") == "GPL-3.0"
    assert canonical_id("Artistic-2.0") == "Artistic-2.0"  # unknown ids stay as they are
    assert canonical_id("") == "unknown"


def test_several_licences_are_all_required() -> None:
    assert combine(["MIT", "Apache-2.0", "MIT"]) == "Apache-2.0 AND MIT"
    assert combine(["unknown", "MIT"]) == "MIT"
    assert combine([]) == "unknown"
    assert licence_value(["mit", "gpl-2.0", None]) == "GPL-2.0 AND MIT"  # The Stack's lists
    assert licence_value(None) == "unknown"
