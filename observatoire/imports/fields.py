"""The fields each kind of import fills, and the headers that name them in files."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from observatoire.core.text import fold

from .models import Kind


@dataclass(frozen=True)
class Field:
    key: str
    label: str | Promise
    required: bool = False
    # Headers (folded) that mean this field, in French and English.
    synonyms: tuple[str, ...] = ()


ORGANIZATION_REFERENCE = (
    Field(
        "organization_siret",
        _("SIRET of the organisation"),
        synonyms=("siret structure", "siret organisation", "siret de la structure"),
    ),
    Field(
        "organization_rna",
        _("RNA number of the organisation"),
        synonyms=("rna structure", "rna organisation"),
    ),
    Field(
        "organization",
        _("Name of the organisation"),
        synonyms=(
            "structure", "organisation", "organization", "organisme", "association",
            "nom de la structure", "nom structure", "raison sociale", "employeur", "acteur",
            "company", "nom organisation",
        ),
    ),
)  # fmt: skip

FIELDS: dict[str, tuple[Field, ...]] = {
    Kind.ORGANIZATIONS: (
        Field(
            "name",
            _("Name"),
            required=True,
            synonyms=(
                "nom",
                "name",
                "raison sociale",
                "denomination",
                "nom de la structure",
                "structure",
                "organisation",
                "organization",
                "titre",
                "libelle",
                "nom structure",
            ),
        ),
        Field("acronym", _("Acronym"), synonyms=("sigle", "acronyme", "acronym", "titre court")),
        Field(
            "kind",
            _("Kind"),
            synonyms=("type", "kind", "type de structure", "categorie", "type d acteur"),
        ),
        Field("legal_form", _("Legal form"), synonyms=("forme juridique", "legal form", "statut")),
        Field("siren", _("SIREN"), synonyms=("siren", "n siren", "numero siren")),
        Field("siret", _("SIRET"), synonyms=("siret", "n siret", "numero siret")),
        Field("rna", _("RNA number"), synonyms=("rna", "n rna", "numero rna", "id rna", "waldec")),
        Field(
            "address_line1",
            _("Address"),
            synonyms=("adresse", "address", "adresse 1", "adresse ligne 1", "rue", "voie"),
        ),
        Field(
            "address_line2",
            _("Address (continued)"),
            synonyms=("adresse 2", "complement d adresse", "complement", "adresse ligne 2"),
        ),
        Field(
            "postal_code", _("Postal code"), synonyms=("code postal", "cp", "postal code", "zip")
        ),
        Field(
            "commune",
            _("Commune"),
            synonyms=("commune", "ville", "localite", "city", "town", "municipality"),
        ),
        Field("insee_code", _("INSEE code"), synonyms=("code insee", "insee", "code commune")),
        Field(
            "public_email",
            _("E-mail"),
            synonyms=("e mail", "email", "courriel", "mail", "adresse e mail", "adresse mail"),
        ),
        Field(
            "phone",
            _("Phone"),
            synonyms=("telephone", "tel", "phone", "numero de telephone", "portable"),
        ),
        Field(
            "website",
            _("Website"),
            synonyms=("site web", "site internet", "site", "website", "url"),
        ),
        Field("description", _("Description"), synonyms=("description", "objet", "presentation")),
    ),
    Kind.PEOPLE: (
        Field("first_name", _("First name"), required=True, synonyms=("prenom", "first name")),
        Field(
            "last_name",
            _("Last name"),
            required=True,
            synonyms=("nom", "nom de famille", "last name", "surname", "family name"),
        ),
        Field("job_title", _("Function"), synonyms=("fonction", "poste", "job title", "titre")),
        Field(
            "email",
            _("E-mail"),
            synonyms=("e mail", "email", "courriel", "mail", "adresse e mail", "adresse mail"),
        ),
        Field(
            "phone",
            _("Phone"),
            synonyms=("telephone", "tel", "phone", "portable", "mobile"),
        ),
        *ORGANIZATION_REFERENCE,
        Field("role", _("Role in the organisation"), synonyms=("role", "qualite")),
        Field("notes", _("Notes"), synonyms=("notes", "remarques", "commentaire", "commentaires")),
    ),
    Kind.MEMBERSHIPS: (
        *ORGANIZATION_REFERENCE,
        Field(
            "year", _("Year"), required=True, synonyms=("annee", "year", "exercice", "millesime")
        ),
        Field("college", _("College"), synonyms=("college", "college d adhesion")),
        Field(
            "fee_amount",
            _("Fee (EUR)"),
            synonyms=("cotisation", "montant", "montant cotisation", "fee", "amount"),
        ),
        Field(
            "paid_on",
            _("Paid on"),
            synonyms=("paye le", "payee le", "date de paiement", "paid on", "date paiement"),
        ),
    ),
}


def fields_of(kind: str) -> tuple[Field, ...]:
    return FIELDS[kind]


def field_labels(kind: str) -> dict[str, str]:
    return {field.key: str(field.label) for field in FIELDS[kind]}


def guess_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """{header: field key} for the headers a synonym (or the field's label) recognises."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    fields = FIELDS[kind]
    folded = [fold(header) for header in headers]
    # Exact synonyms first, so "Nom" goes to the name before "Nom de la structure" is tried.
    for field in fields:
        names = {fold(str(field.label)), fold(field.key.replace("_", " ")), *field.synonyms}
        for header, key in zip(headers, folded, strict=True):
            if header in mapping or field.key in taken:
                continue
            if key in names:
                mapping[header] = field.key
                taken.add(field.key)
    return mapping


def missing_required(kind: str, mapping: dict[str, str]) -> list[str]:
    """Labels of the required fields no column is mapped to."""
    mapped = set(mapping.values())
    missing = [str(f.label) for f in FIELDS[kind] if f.required and f.key not in mapped]
    if kind == Kind.MEMBERSHIPS and not mapped & {
        "organization",
        "organization_siret",
        "organization_rna",
    }:
        missing.append(str(_("Name, SIRET or RNA number of the organisation")))
    return missing
