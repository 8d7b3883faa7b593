"""The default vocabularies every network starts with; staff then edit them in the back office.

Other apps refer to these slugs: keep them stable.
"""

from django.db import migrations

# (slug, French name, English name); the position follows the list order.
THEMES = [
    (
        "agriculture",
        "Agriculture, souveraineté alimentaire et développement rural",
        "Agriculture, food sovereignty and rural development",
    ),
    ("water-sanitation", "Eau, assainissement et hygiène", "Water, sanitation and hygiene"),
    ("health", "Santé", "Health"),
    ("education", "Éducation et formation", "Education and training"),
    (
        "vocational-training",
        "Formation professionnelle et formation des adultes",
        "Adult and vocational training",
    ),
    ("energy", "Énergie", "Energy"),
    (
        "environment",
        "Environnement, climat et biodiversité",
        "Environment, climate and biodiversity",
    ),
    ("waste", "Déchets", "Waste"),
    (
        "economic-development",
        "Développement économique, économie sociale et solidaire, commerce équitable et "
        "microfinance",
        "Economic development, social economy, fair trade and microfinance",
    ),
    ("urban-development", "Développement urbain et habitat", "Urban development and housing"),
    ("culture", "Culture, patrimoine et francophonie", "Culture, heritage and francophonie"),
    ("gender-equality", "Égalité femmes-hommes", "Gender equality"),
    (
        "human-rights",
        "Droits humains, démocratie et gouvernance",
        "Human rights, democracy and governance",
    ),
    (
        "institutional-support",
        "Appui institutionnel et décentralisation",
        "Institutional support and decentralisation",
    ),
    ("migration", "Migrations et diasporas", "Migration and diasporas"),
    ("youth-mobility", "Jeunesse, mobilité et volontariat", "Youth, mobility and volunteering"),
    (
        "global-citizenship-education",
        "Éducation à la citoyenneté et à la solidarité internationale (ECSI)",
        "Global citizenship education (ECSI)",
    ),
    ("humanitarian-aid", "Urgence et aide humanitaire", "Emergency and humanitarian aid"),
]

ACTION_KINDS = [
    ("development-projects", "Projets de développement", "Development projects"),
    (
        "global-citizenship-education",
        "Éducation à la citoyenneté et à la solidarité internationale (ECSI)",
        "Global citizenship education (ECSI)",
    ),
    (
        "volunteering-mobility",
        "Volontariat et mobilité internationale",
        "Volunteering and international mobility",
    ),
    ("advocacy", "Plaidoyer", "Advocacy"),
    ("emergency-aid", "Aide d'urgence", "Emergency aid"),
    (
        "capacity-building",
        "Renforcement de capacités et formation",
        "Capacity building and training",
    ),
]

NEEDS = [
    ("training", "Formation", "Training"),
    ("individual-support", "Accompagnement individuel", "Individual support"),
    ("funding", "Recherche de financements", "Funding"),
    ("partners", "Recherche de partenaires", "Partners"),
    ("volunteers", "Recherche de bénévoles", "Volunteers"),
    ("communication", "Communication et visibilité", "Communication and visibility"),
]

COLLEGES = [
    ("associations", "Associations, ONG et fondations", "Associations, NGOs and foundations"),
    ("local-authorities", "Collectivités territoriales", "Local authorities"),
    ("education", "Universités et organismes de formation", "Universities and training bodies"),
    ("economic", "Acteurs économiques", "Economic actors"),
    ("other-actors", "Autres acteurs", "Other actors"),
]

# family → the college its members join by default
FAMILY_COLLEGES = {
    "association": "associations",
    "local_authority": "local-authorities",
    "education": "education",
    "economic": "economic",
    "other": "other-actors",
}

