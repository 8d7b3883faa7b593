#!/usr/bin/env python
"""Build the deterministic national-scale dataset: N organisations, 3N people, N/4 projects...

    python bench/national.py -n 200000 [--seed 1901] [--database-url URL] [--rebuild]

Organisations, people with their affiliations, and memberships are written as CSV files into
bench/var/national-<N>-<seed>/ and loaded through the product's own import commands; projects,
events, registrations, support sessions and mailings go in with `bulk_create` on the product's
models; then the public index is rebuilt by the product's service. See bench/README.md.

Other scripts call `ensure()`: it builds the dataset in a child process when it is missing or
stale, so their own Django set-up is left alone.
"""

import argparse
import base64
import csv
import datetime
import fcntl
import hashlib
import importlib.util
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

# Bump when the generator changes: a stored dataset made by another version is rebuilt.
GENERATOR_VERSION = 1
DEFAULT_SEED = 1901
CHUNK = 5000

ORGANIZATION_HEADERS = [
    "Nom", "Sigle", "Type", "SIREN", "SIRET", "RNA", "Adresse", "Code postal", "Commune",
    "Code INSEE", "E-mail", "Site web", "Description",
]  # fmt: skip
# What the organisation importer does not read (staff qualify and describe organisations in the
# back office): applied after the import, by the organisation's e-mail.
LINK_HEADERS = ["E-mail", "Statut", "Thèmes", "ODD", "Actions", "Besoins", "Pays"]
PEOPLE_HEADERS = [
    "Prénom", "Nom", "Fonction", "E-mail", "SIRET structure", "RNA structure", "Structure",
    "Rôle",
]  # fmt: skip
MEMBERSHIP_HEADERS = ["SIRET structure", "RNA structure", "Structure", "Année", "Cotisation",
                      "Payée le"]  # fmt: skip

EVENT_KINDS = ["training", "meeting", "webinar", "working_group", "general_assembly",
               "public_event"]  # fmt: skip
EVENT_TOPICS = [
    "Monter un projet de solidarité internationale", "Les objectifs de développement durable",
    "Financer la coopération décentralisée", "Éducation à la citoyenneté mondiale",
    "Accueillir des volontaires", "Le dispositif JSI-VVVSI", "Eau et assainissement au Sahel",
    "Évaluer son projet", "Partenariats avec Madagascar", "Rencontre régionale des acteurs",
]  # fmt: skip
SUPPORT_SUBJECTS = [
    "Relecture d'un dossier de subvention", "Premier rendez-vous", "Budget prévisionnel",
    "Recherche de partenaires", "Cadre logique", "Rapport final", "Volontariat",
]  # fmt: skip


# Where things go ---------------------------------------------------------------------------


def dataset_path(organizations: int, seed: int = DEFAULT_SEED) -> Path:
    return BENCH_DIR / "var" / f"national-{organizations}-{seed}.sqlite3"


def files_dir(organizations: int, seed: int = DEFAULT_SEED) -> Path:
    return BENCH_DIR / "var" / f"national-{organizations}-{seed}"


def dataset_key(organizations: int, seed: int) -> str:
    return f"{organizations}:{seed}:{GENERATOR_VERSION}"


def check_database_url(database_url: str) -> None:
    if "bench" not in database_url.rsplit("/", 1)[-1].split("?")[0]:
        raise SystemExit("The database name must contain 'bench': the dataset replaces its data.")


def read_meta(organizations: int, seed: int, database_url: str | None) -> dict | None:
    """The stored dataset's record if it is this one (N, seed, generator), else None."""
    try:
        if database_url:
            import psycopg

            with psycopg.connect(database_url) as connection:
                rows = connection.execute("SELECT key, value FROM bench_meta").fetchall()
        else:
            path = dataset_path(organizations, seed)
            if not path.exists():
                return None
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
                rows = connection.execute("SELECT key, value FROM bench_meta").fetchall()
    except Exception:  # no database or no table yet: not built
        return None
    meta = dict(rows)
    if meta.get("dataset") != dataset_key(organizations, seed) or "summary" not in meta:
        return None
    summary = json.loads(meta["summary"])
    if database_url:
        summary["database_url"] = database_url
    else:  # where it is now, should the file have been moved with its folder
        summary["path"] = str(dataset_path(organizations, seed))
    return summary


