"""``rules/text.yaml``: brackets, sentence punctuation, page numbers and line-breaking classes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.rules.loading import read_rule_file

FILE = "text.yaml"
KEYS = ("brackets", "sentence_ends", "lead_ins", "clause_marks", "page_number", "no_break_before", "no_break_after")


@dataclass(frozen=True)
class TextRules:
    brackets: tuple[tuple[str, str], ...]  # (opening, closing)
    sentence_ends: tuple[str, ...]
    lead_ins: tuple[str, ...]
    clause_marks: tuple[str, ...]
    page_number: regex.Pattern[str]
    no_break_before: frozenset[str]  # no line starts with one of these characters
    no_break_after: frozenset[str]  # no line ends with one of these

    @property
    def openings(self) -> str:
        return "".join(opening for opening, _ in self.brackets)

    @property
    def closings(self) -> str:
        return "".join(closing for _, closing in self.brackets)


def load(folder: Path) -> TextRules:
    rule_file = read_rule_file(folder, FILE, KEYS)
    brackets = []
    for index, pair in enumerate(rule_file.strings("brackets")):
        if len(pair) != 2:
            raise rule_file.error("brackets", "should be an opening and a closing character", pair, at=index)
        brackets.append((pair[0], pair[1]))
    return TextRules(
        brackets=tuple(brackets),
        sentence_ends=rule_file.strings("sentence_ends"),
        lead_ins=rule_file.strings("lead_ins"),
        clause_marks=rule_file.strings("clause_marks"),
        page_number=rule_file.pattern("page_number", {}),
        no_break_before=frozenset(rule_file.text("no_break_before")),
        no_break_after=frozenset(rule_file.text("no_break_after")),
    )
