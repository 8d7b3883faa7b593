"""The twin-town import: sides told apart, towns matched, bad rows reported, idempotent."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from observatoire.imports.reading import ReadError
from observatoire.organizations.models import Organization
from observatoire.partnerships.models import Partnership
from observatoire.partnerships.twinnings import is_french_side, twinnings_import

from .factories import make_foreign_city, make_french_city, make_partnership

pytestmark = pytest.mark.django_db

HEADER = "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
# The shared data sit beside the repository, as for the other reference-data tests.
BENCHMARK = settings.BASE_DIR.parent / "shared" / "data" / "benchmarks" / "twin_cities_france.csv"


def _csv(*lines: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(lines) + "\n").encode())


def _by_line(result):
    return {row.number: row for row in result.rows}


def test_the_side_in_france_is_the_french_one_whatever_the_order():
    assert is_french_side("France")
    assert is_french_side("Réunion, France")
    assert not is_french_side("England, United Kingdom")
    make_french_city()
    result = twinnings_import(
        file=_csv(
            "Corby,England,52.4877,-0.7013,Châtellerault,France,46.8178,0.5461",
            "Châtellerault,France,46.8178,0.5461,Kaya,Burkina Faso,13.0856,-1.084",
        )
    )
    assert [row.action for row in result.rows] == ["created", "created"]
    pairs = {
        (
            p.french_authority.name,
            p.foreign_authority.seat_locality,
            p.foreign_authority.seat_country.iso2,
        )
        for p in Partnership.objects.select_related(
            "french_authority", "foreign_authority__seat_country"
        )
    }
    assert pairs == {
        ("Ville de Châtellerault", "Corby", "GB"),
        ("Ville de Châtellerault", "Kaya", "BF"),
    }
    corby = Organization.objects.get(seat_locality="Corby")
    assert corby.legal_form == "foreign" and corby.name == "Ville de Corby"
    assert all(p.kind == Partnership.Kind.TWINNING for p in Partnership.objects.all())
    assert "England" in result.rows[0].notes[0]  # the alias is reported


def test_an_existing_foreign_authority_is_reused_and_a_re_import_changes_nothing():
    oujda = make_foreign_city()
    make_partnership(foreign=oujda)
    lines = ("Châtellerault,France,46.8178,0.5461,Oujda,Morocco,34.6867,-1.9114",)
    result = twinnings_import(file=_csv(*lines))
    assert result.existing == 1 and result.created == 0
    assert Organization.objects.filter(seat_country__iso2="MA").count() == 1

    make_french_city("Ville de Niort", "79191")
    lines = ("Niort,France,46.3258,-0.4606,Atakpamé,Togo,7.5269,1.1267",)
    first = twinnings_import(file=_csv(*lines))
    second = twinnings_import(file=_csv(*lines))
    assert (first.created, second.created, second.existing) == (1, 0, 1)
    assert Partnership.objects.count() == 2


def test_bad_rows_are_rejected_with_their_reason_and_good_rows_still_go_through():
    make_french_city()
    result = twinnings_import(
        file=_csv(
            "Châtellerault,France,46.8178,0.5461,Velbert,Germany,51.3333,7.05",  # 2 good
            "Châtellerault,France,abc,0.5461,Piła,Poland,53.15,16.7333",  # 3 bad coordinate
            "Châtellerault,France,46.8178,0.5461,Hamilton,Atlantis,55,-3",  # 4 unknown country
            "Trifouilly-les-Oies,France,46.1,0.1,Corby,England,52.4,-0.7",  # 5 unknown commune
            "Velbert,Germany,51.3333,7.05,Châtellerault,France,46.8178,0.5461",  # 6 duplicate
            "Auxerre,France,47.79,3.56,Roscoff,France,48.73,-3.98",  # 7 both French
            "Poitiers,France,46.58,0.34,Marburg,Germany,50.8,8.77",  # 8 no authority
            "Châtellerault,France,46.8178,0.5461,Hamilton,Scotland,95,-3",  # 9 latitude > 90
            "Châtellerault,France,46.8178,0.5461",  # 10 incomplete
        )
    )
    rows = _by_line(result)
    assert rows[2].action == "created"
    assert "abc" in rows[3].reason
    assert "Atlantis" in rows[4].reason
    assert "Trifouilly" in rows[5].reason
    assert "line 2" in rows[6].reason or "ligne 2" in rows[6].reason
    assert rows[7].action == "rejected" and rows[7].french_town == "Auxerre"
    assert rows[8].action == "rejected" and "Poitiers" in rows[8].reason
    assert "95" in rows[9].reason
    assert rows[10].action == "rejected"
    assert (result.created, result.rejected) == (1, 8)
    assert Partnership.objects.count() == 1


def test_homonyms_are_told_apart_by_the_coordinates():
    # Two communes are named Saint-Amand in very different places; the row's point decides.
    from observatoire.referentials.models import Commune

    homonyms = list(Commune.objects.filter(name="Valence").order_by("insee_code"))
    assert len(homonyms) >= 2
    target = homonyms[0]
    make_french_city("Ville de Valence", target.insee_code)
    line = f"Valence,France,{target.latitude},{target.longitude},Biberach,Germany,48.1,9.79"
    assert twinnings_import(file=_csv(line)).created == 1
    no_point = "Valence,France,,,Talavera,Spain,39.96,-4.83"
    row = twinnings_import(file=_csv(no_point)).rows[0]
    assert (
        row.action == "rejected"
        and "coordinates" in row.reason.lower()
        or "coordonnées" in row.reason
    )


def test_the_french_authority_is_created_only_when_asked():
    line = "Poitiers,France,46.58,0.34,Marburg,Germany,50.8,8.77"
    assert twinnings_import(file=_csv(line)).rejected == 1
    result = twinnings_import(file=_csv(line), create_french=True)
    assert result.created == 1 and result.authorities_created == 2
    poitiers = Organization.objects.get(commune__insee_code="86194")
    assert poitiers.name == "Ville de Poitiers" and poitiers.status == "pending"


def test_a_dry_run_reports_the_same_and_writes_nothing():
    make_french_city()
    line = "Châtellerault,France,46.8178,0.5461,Velbert,Germany,51.3333,7.05"
    result = twinnings_import(file=_csv(line, line.replace("Velbert", "Piła")), dry_run=True)
    assert result.created == 2 and result.dry_run
    assert not Partnership.objects.exists()
    assert not Organization.objects.filter(seat_country__isnull=False).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name;town\nA;B\n", "city1"),
        (b"\x00\x01\x02binary", "binaires"),
        (b"", "vide"),
        (b"Just a sentence, not a list.\n", "city1"),
    ],
)
def test_files_that_are_not_twin_town_lists_are_refused(content, message):
    with pytest.raises(ReadError) as error:
        twinnings_import(file=io.BytesIO(content))
    assert message in str(error.value).lower() or message in str(error.value)


@pytest.mark.skipif(not BENCHMARK.exists(), reason="benchmark data not available")
def test_the_command_imports_the_benchmark_list_of_nouvelle_aquitaine_towns(capsys):
    make_french_city()
    make_french_city("Ville de Niort", "79191")
    call_command("import_twinnings", str(BENCHMARK), "--dry-run")
    out = capsys.readouterr().out
    assert "[dry run]" in out and "rejected" in out
    assert not Partnership.objects.exists()
    call_command("import_twinnings", str(BENCHMARK))
    # Châtellerault has 7 twins abroad (Corby listed twice) and Niort 7.
    assert Partnership.objects.filter(french_authority__name="Ville de Châtellerault").count() == 7
    assert Partnership.objects.filter(french_authority__name="Ville de Niort").count() == 7
