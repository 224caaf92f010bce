"""The package's folders form layers: a folder imports only folders below it in LAYERS, so the
engine never reaches into a command-line module and a tagger never into training code."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dolmakit"

# lowest first; the README's Layout section describes each
LAYERS = [
    "core", "presets", "text", "extract", "io", "report", "fasttext_models", "kenlm_models",
    "taggers", "filters", "dedup", "sources", "engine", "tag", "kenlm_training",
    "fasttext_training", "tokens", "mix", "llama", "cli",
]  # fmt: skip


def imported_folders(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, folder) of every import of a dolmakit folder, at any depth of the module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] == "dolmakit":
                names = [alias.name for alias in node.names] if len(parts) == 1 else [parts[1]]
                found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "dolmakit" and len(parts) > 1:
                    found.append((node.lineno, parts[1]))
    return found


def layer_violations(package: Path) -> list[str]:
    rank = {name: index for index, name in enumerate(LAYERS)}
    problems = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if len(relative.parts) == 1:
            # __main__.py is `python -m dolmakit`, the command line itself: above every layer
            if relative.name not in ("__init__.py", "__main__.py"):
                problems.append(f"{relative}: a module outside every folder")
            continue
        folder = relative.parts[0]
        if folder not in rank:
            problems.append(f"{relative}: folder {folder!r} is in no layer")
            continue
        for line, target in imported_folders(ast.parse(path.read_text(encoding="utf-8"))):
            if target != folder and rank.get(target, len(LAYERS)) > rank[folder]:
                problems.append(f"{relative}:{line}: {folder} imports {target}, a layer above")
    return problems


def test_every_folder_imports_only_layers_below_it():
    assert layer_violations(PACKAGE) == []


def test_every_folder_is_a_layer():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(LAYERS)


def test_an_upward_import_is_caught(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("def f():\n    from dolmakit.cli import main\n")
    (tmp_path / "loose.py").write_text("")
    assert layer_violations(tmp_path) == [
        "core/bad.py:2: core imports cli, a layer above",
        "loose.py: a module outside every folder",
    ]


def test_the_readme_layout_lists_the_layers_in_their_order():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```", 2)[1]
    listed = [line.split("/")[1] for line in layout.splitlines() if line.startswith("dolmakit/")]
    assert [name for name in listed if name != "data"] == LAYERS
    assert "data" in listed  # the bundled models, which are no layer (no code)
