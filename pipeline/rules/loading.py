"""Reading one rule file: YAML with the line of every key, and checks that say where.

A :class:`RuleFile` holds a parsed file and the line of each key and list
entry, so a problem is reported as ``rules/words.yaml:42: key 'tiers' entry
'确保' should be one of [...]``. The typed getters (:meth:`RuleFile.strings`,
:meth:`RuleFile.pattern`, …) check a value and return it, or raise a
:class:`~pipeline.errors.RuleError` naming the file, the line and the key.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

import regex
import yaml

from pipeline.errors import RuleError

try:  # libyaml's parser when PyYAML was built with it: several times faster
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as Loader

KeyPath = tuple[str | int, ...]

_PACKAGED = Path(__file__).resolve().parent.parent / "_rules"
_CHECKOUT = Path(__file__).resolve().parent.parent.parent / "rules"


def default_rules_dir() -> Path:
    """A source checkout's ``rules/``, else the copy installed with the package (``pipeline/_rules``)."""
    return _CHECKOUT if _CHECKOUT.is_dir() else _PACKAGED


def display_name(folder: Path) -> str:
    """How messages name a rules folder: ``rules`` for the default one, else the path as given."""
    return "rules" if folder.resolve() == default_rules_dir() else str(folder)


class RuleFile:
    """One rule file's top-level mapping, with the line of every key and list entry."""

    def __init__(self, label: str, data: dict[str, Any], lines: dict[KeyPath, int]) -> None:
        self.label = label  # rules/words.yaml
        self.data = data
        self.lines = lines

    # -- reporting ---------------------------------------------------------------

    def error(self, key: str, problem: str, entry: str | None = None, at: str | int | None = None) -> RuleError:
        """``rules/<file>:<line>: key 'k'[ entry 'e'] <problem>``.

        The line is that of ``entry`` (or of list item number ``at``), else of ``key``.
        """
        step = at if at is not None else entry
        where = self.label
        line = (self.lines.get((key, step)) if step is not None else None) or self.lines.get((key,))
        if line:
            where += f":{line}"
        what = f"key {key!r}" + (f" entry {entry!r}" if entry is not None else "")
        return RuleError(f"{where}: {what} {problem}")

    # -- typed getters ----------------------------------------------------------------

    def text(self, key: str) -> str:
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, "should be a non-empty string")
        return value

    def integer(self, key: str, minimum: int = 0) -> int:
        value = self.data[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.error(key, f"should be an integer of at least {minimum}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        """A list of non-empty strings, each listed once."""
        values = self.data[key]
        if not isinstance(values, list):
            raise self.error(key, "should be a list")
        seen: set[str] = set()
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value:
                raise self.error(key, "should be a non-empty string", str(value), at=index)
            if value in seen:
                raise self.error(key, "is listed twice", value, at=index)
            seen.add(value)
        return tuple(values)

    def mapping(self, key: str) -> dict[str, Any]:
        """A mapping whose keys are non-empty strings."""
        value = self.data[key]
        if not isinstance(value, dict):
            raise self.error(key, "should be a mapping")
        for entry in value:
            if not isinstance(entry, str) or not entry:
                raise self.error(key, "should be a non-empty string", str(entry))
        return value

    def choices(self, key: str, allowed: Collection[str]) -> dict[str, str]:
        """A mapping of words to one of ``allowed``."""
        value = self.mapping(key)
        for word, choice in value.items():
            if choice not in allowed:
                raise self.error(key, f"should be one of {sorted(allowed)}", word)
        return dict(value)

    def counts(self, key: str) -> dict[str, int]:
        """A mapping of words to positive integers."""
        value = self.mapping(key)
        for word, number in value.items():
            if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
                raise self.error(key, "should be a positive integer", word)
        return dict(value)

    def pattern(
        self, key: str, lists: Mapping[str, Iterable[str]], entry: str | None = None, source: str | None = None
    ) -> regex.Pattern[str]:
        """Compile a rule pattern with ``regex.VERBOSE``; ``\\L<name>`` refers to ``lists``."""
        if source is None:
            source = self.text(key)
        try:
            return regex.compile(
                source, regex.VERBOSE, ignore_unused=True, **{name: list(words) for name, words in lists.items()}
            )
        except (regex.error, ValueError, TypeError) as exc:
            raise self.error(key, f"is not a valid pattern ({exc})", entry) from None


def read_rule_file(folder: Path, name: str, keys: Collection[str]) -> RuleFile:
    """Parse ``folder/name`` and check that its top-level keys are exactly ``keys``."""
    label = f"{display_name(folder)}/{name}"
    try:
        text = (folder / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{label}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise RuleError(f"{label}: not UTF-8 text") from None
    data, lines = _parse(text, label)
    if not isinstance(data, dict):
        raise RuleError(f"{label}: expected a mapping of keys at the top level")
    rule_file = RuleFile(label, data, lines)
    for key in data:
        if key not in keys:
            raise rule_file.error(str(key), f"is unknown (expected one of {sorted(keys)})")
    for key in keys:
        if key not in data:
            raise RuleError(f"{label}: key {key!r} is missing")
    return rule_file


def _parse(text: str, label: str) -> tuple[Any, dict[KeyPath, int]]:
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[KeyPath, int] = {}
        _record_lines(node, (), lines, label)
        return loader.construct_document(node), lines
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{label}:{mark.line + 1}" if mark is not None else label
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleError(f"{where}: not valid YAML ({problem})".replace("\n", " ")) from None
    finally:
        loader.dispose()


def _record_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], label: str) -> None:
    """The 1-based line of every mapping key and list entry; a key given twice is an error."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                what = f"key {path[0]!r} entry {key!r}" if path else f"key {key!r}"
                raise RuleError(f"{label}:{line}: {what} is given twice")
            seen.add(key)
            lines[(*path, key)] = line
            _record_lines(value_node, (*path, key), lines, label)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _record_lines(item, (*path, index), lines, label)
