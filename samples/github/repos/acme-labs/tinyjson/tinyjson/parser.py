# Copyright (c) 2024 Acme Labs
# SPDX-License-Identifier: MIT

"""Parses JSON text into Python values, one character class at a time."""

import re

NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
LITERALS = {"true": True, "false": False, "null": None}


class ParseError(ValueError):
    pass


def loads(text):
    value, end = parse_value(text, skip_space(text, 0))
    if skip_space(text, end) != len(text):
        raise ParseError(f"extra data at {end}")
    return value


def skip_space(text, pos):
    while pos < len(text) and text[pos] in " \t\r\n":
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
