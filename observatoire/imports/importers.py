"""The importers: each checks a row, says which record it is (duplicate keys) and writes batches.

The register's invariants are kept on the bulk path: history rows (simple-history's bulk
helpers), the place derived from the commune (`organization_locate`), and the search text built
from the same parts, in the same order, as `organization_build_search_text` and
`person_build_search_text` (tests compare them with the services).
"""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from observatoire.core.text import fold
from observatoire.core.validators import (
    validate_phone,
    validate_rna,
    validate_siren,
    validate_siret,
)
from observatoire.deduplication.matching import Description, find_matches, name_key
from observatoire.deduplication.selectors import ScoredMatch, organization_matches_many
from observatoire.organizations.models import (
    Affiliation,
    Membership,
    Organization,
    Person,
    PersonEmail,
    PersonPhone,
    Source,
)
from observatoire.organizations.services import (
    organization_locate,
    organization_refresh_search_text,
    person_build_search_text,
)
from observatoire.referentials import selectors as commune_selectors
from observatoire.referentials.models import College, Commune, OrganizationKind

from . import cleaning, fastinsert
from .models import Kind

# A strong enough match of the shared matcher is taken as the same organisation by default.
MATCH_UPDATE_SCORE = 0.9


@dataclass
class Row:
    number: int  # line in the file, the header being line 1
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    keys: list[tuple] = field(default_factory=list)
    existing_pk: int | None = None  # the record the duplicate keys point to


@dataclass
class Outcome:
    number: int
    action: str  # "created", "updated", "skipped"
    pk: int | None
    label: str
    reason: str = ""


class CommuneCache:
    """`commune_find` answers for a whole import, without one query per row.

    The communes (about 35,000, a few megabytes) are loaded once with their département and
    region; `commune_find_pk`, the selector's own logic, decides which one a row names.
    """

    def __init__(self):
        self.found: dict[tuple[str, str, str], Any] = {}
        self.by_pk: dict[int, Any] | None = None

    def get(self, pk):
        """The commune of this pk, with its département and region."""
        if pk is None:
            return None
        if self.by_pk is None:
            self.by_pk = Commune.objects.select_related("departement__region").in_bulk()
        return self.by_pk.get(pk)

    def find(self, *, postal_code: str, name: str, insee_code: str):
        key = (postal_code, name, insee_code)
        if key not in self.found:
            commune = self.get(
                commune_selectors.commune_find_pk(
                    postal_code=postal_code, name=name, insee_code=insee_code
                )
            )
            if len(self.found) > 200_000:
                self.found.clear()
            self.found[key] = commune
        return self.found[key]


_FOLDED_WORD = re.compile(r"[0-9a-z@.]+")


def _fold_word(value: str) -> str:
    """`fold(value)`, without its work for what is already folded (postal codes, e-mails)."""
    return value if _FOLDED_WORD.fullmatch(value) else fold(value)


def _vocabulary_index(model) -> dict[str, Any]:
    index = {}
    for item in model.objects.all():
        for value in (item.slug, item.name_fr, item.name_en):
            index[fold(value)] = item
    return index