def ensure(
    organizations: int,
    seed: int = DEFAULT_SEED,
    database_url: str | None = None,
    rebuild: bool = False,
) -> dict:
    """Build the dataset if missing or stale; returns {"counts", "seconds", "path"|"database_url"}.

    The build runs in a child process: the caller's Django (if any) stays on its own database.
    """
    if database_url:
        check_database_url(database_url)
    summary = None if rebuild else read_meta(organizations, seed, database_url)
    if summary is not None:
        return summary
    # Two comparisons started together must not build the same dataset twice at once.
    lock = BENCH_DIR / "var" / f"national-{organizations}-{seed}.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if not rebuild:
            summary = read_meta(organizations, seed, database_url)
        if summary is None:
            summary = _build_in_child(organizations, seed, database_url, rebuild)
    return summary


def _build_in_child(organizations: int, seed: int, database_url: str | None, rebuild: bool):
    command = [sys.executable, str(Path(__file__)), "-n", str(organizations), "--seed", str(seed)]
    if database_url:
        command += ["--database-url", database_url]
    if rebuild:
        command.append("--rebuild")
    subprocess.run(command, check=True, cwd=BASE_DIR)
    summary = read_meta(organizations, seed, database_url)
    if summary is None:
        raise RuntimeError("The national dataset was built but its record is missing.")
    return summary


# Django set-up -----------------------------------------------------------------------------


