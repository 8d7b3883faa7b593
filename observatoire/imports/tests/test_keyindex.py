import random

from observatoire.imports.keyindex import KeyIndex


def test_key_index_behaves_like_a_dict_through_growth():
    index, reference = KeyIndex(capacity=8), {}
    rng = random.Random(3)
    for line in range(2, 20000):
        key = ("siret", str(rng.randrange(5000)))
        assert index.setdefault(key, line) == reference.get(key)
        reference.setdefault(key, line)
    assert len(index) == len(reference)
    for key, line in reference.items():
        assert index.get(key) == line
    assert index.get(("siret", "absent")) is None
