"""Every block renders from the contract's figures, with data and with an empty year."""

import pytest
from django.utils import translation

from observatoire.core.testing import ensure_reference_data
from observatoire.reports import blocks, svg
from observatoire.reports.render import render_block

from .sample_figures import empty_figures, sample_figures


@pytest.fixture(autouse=True)
def english(db):
    # Regional maps read the départements of the region from the database.
    with translation.override("en"):
        yield


@pytest.mark.parametrize("block_type", blocks.BLOCK_TYPES, ids=lambda block: block.key)
@pytest.mark.parametrize("data", [sample_figures(), empty_figures()], ids=["sample", "empty"])
def test_every_block_renders_its_title(block_type, data):
    html = render_block(block_type, data, anchor="b")
    assert str(block_type.label) in html.replace("&#x27;", "'")
    assert 'id="b-title"' in html


@pytest.mark.parametrize("block_type", blocks.BLOCK_TYPES, ids=lambda block: block.key)
def test_every_block_reads_keys_of_the_contract(block_type):
    data = sample_figures()
    for key in block_type.reads:
        parent, _dot, leaf = key.rpartition(".")
        if parent != "calls":  # null until the calls issue fills it
            assert leaf in blocks.dig(data, parent), key


def test_key_figures_show_the_values():
    html = render_block(blocks.REGISTRY["key_figures"], sample_figures(), anchor="b")
    assert "144" in html and "113" in html and "47" in html


def test_charts_write_labels_and_values_as_text():
    html = render_block(blocks.REGISTRY["organizations_by_kind"], sample_figures(), anchor="b")
    assert ">Associations</text>" in html
    assert ">104</text>" in html
    # The same figures in a table for screen readers.
    assert '<th scope="row">Local authorities</th><td>32</td>' in html


def test_sdg_bars_carry_the_official_colours():
    html = render_block(blocks.REGISTRY["sdg_organizations"], sample_figures(), anchor="b")
    assert 'fill="#E5243B"' in html and 'fill="#19486A"' in html


def test_empty_chart_says_so():
    html = render_block(blocks.REGISTRY["support_by_theme"], empty_figures(), anchor="b")
    assert "<svg" not in html
    assert "No data for this period." in html


def test_regional_map_colours_the_departements_with_members_and_lists_them():
    ensure_reference_data()
    html = render_block(blocks.REGISTRY["members_by_departement"], sample_figures(), anchor="b")
    assert 'role="img"' in html and "<title" in html
    assert '<th scope="row">Gironde</th><td>41</td>' in html
    # Gironde holds the most members: the darkest class of the scale.
    assert f'fill="{svg.SCALE[-1]}"><title>Gironde: 41</title>' in html


def test_world_map_of_support_by_country():
    html = render_block(blocks.REGISTRY["support_by_country"], sample_figures(), anchor="b")
    assert "<title>Burkina Faso: 9</title>" in html
    assert '<th scope="row">Madagascar</th><td>5</td>' in html


def test_partnerships_are_drawn_as_lines_on_the_world_map():
    html = render_block(blocks.REGISTRY["partnerships"], sample_figures(), anchor="b")
    assert html.count("<line ") == 1 and "<title>Poitiers</title>" in html
    assert '<th scope="row">Morocco</th><td>4</td>' in html


def test_trainings_table():
    html = render_block(blocks.REGISTRY["trainings"], sample_figures(), anchor="b")
    assert "Monter un projet de solidarité internationale" in html
    assert "2025-03-12 – 2025-03-19, Bordeaux" in html
    assert "<td>34</td>" in html and "87.5 %" in html
    assert "<td>—</td>" in html  # no questionnaire answered


def test_themes_by_country_crosses_the_counts():
    html = render_block(blocks.REGISTRY["themes_by_country"], sample_figures(), anchor="b")
    assert "<td>7</td><td>4</td>" in html


def test_calls_not_yet_run_in_the_platform():
    html = render_block(blocks.REGISTRY["calls"], sample_figures(), anchor="b")
    assert "Available once calls are run in the platform." in html


def test_calls_show_their_figures_once_available():
    data = sample_figures()
    data["calls"] = {"notes_of_intent": 25, "finalists": 16, "committees": 2, "laureates": 9}
    html = render_block(blocks.REGISTRY["calls"], data, anchor="b")
    assert "Available once" not in html
    assert "Notes of intent" in html and "25" in html and "Laureates" in html and ">9<" in html


def test_communication_says_when_mailings_are_not_available():
    html = render_block(blocks.REGISTRY["communication"], sample_figures(), anchor="b")
    assert "31" in html and "not available" in html


def test_names_are_escaped():
    data = sample_figures()
    data["organizations"]["by_kind"] = [{"key": "x", "label": "<script>x</script>", "count": 1}]
    html = render_block(blocks.REGISTRY["organizations_by_kind"], data, anchor="b")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_colour_classes_cover_every_count():
    assert svg._classes(0) == []
    assert svg._classes(3) == [(1, 1), (2, 2), (3, 3)]
    classes = svg._classes(41)
    assert classes[0][0] == 1 and classes[-1][1] == 41
    assert all(low <= high for low, high in classes)
