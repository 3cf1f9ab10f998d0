"""Load and validate the rule files under ``rules/``.

Every rule file is YAML with a fixed set of top-level keys. A file that does
not parse, misses a key, has an unknown key or a value of the wrong type is a
:class:`~pipeline.errors.RuleError` naming the file and the key.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from pipeline.errors import RuleError

F = TypeVar("F", bound=Callable[..., Any])
_CACHES: list[Any] = []

_PACKAGED = Path(__file__).parent / "_rules"
_CHECKOUT = Path(__file__).parent.parent / "rules"


def rules_dir() -> Path:
    """The rules folder: ``$PIPELINE_RULES``, a source checkout's ``rules/``, or the installed copy."""
    override = os.environ.get("PIPELINE_RULES")
    if override:
        return Path(override)
    return _CHECKOUT if _CHECKOUT.is_dir() else _PACKAGED


def cached(function: F) -> F:
    """``functools.cache`` for anything built from the rule files; :func:`reload` clears them all."""
    wrapped = cache(function)
    _CACHES.append(wrapped)
    return wrapped  # type: ignore[return-value]


def reload() -> None:
    """Forget every loaded, checked and compiled rule (after the rules folder changed)."""
    for wrapped in _CACHES:
        wrapped.cache_clear()


def load(name: str, schema: dict[str, type | tuple[type, ...]]) -> dict[str, Any]:
    """Load ``rules/<name>`` and check its top-level keys against ``schema``."""
    return _load(rules_dir() / name, tuple(sorted(schema.items(), key=lambda kv: kv[0])))


@cached
def _load(path: Path, schema: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    label = f"rules/{path.name}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleError(f"{label}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{label}: not valid YAML ({exc})".replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise RuleError(f"{label}: expected a mapping of keys at the top level")
    expected = dict(schema)
    for key in data:
        if key not in expected:
            raise RuleError(f"{label}: unknown key {key!r} (expected one of {sorted(expected)})")
    for key, kind in expected.items():
        if key not in data:
            raise RuleError(f"{label}: missing key {key!r}")
        if not isinstance(data[key], kind):
            raise RuleError(f"{label}: key {key!r} should be {_kind_name(kind)}")
    return data


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names: dict[type, str] = {list: "a list", dict: "a mapping", str: "a string"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def string_list(data: dict[str, Any], key: str, name: str) -> list[str]:
    """``data[key]`` as a list of non-empty strings, or a RuleError naming the file and key."""
    values = data[key]
    if not all(isinstance(v, str) and v for v in values):
        raise RuleError(f"rules/{name}: key {key!r} should list non-empty strings")
    return list(values)


@cached
def rules_version() -> str:
    """A short hash of every rule file (names and bytes); hidden and backup files are not rules."""
    digest = hashlib.sha256()
    root = rules_dir()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and _is_rule_file(p.relative_to(root))):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _is_rule_file(relative: Path) -> bool:
    return not any(part.startswith((".", "__")) or part.endswith(("~", ".bak", ".swp")) for part in relative.parts)
