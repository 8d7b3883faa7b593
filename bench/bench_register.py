#!/usr/bin/env python
"""Benchmark the register's back-office search on a large generated database.

    python bench/bench_register.py --organizations 200000 [--database-url postgres://...]

The script sets Django up itself, on a database of its own (bench/var/ for SQLite; for another
vendor, a database whose name contains "bench"), never the development database. It generates N
organisations and 3N people deterministically, reuses them on later runs with the same N and seed,
then times the search as the back office runs it and writes bench/results/<date>-register.json.
See bench/README.md.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BASE_DIR))

from bench.common import machine, percentile  # noqa: E402

# Bump when the generator changes: a stored database made by another version is rebuilt.
GENERATOR_VERSION = 1
TARGET_P95_MS = 100.0
CHUNK = 5000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument(
        "--database-url",
        help="another database to run against, e.g. postgres://user@host/observatoire_bench "
        "(its name must contain 'bench': the register's tables are emptied when N or the seed "
        "change). Default: a SQLite file in bench/var/.",
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per selector query")
    parser.add_argument(
        "--page-repeat", type=int, default=10, help="timed runs per changelist page"
    )
    parser.add_argument("--rebuild", action="store_true", help="regenerate even if reusable")
    parser.add_argument(
        "--skip-pages", action="store_true", help="time the selector only, not the admin pages"
    )
    return parser.parse_args(argv)


def configure_environment(args: argparse.Namespace) -> Path | None:
    """Point Django at the bench database before it is imported; returns the SQLite file."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"  # settings refuse to start without a real secret key otherwise
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    sys.path.insert(0, str(BASE_DIR))
    if args.database_url:
        if "bench" not in args.database_url.rsplit("/", 1)[-1]:
            sys.exit("The database name must contain 'bench': this script empties its tables.")
        os.environ["DATABASE_URL"] = args.database_url
        return None
    var = BENCH_DIR / "var"
    var.mkdir(exist_ok=True)
    path = var / f"register-{args.organizations}-{args.seed}.sqlite3"
    os.environ["DATA_DIR"] = str(var)
    os.environ["MEDIA_ROOT"] = str(var / "media")
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return path


# Generation ------------------------------------------------------------------------------------

PREFIXES = [
    "Association", "Solidarité", "Amitié", "Les Amis de", "Collectif", "Entraide", "Partage",
    "Échanges", "Horizons", "Passerelles", "Coopération", "Comité de soutien",
]  # fmt: skip
THEME_WORDS = [
    "Eau", "Santé", "Éducation", "Agriculture", "Énergie", "Culture", "Jeunesse", "Femmes",
    "Enfance", "Écoles", "Puits", "Forêts", "Artisans", "Médecins", "Ingénieurs", "Vélos",
]  # fmt: skip
FOREIGN_TOWNS = [
    "Ouagadougou", "Koudougou", "Bobo-Dioulasso", "Ouahigouya", "Antsirabe", "Antananarivo",
    "Fianarantsoa", "Dakar", "Saint-Louis", "Ziguinchor", "Oujda", "Tafraout", "Essaouira",
    "Atakpamé", "Kpalimé", "Sokodé", "Bamako", "Kayes", "Ségou", "Cotonou", "Abomey", "Parakou",
    "Yaoundé", "Dschang", "Jacmel", "Les Cayes", "Hué", "Niamey", "Zinder", "Bouaké", "Kindia",
    "Sfax", "Kairouan",
]  # fmt: skip
COUNTRY_WORDS = [
    "Burkina", "Madagascar", "Sénégal", "Maroc", "Togo", "Mali", "Bénin", "Cameroun", "Haïti",
    "Vietnam", "Niger", "Côte d'Ivoire", "Guinée", "Tunisie", "Palestine", "Pérou",
]  # fmt: skip
FIRST_NAMES = """Agnès Aïcha Alice Amélie Aminata Anne Awa Béatrice Camille Catherine Céline
Chantal Charlotte Chloé Claire Delphine Élise Emma Fatou Florence Hélène Inès Isabelle Julie
Karima Laure Léa Leïla Lucie Manon Marie Martine Mathilde Nadia Nathalie Pauline Sandrine Sophie
Sylvie Zoé Abdoulaye Adrien Alain Antoine Arnaud Benoît Bernard Bruno Christophe David Didier
Éric Étienne François Gilles Guillaume Hervé Hugo Ibrahim Jacques Jean Julien Karim Laurent Louis
Luc Mamadou Marc Michel Moussa Nicolas Olivier Ousmane Pascal Paul Philippe Pierre Romain Serge
Thierry Vincent Yves""".split()
LAST_NAMES = """Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon
Laurent Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier
Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry
Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin
Masson Nguyen Boyer Denis Lemaire Duval Joly Roche Meyer Meunier Marchand Dufour Blanchard
Barbier Brun Dumas Brunet Leroux Colin Renard Caron Giraud Vidal Picard Lacroix Rivière Labat
Etcheverry Lasserre Traoré Diallo Ouédraogo Sawadogo Koné Diop Ndiaye Sow Camara Kaboré
Rakotomalala Randrianarisoa Benali Idrissi Mensah Akakpo Houngbo Fotso Kamga Tran Pham""".split()
FUNCTIONS = [
    "Président", "Présidente", "Trésorier", "Trésorière", "Secrétaire", "Chargée de projets",
    "Chargé de mission coopération décentralisée", "Élue aux relations internationales",
    "Directeur", "Coordinatrice", "Bénévole",
]  # fmt: skip
KIND_WEIGHTS = {
    "association": 45, "ngo": 6, "foundation": 3, "diaspora-association": 8, "commune": 12,
    "epci": 3, "departement": 0.3, "region": 0.05, "syndicate": 2, "twinning-committee": 5,
    "university": 1, "school": 3, "training-body": 2, "company": 3, "social-economy": 2,
    "chamber": 0.5, "public-agency": 1, "youth-information": 1, "network": 1, "other": 2,
}  # fmt: skip


