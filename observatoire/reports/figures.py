"""The one door to the observatory's figures: the report never counts anything itself.

`observatoire.observatory.figures.collect(period, filters)` computes every figure (see
`docs/observatory.md`); the report stores its dict in a snapshot and shows its definitions.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class DefinitionLine:
    key: str
    title: str | Promise
    text: str | Promise


def fresh_figures(*, year: int) -> dict:
    """The figures of calendar year `year`, computed now for the whole network."""
    from observatoire.core.periods import Period
    from observatoire.observatory.figures import collect

    return collect(Period.year(year))


def definitions(*, keys: list[str]) -> list[DefinitionLine]:
    """The observatory's definitions of `keys` (dotted), in that order, without repeats.

    A key without its own definition falls back to its parent's ("coverage.partnerships.count"
    is defined by "coverage.partnerships").
    """
    from observatoire.observatory.figures import DEFINITIONS

    lines, seen = [], set()
    for key in keys:
        candidate = key
        while candidate and candidate not in DEFINITIONS:
            candidate = candidate.rpartition(".")[0]
        if not candidate or candidate in seen:
            continue
        seen.add(candidate)
        definition = DEFINITIONS[candidate]
        lines.append(DefinitionLine(candidate, definition.title, definition.text))
    return lines