def configure(organizations: int, seed: int, database_url: str | None) -> Path | None:
    """Point Django at the dataset's database and set it up; returns the SQLite file."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"  # the settings refuse to start without a secret key otherwise
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    var = BENCH_DIR / "var"
    var.mkdir(exist_ok=True)
    os.environ["DATA_DIR"] = str(var)
    os.environ["MEDIA_ROOT"] = str(var / "media")
    path = None
    if database_url:
        check_database_url(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        path = dataset_path(organizations, seed)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import logging
    import warnings

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings

    settings.DEBUG = False  # queries are not to be kept in memory during the load
    return path


def reset_database(path: Path | None) -> None:
    """Start from an empty database of the current schema."""
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the public pages' cache lives in a table


# Generation: files for the importers -------------------------------------------------------


def _generator(organizations: int, seed: int):
    from bench.bench_register import Generator

    return Generator(organizations=organizations, seed=seed)


def _unique_identifiers(generator, kind, used: set[str]) -> dict[str, str]:
    # Random SIRENs and RNA numbers collide about once per 400,000 draws squared: the importer
    # would then take two organisations for one. Draw again.
    while True:
        values = generator.identifiers(kind)
        if not any(value in used for value in values.values()):
            used.update(values.values())
            return values


def write_files(organizations: int, seed: int, directory: Path) -> dict:
    """Write the importers' CSV files (deterministic for N and seed); returns their digests."""
    from bench.bench_register import FIRST_NAMES, FUNCTIONS, LAST_NAMES
    from observatoire.core.text import fold
    from observatoire.deduplication.matching import name_key

    directory.mkdir(parents=True, exist_ok=True)
    generator = _generator(organizations, seed)
    rng = generator.rng
    paths = {
        name: directory / f"{name}.csv"
        for name in ("organizations", "organization_links", "people", "memberships")
    }
    files = {name: path.open("w", encoding="utf-8", newline="") for name, path in paths.items()}
    writers = {name: csv.writer(file, delimiter=";") for name, file in files.items()}
    writers["organizations"].writerow(ORGANIZATION_HEADERS)
    writers["organization_links"].writerow(LINK_HEADERS)
    writers["people"].writerow(PEOPLE_HEADERS)
    writers["memberships"].writerow(MEMBERSHIP_HEADERS)
    used_names: set[str] = set()
    used_keys: set[tuple] = set()
    used_identifiers: set[str] = set()
    year = generator.year
    try:
        for index in range(organizations):
            # The importer takes the same name in the same commune for the same organisation,
            # and finds people's organisations by name when they have no SIRET or RNA: names
            # are drawn again until both are new.
            for _attempt in range(20):
                kind = rng.choices(generator.kinds, generator.kind_weights)[0]
                commune = rng.choice(generator.communes)
                name = generator.name(kind, commune)
                key = (name_key(name), commune.pk)
                if fold(name) not in used_names and key not in used_keys:
                    break
            else:
                name = f"{name} {index}"
                key = (name_key(name), commune.pk)
            used_names.add(fold(name))
            used_keys.add(key)
            identifiers = _unique_identifiers(generator, kind, used_identifiers)
            acronym = ""
            if rng.random() < 0.2:
                acronym = "".join(w[0] for w in name.split() if w[0].isupper())[:6]
            domain = f"org{index}.example.org"
            email = f"contact@{domain}"
            postal_code = (commune.postal_codes.split() or [""])[0]
            description = (
                f"{name} mène des projets de solidarité internationale depuis "
                f"{rng.randint(1980, 2024)} avec ses partenaires de "
                f"{rng.choice(['Ouagadougou', 'Antsirabe', 'Dakar', 'Kpalimé', 'Ségou'])}, "
                f"et sensibilise le public de {commune.name} aux objectifs de développement "
                f"durable."
            )
            writers["organizations"].writerow(
                [
                    name, acronym, kind.slug, identifiers.get("siren", ""),
                    identifiers.get("siret", ""), identifiers.get("rna", ""),
                    f"{rng.randint(1, 150)} rue de la République", postal_code, commune.name,
                    commune.insee_code, email, f"https://www.{domain}/", description,
                ]
            )  # fmt: skip
            status = rng.choices(["qualified", "pending", "draft", "archived"], [80, 10, 6, 4])[0]
            links = [
                rng.sample(generator.theme_ids, rng.randint(1, 3)),
                rng.sample(generator.sdg_ids, rng.randint(1, 4)),
                rng.sample(generator.action_ids, rng.randint(1, 2)),
                rng.sample(generator.need_ids, rng.randint(0, 2)),
                sorted(
                    set(
                        rng.choices(
                            generator.country_ids, generator.country_weights, k=rng.randint(1, 3)
                        )
                    )
                ),
            ]
            writers["organization_links"].writerow(
                [email, status, *(" ".join(map(str, ids)) for ids in links)]
            )
            reference = [identifiers.get("siret", ""), identifiers.get("rna", ""), name]
            if reference[0] or reference[1]:
                reference[2] = ""  # the identifier designates it: as partners' files do
            for _position in range(rng.choice([1, 2, 3, 3, 4, 5])):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                generator.email_serial += 1
                address = f"{fold(first).replace(' ', '-')}.{fold(last).replace(' ', '-')}"
                address = f"{address}.{generator.email_serial}@{domain}"
                function = rng.choice(FUNCTIONS)
                writers["people"].writerow([first, last, function, address, *reference, function])
            if status != "draft" and rng.random() < 0.33:
                for member_year in (year - 2, year - 1, year):
                    if rng.random() < 0.15:
                        continue
                    draw = rng.random()
                    paid_on = ""
                    if draw < 0.8:
                        paid_on = datetime.date(member_year, rng.randint(1, 10), rng.randint(1, 28))
                    elif draw < 0.88:
                        paid_on = datetime.date(member_year + 1, 1, rng.randint(2, 28))
                    if paid_on and paid_on > generator.today:
                        paid_on = ""
                    fee = rng.choice([30, 50, 100, 300, 1000])
                    writers["memberships"].writerow(
                        [*reference, member_year, fee, paid_on and paid_on.strftime("%d/%m/%Y")]
                    )
    finally:
        for file in files.values():
            file.close()
    return {name: file_digest(path) for name, path in paths.items()}


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# Loading ---------------------------------------------------------------------------------


