"""A small recursive-descent JSON parser."""

from tinyjson.parser import ParseError, loads

__all__ = ["ParseError", "loads"]
