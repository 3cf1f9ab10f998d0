"""The Chinese words of the ledger, the review page and ingest's lines, from ``resources/labels_zh.yaml``.

The file is checked on load against the keys below: a missing or unknown key,
or a value that is not a string, is a :class:`~pipeline.errors.PipelineError`
naming the file and the key. Also here: how a target or a list of units is
written for a person, shared by the workbook and the review page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from pipeline.errors import PipelineError
from pipeline.write import format_value

FILE = "labels_zh.yaml"
COMPARATORS = (">=", ">", "<", "<=", "~", "range", "=")
KEYS: dict[str, tuple[str, ...]] = {
    "tables": ("key_work", "special_action", "livelihood"),
    "roles": ("lead", "support"),
    "commitments": ("guaranteed", "aspirational"),
    "comparator_words": COMPARATORS,
    "comparator_signs": COMPARATORS,
    "formats": (
        "target", "commitment", "range", "unit_separator", "workbook_file", "review_file", "no_lead_unit",
        "no_indicator", "notice_title",
    ),
    "sheets": ("units", "targets", "notice", "warnings"),
    "headers": (
        "item_no", "section", "name", "text", "lead", "other_leads", "support", "deadline", "targets", "table",
        "indicator", "value", "value_max", "unit", "comparator", "commitment", "deadline_year", "span_text",
        "q1", "q2", "q3", "q4", "done", "field", "content", "where", "what",
    ),
    "notice_fields": (
        "title", "issuer", "issue_date", "year", "region", "level", "notice_id", "doc_id", "source_file",
        "source_format", "task_count", "target_count", "pipeline_version", "rules_version",
    ),
}  # fmt: skip


def read_text(name: str) -> str:
    """A file of ``pipeline/resources`` (packaged with the code)."""
    return resources.files("pipeline").joinpath("resources", name).read_text(encoding="utf-8")


@cache
def labels() -> dict[str, dict[str, str]]:
    """Every section of the labels file, checked."""
    where = f"pipeline/resources/{FILE}"
    try:
        data = yaml.safe_load(read_text(FILE))
    except (OSError, yaml.YAMLError) as exc:
        raise PipelineError(f"{where}: cannot be read ({exc})".replace("\n", " ")) from None
    check_keys(data, KEYS, where)
    return data


def check_keys(data: Any, keys: Mapping[str, tuple[str, ...]], where: str) -> None:
    """Raise a PipelineError naming ``where`` and the key unless ``data`` has exactly ``keys``.

    >>> check_keys({'roles': {'lead': 'x', 'support': 'y'}}, {'roles': ('lead', 'support')}, 'f')
    >>> check_keys({'roles': {'lead': 'x'}}, {'roles': ('lead', 'support')}, 'f')
    Traceback (most recent call last):
    pipeline.errors.PipelineError: f: missing key 'roles.support'
    """
    if not isinstance(data, dict):
        raise PipelineError(f"{where}: expected a mapping at the top level")
    for section, names in keys.items():
        values = data.get(section)
        if not isinstance(values, dict):
            raise PipelineError(f"{where}: missing key {section!r} (a mapping)")
        for name in names:
            if name not in values:
                raise PipelineError(f"{where}: missing key '{section}.{name}'")
            if not isinstance(values[name], str):
                raise PipelineError(f"{where}: key '{section}.{name}' should be a string")
        for name in values:
            if name not in names:
                raise PipelineError(f"{where}: unknown key '{section}.{name}'")
    for section in data:
        if section not in keys:
            raise PipelineError(f"{where}: unknown key {section!r}")


def word(section: str, key: Any) -> str:
    """The label of ``key`` in ``section``; an unknown key (a newer table kind, ...) as itself."""
    if key is None:
        return ""
    return labels()[section].get(str(key), str(key))


def value_text(target: Mapping[str, Any]) -> str:
    """The value as written: ``300``, ``1.3``, a range ``10-50``."""
    low = format_value(target.get("value"))
    high = target.get("value_max")
    if target.get("comparator") == "range" and high is not None:
        return labels()["formats"]["range"].format(low=low, high=format_value(high))
    return low


def target_phrase(target: Mapping[str, Any]) -> str:
    """A target for a person: indicator, comparator sign, value, unit and commitment."""
    formats = labels()["formats"]
    commitment = target.get("commitment")
    return formats["target"].format(
        indicator=target.get("indicator") or formats["no_indicator"],
        sign=word("comparator_signs", target.get("comparator")),
        value=value_text(target),
        unit=target.get("unit") or "",
        commitment=formats["commitment"].format(word=word("commitments", commitment)) if commitment else "",
    )


def join_units(names: Iterable[str]) -> str:
    return labels()["formats"]["unit_separator"].join(names)