def luhn_complete(base: str) -> str:
    from observatoire.core.validators import luhn_is_valid

    for digit in "0123456789":
        if luhn_is_valid(base + digit):
            return base + digit
    raise AssertionError("unreachable")


class Generator:
    """Deterministic data: the same seed and N give the same rows, chunk after chunk."""

    def __init__(self, *, organizations: int, seed: int):
        from django.utils import timezone

        from observatoire.referentials.models import (
            SDG,
            ActionKind,
            Commune,
            Country,
            Need,
            OrganizationKind,
            Theme,
        )

        self.total = organizations
        self.rng = random.Random(seed)
        self.communes = list(
            Commune.objects.select_related("departement__region").order_by("insee_code")
        )
        self.kinds = list(OrganizationKind.objects.order_by("slug"))
        self.kind_weights = [KIND_WEIGHTS.get(k.slug, 1) for k in self.kinds]
        self.theme_ids = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
        self.sdg_ids = list(SDG.objects.order_by("pk").values_list("pk", flat=True))
        self.action_ids = list(ActionKind.objects.order_by("pk").values_list("pk", flat=True))
        self.need_ids = list(Need.objects.order_by("pk").values_list("pk", flat=True))
        countries = list(Country.objects.order_by("iso2").values_list("pk", "iso2"))
        favoured = {"BF", "MG", "SN", "MA", "TG", "ML", "BJ", "CM", "HT", "VN"}
        self.country_ids = [pk for pk, _iso in countries]
        self.country_weights = [25 if iso in favoured else 1 for _pk, iso in countries]
        self.today = timezone.localdate()
        self.year = self.today.year
        self.colleges = {k.pk: k.default_college_id for k in self.kinds}
        self.email_serial = 0

    def name(self, kind, commune) -> str:
        rng = self.rng
        departement = commune.departement.name
        if kind.family == "local_authority":
            return {
                "commune": f"Ville de {commune.name}",
                "epci": f"Communauté de communes {commune.name}",
                "departement": f"Département {departement}",
                "region": f"Région {commune.departement.region.name}",
                "syndicate": f"SIAEP de {commune.name}",
            }.get(kind.slug, f"Comité de jumelage {commune.name}–{rng.choice(FOREIGN_TOWNS)}")
        if kind.family == "education":
            return rng.choice(
                [
                    f"Lycée professionnel de {commune.name}",
                    f"Collège Jean Moulin de {commune.name}",
                    f"Institut de formation de {departement}",
                    f"Université de {commune.name}",
                ]
            )
        if kind.family == "economic":
            return rng.choice(
                [
                    f"SARL {rng.choice(THEME_WORDS)} {commune.name}",
                    f"Scop {rng.choice(THEME_WORDS)} Solidaire",
                    f"{rng.choice(LAST_NAMES)} et Associés",
                    f"Chambre d'agriculture {departement}",
                ]
            )
        if kind.family == "other":
            return rng.choice(
                [
                    f"Centre social de {commune.name}",
                    f"Bureau Information Jeunesse de {commune.name}",
                    f"Maison de l'Europe {departement}",
                ]
            )
        pattern = rng.randrange(5)
        if pattern == 0:
            return f"{rng.choice(PREFIXES)} {commune.name}–{rng.choice(COUNTRY_WORDS)}"
        if pattern == 1:
            return f"{rng.choice(PREFIXES)} {rng.choice(FOREIGN_TOWNS)}"
        if pattern == 2:
            return f"{rng.choice(THEME_WORDS)} Sans Frontières {departement}"
        if pattern == 3:
            return f"Association {rng.choice(THEME_WORDS)} {commune.name}"
        return f"{rng.choice(PREFIXES)} {departement}–{rng.choice(COUNTRY_WORDS)}"

    def identifiers(self, kind) -> dict[str, str]:
        rng = self.rng
        values = {}
        if kind.family == "association" and rng.random() < 0.7:
            values["rna"] = f"W{rng.randint(10, 95)}{rng.randint(1, 3)}{rng.randint(0, 999999):06d}"
        if kind.family != "association" or rng.random() < 0.3:
            values["siren"] = luhn_complete(f"{rng.randint(10000000, 99999999)}")
            if rng.random() < 0.6:
                values["siret"] = luhn_complete(f"{values['siren']}{rng.randint(1, 99):04d}")
        return values

    def chunk(self, start: int, size: int) -> None:
        """Generate and insert organisations start..start+size with their people and links."""
        from observatoire.core.text import fold
        from observatoire.organizations.models import (
            Affiliation,
            Membership,
            Organization,
            Person,
            PersonEmail,
        )

        rng = self.rng
        organizations, people_per_org = [], []
        for index in range(start, start + size):
            kind = rng.choices(self.kinds, self.kind_weights)[0]
            commune = rng.choice(self.communes)
            name = self.name(kind, commune)
            domain = f"org{index}.example.org"
            organization = Organization(
                name=name,
                acronym="".join(w[0] for w in name.split() if w[0].isupper())[:6]
                if rng.random() < 0.2
                else "",
                kind=kind,
                description=(
                    f"{name} mène des projets de solidarité internationale depuis "
                    f"{rng.randint(1980, 2024)} avec ses partenaires de "
                    f"{rng.choice(FOREIGN_TOWNS)}, et sensibilise le public de {commune.name} "
                    f"aux objectifs de développement durable."
                ),
                website=f"https://www.{domain}/",
                public_email=f"contact@{domain}",
                address_line1=f"{rng.randint(1, 150)} rue de la République",
                commune=commune,
                status=rng.choices(["qualified", "pending", "draft", "archived"], [80, 10, 6, 4])[
                    0
                ],
                source=rng.choice(["form", "import", "staff"]),
                **self.identifiers(kind),
            )
            # What organization_locate derives from the commune.
            organization.departement = commune.departement
            organization.region = commune.departement.region
            organization.latitude = commune.latitude
            organization.longitude = commune.longitude
            organization.postal_code = (commune.postal_codes.split() or [""])[0]
            people = []
            for position in range(rng.choice([1, 2, 3, 3, 4, 5])):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                self.email_serial += 1
                email = f"{fold(first).replace(' ', '-')}.{fold(last).replace(' ', '-')}"
                email = f"{email}.{self.email_serial}@{domain}"
                people.append((first, last, rng.choice(FUNCTIONS), email, position == 0))
            organizations.append(organization)
            people_per_org.append(people)
        # Three people per organisation on average, as the brief asks for N and 3N.
        for organization, people in zip(organizations, people_per_org, strict=True):
            # Same parts, same order as services.organization_build_search_text: affiliations
            # come main contact first, then by last name (Affiliation.Meta.ordering).
            contacts = sorted(people, key=lambda p: (not p[4], p[1]))
            parts = [
                organization.name,
                organization.acronym,
                organization.siren,
                organization.siret,
                organization.rna,
                organization.iati_id,
                organization.postal_code,
                organization.public_email,
                organization.commune.name,
                *[f"{first} {last}" for first, last, _f, _e, _m in contacts],
            ]
            organization.search_text = fold(" ".join(p for p in parts if p))
        Organization.objects.bulk_create(organizations)
        persons, emails, affiliations = [], [], []
        for organization, people in zip(organizations, people_per_org, strict=True):
            for first, last, function, email, main in people:
                person = Person(
                    first_name=first,
                    last_name=last,
                    job_title=function,
                    # Same parts as services.person_build_search_text (one e-mail each here).
                    search_text=fold(f"{first} {last} {function} {email}"),
                )
                persons.append(person)
                emails.append((person, email))
                affiliations.append((person, organization, function, main))
        Person.objects.bulk_create(persons)
        PersonEmail.objects.bulk_create(
            PersonEmail(person=person, address=email, is_primary=True) for person, email in emails
        )
        Affiliation.objects.bulk_create(
            Affiliation(person=p, organization=o, role=f, is_main_contact=m)
            for p, o, f, m in affiliations
        )
        through = {
            "themes": (Organization.themes.through, "theme_id", self.theme_ids, (1, 3)),
            "sdgs": (Organization.sdgs.through, "sdg_id", self.sdg_ids, (1, 4)),
            "action_kinds": (
                Organization.action_kinds.through,
                "actionkind_id",
                self.action_ids,
                (1, 2),
            ),
            "needs": (Organization.needs.through, "need_id", self.need_ids, (0, 2)),
        }
        for _field, (model, column, ids, (low, high)) in through.items():
            rows = []
            for organization in organizations:
                for value in rng.sample(ids, rng.randint(low, high)):
                    rows.append(model(organization_id=organization.pk, **{column: value}))
            model.objects.bulk_create(rows)
        country_rows = []
        for organization in organizations:
            chosen = set(rng.choices(self.country_ids, self.country_weights, k=rng.randint(1, 3)))
            country_rows += [
                Organization.countries.through(organization_id=organization.pk, country_id=c)
                for c in sorted(chosen)
            ]
        Organization.countries.through.objects.bulk_create(country_rows)
        memberships = []
        for organization in organizations:
            if organization.status == "draft" or rng.random() > 0.3:
                continue
            for year in (self.year - 2, self.year - 1, self.year):
                if rng.random() < 0.15:
                    continue
                draw = rng.random()
                paid_on = None
                if draw < 0.8:
                    paid_on = datetime.date(year, rng.randint(1, 10), rng.randint(1, 28))
                elif draw < 0.88:
                    paid_on = datetime.date(year + 1, 1, rng.randint(2, 28))
                if paid_on and paid_on > self.today:
                    paid_on = None
                memberships.append(
                    Membership(
                        organization=organization,
                        year=year,
                        college_id=self.colleges[organization.kind_id],
                        fee_amount=rng.choice([30, 50, 100, 300, 1000]),
                        paid_on=paid_on,
                    )
                )
        Membership.objects.bulk_create(memberships)


