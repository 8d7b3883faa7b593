"""Demo data of the imports: saved mappings for the sample files of docs/samples/."""

from .models import Kind, SavedMapping

DEMO_MAPPINGS = {
    (Kind.ORGANIZATIONS, "Exemple — structures (docs/samples)"): {
        "Nom de la structure": "name",
        "Sigle": "acronym",
        "Type": "kind",
        "SIRET": "siret",
        "N° RNA": "rna",
        "Adresse": "address_line1",
        "CP": "postal_code",
        "Ville": "commune",
        "Courriel": "public_email",
        "Téléphone": "phone",
        "Site web": "website",
    },
    (Kind.PEOPLE, "Exemple — contacts (docs/samples)"): {
        "Prénom": "first_name",
        "Nom": "last_name",
        "Fonction": "job_title",
        "E-mail": "email",
        "Téléphone": "phone",
        "Structure": "organization",
        "Rôle": "role",
    },
}


def load_demo_imports() -> int:
    """Create (or refresh) the demo's saved mappings; returns how many there are."""
    for (kind, name), columns in DEMO_MAPPINGS.items():
        SavedMapping.objects.update_or_create(kind=kind, name=name, defaults={"columns": columns})
    return len(DEMO_MAPPINGS)


def load_demo(*, seed: int) -> None:
    """The imports part of the demo network (called by `load_demo_network`)."""
    load_demo_imports()