def run_import(command: str, path: Path) -> str:
    """One of the product's import commands, in-process, all or nothing."""
    from django.core.management import call_command

    output = io.StringIO()
    call_command(command, str(path), stdout=output, stderr=io.StringIO(), verbosity=0)
    return output.getvalue().strip()


def apply_links(path: Path) -> int:
    """Status, themes, SDGs, kinds of action, needs and countries of the imported organisations."""
    from django.db import connection, transaction

    from observatoire.organizations.models import Organization

    pk_of = dict(
        Organization.objects.filter(public_email__endswith=".example.org").values_list(
            "public_email", "pk"
        )
    )
    fields = [
        ("themes", "theme_id"),
        ("sdgs", "sdg_id"),
        ("action_kinds", "actionkind_id"),
        ("needs", "need_id"),
        ("countries", "country_id"),
    ]
    by_status: dict[str, list[int]] = {}
    rows: dict[str, list] = {name: [] for name, _column in fields}

    def flush() -> None:
        # Plain INSERTs: a few rows an organisation, where bulk_create's objects cost most.
        with connection.cursor() as cursor:
            for name, column in fields:
                table = getattr(Organization, name).through._meta.db_table
                cursor.executemany(
                    f"INSERT INTO {table} (organization_id, {column}) VALUES (%s, %s)", rows[name]
                )
                rows[name].clear()

    count = 0
    with transaction.atomic(), path.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file, delimiter=";")
        next(reader)
        for email, status, *lists in reader:
            pk = pk_of[email]
            count += 1
            by_status.setdefault(status, []).append(pk)
            for (name, _column), values in zip(fields, lists, strict=True):
                rows[name] += [(pk, int(value)) for value in values.split()]
            if count % CHUNK == 0:
                flush()
        flush()
        for status, ids in by_status.items():
            for start in range(0, len(ids), 2000):
                Organization.objects.filter(pk__in=ids[start : start + 2000]).update(status=status)
    return count


def load_people_bulk(path: Path) -> str:
    """people.csv with `bulk_create`, as bench_register.py does (the importer is too slow for
    600,000 people, see bench/README.md): people, e-mails, affiliations (the first person of
    an organisation its main contact), then the organisations' search texts with their contacts,
    built from the same parts in the same order as `organization_build_search_text`."""
    from django.db import connection, transaction

    from observatoire.core.text import fold
    from observatoire.organizations.models import (
        Affiliation,
        Organization,
        Person,
        PersonEmail,
        Source,
    )

    organizations = {
        row[8]: row
        for row in Organization.objects.filter(public_email__endswith=".example.org").values_list(
            "pk", "name", "acronym", "siren", "siret", "rna", "iati_id", "postal_code",
            "public_email", "commune__name",
        )
    }  # fmt: skip
    contacts: dict[int, list[tuple[bool, str, str]]] = {}
    count = 0

    def flush(rows: list[tuple]) -> None:
        people = [
            Person(
                first_name=first, last_name=last, job_title=function, source=Source.IMPORT,
                search_text=fold(f"{first} {last} {function} {email}"),
            )
            for first, last, function, email, _org, _role, _main in rows
        ]  # fmt: skip
        Person.objects.bulk_create(people)
        PersonEmail.objects.bulk_create(
            PersonEmail(person=person, address=row[3], is_primary=True)
            for person, row in zip(people, rows, strict=True)
        )
        Affiliation.objects.bulk_create(
            Affiliation(person=person, organization_id=row[4], role=row[5], is_main_contact=row[6])
            for person, row in zip(people, rows, strict=True)
        )

    with transaction.atomic(), path.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file, delimiter=";")
        next(reader)
        rows: list[tuple] = []
        for first, last, function, email, _siret, _rna, _name, role in reader:
            organization = organizations["contact@" + email.rsplit("@", 1)[1]]
            known = contacts.setdefault(organization[0], [])
            main = not known
            known.append((main, first, last))
            rows.append((first, last, function, email, organization[0], role, main))
            count += 1
            if len(rows) >= CHUNK:
                flush(rows)
                rows = []
        flush(rows)
        texts = []
        for row in organizations.values():
            people = sorted(contacts.get(row[0], []), key=lambda c: (not c[0], c[2]))
            parts = [*row[1:], *(f"{first} {last}" for _main, first, last in people)]
            texts.append((fold(" ".join(p for p in parts if p)), row[0]))
        table = Organization._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET search_text = %s WHERE id = %s", texts)
    return f"{count} people, e-mails and affiliations"


