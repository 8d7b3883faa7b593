"""Demo groups: four country groups and two thematic groups with members from the demo register.

Called by `load_demo_network` after the register exists (see organizations.demo.load_app_demos).
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.organizations.models import Affiliation, Organization
from observatoire.referentials.models import Country, Theme

from .models import Group, GroupMember

# (slug, name, kind, countries, theme slugs, published, summary, description)
GROUPS = [
    (
        "senegal",
        "Groupe pays Sénégal",
        Group.Kind.COUNTRY,
        ["SN"],
        [],
        True,
        "Les acteurs de la région engagés au Sénégal : jumelages, projets de santé, "
        "d'agriculture et de jeunesse.",
        "Le groupe réunit trois à quatre fois par an les associations, collectivités et "
        "établissements qui agissent au Sénégal, de Saint-Louis à Ziguinchor.\n\n"
        "Chaque rencontre fait le point sur la situation du pays avec les partenaires "
        "sénégalais (souvent en ligne depuis Dakar), présente les projets en cours et prépare "
        "les missions croisées.",
    ),
    (
        "burkina-faso",
        "Groupe pays Burkina Faso",
        Group.Kind.COUNTRY,
        ["BF"],
        [],
        True,
        "Continuer à coopérer avec le Burkina Faso malgré la crise sécuritaire.",
        "Le groupe aide ses membres à adapter leurs projets au contexte : suivi à distance, "
        "appui aux partenaires locaux, échanges avec les services de l'ambassade et les "
        "autres réseaux régionaux.",
    ),
    (
        "madagascar",
        "Groupe pays Madagascar",
        Group.Kind.COUNTRY,
        ["MG"],
        [],
        True,
        "Éducation, santé et accès à l'eau dans les régions de Madagascar.",
        "Le groupe rassemble les associations de solidarité, les comités de jumelage et les "
        "collectivités en coopération avec des communes malgaches.",
    ),
    (
        "maroc",
        "Groupe pays Maroc",
        Group.Kind.COUNTRY,
        ["MA"],
        [],
        False,
        "Coopérations décentralisées et projets associatifs au Maroc.",
        "Groupe en cours de relance après la coopération Niort–Oujda : sa page sera publiée à "
        "la prochaine rencontre.",
    ),
    (
        "eau-assainissement",
        "Groupe thématique Eau et assainissement",
        Group.Kind.THEMATIC,
        ["SN", "BF", "MG", "ML"],
        ["water-sanitation"],
        True,
        "Mobiliser le « 1 % eau » et partager les pratiques des projets d'eau potable et "
        "d'assainissement.",
        "Collectivités, syndicats des eaux, agences de l'eau et associations y échangent sur "
        "le financement (loi Oudin-Santini), le montage et le suivi des projets.",
    ),
    (
        "ecsi",
        "Groupe thématique Éducation à la citoyenneté mondiale",
        Group.Kind.THEMATIC,
        [],
        ["global-citizenship-education"],
        True,
        "Les acteurs de l'ECSI : Festival des solidarités, interventions en milieu scolaire, "
        "outils pédagogiques.",
        "Le groupe prépare chaque année le Festival des solidarités en Nouvelle-Aquitaine et "
        "mutualise les outils d'animation.",
    ),
]


def _organizations_for(countries: list[str], themes: list[str]):
    queryset = Organization.objects.qualified()
    condition = Q()
    if countries:
        condition |= Q(countries__iso2__in=countries)
    if themes:
        condition |= Q(themes__slug__in=themes)
    return list(queryset.filter(condition).distinct().order_by("pk"))


def load_demo(*, seed: int) -> None:
    """Create the demo groups and their members; does nothing if groups exist."""
    if Group.objects.exists():
        return
    rng = random.Random(seed + 101)
    today = timezone.localdate()
    staff = list(get_user_model().objects.filter(role=Role.STAFF).order_by("pk"))
    fallback = list(Organization.objects.qualified().order_by("pk"))
    for index, (slug, name, kind, countries, themes, published, summary, text) in enumerate(GROUPS):
        group = Group.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            summary=summary,
            description=text,
            is_published=published,
            lead=staff[index % len(staff)] if staff else None,
        )
        group.countries.set(Country.objects.filter(iso2__in=countries))
        group.themes.set(Theme.objects.filter(slug__in=themes))
        candidates = _organizations_for(countries, themes) or fallback
        chosen = rng.sample(candidates, k=min(len(candidates), rng.randint(9, 16)))
        members = []
        for organization in chosen:
            joined = today - datetime.timedelta(days=rng.randint(60, 6 * 365))
            left = None
            if rng.random() < 0.1:
                left = joined + datetime.timedelta(days=rng.randint(30, 400))
                left = min(left, today - datetime.timedelta(days=1))
                if left < joined:
                    left = None
            members.append(
                GroupMember(
                    group=group,
                    organization=organization,
                    status=GroupMember.Status.OBSERVER
                    if rng.random() < 0.2
                    else GroupMember.Status.ACTIVE,
                    joined_on=joined,
                    left_on=left,
                )
            )
        # A few people take part in their own name, for their organisation.
        affiliations = list(
            Affiliation.objects.current()
            .filter(organization__in=chosen)
            .select_related("person")
            .order_by("pk")[:40]
        )
        for affiliation in rng.sample(affiliations, k=min(3, len(affiliations))):
            members.append(
                GroupMember(
                    group=group,
                    organization=affiliation.organization,
                    person=affiliation.person,
                    status=GroupMember.Status.ACTIVE,
                    joined_on=today - datetime.timedelta(days=rng.randint(30, 900)),
                )
            )
        GroupMember.objects.bulk_create(members)