def database_is_ready(args) -> bool:
    from django.db import connection

    if "bench_meta" not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM bench_meta WHERE key = 'dataset'")
        row = cursor.fetchone()
    return bool(row) and row[0] == f"{args.organizations}:{args.seed}:{GENERATOR_VERSION}"


def empty_register() -> None:
    """Remove what an earlier run generated (another N or seed) before generating again."""
    from django.db import connection

    from observatoire.organizations.models import (
        Affiliation,
        Membership,
        Organization,
        Person,
        PersonEmail,
    )

    for model in (Membership, Affiliation, PersonEmail, Person):
        model.objects.all()._raw_delete(connection.alias)
    for field in ("themes", "sdgs", "action_kinds", "countries", "needs"):
        through = getattr(Organization, field).through
        through.objects.all()._raw_delete(connection.alias)
    Organization.objects.all()._raw_delete(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_meta")


def generate(args) -> dict:
    from django.db import connection, transaction

    empty_register()
    generator = Generator(organizations=args.organizations, seed=args.seed)
    started = time.perf_counter()
    for start in range(0, args.organizations, CHUNK):
        with transaction.atomic():
            generator.chunk(start, min(CHUNK, args.organizations - start))
        done = min(start + CHUNK, args.organizations)
        elapsed = time.perf_counter() - started
        print(f"\r  generated {done:>8} / {args.organizations} ({elapsed:5.0f} s)", end="")
    print()
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            # Autovacuum would gather statistics soon after such a load; SQLite's product setup
            # never runs ANALYZE, so it is measured without (it did not change the plans).
            cursor.execute("ANALYZE")
        cursor.execute("CREATE TABLE bench_meta (key varchar(50) PRIMARY KEY, value text)")
        cursor.execute(
            "INSERT INTO bench_meta (key, value) VALUES (%s, %s)",
            ["dataset", f"{args.organizations}:{args.seed}:{GENERATOR_VERSION}"],
        )
        cursor.execute(
            "INSERT INTO bench_meta (key, value) VALUES (%s, %s)",
            ["generation_seconds", f"{time.perf_counter() - started:.1f}"],
        )
    return {"generation_seconds": round(time.perf_counter() - started, 1)}


def check_search_text(sample: int = 200) -> int:
    """Compare the generated search text with what the product's services compute."""
    from django.db.models import Prefetch

    from observatoire.organizations.models import Affiliation, Organization, Person
    from observatoire.organizations.services import (
        organization_build_search_text,
        person_build_search_text,
    )

    rng = random.Random(7)
    last = Organization.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = [rng.randint(1, last) for _ in range(sample)]
    mismatches = 0
    queryset = (
        Organization.objects.filter(pk__in=ids)
        .select_related("commune")
        .prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("person"))
        )
    )
    for organization in queryset:
        if organization_build_search_text(organization) != organization.search_text:
            mismatches += 1
    for person in Person.objects.filter(pk__in=ids).prefetch_related("emails"):
        if person_build_search_text(person) != person.search_text:
            mismatches += 1
    return mismatches


