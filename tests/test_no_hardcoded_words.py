"""No Chinese word or pattern in the pipeline's Python: they belong in rules/.

Every ``pipeline/**/*.py`` is parsed with ``ast``; a string constant that is
not a docstring and holds a Han character, CJK punctuation (U+3000-U+303F)
or a full-width form (U+FF00-U+FFEF) is listed with its file and line.
Comments and docstrings may (and do) show Chinese examples.
"""

from __future__ import annotations

import ast
from pathlib import Path

import regex

from tests.conftest import ROOT

PIPELINE = ROOT / "pipeline"
CHINESE = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def chinese_strings(path: Path, root: Path = ROOT) -> list[str]:
    """``file:line: 'text'`` for each non-docstring string constant of ``path`` holding Chinese."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = _docstrings(tree)
    found = [
        (node.lineno, f"{path.relative_to(root)}:{node.lineno}: {node.value[:60]!r}")
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings and CHINESE.search(node.value)
    ]
    return [line for _, line in sorted(found)]


def test_no_chinese_strings_in_pipeline_code() -> None:
    sources = sorted(PIPELINE.rglob("*.py"))
    assert len(sources) > 20
    found = [line for path in sources for line in chinese_strings(path)]
    assert not found, "Chinese words or patterns in Python (move them to rules/):\n" + "\n".join(found)


SAMPLE = '''"""模块说明：docstrings may hold Chinese."""
WORDS = ("分别",)  # a Chinese word
SPACE = "\\u3000"
POINT = "．"
def f():
    """函数说明"""
    return "ascii only"
'''


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(SAMPLE, encoding="utf-8")
    assert [line.split(":")[1] for line in chinese_strings(sample, tmp_path)] == ["2", "3", "4"]
