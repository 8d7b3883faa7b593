import pytest

from observatoire.referentials.selectors import (
    commune_find,
    commune_name_key,
    communes_search,
)

pytestmark = pytest.mark.django_db


def insee(commune):
    return commune.insee_code if commune else None


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("ST-ÉTIENNE CEDEX 2", "saint etienne"),
        ("Ste Foy la Grande", "sainte foy la grande"),
        ("PARIS 15", "paris"),
        ("Lyon 3e Arrondissement", "lyon"),
        ("L'Isle-d'Abeau", "l isle d abeau"),
        ("St. Malo", "saint malo"),
    ],
)
def test_commune_name_key(raw, key):
    assert commune_name_key(raw) == key


def test_find_by_insee_code():
    assert insee(commune_find(insee_code="33063")) == "33063"
    assert insee(commune_find(insee_code="2a004")) == "2A004"
    # SIRENE gives arrondissement codes for Paris, Lyon and Marseille.
    assert insee(commune_find(insee_code="75115")) == "75056"
    assert insee(commune_find(insee_code="69383")) == "69123"
    assert insee(commune_find(insee_code="13208")) == "13055"
    assert commune_find(insee_code="99999") is None


def test_find_by_postal_code_and_name():
    assert insee(commune_find(postal_code="33000", name="Bordeaux")) == "33063"
    assert insee(commune_find(postal_code="33000")) == "33063"
    assert insee(commune_find(postal_code="86000", name="POITIERS")) == "86194"
    # Accents, case and "St" for "Saint".
    assert insee(commune_find(postal_code="42000", name="ST ETIENNE")) == "42218"
    assert insee(commune_find(postal_code="42100", name="saint-étienne")) == "42218"
    assert insee(commune_find(postal_code="64500", name="St Jean de Luz")) == "64483"
    # A CEDEX code is in no list: the département and the name still find the commune.
    assert insee(commune_find(postal_code="33076", name="BORDEAUX CEDEX")) == "33063"
    assert insee(commune_find(postal_code="86073", name="Poitiers Cedex 9")) == "86194"
    # Paris, Lyon and Marseille with an arrondissement's postal code or number.
    assert insee(commune_find(postal_code="75015", name="PARIS 15")) == "75056"
    assert insee(commune_find(postal_code="13008", name="Marseille 8e")) == "13055"
    # A postal code served by one commune wins over a locality name.
    assert insee(commune_find(postal_code="86000", name="Quartier des Couronneries")) == "86194"
    # Spreadsheets drop leading zeros.
    assert insee(commune_find(postal_code="1400", name="L'Abergement-Clémenciat")) == "01001"


def test_find_by_name_alone():
    assert insee(commune_find(name="poitiers")) == "86194"
    # Many communes share this name: no guess.
    assert commune_find(name="Saint-Denis") is None
    assert commune_find(name="Nowhere-sur-Mer") is None
    assert commune_find() is None


def test_find_ambiguous_postal_code():
    # 86190 serves several communes.
    assert commune_find(postal_code="86190") is None


def test_communes_search_by_name():
    names = [commune.name for commune in communes_search(term="bordea")]
    assert names[0] == "Bordeaux"
    results = communes_search(term="st etie", limit=5)
    assert len(results) == 5
    assert all(commune.name.startswith("Saint-Étienne") for commune in results)
    assert communes_search(term="", limit=5) == []


def test_communes_search_by_postal_code(django_assert_max_num_queries):
    communes_search(term="warm the index")
    with django_assert_max_num_queries(1):
        results = communes_search(term="3300", limit=50)
        assert [commune.departement.code for commune in results] == ["33"] * len(results)
    assert "33063" in [commune.insee_code for commune in results]
    assert [c.insee_code for c in communes_search(term="33000 bord")] == ["33063"]