def mark_main_contacts() -> int:
    """The first person imported for each organisation is its main contact."""
    from django.db import connection, transaction

    from observatoire.organizations.models import Affiliation, Organization
    from observatoire.organizations.services import organization_refresh_search_text

    with transaction.atomic():
        with connection.cursor() as cursor:
            table = Affiliation._meta.db_table
            cursor.execute(
                f"UPDATE {table} SET is_main_contact = %s WHERE id IN "
                f"(SELECT MIN(id) FROM {table} GROUP BY organization_id)",
                [True],
            )
            marked = cursor.rowcount
        # The search text lists the main contact first (organization_build_search_text).
        ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 2000):
            organization_refresh_search_text(organization_ids=ids[start : start + 2000])
    return marked


def add_consents(rng: random.Random, year: int) -> int:
    from django.db import transaction
    from django.utils import timezone

    from observatoire.organizations.models import Consent, Person

    wording = {
        "directory": "J'accepte de figurer dans l'annuaire des acteurs.",
        "newsletter": "Je souhaite recevoir la lettre d'information du réseau.",
        "mailings": "J'accepte de recevoir les informations du réseau par courriel.",
    }
    count = 0
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            batch = []
            for pk in ids[start : start + CHUNK]:
                for purpose, share in (("directory", 0.7), ("newsletter", 0.5), ("mailings", 0.6)):
                    if rng.random() < share:
                        given = datetime.datetime(
                            year, rng.randint(1, 12), rng.randint(1, 28), 10, tzinfo=datetime.UTC
                        )
                        batch.append(
                            Consent(
                                person_id=pk, purpose=purpose, granted=rng.random() < 0.95,
                                given_at=min(given, timezone.now()),
                                source=rng.choice(["form", "event", "import"]),
                                wording=wording[purpose],
                            )
                        )  # fmt: skip
            Consent.objects.bulk_create(batch)
            count += len(batch)
    return count


