"""Licence identifiers: detected from a LICENSE file's text, normalized from a table's column.

Detection matches sentences that only a given licence text contains ("Redistribution and use in
source and binary forms ... Neither the name of ..." is BSD-3-Clause), never the title alone: a
file titled "MIT License" that holds the GPL is GPL. Texts are compared lowercased with every
run of non-alphanumeric characters (punctuation, comment markers, line breaks) made one space,
so reflowed or commented copies still match. The result is an SPDX id (SPDX-like for the GPL
family, whose -only/-or-later choice lives in file headers, not in the licence text) or
`unknown`.

A repository with several licences (LICENSE-MIT and LICENSE-APACHE) is given them joined by
" AND ": the filter then keeps it only if every one of them is allowed, the cautious reading.
"""

from __future__ import annotations

import re

UNKNOWN = "unknown"

# the notice of a GPL-licensed program, followed by the version it names
_GPL_NOTICE = (
    "under the terms of the gnu general public license as published by the free software "
    "foundation, "
)
# (id, sentences that must all occur), checked in order: the more specific texts first
# (BSD-3 and BSD-4 contain the BSD-2 sentence, MIT and ISC those of MIT-0 and 0BSD)
_SIGNATURES: list[tuple[str, tuple[str, ...]]] = [
    # the headers with their dates: the GPL texts name the Lesser and Affero licences too
    ("AGPL-3.0", ("gnu affero general public license version 3, 19 november 2007",)),
    (
        "LGPL-3.0",
        (
            "this version of the gnu lesser general public license incorporates the terms and "
            "conditions of version 3 of the gnu general public license",
        ),
    ),
    ("LGPL-2.1", ("gnu lesser general public license version 2.1, february 1999",)),
    ("LGPL-2.0", ("gnu library general public license version 2, june 1991",)),
    ("GPL-3.0", ("gnu general public license version 3, 29 june 2007",)),
    ("GPL-2.0", ("gnu general public license version 2, june 1991",)),
    # the notice alone, as some projects put it in COPYING
    ("GPL-3.0", (_GPL_NOTICE + "either version 3 of the license",)),
    ("GPL-2.0", (_GPL_NOTICE + "either version 2 of the license",)),
    ("MPL-2.0", ("mozilla public license version 2.0",)),
    ("EPL-2.0", ("eclipse public license - v 2.0",)),
    ("EPL-1.0", ("eclipse public license - v 1.0",)),
    (
        "Apache-2.0",
        (
            "apache license",
            "version 2.0",
            "subject to the terms and conditions of this license, each contributor hereby grants",
        ),
    ),
    # the notice every Apache-licensed project puts in its files and often as its LICENSE
    ("Apache-2.0", ("licensed under the apache license, version 2.0",)),
    ("BSL-1.0", ("boost software license - version 1.0",)),
    (
        "BSD-4-Clause",
        (
            "redistribution and use in source and binary forms, with or without modification, "
            "are permitted provided that",
            "all advertising materials mentioning features or use of this software must display",
        ),
    ),
    (
        "BSD-3-Clause",
        (
            "redistribution and use in source and binary forms, with or without modification, "
            "are permitted provided that",
            "may be used to endorse or promote products derived from this software",
        ),
    ),
    (
        "BSD-2-Clause",
        (
            "redistribution and use in source and binary forms, with or without modification, "
            "are permitted provided that",
        ),
    ),
    (
        "MIT",
        (
            "permission is hereby granted, free of charge, to any person obtaining a copy",
            "the above copyright notice and this permission notice shall be included",
        ),
    ),
    ("MIT-0", ("permission is hereby granted, free of charge, to any person obtaining a copy",)),
    (
        "ISC",
        (
            "distribute this software for any purpose with or without fee is hereby granted",
            "provided that the above copyright notice and this permission notice appear",
        ),
    ),
    ("0BSD", ("distribute this software for any purpose with or without fee is hereby granted",)),
    ("Unlicense", ("this is free and unencumbered software released into the public domain",)),
    ("CC0-1.0", ("cc0 1.0 universal",)),
]
_SPDX_LINE = re.compile(r"spdx-license-identifier:\s*([A-Za-z0-9.+-]+)", re.I)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# how far into a licence file the sentences are looked for (the GPL-3.0 text is about 35 KB)
DETECT_CHARS = 64 * 1024


def _normalize(text: str) -> str:
    return " " + _NOT_ALNUM.sub(" ", text.lower()).strip() + " "


_COMPILED = [(spdx, tuple(_normalize(s) for s in sentences)) for spdx, sentences in _SIGNATURES]
# every id above, by its lower case, so that "apache-2.0" in a table becomes "Apache-2.0"
_CANONICAL = {spdx.lower(): spdx for spdx, _ in _SIGNATURES} | {
    "gpl-2.0-only": "GPL-2.0",
    "gpl-2.0-or-later": "GPL-2.0",
    "gpl-3.0-only": "GPL-3.0",
    "gpl-3.0-or-later": "GPL-3.0",
    "lgpl-2.1-only": "LGPL-2.1",
    "lgpl-2.1-or-later": "LGPL-2.1",
    "lgpl-3.0-only": "LGPL-3.0",
    "lgpl-3.0-or-later": "LGPL-3.0",
    "agpl-3.0-only": "AGPL-3.0",
    "agpl-3.0-or-later": "AGPL-3.0",
}


def detect_licence(text: str) -> str:
    """The licence a LICENSE/COPYING text holds, by its characteristic sentences, or unknown."""
    head = text[:DETECT_CHARS]
    if spdx := _SPDX_LINE.search(head):
        return canonical_id(spdx[1])
    normalized = _normalize(head)
    for spdx, sentences in _COMPILED:
        if all(sentence in normalized for sentence in sentences):
            return spdx
    return UNKNOWN


def canonical_id(value: str) -> str:
    """A licence id as SPDX writes it ("apache-2.0" -> "Apache-2.0"); unknown ids stay as they
    are, an empty one is `unknown`."""
    value = value.strip()
    return _CANONICAL.get(value.lower(), value) if value else UNKNOWN


def combine(ids: list[str]) -> str:
    """One licence expression for several ids: sorted, unique, joined by " AND "; `unknown` is
    dropped when a known licence is there (an unrecognized NOTICE does not veto a clear MIT)."""
    known = sorted({i for i in ids if i != UNKNOWN})
    return " AND ".join(known) if known else UNKNOWN


def licence_value(raw: object) -> str:
    """A table's licence cell (a string, a list as in The Stack, or null) as one expression."""
    if isinstance(raw, list | tuple):
        return combine([canonical_id(str(item)) for item in raw if item is not None])
    if raw is None:
        return UNKNOWN
    return canonical_id(str(raw))
