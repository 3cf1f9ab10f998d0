"""The rules: every file under ``rules/``, loaded, checked and compiled into one value.

:func:`load_rules` reads a rules folder and returns a frozen :class:`Rules`;
the stages take it as an argument (``sources.read(data, rules)``,
``document_to_tasks(doc, rules)``, ``targets.extract(text, rules)``). Every
file is checked here, once: a malformed one is a
:class:`~pipeline.errors.RuleError` naming the file, the line and the key
(``rules/words.yaml:42: key 'tiers' entry '确保' should be one of …``).

One module per rule file holds its dataclass and checks:

=================  ==========================================================
``numerals.yaml``  digits, units and scales of Chinese numerals
``units.yaml``     measure words, scale words, conversions
``patterns.yaml``  the quantity pattern, clause ends, deadlines, stop patterns
``words.yaml``     comparator, tier, verb and list words
``tables.yaml``    column names, table kinds, item numbers, unit cells
``header.yaml``    title endings, document number, date, year
``text.yaml``      brackets, sentence punctuation, page numbers
``layouts.yaml``   titles, header words, unit and deadline shapes of text layouts
``ocr.yaml``       OCR confusions inside numbers, page numbers as read, confidence
``unit_aliases.yaml``  variants of bureau names, dated renames (``aliases.py``)
``deadlines.yaml``  完成时限 words and the date pattern
``compare.yaml``   how indicators are normalised before two notices are compared
``identity.yaml``  region suffixes and levels, the issuer, title wrappers (notice identity)
``userdict.txt``   the jieba dictionary of domain terms
=================  ==========================================================
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pipeline.errors import RuleError
from pipeline.rules import (
    aliases,
    compare,
    deadlines,
    header,
    identity,
    layouts,
    numerals,
    ocr,
    patterns,
    tables,
    text,
    units,
    words,
)
from pipeline.rules.aliases import AliasRules
from pipeline.rules.compare import CompareRules
from pipeline.rules.deadlines import DeadlineRules
from pipeline.rules.header import HeaderRules
from pipeline.rules.identity import IdentityRules
from pipeline.rules.layouts import LayoutRules
from pipeline.rules.loading import default_rules_dir, display_name
from pipeline.rules.numerals import NumeralRules
from pipeline.rules.ocr import OcrRules
from pipeline.rules.patterns import PatternRules
from pipeline.rules.tables import OrganisationRules, TableRules
from pipeline.rules.text import TextRules
from pipeline.rules.units import UnitRules
from pipeline.rules.words import WordRules

__all__ = [
    "HeaderRules", "IdentityRules", "LayoutRules", "NumeralRules", "OcrRules", "OrganisationRules", "PatternRules", "RuleError", "Rules", "TableRules",
    "TextRules", "UnitRules", "WordRules", "default_rules_dir", "load_rules",
]

DICTIONARY = "userdict.txt"


@dataclass(frozen=True, eq=False)
class Rules:
    """Every rule file of one folder, checked and compiled (compared and hashed by identity)."""

    folder: Path
    version: str  # documents.rules_version: a hash of the folder's rule files
    numerals: NumeralRules
    units: UnitRules
    patterns: PatternRules
    words: WordRules
    tables: TableRules
    header: HeaderRules
    text: TextRules
    ocr: OcrRules
    aliases: AliasRules
    deadlines: DeadlineRules
    compare: CompareRules
    layouts: LayoutRules
    identity: IdentityRules
    dictionary: tuple[tuple[str, int], ...]  # userdict.txt: (term, frequency)

    @cached_property
    def tokenizer(self) -> Any:
        """A jieba tokenizer over the small domain dictionary (not jieba's 350k-word default).

        Built on first use (importing jieba costs ~60 ms); the prefix dictionary
        is made in memory: no cache file, no log lines. Lead and link verbs are
        words of their own, so a verb is cut out of the text around it.
        """
        import jieba

        tokenizer = jieba.Tokenizer()
        lines = "".join(f"{term} {frequency}\n" for term, frequency in self.dictionary)
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(io.BytesIO(lines.encode("utf-8")))
        tokenizer.initialized = True
        for verb in (*self.words.lead_verbs, *self.words.link_verbs):
            tokenizer.add_word(verb, 1000)
        return tokenizer

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        """Pickled (for a worker process) as its folder and version: the worker loads the same rules."""
        return _reload, (str(self.folder), self.version)


def load_rules(folder: Path | None = None) -> Rules:
    """Load and check every rule file of ``folder`` (default: :func:`default_rules_dir`).

    Loaded once per folder and content: a second call returns the same value,
    unless a file changed in between.
    """
    folder = Path(folder) if folder is not None else default_rules_dir()
    if not folder.is_dir():
        raise RuleError(f"{folder}: not a rules folder (no such folder)")
    return _build(folder.resolve(), rules_version(folder))


def rules_version(folder: Path) -> str:
    """A short hash of every rule file (names and bytes); hidden and backup files are not rules."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and _is_rule_file(p.relative_to(folder))):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _is_rule_file(relative: Path) -> bool:
    return not any(part.startswith((".", "__")) or part.endswith(("~", ".bak", ".swp")) for part in relative.parts)


@lru_cache(maxsize=8)
def _build(folder: Path, version: str) -> Rules:
    numeral_rules = numerals.load(folder)
    unit_rules = units.load(folder)
    lists = {**numeral_rules.lists(), **unit_rules.lists()}
    table_rules = tables.load(folder, lists)
    return Rules(
        folder=folder,
        version=version,
        numerals=numeral_rules,
        units=unit_rules,
        patterns=patterns.load(folder, lists),
        words=words.load(folder),
        tables=table_rules,
        header=header.load(folder, lists),
        text=text.load(folder),
        ocr=ocr.load(folder),
        aliases=aliases.load(folder, lists),
        deadlines=deadlines.load(folder, lists),
        compare=compare.load(folder, lists),
        layouts=layouts.load(folder, lists, table_rules),
        identity=identity.load(folder),
        dictionary=_dictionary(folder),
    )


def _dictionary(folder: Path) -> tuple[tuple[str, int], ...]:
    """userdict.txt in jieba's format: one ``term frequency [tag]`` per line."""
    label = f"{display_name(folder)}/{DICTIONARY}"
    try:
        lines = (folder / DICTIONARY).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RuleError(f"{label}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise RuleError(f"{label}: not UTF-8 text") from None
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) not in (2, 3) or not fields[1].isdigit():
            raise RuleError(f"{label}:{number}: expected 'term frequency [tag]', got {line.strip()!r}")
        entries.append((fields[0], int(fields[1])))
    return tuple(entries)


def _reload(folder: str, version: str) -> Rules:
    rules = load_rules(Path(folder))
    if rules.version != version:
        raise RuleError(f"{display_name(Path(folder))}: the rule files changed while the pipeline was running")
    return rules