def add_projects(organizations: int, seed: int) -> int:
    from bench.bench_portal import generate_projects
    from observatoire.projects.models import Project

    generate_projects(SimpleNamespace(seed=seed, projects=max(1, organizations // 4)))
    return Project.objects.count()


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def _people_with_affiliation() -> list[tuple[int, int, str, str, str, str]]:
    """(person, organisation, e-mail, first name, last name, organisation name), by person."""
    from observatoire.organizations.models import Affiliation

    return list(
        Affiliation.objects.filter(person__emails__is_primary=True)
        .order_by("person_id", "organization_id")
        .values_list(
            "person_id",
            "organization_id",
            "person__emails__address",
            "person__first_name",
            "person__last_name",
            "organization__name",
        )
    )


def add_events(rng: random.Random, count: int, year: int, people: list[tuple]) -> dict:
    """Events over the year, one sitting each, and a few registrations of register people."""
    from django.db import transaction

    from observatoire.events.models import Event, Registration, Sitting
    from observatoire.events.spans import refresh_event_spans
    from observatoire.referentials.models import Commune

    communes = list(Commune.objects.order_by("pk").values_list("pk", flat=True))
    start_of_year = datetime.date(year, 1, 1)
    registrations = 0
    with transaction.atomic():
        for start in range(0, count, CHUNK):
            events, days = [], []
            for number in range(start, min(start + CHUNK, count)):
                kind = rng.choice(EVENT_KINDS)
                day = start_of_year + datetime.timedelta(days=rng.randrange(365))
                title = f"{rng.choice(EVENT_TOPICS)} — {day.strftime('%d/%m/%Y')}"
                online = kind == "webinar"
                events.append(
                    Event(
                        title=title, slug=f"evenement-{number + 1}", kind=kind,
                        status=rng.choices(["published", "draft", "cancelled"], [90, 6, 4])[0],
                        summary=f"{title}, pour les acteurs de la solidarité internationale.",
                        description="Une rencontre pour partager les pratiques du réseau.",
                        commune_id=None if online else rng.choice(communes),
                        venue="" if online else "Maison des associations",
                        online_url="https://visio.example.org/salle" if online else "",
                        registration_rule=rng.choices(["open", "members", "invitation"],
                                                      [80, 15, 5])[0],
                        capacity=rng.choice([None, 20, 30, 50, 100]),
                        registration_deadline=_aware(day, 8),
                    )
                )  # fmt: skip
                days.append(day)
            Event.objects.bulk_create(events)
            Sitting.objects.bulk_create(
                Sitting(event=event, starts_at=_aware(day, 9), ends_at=_aware(day, 12))
                for event, day in zip(events, days, strict=True)
            )
            refresh_event_spans([event.pk for event in events])  # bulk_create sends no signal
            batch = []
            for event, day in zip(events, days, strict=True):
                for person, organization, email, _first, _last, org_name in rng.sample(
                    people, min(len(people), rng.randint(1, 9))
                ):
                    registered = _aware(day - datetime.timedelta(days=rng.randint(1, 40)), 14)
                    status = rng.choices(["confirmed", "waiting", "cancelled"], [85, 5, 10])[0]
                    batch.append(
                        Registration(
                            event=event, person_id=person, organization_id=organization,
                            organization_name=org_name, email=email or "", status=status,
                            source="form", registered_at=registered,
                            confirmed_at=registered if status == "confirmed" else None,
                            cancelled_at=registered if status == "cancelled" else None,
                            token=uuid.UUID(int=rng.getrandbits(128), version=4),
                        )
                    )  # fmt: skip
            Registration.objects.bulk_create(batch)
            registrations += len(batch)
    return {"events": count, "registrations": registrations}


def add_support_sessions(rng: random.Random, count: int, year: int, people: list[tuple]) -> int:
    from django.db import transaction

    from observatoire.referentials.models import Theme
    from observatoire.support.models import SupportSession

    themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    start_of_year = datetime.date(year, 1, 1)
    with transaction.atomic():
        for start in range(0, count, CHUNK):
            sessions, links = [], []
            for _number in range(start, min(start + CHUNK, count)):
                person, organization, *_rest = rng.choice(people)
                subject = rng.choice(SUPPORT_SUBJECTS)
                sessions.append(
                    SupportSession(
                        organization_id=organization,
                        occurred_on=start_of_year + datetime.timedelta(days=rng.randrange(365)),
                        duration_minutes=rng.choice([30, 45, 60, 90, 120]),
                        mode=rng.choice(["in_person", "phone", "video"]),
                        subject=subject,
                        summary=f"{subject} : points revus ensemble et suites à donner.",
                    )
                )
                links.append((person, rng.sample(themes, rng.randint(1, 2))))
            SupportSession.objects.bulk_create(sessions)
            people_through = SupportSession.people.through
            themes_through = SupportSession.themes.through
            people_through.objects.bulk_create(
                people_through(supportsession_id=s.pk, person_id=p)
                for s, (p, _t) in zip(sessions, links, strict=True)
            )
            themes_through.objects.bulk_create(
                themes_through(supportsession_id=s.pk, theme_id=t)
                for s, (_p, ts) in zip(sessions, links, strict=True)
                for t in ts
            )
    return count


def add_mailings(rng: random.Random, year: int, people: list[tuple], per_campaign: int) -> dict:
    """A few sent campaigns of the year, each delivered to a sample of the register's people."""
    from django.db import transaction

    from observatoire.campaigns.models import Campaign, Delivery

    reachable = [row for row in people if row[2]]
    deliveries = 0
    with transaction.atomic():
        for month in (1, 3, 5, 7, 9, 11):
            sent = _aware(datetime.date(year, month, 15), 9)
            subject = f"Les nouvelles du réseau — {sent.strftime('%m/%Y')}"
            campaign = Campaign.objects.create(
                name=subject, subject=subject, slug=f"nouvelles-{year}-{month:02d}",
                body_html=f"<p>{subject}</p>", body_text=subject, status="sent",
                started_at=sent, finished_at=sent, materialized_at=sent,
            )  # fmt: skip
            chosen = rng.sample(reachable, min(len(reachable), per_campaign))
            chosen.sort()
            for start in range(0, len(chosen), CHUNK):
                batch = []
                for person, _org, email, first, last, org_name in chosen[start : start + CHUNK]:
                    opened = rng.random() < 0.35
                    token = base64.urlsafe_b64encode(rng.getrandbits(144).to_bytes(18, "big"))
                    batch.append(
                        Delivery(
                            campaign=campaign, address=email, person_id=person,
                            first_name=first, last_name=last, organization_name=org_name,
                            token=token.decode(), status="sent", attempts=1, sent_at=sent,
                            opened_at=sent + datetime.timedelta(hours=3) if opened else None,
                            open_count=1 if opened else 0,
                        )
                    )  # fmt: skip
                Delivery.objects.bulk_create(batch)
                deliveries += len(batch)
    return {"campaigns": 6, "deliveries": deliveries}


def rebuild_public_index() -> tuple[int, int]:
    from observatoire.portal.index import index_rebuild

    return index_rebuild()


def check_consistency(sample: int = 200) -> dict:
    """The search texts of a sample, compared with what the product's services compute."""
    from bench.bench_register import check_search_text

    return {"search_text_mismatches": check_search_text(sample)}


def counts() -> dict:
    from bench.bench_register import dataset_counts
    from observatoire.campaigns.models import Campaign, Delivery
    from observatoire.events.models import Event, Registration
    from observatoire.organizations.models import Consent, Organization
    from observatoire.portal.models import OrganizationEntry, ProjectEntry
    from observatoire.projects.models import Project, ProjectPartner, ProjectPlace
    from observatoire.support.models import SupportSession

    return dataset_counts() | {
        "qualified_organizations": Organization.objects.filter(status="qualified").count(),
        "consents": Consent.objects.count(),
        "projects": Project.objects.count(),
        "published_projects": Project.objects.filter(is_published=True).count(),
        "project_places": ProjectPlace.objects.count(),
        "project_partners": ProjectPartner.objects.count(),
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "support_sessions": SupportSession.objects.count(),
        "campaigns": Campaign.objects.count(),
        "deliveries": Delivery.objects.count(),
        "directory_entries": OrganizationEntry.objects.count(),
        "project_entries": ProjectEntry.objects.count(),
    }


def write_meta(organizations: int, seed: int, summary: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_meta")
        cursor.execute("CREATE TABLE bench_meta (key varchar(50) PRIMARY KEY, value text)")
        for key, value in (
            ("dataset", dataset_key(organizations, seed)),
            ("summary", json.dumps(summary, ensure_ascii=False)),
        ):
            cursor.execute("INSERT INTO bench_meta (key, value) VALUES (%s, %s)", [key, value])


def build(
    organizations: int,
    seed: int,
    directory: Path,
    *,
    people_importer: bool = False,
    verbose: bool = True,
) -> dict:
    """Generate and load the dataset into the configured (empty, migrated) database."""
    from django.db import connection
    from django.utils import timezone

    steps: dict[str, float] = {}
    cpu_steps: dict[str, float] = {}
    results: dict[str, object] = {}
    started = time.perf_counter()

    def step(label: str, function, *arguments):
        begun, cpu = time.perf_counter(), time.process_time()
        result = function(*arguments)
        steps[label] = round(time.perf_counter() - begun, 1)
        # This process's CPU time too: on a shared machine the wall time says more of the load.
        cpu_steps[label] = round(time.process_time() - cpu, 1)
        results[label] = result
        if verbose:
            shown = result if not isinstance(result, dict) or len(str(result)) < 160 else "..."
            print(
                f"  {label:<22} {steps[label]:8.1f} s ({cpu_steps[label]:7.1f} s CPU)  {shown}",
                flush=True,
            )
        return result

    rng = random.Random(seed + 1)  # after the files: the loaded rows' draws, apart
    year = timezone.localdate().year - 1  # a whole calendar year of activity
    digests = step("files", write_files, organizations, seed, directory)
    step(
        "import organizations", run_import, "import_organizations", directory / "organizations.csv"
    )
    step("organization links", apply_links, directory / "organization_links.csv")
    if people_importer:
        step("import people", run_import, "import_people", directory / "people.csv")
        step("main contacts", mark_main_contacts)
    else:
        step("people (bulk)", load_people_bulk, directory / "people.csv")
    step("import memberships", run_import, "import_memberships", directory / "memberships.csv")
    step("consents", add_consents, rng, year)
    step("projects", add_projects, organizations, seed)
    people = _people_with_affiliation()
    step("events", add_events, rng, max(1, organizations // 10), year, people)
    step("support sessions", add_support_sessions, rng, max(1, organizations // 20), year, people)
    step("mailings", add_mailings, rng, year, people, max(1, organizations // 4))
    step("public index", rebuild_public_index)
    # Statistics of the finished data on both databases: an ANALYZE run halfway (the projects'
    # generator has one) left SQLite believing every organisation had the same slug.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    check = step("consistency check", check_consistency)
    total = round(time.perf_counter() - started, 1)
    summary = {
        "organizations": organizations,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "activity_year": year,
        "counts": counts(),
        "seconds": total,
        "steps": steps,
        "cpu_seconds": round(sum(cpu_steps.values()), 1),
        "cpu_steps": cpu_steps,
        "file_digests": digests,
        "consistency": check,
        "vendor": connection.vendor,
        "people_loaded_by": "import_people" if people_importer else "bulk_create",
    }
    return summary


def write_rna_files(rows: int, seed: int = DEFAULT_SEED) -> dict[str, str]:
    """The associations-register CSV in both encodings, by part C's bench/national_rna.py
    (its `ensure` writes a file once and reuses it); {encoding: path}."""
    if importlib.util.find_spec("bench.national_rna") is None:
        raise SystemExit("bench/national_rna.py is not on this branch: no --rna-rows.")
    from bench import national_rna

    return {
        encoding: str(national_rna.ensure(rows, seed, encoding)) for encoding in ("utf-8", "cp1252")
    }


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--database-url",
        help="load into this database instead (its name must contain 'bench': its data is "
        "replaced). Default: bench/var/national-<N>-<seed>.sqlite3",
    )
    parser.add_argument("--rebuild", action="store_true", help="build even if the stored fits")
    parser.add_argument(
        "--people-importer",
        action="store_true",
        help="load people through the product's people importer too (about 500 rows/s: half "
        "an hour at N=200,000) rather than bench_register's bulk path",
    )
    parser.add_argument(
        "--rna-rows",
        type=int,
        help="also write the associations-register CSV of this many rows, UTF-8 and "
        "Windows-1252 (needs bench/national_rna.py)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.rna_rows:
        for encoding, path in write_rna_files(args.rna_rows, args.seed).items():
            print(f"Associations register, {encoding}: {path}")
    if not args.rebuild:
        summary = read_meta(args.organizations, args.seed, args.database_url)
        if summary is not None:
            print(f"The dataset is built already (in {summary['seconds']} s): {summary['counts']}")
            return summary
    path = configure(args.organizations, args.seed, args.database_url)
    print(f"Building the national dataset: N={args.organizations}, seed {args.seed}")
    print(f"  into {path or args.database_url}")
    reset_database(path)
    summary = build(
        args.organizations,
        args.seed,
        files_dir(args.organizations, args.seed),
        people_importer=args.people_importer,
    )
    if summary["consistency"]["search_text_mismatches"]:
        raise SystemExit("The search texts differ from the services': see the check above.")
    summary["path" if path else "database_url"] = str(path) if path else args.database_url
    write_meta(args.organizations, args.seed, summary)
    print(f"Done in {summary['seconds']} s: {json.dumps(summary['counts'])}")
    return summary


if __name__ == "__main__":
    main()
