"""Until the observatory's figures are wired, the report reads the contract's sample dict."""

import pytest

from observatoire.reports import figures as observatory
from observatoire.reports.figures import DefinitionLine

from .sample_figures import sample_figures


class FakeObservatory:
    """Stands for `observatoire.observatory.figures`: `figures` is what collect() returns now."""

    def __init__(self):
        self.figures = sample_figures()
        self.calls = 0

    def fresh_figures(self, *, year: int) -> dict:
        self.calls += 1
        data = dict(self.figures)
        data["period"] = {"start": f"{year}-01-01", "end": f"{year}-12-31", "label": str(year)}
        return data

    def definitions(self, *, keys: list[str]) -> list[DefinitionLine]:
        seen = dict.fromkeys(keys)
        return [DefinitionLine(key, f"Definition of {key}", f"What {key} counts.") for key in seen]


@pytest.fixture
def fake_observatory(monkeypatch):
    fake = FakeObservatory()
    monkeypatch.setattr(observatory, "fresh_figures", fake.fresh_figures)
    monkeypatch.setattr(observatory, "definitions", fake.definitions)
    return fake