# Measurement -----------------------------------------------------------------------------------


def search_terms() -> dict[str, list[str]]:
    from observatoire.organizations.models import Organization

    def pick(field: str) -> str:
        queryset = Organization.objects.exclude(**{field: ""}).order_by("pk")
        count = queryset.count()
        return getattr(queryset[count // 2], field) if count else "000000000"

    return {
        "rare": ["tafraout", "kairouan", "dschang"],
        "common": ["association", "solidarite", "eau"],
        "two words": ["solidarite madagascar", "amis ouagadougou", "ville bordeaux"],
        "identifier": [pick("siren"), pick("siret"), pick("rna"), "86000"],
        "contact": ["ouedraogo", "rakotomalala"],
        "no match": ["xylophone"],
        # Under three characters the trigram index cannot help: LIKE on every row.
        "short word": ["33", "ville de"],
    }


def filter_sets() -> dict[str, dict[str, str]]:
    from observatoire.referentials.models import Departement, Theme

    gironde = str(Departement.objects.get(code="33").pk)
    water = str(Theme.objects.get(slug="water-sanitation").pk)
    return {
        "no filter": {},
        "1 filter": {"departement": gironde},
        "2 filters": {"departement": gironde, "theme": water},
    }


def admin_changelist_sql(params: dict[str, str]) -> dict[str, str]:
    """The count and page SQL of OrganizationAdmin's changelist for these GET parameters."""
    from django.contrib import admin
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from observatoire.organizations.models import Organization

    model_admin = admin.site._registry[Organization]
    request = RequestFactory().get("/gestion/organizations/organization/", params)
    request.user = STAFF_USER
    with CaptureQueriesContext(connection) as context:
        changelist = model_admin.get_changelist_instance(request)
        list(changelist.result_list)
    found = {}
    table = '"organizations_organization"'
    for query in context.captured_queries:
        sql = query["sql"]
        if sql.startswith(f'SELECT COUNT(*) AS "__count" FROM {table}'):
            found.setdefault("count", sql)
        elif sql.startswith(f"SELECT {table}.") and "count" in found:
            # The rows shown: with 50 hits or fewer the admin drops the LIMIT.
            found.setdefault("page", sql)
    return found


STAFF_USER = None


def timed(function, repeat: int) -> list[float]:
    function()  # warm-up, not counted
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summarise(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "max_ms": round(max(times), 2),
        "runs": len(times),
    }


def explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(str(row[-1]) for row in rows)
    return "\n".join(row[0] for row in rows)


def request_breakdown(url: str, params: dict[str, str], repeat: int = 5) -> list[dict]:
    """Every query one changelist GET runs, each re-run alone and timed: which one is slow."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(STAFF_USER)
    with CaptureQueriesContext(connection) as context:
        client.get(url, params)
    rows = []
    for query in context.captured_queries:
        sql = query["sql"]
        if sql.startswith(("SAVEPOINT", "RELEASE", "UPDATE", "INSERT", "DELETE")):
            continue

        def run(sql=sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)
                cursor.fetchall()

        times = timed(run, repeat)
        rows.append({"sql": sql[:600], "p50_ms": round(statistics.median(times), 2)})
    rows.sort(key=lambda row: row["p50_ms"], reverse=True)
    return rows


def measure_selector(args, terms, filters) -> list[dict]:
    from observatoire.organizations.models import Organization
    from observatoire.organizations.selectors import organization_filter

    results = []
    for family, family_terms in terms.items():
        for term in family_terms:
            for filter_name, filter_params in filters.items():
                params = {"q": term, **filter_params}
                queryset = organization_filter(Organization.objects.all(), params)
                page_qs = queryset.select_related("kind", "commune", "departement").order_by(
                    "name", "-pk"
                )

                def page(page_qs=page_qs):
                    return list(page_qs[:50])

                def count(queryset=queryset):
                    return queryset.count()

                hits = count()
                page_times = timed(page, args.repeat)
                count_times = timed(count, args.repeat)
                both = [p + c for p, c in zip(page_times, count_times, strict=True)]
                results.append(
                    {
                        "family": family,
                        "term": term,
                        "filters": filter_name,
                        "hits": hits,
                        "page": summarise(page_times),
                        "count": summarise(count_times),
                        "page_and_count": summarise(both),
                    }
                )
                print(
                    f"  {family:<11} {term[:24]:<24} {filter_name:<10} hits={hits:<7} "
                    f"page+count p50={statistics.median(both):7.1f} ms "
                    f"p95={percentile(both, 0.95):7.1f} ms"
                )
    return results


def measure_pages(args, terms, filters) -> list[dict]:
    from django.test import Client

    from observatoire.organizations.models import Person

    client = Client()
    client.force_login(STAFF_USER)
    results = []
    organization_url = "/gestion/organizations/organization/"
    person_url = "/gestion/organizations/person/"
    cases = []
    for family in ("rare", "common", "two words", "identifier", "short word"):
        for filter_name in ("no filter", "2 filters"):
            cases.append(("organizations", family, terms[family][0], filter_name))
    cases.append(("organizations", "no search", "", "no filter"))
    person = Person.objects.order_by("pk")[Person.objects.count() // 2]
    for family, term in [
        ("contact", "ouedraogo"),
        ("common", "martin"),
        ("two words", f"{person.first_name} {person.last_name}"),
        ("e-mail", person.emails.first().address.split("@")[0]),
        ("no match", "xylophone"),
        ("no search", ""),
    ]:
        cases.append(("people", family, term, "no filter"))
    for target, family, term, filter_name in cases:
        params = {"q": term} if term else {}
        if target == "organizations":
            params.update(filters[filter_name])
        url = organization_url if target == "organizations" else person_url

        def get(url=url, params=params):
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
            return response

        times = timed(get, args.page_repeat)
        results.append(
            {"page": target, "family": family, "term": term, "filters": filter_name}
            | summarise(times)
        )
        print(
            f"  {target:<13} {family:<11} {term[:24]:<24} {filter_name:<10} "
            f"p50={statistics.median(times):7.1f} ms p95={percentile(times, 0.95):7.1f} ms"
        )
    return results


def dataset_counts() -> dict:
    from observatoire.organizations.models import (
        Affiliation,
        Membership,
        Organization,
        Person,
        PersonEmail,
    )

    return {
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "emails": PersonEmail.objects.count(),
        "affiliations": Affiliation.objects.count(),
        "memberships": Membership.objects.count(),
        "organization_themes": Organization.themes.through.objects.count(),
        "organization_countries": Organization.countries.through.objects.count(),
    }


def family_summary(selector_results: list[dict]) -> dict:
    summary = {}
    for result in selector_results:
        key = f"{result['family']} / {result['filters']}"
        summary.setdefault(key, []).append(result["page_and_count"]["p95_ms"])
    return {key: round(max(values), 2) for key, values in summary.items()}


def write_results(record: dict) -> Path:
    results = BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    from django.utils import timezone

    path = results / f"{timezone.localdate().isoformat()}-register.json"
    runs = []
    if path.exists():
        runs = json.loads(path.read_text()).get("runs", [])
    key = (record["machine"]["database_vendor"], record["organizations"], record["seed"])
    runs = [
        run
        for run in runs
        if (run["machine"]["database_vendor"], run["organizations"], run["seed"]) != key
    ]
    runs.append(record)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2) + "\n")
    temporary.replace(path)
    return path


def main(argv=None) -> None:
    global STAFF_USER
    args = parse_args(argv)
    sqlite_path = configure_environment(args)

    import logging
    import warnings

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    dev_database = BASE_DIR / "var" / "observatoire.sqlite3"
    name = str(settings.DATABASES["default"]["NAME"])
    if sqlite_path and Path(name).resolve() == dev_database.resolve():
        sys.exit("Refusing to run on the development database.")
    # Queries are not to be recorded while timing: DEBUG stays on only for the settings' sake.
    settings.DEBUG = False

    print(f"Database: {connection.vendor} {name}")
    call_command("migrate", verbosity=0)
    generation = {}
    if args.rebuild or not database_is_ready(args):
        if sqlite_path:
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
            call_command("migrate", verbosity=0)
        print(f"Generating {args.organizations} organisations and their people (seed {args.seed})")
        generation = generate(args)
        print(f"  done in {generation['generation_seconds']} s")
    else:
        print("Reusing the generated database (same N, seed and generator).")
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM bench_meta WHERE key = 'generation_seconds'")
            row = cursor.fetchone()
        generation = {"generation_seconds": float(row[0]) if row else None, "reused": True}

    mismatches = check_search_text()
    print(f"search_text identical to the services' on a sample: {mismatches} mismatch(es)")
    if mismatches:
        sys.exit("The generated search text drifted from the product's: fix the generator.")

    User = get_user_model()
    STAFF_USER = User.objects.filter(email="bench-staff@bench.test").first()
    if STAFF_USER is None:
        STAFF_USER = User.objects.create_user(
            email="bench-staff@bench.test", password=None, full_name="Bench", role="staff"
        )

    terms = search_terms()
    filters = filter_sets()
    print(f"\n(a) Selector, as the admin evaluates it: page of 50 + count, {args.repeat} runs")
    selector_results = measure_selector(args, terms, filters)
    page_results = []
    if not args.skip_pages:
        print(f"\n(b) Admin changelist pages through the test client, {args.page_repeat} runs")
        page_results = measure_pages(args, terms, filters)

    plans = {}
    for family in ("common", "identifier", "short word"):
        term = terms[family][0]
        for filter_name in ("no filter", "2 filters"):
            sqls = admin_changelist_sql({"q": term, **filters[filter_name]})
            for label, sql in sqls.items():
                plans[f"{family} {term!r} / {filter_name} / {label}"] = {
                    "sql": sql,
                    "plan": explain(sql),
                }
    breakdown = {}
    if not args.skip_pages:
        for label, url, params in [
            (
                "organizations ?q=association",
                "/gestion/organizations/organization/",
                {"q": "association"},
            ),
            ("people ?q=martin", "/gestion/organizations/person/", {"q": "martin"}),
        ]:
            breakdown[label] = request_breakdown(url, params)

    summary = family_summary(selector_results)
    print("\nWorst p95 (page + count) per family and filters, target", TARGET_P95_MS, "ms:")
    for key, value in summary.items():
        flag = "" if value <= TARGET_P95_MS else "   <-- over target"
        print(f"  {key:<32} {value:8.1f} ms{flag}")
    record = {
        "date": datetime.datetime.now(datetime.UTC).astimezone().isoformat(timespec="seconds"),
        "organizations": args.organizations,
        "seed": args.seed,
        "repeat": args.repeat,
        "page_repeat": args.page_repeat,
        "machine": machine(),
        "dataset": dataset_counts() | generation,
        "target_p95_ms": TARGET_P95_MS,
        "selector": selector_results,
        "pages": page_results,
        "worst_p95_by_family": summary,
        "query_plans": plans,
        "changelist_queries": breakdown,
    }
    path = write_results(record)
    print(f"\nQuery plans (admin changelist queryset), also in {path.relative_to(BASE_DIR)}:")
    for key, plan in plans.items():
        print(f"--- {key}\n{plan['plan']}")
    for label, rows in breakdown.items():
        print(f"\nSlowest queries of one GET {label} (each re-run alone, p50):")
        for row in rows[:6]:
            print(f"  {row['p50_ms']:8.1f} ms  {row['sql'][:150]}")


if __name__ == "__main__":
    main()