class OrganizationReferences:
    """Finds the organisation a row of people or memberships names: SIRET, RNA or exact name."""

    def __init__(self):
        self.by_key: dict[tuple, int | None] = {}
        rows = Organization.objects.values_list("pk", "siret", "rna", "name", "kind_id")
        self.kind_of: dict[int, int] = {}
        self.names: dict[int, str] = {}
        for pk, siret, rna, name, kind_id in rows.iterator(chunk_size=5000):
            self.kind_of[pk] = kind_id
            self.names[pk] = name
            if siret:
                self.by_key[("siret", siret)] = pk
            if rna:
                self.by_key[("rna", rna)] = pk
            key = ("name", fold(name))
            # Two organisations of the same name: the name alone designates neither.
            self.by_key[key] = None if key in self.by_key else pk

    def find(self, raw: dict[str, str], errors: list[str]) -> int | None:
        siret = cleaning.identifier(raw.get("organization_siret", ""), validate_siret, errors)
        rna = cleaning.identifier(raw.get("organization_rna", ""), validate_rna, errors)
        name = raw.get("organization", "")
        for key in (("siret", siret), ("rna", rna)):
            if key[1] and self.by_key.get(key):
                return self.by_key[key]
        if name:
            pk = self.by_key.get(("name", fold(name)))
            if pk:
                return pk
            if ("name", fold(name)) in self.by_key:
                errors.append(
                    _("Several organisations are named “%(name)s”: give their SIRET.")
                    % {"name": name}
                )
                return None
        shown = siret or rna or name
        if shown:
            errors.append(
                _("No organisation of the register matches “%(value)s”.") % {"value": shown}
            )
        return None


class Importer(ABC):
    """One kind of import: cleans rows, lists their possible matches, writes batches."""

    kind: str
    model: type

    def __init__(self, *, user=None, use_matcher: bool = False):
        self.user = user
        self.use_matcher = use_matcher

    def prepare(self) -> None:  # noqa: B027 (an optional hook: most importers load nothing)
        """Load what rows are compared with: the register's duplicate keys, vocabularies."""

    @abstractmethod
    def clean(self, number: int, raw: dict[str, str]) -> Row:
        """The row's values checked and converted, with its errors and duplicate keys."""

    @abstractmethod
    def label(self, values: dict[str, Any]) -> str:
        """How the report and the preview name the record these values describe."""

    def matches(self, row: Row) -> list[tuple[int, str, str]]:
        """(pk, label, reasons) of records this row may be, for the preview."""
        return []

    def default_target(self, row: Row) -> int | None:
        return row.existing_pk

    # Whether `batch_matches` serves: the preview then finds a large file's matches at once.
    batch_matching = False

    def batch_matches(self, rows: list[Row]) -> dict[int, list[ScoredMatch]]:
        """`matches` of many rows at once, by line number: (pk, score, reason codes); none
        by default, as `matches`."""
        return {}

    def target_among(self, row: Row, scored: list[ScoredMatch]) -> int | None:
        """`default_target` from the row's `batch_matches`."""
        return row.existing_pk

    @abstractmethod
    def write(self, batch: list[tuple[Row, int | None]]) -> list[Outcome]:
        """Create or update the batch's rows (target pk or None) and say what happened."""

    def finish(self) -> None:  # noqa: B027 (an optional hook)
        """Work left after the last batch (search texts of touched organisations)."""

    @staticmethod
    def flag_formulas(raw: dict[str, str], row: Row) -> None:
        for value in raw.values():
            if cleaning.looks_like_formula(value):
                row.warnings.append(
                    _(
                        "“%(value)s” looks like a spreadsheet formula: it is kept as text and "
                        "neutralised in exports."
                    )
                    % {"value": value[:60]}
                )


ORGANIZATION_FIELDS = [
    "name", "acronym", "kind", "legal_form", "siren", "siret", "rna", "address_line1",
    "address_line2", "postal_code", "commune", "public_email", "phone", "website", "description",
]  # fmt: skip


# The columns of a created organisation, as `OrganizationImporter._new_values` gives them.
NEW_COLUMNS = (
    "name", "acronym", "legal_form", "siren", "siret", "rna", "address_line1", "address_line2",
    "postal_code", "public_email", "phone", "website", "description", "kind_id",
    "commune_id", "departement_id", "region_id", "latitude", "longitude", "search_text",
)  # fmt: skip


class PackedRows(ABC):
    """An importer whose checked rows the preview keeps for the commit (see rowcache).

    The others are checked again at commit.
    """

    @abstractmethod
    def vocabulary_stamp(self) -> str:
        """What cleaning depends on besides the cells (vocabularies): cached rows need it equal."""

    @abstractmethod
    def pack(self, values: dict[str, Any]) -> tuple:
        """The row's values as plain data (str, int, None), for the cached rows."""

    @abstractmethod
    def unpack(self, number: int, packed: tuple, errors, keys) -> Row:
        """The Row `pack` was given, its record of the register looked up again."""