# (slug, French name, English name, family, local authority level)
ORGANIZATION_KINDS = [
    ("association", "Association", "Association", "association", ""),
    ("ngo", "ONG", "NGO", "association", ""),
    (
        "foundation",
        "Fondation / fonds de dotation",
        "Foundation or endowment fund",
        "association",
        "",
    ),
    (
        "diaspora-association",
        "Association de migrants (diaspora)",
        "Migrants' (diaspora) association",
        "association",
        "",
    ),
    ("commune", "Commune", "Municipality", "local_authority", "commune"),
    ("epci", "Intercommunalité (EPCI)", "Inter-municipal body (EPCI)", "local_authority", "epci"),
    ("departement", "Département", "Département", "local_authority", "departement"),
    ("region", "Région", "Region", "local_authority", "region"),
    (
        "syndicate",
        "Syndicat (eau, déchets, énergie)",
        "Syndicate (water, waste, energy)",
        "local_authority",
        "syndicate",
    ),
    (
        "twinning-committee",
        "Comité de jumelage",
        "Twinning committee",
        "local_authority",
        "twinning_committee",
    ),
    ("university", "Université / grande école", "University or grande école", "education", ""),
    (
        "school",
        "Établissement d'enseignement secondaire",
        "Secondary school",
        "education",
        "",
    ),
    ("training-body", "Organisme de formation", "Training body", "education", ""),
    ("company", "Entreprise", "Company", "economic", ""),
    (
        "social-economy",
        "Structure de l'économie sociale et solidaire",
        "Social and solidarity economy organisation",
        "economic",
        "",
    ),
    (
        "chamber",
        "Chambre consulaire",
        "Chamber of commerce, trades or agriculture",
        "economic",
        "",
    ),
    ("public-agency", "Établissement public / agence", "Public body or agency", "other", ""),
    (
        "youth-information",
        "Centre d'information jeunesse",
        "Youth information centre",
        "other",
        "",
    ),
    ("network", "Collectif / réseau", "Collective or network", "other", ""),
    ("other", "Autre", "Other", "other", ""),
]

SIMPLE_VOCABULARIES = {
    "Theme": THEMES,
    "ActionKind": ACTION_KINDS,
    "Need": NEEDS,
    "College": COLLEGES,
}


def position(index):
    # Steps of ten leave room for staff to insert entries between the shipped ones.
    return (index + 1) * 10


def load_vocabularies(apps, schema_editor):
    db = schema_editor.connection.alias
    for model_name, entries in SIMPLE_VOCABULARIES.items():
        model = apps.get_model("referentials", model_name)
        model.objects.using(db).bulk_create(
            model(slug=slug, name_fr=name_fr, name_en=name_en, position=position(index))
            for index, (slug, name_fr, name_en) in enumerate(entries)
        )
    College = apps.get_model("referentials", "College")
    OrganizationKind = apps.get_model("referentials", "OrganizationKind")
    college_ids = dict(College.objects.using(db).values_list("slug", "pk"))
    OrganizationKind.objects.using(db).bulk_create(
        OrganizationKind(
            slug=slug,
            name_fr=name_fr,
            name_en=name_en,
            family=family,
            authority_level=authority_level,
            default_college_id=college_ids[FAMILY_COLLEGES[family]],
            position=position(index),
        )
        for index, (slug, name_fr, name_en, family, authority_level) in enumerate(
            ORGANIZATION_KINDS
        )
    )


def unload_vocabularies(apps, schema_editor):
    db = schema_editor.connection.alias
    OrganizationKind = apps.get_model("referentials", "OrganizationKind")
    OrganizationKind.objects.using(db).filter(
        slug__in=[entry[0] for entry in ORGANIZATION_KINDS]
    ).delete()
    for model_name, entries in SIMPLE_VOCABULARIES.items():
        model = apps.get_model("referentials", model_name)
        model.objects.using(db).filter(slug__in=[entry[0] for entry in entries]).delete()


class Migration(migrations.Migration):
    dependencies = [("referentials", "0003_load_countries_and_sdgs")]

    operations = [migrations.RunPython(load_vocabularies, unload_vocabularies)]
