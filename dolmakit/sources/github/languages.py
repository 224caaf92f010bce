"""The programming language of a source file, from its name: a small table, not a classifier.

Names follow GitHub Linguist's (Python, C++, Shell...) so that metadata.language reads the same
as in The Stack and on GitHub. A file whose name is not in the table is `unknown`; the code
heuristics decide by extension anyway (code_quality_v1's allow-list).
"""

from __future__ import annotations

import posixpath

UNKNOWN = "unknown"

_BY_EXTENSION = {
    "Assembly": ".asm .s .S",
    "Batchfile": ".bat .cmd",
    "C": ".c .h",
    "C#": ".cs",
    "C++": ".cpp .cc .cxx .c++ .hpp .hh .hxx .h++",
    "CMake": ".cmake",
    "CSS": ".css",
    "Dart": ".dart",
    "Dockerfile": ".dockerfile",
    "Fortran": ".f .f77 .f90 .f95 .f03 .f08 .for .fpp",
    "Go": ".go",
    "Haskell": ".hs",
    "HTML": ".html .htm",
    "Java": ".java",
    "JavaScript": ".js .mjs .cjs .jsx",
    "JSON": ".json",
    "Julia": ".jl",
    "Kotlin": ".kt .kts",
    "Lua": ".lua",
    "Makefile": ".mk .mak",
    "Markdown": ".md .markdown",
    "Objective-C": ".m",
    "Perl": ".pl .pm .pod .perl",
    "PHP": ".php .php3 .php4 .php5 .phps .phpt",
    "PowerShell": ".ps1 .psd1 .psm1",
    "Python": ".py .pyi",
    "R": ".r .R",
    "reStructuredText": ".rst",
    "Ruby": ".rb",
    "Rust": ".rs",
    "Scala": ".scala",
    "Shell": ".sh .bash .zsh .command",
    "SQL": ".sql",
    "Swift": ".swift",
    "TeX": ".tex",
    "TOML": ".toml",
    "TypeScript": ".ts .tsx",
    "Visual Basic": ".vb",
    "XML": ".xml",
    "YAML": ".yml .yaml",
}
EXTENSIONS = {ext: language for language, exts in _BY_EXTENSION.items() for ext in exts.split()}
# whole file names that carry no extension
FILE_NAMES = {
    "Dockerfile": "Dockerfile",
    "Makefile": "Makefile",
    "GNUmakefile": "Makefile",
    "CMakeLists.txt": "CMake",
    "Rakefile": "Ruby",
    "Gemfile": "Ruby",
}


def language_of(path: str) -> str:
    """The language of a file by its name (`src/Main.java` -> Java), or `unknown`."""
    name = posixpath.basename(path)
    if name in FILE_NAMES:
        return FILE_NAMES[name]
    _, extension = posixpath.splitext(name)
    # exact case first (.R is R, .C would be C++ in some projects), then lower case
    return EXTENSIONS.get(extension) or EXTENSIONS.get(extension.lower(), UNKNOWN)