class OrganizationImporter(PackedRows, Importer):
    kind = Kind.ORGANIZATIONS
    model = Organization

    def prepare(self) -> None:  # noqa: B027 (an optional hook: most importers load nothing)
        self.kinds = _vocabulary_index(OrganizationKind)
        self.default_kind = OrganizationKind.objects.filter(slug="other").first() or next(
            iter(self.kinds.values())
        )
        self.association_kind = self.kinds.get("association", self.default_kind)
        self.kinds_by_pk = {kind.pk: kind for kind in self.kinds.values()}
        self.legal_forms = {}
        for value, label in Organization.LegalForm.choices:
            self.legal_forms[fold(value)] = value
            self.legal_forms[fold(str(label))] = value
        self.communes = CommuneCache()
        self.places: dict[int, tuple] = {}
        self.commune_rows: dict[int, tuple] | None = None
        self.new_rows = fastinsert.NewRows(
            Organization,
            NEW_COLUMNS,
            fixed={"source": Source.IMPORT, "status": Organization.Status.PENDING},
        )
        self.existing: dict[tuple, int] = {}
        rows = Organization.objects.values_list(
            "pk", "siren", "siret", "rna", "name", "commune_id", "postal_code"
        )
        for pk, siren, siret, rna, name, commune_id, postal_code in rows.iterator(5000):
            for key in self._keys(siren, siret, rna, name, commune_id, postal_code):
                self.existing.setdefault(key, pk)
        self.touched: set[int] = set()

    @staticmethod
    def _keys(siren, siret, rna, name, commune_id, postal_code) -> list[tuple]:
        keys = []
        if siret:
            keys.append(("siret", siret))
        elif siren:
            keys.append(("siren", siren))
        if rna:
            keys.append(("rna", rna))
        if commune_id or postal_code:
            keys.append(("name", name_key(name), commune_id or postal_code))
        return keys

    def clean(self, number: int, raw: dict[str, str]) -> Row:
        errors: list[str] = []
        values: dict[str, Any] = {}
        row = Row(number=number, values=values, errors=errors)
        self.flag_formulas(raw, row)
        name = raw.get("name", "")
        if not name:
            errors.append(_("The name is missing."))
        values["name"] = cleaning.text(name, 255, _lazy("The name"), errors)
        values["acronym"] = cleaning.text(raw.get("acronym", ""), 50, _lazy("The acronym"), errors)
        values["siren"] = cleaning.identifier(raw.get("siren", ""), validate_siren, errors)
        values["siret"] = cleaning.identifier(raw.get("siret", ""), validate_siret, errors)
        if values["siret"] and not values["siren"]:
            values["siren"] = values["siret"][:9]
        values["rna"] = cleaning.identifier(raw.get("rna", ""), validate_rna, errors)
        kind = raw.get("kind", "")
        if kind:
            values["kind"] = self.kinds.get(fold(kind))
            if values["kind"] is None:
                errors.append(_("Unknown kind of organisation: “%(value)s”.") % {"value": kind})
        else:
            values["kind"] = self.association_kind if values["rna"] else None
        legal_form = raw.get("legal_form", "")
        values["legal_form"] = self.legal_forms.get(fold(legal_form), "") if legal_form else ""
        if legal_form and not values["legal_form"]:
            errors.append(_("Unknown legal form: “%(value)s”.") % {"value": legal_form})
        values["address_line1"] = cleaning.text(
            raw.get("address_line1", ""), 255, _lazy("The address"), errors
        )
        values["address_line2"] = cleaning.text(
            raw.get("address_line2", ""), 255, _lazy("The address"), errors
        )
        postal_code = raw.get("postal_code", "").replace(" ", "")
        if postal_code.isdigit() and len(postal_code) == 4:
            postal_code = "0" + postal_code  # a spreadsheet dropped the leading zero
        values["postal_code"] = cleaning.text(postal_code, 10, _lazy("The postal code"), errors)
        commune_name, insee_code = raw.get("commune", ""), raw.get("insee_code", "")
        values["commune"] = None
        if commune_name or insee_code or postal_code:
            values["commune"] = self.communes.find(
                postal_code=postal_code, name=commune_name, insee_code=insee_code
            )
            if values["commune"] is None and (commune_name or insee_code):
                errors.append(
                    _("Unknown commune: “%(value)s”; check its name and postal code.")
                    % {"value": " ".join(p for p in (postal_code, commune_name, insee_code) if p)}
                )
        values["public_email"] = cleaning.email(raw.get("public_email", ""), errors)
        phone = raw.get("phone", "")
        values["phone"] = cleaning.identifier(phone, validate_phone, errors) and phone
        values["website"] = cleaning.website(raw.get("website", ""), errors)
        values["description"] = cleaning.text(
            raw.get("description", ""), 10000, _lazy("The description"), errors
        )
        commune_id = values["commune_id"] = values["commune"].pk if values["commune"] else None
        if not errors:
            row.keys = self._keys(
                values["siren"], values["siret"], values["rna"], name, commune_id, postal_code
            )
            row.existing_pk = self._existing_of(row.keys)
        return row

    def _existing_of(self, keys: list[tuple]) -> int | None:
        return next((self.existing[k] for k in keys if k in self.existing), None)

    def label(self, values: dict[str, Any]) -> str:
        return values.get("name", "")

    def vocabulary_stamp(self) -> str:
        kinds = sorted(
            (kind.pk, kind.slug, kind.name_fr, kind.name_en) for kind in self.kinds_by_pk.values()
        )
        return repr((kinds, sorted(self.legal_forms.items())))

    def pack(self, values: dict[str, Any]) -> tuple:
        packed = []
        for name in ORGANIZATION_FIELDS:
            value = values.get(name)
            if name in ("kind", "commune") and value is not None:
                value = value.pk
            packed.append(value)
        # The search text's parts that depend on the row alone, for the commit's new rows.
        packed.append(self._folded_parts(values))
        return tuple(packed)

    def unpack(self, number: int, packed: tuple, errors, keys) -> Row:
        values = dict(zip(ORGANIZATION_FIELDS, packed[:-1], strict=True))
        values["folded"] = packed[-1]
        if values["kind"] is not None:
            values["kind"] = self.kinds_by_pk[values["kind"]]
        # Only the commune's pk: a created row needs no instance (see _commune).
        values["commune_id"] = values.pop("commune")
        row = Row(number=number, values=values, errors=list(errors or ()), keys=list(keys))
        if not errors and self.existing:
            row.existing_pk = self._existing_of(row.keys)
        return row

    def _commune(self, values: dict[str, Any]):
        """The row's commune; rows read back from the kept rows carry its pk only."""
        if "commune" not in values:
            values["commune"] = self.communes.get(values["commune_id"])
        return values["commune"]

    def _description(self, row: Row) -> Description:
        self._commune(row.values)
        return Description.from_values(row.values)

    def matches(self, row: Row) -> list[tuple[int, str, str]]:
        found = find_matches(self._description(row))
        return [(m.organization.pk, str(m.organization), ", ".join(m.reasons)) for m in found]

    def default_target(self, row: Row) -> int | None:
        if row.existing_pk or not self.use_matcher:
            return row.existing_pk
        found = find_matches(self._description(row), limit=1, min_score=MATCH_UPDATE_SCORE)
        return found[0].organization.pk if found else None

    batch_matching = True

    def batch_matches(self, rows: list[Row]) -> dict[int, list[ScoredMatch]]:
        return organization_matches_many({row.number: self._description(row) for row in rows})

    def target_among(self, row: Row, scored: list[ScoredMatch]) -> int | None:
        if row.existing_pk or not self.use_matcher:
            return row.existing_pk
        # The best match, as find_matches(limit=1, min_score=MATCH_UPDATE_SCORE) gives it.
        return scored[0][0] if scored and scored[0][1] >= MATCH_UPDATE_SCORE else None

    def _fill(self, organization: Organization, values: dict[str, Any], *, update: bool) -> None:
        self._commune(values)
        for name in ORGANIZATION_FIELDS:
            value = values.get(name)
            if update and value in ("", None):
                continue  # an empty cell keeps what the register knows
            if name == "kind":
                organization.kind = value or self.default_kind
            elif name == "commune":
                organization.commune = value
            else:
                setattr(organization, name, value if value is not None else "")
        organization_locate(organization)

    def _new_values(self, values: dict[str, Any]) -> tuple:
        """The NEW_COLUMNS of a created organisation: what `_fill` (with `organization_locate`)
        and `organization_build_search_text` give a new instance, without building one."""
        get = values.get
        kind = get("kind") or self.default_kind
        place = self._place(get("commune_id"))
        postal_code = get("postal_code") or place[5]
        name, acronym, siren, siret, rna = (
            get("name") or "", get("acronym") or "", get("siren") or "", get("siret") or "",
            get("rna") or "",
        )  # fmt: skip
        public_email = get("public_email") or ""
        # The parts of organization_build_search_text for a new record (no pk: no merged
        # records, no affiliations; no IATI id from a file), in its order. `fold` of parts
        # joined by spaces is the parts' folds joined: the row's are folded by the preview
        # (kept with its rows), the commune's once a commune.
        head, folded_postal_code, folded_email = get("folded") or self._folded_parts(values)
        if not get("postal_code"):
            folded_postal_code = place[7]
        parts = (head, folded_postal_code, folded_email, place[6])
        search_text = " ".join([part for part in parts if part])
        return (
            name, acronym, get("legal_form") or "", siren, siret, rna,
            get("address_line1") or "", get("address_line2") or "", postal_code,
            public_email, get("phone") or "", get("website") or "", get("description") or "",
            kind.pk, *place[:5], search_text,
        )  # fmt: skip

    @staticmethod
    def _folded_parts(values: dict[str, Any]) -> tuple[str, str, str]:
        """The row's parts of its search text, folded: name to RNA, postal code, e-mail."""
        get = values.get
        head = (get("name"), get("acronym"), get("siren"), get("siret"), get("rna"))
        return (
            fold(" ".join([part for part in head if part])),
            _fold_word(get("postal_code") or ""),
            _fold_word(get("public_email") or ""),
        )

    def _place(self, commune_pk: int | None) -> tuple:
        """What `organization_locate` derives from a commune (its coordinates adapted for the
        database), its first postal code, its folded name and folded first postal code:
        computed once a commune."""
        if commune_pk is None:
            return (None, None, None, None, None, "", "", "")
        place = self.places.get(commune_pk)
        if place is None:
            if self.commune_rows is None:  # all at once, as plain values: no instances
                communes = Commune.objects.values_list(
                    "pk", "departement_id", "departement__region_id", "latitude", "longitude",
                    "postal_codes", "name",
                )  # fmt: skip
                self.commune_rows = {row[0]: row for row in communes}
            pk, departement_id, region_id, latitude, longitude, codes, name = self.commune_rows[
                commune_pk
            ]
            codes = codes.split()
            adapt = self.new_rows.adapt
            place = self.places[commune_pk] = (
                pk, departement_id, region_id, adapt("latitude", latitude),
                adapt("longitude", longitude), codes[0] if codes else "", fold(name),
                fold(codes[0]) if codes else "",
            )  # fmt: skip
        return place

    def write(self, batch: list[tuple[Row, int | None]]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        # Updates first: their targets then exist in the search index (rows created by an
        # earlier batch were indexed before this one, see run_rows).
        updates = [(row, target) for row, target in batch if target is not None]
        if updates:
            records = Organization.objects.select_related("commune__departement__region").in_bulk(
                [target for _row, target in updates]
            )
            changed = []
            for row, target in updates:
                organization = records.get(target)
                if organization is None:
                    outcomes.append(
                        Outcome(row.number, "skipped", None, row.values["name"],
                                _("The organisation to update no longer exists."))
                    )  # fmt: skip
                    continue
                self._fill(organization, row.values, update=True)
                changed.append(organization)
                outcomes.append(Outcome(row.number, "updated", target, organization.name))
            if changed:
                fields = [f for f in ORGANIZATION_FIELDS if f != "commune"] + [
                    "commune", "departement", "region", "latitude", "longitude",
                ]  # fmt: skip
                bulk_update_with_history(
                    changed,
                    Organization,
                    fields,
                    default_user=self.user,
                    default_change_reason="import",
                )
                organization_refresh_search_text(organization_ids=[o.pk for o in changed])
        creates = [row for row, target in batch if target is None]
        if creates:
            pks = self.new_rows.insert(
                [self._new_values(row.values) for row in creates], user=self.user, reason="import"
            )
            for row, pk in zip(creates, pks, strict=True):
                outcomes.append(Outcome(row.number, "created", pk, row.values["name"]))
        outcomes.sort(key=lambda o: o.number)
        return outcomes


class PersonImporter(Importer):
    kind = Kind.PEOPLE
    model = Person

    def prepare(self) -> None:  # noqa: B027 (an optional hook: most importers load nothing)
        self.organizations = OrganizationReferences()
        self.by_email = dict(PersonEmail.objects.values_list("address", "person_id").iterator(5000))
        self.touched: set[int] = set()

    def clean(self, number: int, raw: dict[str, str]) -> Row:
        errors: list[str] = []
        values: dict[str, Any] = {}
        row = Row(number=number, values=values, errors=errors)
        self.flag_formulas(raw, row)
        for key, label, length in (
            ("first_name", _lazy("The first name"), 100),
            ("last_name", _lazy("The last name"), 100),
        ):
            if not raw.get(key):
                errors.append(_("%(field)s is missing.") % {"field": label})
            values[key] = cleaning.text(raw.get(key, ""), length, label, errors)
        values["job_title"] = cleaning.text(
            raw.get("job_title", ""), 200, _lazy("The function"), errors
        )
        values["notes"] = cleaning.text(raw.get("notes", ""), 10000, _lazy("The notes"), errors)
        values["role"] = cleaning.text(raw.get("role", ""), 200, _lazy("The role"), errors)
        values["email"] = cleaning.email(raw.get("email", ""), errors)
        phone = raw.get("phone", "")
        values["phone"] = cleaning.identifier(phone, validate_phone, errors) and phone
        values["organization"] = None
        if any(raw.get(k) for k in ("organization", "organization_siret", "organization_rna")):
            values["organization"] = self.organizations.find(raw, errors)
        if not errors:
            if values["email"]:
                row.keys = [("email", values["email"])]
                row.existing_pk = self.by_email.get(values["email"])
            else:
                name = fold(f"{values['first_name']} {values['last_name']}")
                row.keys = [("person", name, values["organization"])]
        return row

    def label(self, values: dict[str, Any]) -> str:
        return f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()

    def matches(self, row: Row) -> list[tuple[int, str, str]]:
        if row.existing_pk:
            person = Person.objects.filter(pk=row.existing_pk).first()
            if person:
                return [(person.pk, str(person), _("same e-mail address"))]
        return []

    def write(self, batch: list[tuple[Row, int | None]]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        creates = [(row, Person()) for row, target in batch if target is None]
        for row, person in creates:
            values = row.values
            person.first_name, person.last_name = values["first_name"], values["last_name"]
            person.job_title, person.notes = values["job_title"], values["notes"]
            person.source = Source.IMPORT
            # The parts of person_build_search_text, in its order.
            parts = [person.first_name, person.last_name, person.job_title, values["email"]]
            person.search_text = fold(" ".join(p for p in parts if p))
        if creates:
            bulk_create_with_history(
                [p for _row, p in creates], Person, default_user=self.user,
                default_change_reason="import",
            )  # fmt: skip
        updates = [(row, target) for row, target in batch if target is not None]
        records = Person.objects.in_bulk([t for _r, t in updates]) if updates else {}
        people: list[tuple[Row, Person, str]] = [(r, p, "created") for r, p in creates]
        changed = []
        for row, target in updates:
            person = records.get(target)
            if person is None:
                outcomes.append(
                    Outcome(row.number, "skipped", None, self.label(row.values),
                            _("The person to update no longer exists."))
                )  # fmt: skip
                continue
            for name in ("first_name", "last_name", "job_title", "notes"):
                if row.values[name]:
                    setattr(person, name, row.values[name])
            changed.append(person)
            people.append((row, person, "updated"))
        if changed:
            bulk_update_with_history(
                changed, Person, ["first_name", "last_name", "job_title", "notes"],
                default_user=self.user, default_change_reason="import",
            )  # fmt: skip
        person_ids = [p.pk for _r, p, _a in people]
        emails = set(
            PersonEmail.objects.filter(person_id__in=person_ids).values_list("person_id", "address")
        )
        has_email = {pk for pk, _address in emails}
        phones = set(
            PersonPhone.objects.filter(person_id__in=person_ids).values_list("person_id", "number")
        )
        affiliations = set(
            Affiliation.objects.filter(person_id__in=person_ids).values_list(
                "person_id", "organization_id"
            )
        )
        new_emails, new_phones, new_affiliations = [], [], []
        for row, person, action in people:
            values = row.values
            if values["email"] and (person.pk, values["email"]) not in emails:
                new_emails.append(
                    PersonEmail(
                        person=person,
                        address=values["email"],
                        is_primary=person.pk not in has_email,
                    )
                )
                self.by_email[values["email"]] = person.pk
            if values["phone"] and (person.pk, values["phone"]) not in phones:
                new_phones.append(PersonPhone(person=person, number=values["phone"]))
            organization_id = values["organization"]
            if organization_id and (person.pk, organization_id) not in affiliations:
                new_affiliations.append(
                    Affiliation(person=person, organization_id=organization_id, role=values["role"])
                )
                self.touched.add(organization_id)
            outcomes.append(Outcome(row.number, action, person.pk, str(person)))
        for model, objects in (
            (PersonEmail, new_emails),
            (PersonPhone, new_phones),
            (Affiliation, new_affiliations),
        ):
            if objects:
                bulk_create_with_history(
                    objects, model, default_user=self.user, default_change_reason="import"
                )
        for _row, person, action in people:
            if action == "updated":
                text = person_build_search_text(person)
                if text != person.search_text:
                    Person.objects.filter(pk=person.pk).update(search_text=text)
        outcomes.sort(key=lambda o: o.number)
        return outcomes

    def finish(self) -> None:  # noqa: B027 (an optional hook)
        touched = sorted(self.touched)
        for start in range(0, len(touched), 2000):
            organization_refresh_search_text(organization_ids=touched[start : start + 2000])


class MembershipImporter(Importer):
    kind = Kind.MEMBERSHIPS
    model = Membership

    def prepare(self) -> None:  # noqa: B027 (an optional hook: most importers load nothing)
        self.organizations = OrganizationReferences()
        self.colleges = _vocabulary_index(College)
        self.college_by_pk = {college.pk: college for college in self.colleges.values()}
        self.default_college_of_kind = dict(
            OrganizationKind.objects.values_list("pk", "default_college_id")
        )
        self.existing = {
            (org, year): pk
            for pk, org, year in Membership.objects.values_list("pk", "organization_id", "year")
        }

    def clean(self, number: int, raw: dict[str, str]) -> Row:
        errors: list[str] = []
        values: dict[str, Any] = {}
        row = Row(number=number, values=values, errors=errors)
        self.flag_formulas(raw, row)
        values["organization"] = self.organizations.find(raw, errors)
        if not any(raw.get(k) for k in ("organization", "organization_siret", "organization_rna")):
            errors.append(_("The organisation is missing."))
        values["year"] = cleaning.year(raw.get("year", ""), errors)
        college = raw.get("college", "")
        values["college"] = None
        if college:
            values["college"] = self.colleges.get(fold(college))
            if values["college"] is None:
                errors.append(_("Unknown college: “%(value)s”.") % {"value": college})
        elif values["organization"]:
            kind_id = self.organizations.kind_of.get(values["organization"])
            college_id = self.default_college_of_kind.get(kind_id)
            values["college"] = self.college_by_pk.get(college_id)
            if values["college"] is None:
                errors.append(_("The college is missing and the kind gives none."))
        values["fee_amount"] = cleaning.amount(raw.get("fee_amount", ""), errors)
        values["paid_on"] = cleaning.date(raw.get("paid_on", ""), errors)
        if not errors:
            row.keys = [("membership", values["organization"], values["year"])]
            row.existing_pk = self.existing.get((values["organization"], values["year"]))
        return row

    def label(self, values: dict[str, Any]) -> str:
        name = self.organizations.names.get(values.get("organization"), "")
        return f"{name} — {values.get('year') or ''}"

    def matches(self, row: Row) -> list[tuple[int, str, str]]:
        if row.existing_pk:
            return [(row.existing_pk, self.label(row.values), _("same organisation and year"))]
        return []

    def write(self, batch: list[tuple[Row, int | None]]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        creates = []
        for row, target in batch:
            if target is None:
                values = row.values
                creates.append(
                    (
                        row,
                        Membership(
                            organization_id=values["organization"],
                            year=values["year"],
                            college=values["college"],
                            fee_amount=values["fee_amount"],
                            paid_on=values["paid_on"],
                        ),
                    )
                )
        if creates:
            bulk_create_with_history(
                [m for _r, m in creates], Membership, default_user=self.user,
                default_change_reason="import",
            )  # fmt: skip
            for row, membership in creates:
                self.existing[(membership.organization_id, membership.year)] = membership.pk
                outcomes.append(
                    Outcome(row.number, "created", membership.pk, self.label(row.values))
                )
        updates = [(row, target) for row, target in batch if target is not None]
        if updates:
            records = Membership.objects.in_bulk([t for _r, t in updates])
            changed = []
            for row, target in updates:
                membership = records.get(target)
                if membership is None:
                    outcomes.append(
                        Outcome(row.number, "skipped", None, self.label(row.values),
                                _("The membership to update no longer exists."))
                    )  # fmt: skip
                    continue
                for name in ("college", "fee_amount", "paid_on"):
                    if row.values[name] is not None:
                        setattr(membership, name, row.values[name])
                changed.append(membership)
                outcomes.append(Outcome(row.number, "updated", target, self.label(row.values)))
            bulk_update_with_history(
                changed, Membership, ["college", "fee_amount", "paid_on"],
                default_user=self.user, default_change_reason="import",
            )  # fmt: skip
        outcomes.sort(key=lambda o: o.number)
        return outcomes


IMPORTERS: dict[str, type[Importer]] = {
    Kind.ORGANIZATIONS: OrganizationImporter,
    Kind.PEOPLE: PersonImporter,
    Kind.MEMBERSHIPS: MembershipImporter,
}


def importer_for(kind: str, **options) -> Importer:
    importer = IMPORTERS[kind](**options)
    importer.prepare()
    return importer
