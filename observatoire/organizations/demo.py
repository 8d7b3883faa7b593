"""The demo network: a regional network of Nouvelle-Aquitaine that makes a fresh install look alive.

Public bodies keep their real names; everything else is made up. People, e-mail addresses (on
example.org and example.com), phones and identifiers (random numbers with valid check digits) are
synthetic. The same seed and the same day give the same network, and records go through the
register's services so that département, coordinates, search text and history are right.
"""

import datetime
import importlib
import importlib.util
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from observatoire.accounts.models import Role
from observatoire.core.text import fold
from observatoire.core.validators import luhn_is_valid
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    Commune,
    Country,
    Departement,
    Need,
    OrganizationKind,
    Theme,
)

from . import privacy
from .models import (
    Affiliation,
    BoardSeat,
    Consent,
    Interaction,
    InterventionPlace,
    Membership,
    Organization,
    OrganizationRelation,
    Person,
    PersonPhone,
    SavedSearch,
    Source,
)
from .services import (
    consent_record,
    organization_archive,
    organization_refresh_search_text,
    organization_save,
    person_add_email,
    person_archive,
    person_save,
)

SEED = 1901  # the year of the law on associations

# One password for every demo account: the demo is for trying the product, never for real data.
DEMO_PASSWORD = "solidarite-aquitaine"
DEMO_LOGIN_DOMAIN = "demo.observatoire.test"
EDITED_ORGANIZATION = "Association Eau Vive Charente"
# The local authority whose international officer has a demo login.
OFFICER_AUTHORITY = "Ville de Châtellerault"


@dataclass(frozen=True)
class DemoUser:
    role: str
    email: str
    full_name: str


DEMO_USERS = [
    DemoUser(Role.ADMINISTRATOR, f"admin@{DEMO_LOGIN_DOMAIN}", "Hélène Garnier"),
    DemoUser(Role.STAFF, f"chargee.mission@{DEMO_LOGIN_DOMAIN}", "Camille Roux"),
    DemoUser(Role.STAFF, f"coordination@{DEMO_LOGIN_DOMAIN}", "Thomas Delmas"),
    DemoUser(Role.OBSERVATORY, f"observatoire@{DEMO_LOGIN_DOMAIN}", "Inès Fabre"),
    DemoUser(Role.ORGANIZATION_EDITOR, f"editeur@{DEMO_LOGIN_DOMAIN}", "Paul Girard"),
    # The international officer of a city in decentralised cooperation since 2005.
    DemoUser(Role.ORGANIZATION_EDITOR, f"international@{DEMO_LOGIN_DOMAIN}", "Nadia Benali"),
]

# The twelve départements of Nouvelle-Aquitaine and how many organisations each holds: more in
# Gironde, Vienne and Deux-Sèvres, as in a real network's map of members.
DEPARTEMENT_TARGETS = {
    "33": 40,
    "86": 22,
    "79": 17,
    "16": 10,
    "64": 10,
    "17": 9,
    "87": 8,
    "19": 7,
    "47": 5,
    "24": 5,
    "40": 4,
    "23": 4,
}

# Communes (INSEE codes) where organisations sit; the first is the préfecture.
TOWNS = {
    "16": ["16015", "16102", "16374", "16028", "16167", "16292", "16106", "16291"],
    "17": ["17300", "17299", "17415", "17306", "17197", "17028", "17434", "17347"],
    "19": ["19272", "19031", "19275", "19010", "19123", "19073", "19153"],
    "23": ["23096", "23008", "23176", "23079", "23193", "23030"],
    "24": ["24322", "24037", "24520", "24352", "24311", "24547"],
    "33": [
        "33063", "33063", "33063", "33318", "33281", "33522", "33039", "33243", "33119",
        "33249", "33550", "33192", "33069", "33162", "33449", "33227", "33058", "33009",
        "33122", "33366",
    ],
    "40": ["40192", "40088", "40046", "40065", "40282", "40312"],
    "47": ["47001", "47323", "47157", "47195", "47310", "47031"],
    "64": ["64445", "64102", "64122", "64024", "64422", "64430", "64483", "64348"],
    "79": ["79191", "79191", "79049", "79202", "79329", "79174", "79081", "79270", "79003"],
    "86": ["86194", "86194", "86066", "86041", "86062", "86165", "86137", "86070", "86214"],
    "87": ["87085", "87085", "87154", "87114", "87050", "87187", "87011"],
}  # fmt: skip

# Countries of intervention, weighted as in the networks' barometers.
COUNTRY_WEIGHTS = {
    "BF": 20, "MG": 14, "SN": 12, "MA": 10, "TG": 10, "ML": 7, "BJ": 7, "CM": 6, "HT": 5,
    "VN": 5, "NE": 4, "CI": 4, "GN": 3, "TN": 3, "CD": 3, "MR": 2, "RW": 2, "TD": 2, "DZ": 2,
    "LB": 2, "PS": 2, "CO": 2, "PE": 2, "IN": 2, "KH": 2,
}  # fmt: skip

COUNTRY_SHORT = {
    "BF": "Burkina", "MG": "Madagascar", "SN": "Sénégal", "MA": "Maroc", "TG": "Togo",
    "ML": "Mali", "BJ": "Bénin", "CM": "Cameroun", "HT": "Haïti", "VN": "Vietnam", "NE": "Niger",
    "CI": "Côte d'Ivoire", "GN": "Guinée", "TN": "Tunisie", "CD": "Congo", "MR": "Mauritanie",
    "RW": "Rwanda", "TD": "Tchad", "DZ": "Algérie", "LB": "Liban", "PS": "Palestine",
    "CO": "Colombie", "PE": "Pérou", "IN": "Inde", "KH": "Cambodge",
}  # fmt: skip

IN_COUNTRY = {
    "BF": "au Burkina Faso", "MG": "à Madagascar", "SN": "au Sénégal", "MA": "au Maroc",
    "TG": "au Togo", "ML": "au Mali", "BJ": "au Bénin", "CM": "au Cameroun", "HT": "en Haïti",
    "VN": "au Vietnam", "NE": "au Niger", "CI": "en Côte d'Ivoire", "GN": "en Guinée",
    "TN": "en Tunisie", "CD": "en République démocratique du Congo", "MR": "en Mauritanie",
    "RW": "au Rwanda", "TD": "au Tchad", "DZ": "en Algérie", "LB": "au Liban",
    "PS": "en Palestine", "CO": "en Colombie", "PE": "au Pérou", "IN": "en Inde",
    "KH": "au Cambodge",
}  # fmt: skip

# Localities abroad with their coordinates.
PLACES = {
    "BF": [
        ("Ouagadougou", "12.37", "-1.52"), ("Koudougou", "12.25", "-2.36"),
        ("Bobo-Dioulasso", "11.18", "-4.29"), ("Ouahigouya", "13.58", "-2.42"),
        ("Dédougou", "12.46", "-3.46"), ("Kaya", "13.09", "-1.08"),
    ],
    "MG": [
        ("Antananarivo", "-18.88", "47.51"), ("Antsirabe", "-19.87", "47.03"),
        ("Fianarantsoa", "-21.45", "47.09"), ("Toamasina", "-18.15", "49.40"),
        ("Mahajanga", "-15.72", "46.32"),
    ],
    "SN": [
        ("Dakar", "14.69", "-17.45"), ("Saint-Louis", "16.03", "-16.49"),
        ("Ziguinchor", "12.56", "-16.27"), ("Thiès", "14.79", "-16.93"),
        ("Podor", "16.65", "-14.96"),
    ],
    "MA": [
        ("Oujda", "34.68", "-1.91"), ("Tafraout", "29.72", "-8.97"),
        ("Essaouira", "31.51", "-9.77"), ("Agadir", "30.43", "-9.60"), ("Fès", "34.03", "-5.00"),
    ],
    "TG": [
        ("Atakpamé", "7.53", "1.13"), ("Lomé", "6.13", "1.22"), ("Kpalimé", "6.90", "0.63"),
        ("Sokodé", "8.98", "1.13"), ("Dapaong", "10.86", "0.21"),
    ],
    "ML": [
        ("Bamako", "12.64", "-8.00"), ("Kayes", "14.45", "-11.44"), ("Ségou", "13.43", "-6.26"),
        ("Sikasso", "11.32", "-5.67"),
    ],
    "BJ": [
        ("Cotonou", "6.37", "2.39"), ("Porto-Novo", "6.50", "2.60"), ("Abomey", "7.18", "1.99"),
        ("Parakou", "9.34", "2.63"),
    ],
    "CM": [
        ("Yaoundé", "3.85", "11.50"), ("Douala", "4.05", "9.70"), ("Bafoussam", "5.48", "10.42"),
        ("Dschang", "5.45", "10.05"),
    ],
    "HT": [
        ("Port-au-Prince", "18.54", "-72.34"), ("Jacmel", "18.23", "-72.54"),
        ("Les Cayes", "18.19", "-73.75"),
    ],
    "VN": [
        ("Hué", "16.46", "107.59"), ("Hanoï", "21.03", "105.85"), ("Da Nang", "16.05", "108.20"),
    ],
    "NE": [("Niamey", "13.51", "2.11"), ("Zinder", "13.80", "8.99")],
    "CI": [("Bouaké", "7.69", "-5.03"), ("Abidjan", "5.36", "-4.01")],
    "GN": [("Kindia", "10.06", "-12.87"), ("Labé", "11.32", "-12.28")],
    "TN": [("Sfax", "34.74", "10.76"), ("Kairouan", "35.68", "10.10")],
}  # fmt: skip

# Theme slug → SDG numbers it serves.
THEME_SDGS = {
    "agriculture": [2, 1, 15],
    "water-sanitation": [6, 3],
    "health": [3],
    "education": [4],
    "vocational-training": [4, 8],
    "energy": [7, 13],
    "environment": [13, 15, 14],
    "waste": [11, 12],
    "economic-development": [8, 1, 12],
    "urban-development": [11],
    "culture": [11, 4],
    "gender-equality": [5],
    "human-rights": [16, 10],
    "institutional-support": [16, 17],
    "migration": [10],
    "youth-mobility": [4, 10],
    "global-citizenship-education": [4, 17],
    "humanitarian-aid": [1, 2, 3],
}

# What an organisation does, in the words of a description.
THEME_PHRASES = {
    "agriculture": "d'appui aux paysans et à la souveraineté alimentaire",
    "water-sanitation": "d'accès à l'eau potable et à l'assainissement",
    "health": "de santé communautaire",
    "education": "de scolarisation et d'équipement d'écoles",
    "vocational-training": "de formation professionnelle des jeunes",
    "energy": "d'électrification solaire",
    "environment": "de reboisement et de protection de la biodiversité",
    "waste": "de collecte et de valorisation des déchets",
    "economic-development": "de soutien à l'entrepreneuriat et au commerce équitable",
    "urban-development": "d'amélioration de l'habitat",
    "culture": "d'échanges culturels et de promotion de la francophonie",
    "gender-equality": "d'autonomisation des femmes",
    "human-rights": "de défense des droits humains",
    "institutional-support": "d'appui aux collectivités partenaires",
    "migration": "de codéveloppement avec la diaspora",
    "youth-mobility": "de mobilité et de volontariat des jeunes",
    "global-citizenship-education": "d'éducation à la citoyenneté mondiale",
    "humanitarian-aid": "d'aide d'urgence et de reconstruction",
}

THEME_NOUNS = {
    "agriculture": "l'agriculture",
    "water-sanitation": "l'eau et l'assainissement",
    "health": "la santé",
    "education": "l'éducation",
    "vocational-training": "la formation professionnelle",
    "energy": "l'énergie",
    "environment": "l'environnement",
    "waste": "la gestion des déchets",
    "economic-development": "le développement économique",
    "urban-development": "l'urbanisme",
    "culture": "la culture",
    "gender-equality": "l'égalité femmes-hommes",
    "human-rights": "la gouvernance locale",
    "institutional-support": "l'appui institutionnel",
    "migration": "les migrations",
    "youth-mobility": "la jeunesse",
    "global-citizenship-education": "l'éducation à la citoyenneté",
    "humanitarian-aid": "l'aide humanitaire",
}


@dataclass
class OrgSpec:
    """One organisation of the demo before it is saved."""

    name: str
    kind: str
    insee: str = ""
    acronym: str = ""
    themes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    foreign: tuple[str, str, str] | None = None  # country, latitude, longitude


def _spec(
    name: str, kind: str, insee: str, themes: str = "", countries: str = "", acronym: str = ""
) -> OrgSpec:
    return OrgSpec(name, kind, insee, acronym, themes.split(), countries.split())


# Organisations written by hand: public bodies with their real names, associations made up.
NAMED_ORGANIZATIONS = [
    # Local authorities, every level.
    _spec("Région Nouvelle-Aquitaine", "region", "33063",
          "institutional-support economic-development youth-mobility", "SN MA VN"),
    _spec("Département de la Gironde", "departement", "33063",
          "institutional-support water-sanitation", "BF MA"),
    _spec("Département de la Vienne", "departement", "86194", "institutional-support education",
          "BF"),
    _spec("Département des Deux-Sèvres", "departement", "79191",
          "institutional-support agriculture", "TG"),
    _spec("Département de la Haute-Vienne", "departement", "87085", "institutional-support health",
          "MG"),
    _spec("Bordeaux Métropole", "epci", "33063", "waste water-sanitation urban-development",
          "BF MA"),
    _spec("Grand Poitiers Communauté urbaine", "epci", "86194", "waste urban-development", "MG"),
    _spec("Communauté d'agglomération du Niortais", "epci", "79191", "water-sanitation", "TG",
          acronym="CAN"),
    _spec("GrandAngoulême", "epci", "16015", "water-sanitation", "BF"),
    _spec("Communauté d'agglomération Pays Basque", "epci", "64102",
          "culture economic-development", "SN"),
    _spec("Ville de Bordeaux", "commune", "33063",
          "institutional-support culture urban-development", "BF MA VN"),
    _spec("Ville de Poitiers", "commune", "86194", "institutional-support culture", "MA"),
    _spec("Ville de Niort", "commune", "79191", "institutional-support culture", "TG"),
    _spec("Ville de Pessac", "commune", "33318", "education youth-mobility", "BF"),
    _spec("Ville de Bègles", "commune", "33039", "waste", "SN"),
    _spec("Ville de Limoges", "commune", "87085", "institutional-support", "MG"),
    _spec("Ville de La Rochelle", "commune", "17300", "environment culture", "SN"),
    _spec("Ville de Pau", "commune", "64445", "education", "SN"),
    _spec("Ville de Châtellerault", "commune", "86066", "institutional-support youth-mobility",
          "MA"),
    _spec("Ville de Tulle", "commune", "19272", "education health", "BF"),
    _spec("Ville de Bressuire", "commune", "79049", "agriculture", "BF"),
    _spec("Ville de Melle", "commune", "79174", "agriculture water-sanitation", "TG"),
    _spec("Syndicat intercommunal d'adduction d'eau potable du Nord Vienne", "syndicate",
          "86137", "water-sanitation", "BF", acronym="SIAEP Nord Vienne"),
    _spec("Syndicat des eaux de la Charente-Maritime", "syndicate", "17415", "water-sanitation",
          "SN", acronym="Eau 17"),
    _spec("Syndicat mixte de collecte et de valorisation du Libournais Haute-Gironde",
          "syndicate", "33243", "waste", "MG", acronym="SMICVAL"),
    _spec("Syndicat départemental d'énergies de la Gironde", "syndicate", "33281", "energy",
          "BF", acronym="SDEEG"),
    _spec("Comité de jumelage Niort–Atakpamé", "twinning-committee", "79191", "culture education",
          "TG"),
    _spec("Comité de jumelage Châtellerault–Oujda", "twinning-committee", "86066",
          "culture youth-mobility", "MA"),
    _spec("Comité de jumelage Tulle–Dédougou", "twinning-committee", "19272", "education health",
          "BF"),
    # Universities, schools and training bodies.
    _spec("Université de Poitiers", "university", "86194", "education agriculture", "BF SN"),
    _spec("Université Bordeaux Montaigne", "university", "33318", "culture education", "MA VN",
          acronym="UBM"),
    _spec("Université de Bordeaux", "university", "33063", "health environment", "SN VN"),
    _spec("Université de Limoges", "university", "87085", "health water-sanitation", "MG"),
    _spec("Université de Pau et des Pays de l'Adour", "university", "64445", "energy", "CM",
          acronym="UPPA"),
    _spec("La Rochelle Université", "university", "17300", "environment", "VN"),
    _spec("Lycée agricole de Melle", "school", "79174", "agriculture education", "BF"),
    _spec("Institut régional du travail social Nouvelle-Aquitaine", "training-body", "33522",
          "vocational-training", "SN", acronym="IRTS"),
    # Economic actors.
    _spec("Chambre de commerce et d'industrie Bordeaux Gironde", "chamber", "33063",
          "economic-development", "MA SN", acronym="CCI Bordeaux Gironde"),
    _spec("Chambre d'agriculture des Deux-Sèvres", "chamber", "79191", "agriculture", "TG"),
    _spec("Chambre de métiers et de l'artisanat de Nouvelle-Aquitaine", "chamber", "33063",
          "vocational-training economic-development", "SN", acronym="CMA Nouvelle-Aquitaine"),
    _spec("Hydro Conseil Atlantique", "company", "33281", "water-sanitation", "BF SN"),
    _spec("Solaterra Énergies", "company", "64445", "energy", "SN ML"),
    _spec("Scop Terres Solidaires", "social-economy", "47001",
          "agriculture economic-development", "BF"),
    _spec("Comptoir équitable du Périgord", "social-economy", "24037", "economic-development",
          "PE BF"),
    # Other actors.
    _spec("Agence de l'eau Adour-Garonne – délégation Atlantique-Dordogne", "public-agency",
          "33318", "water-sanitation environment", "BF SN"),
    _spec("Information Jeunesse Nouvelle-Aquitaine", "youth-information", "33063",
          "youth-mobility", "", acronym="IJNA"),
    _spec("Collectif Alimenterre Gironde", "network", "33063",
          "agriculture global-citizenship-education"),
    _spec("Festival des solidarités – collectif de Niort", "network", "79191",
          "global-citizenship-education"),
    _spec("Maison de l'Europe des Landes", "other", "40192", "youth-mobility culture"),
    # Associations, NGOs, foundations and diaspora associations.
    _spec(EDITED_ORGANIZATION, "association", "16015",
          "water-sanitation global-citizenship-education", "BF"),
    _spec("Solidarité Gironde–Burkina", "association", "33063", "education water-sanitation",
          "BF"),
    _spec("Amitié Poitou–Madagascar", "association", "86194", "education health", "MG"),
    _spec("Les Amis d'Atakpamé", "association", "79191", "health education", "TG"),
    _spec("Hydraulique Sans Frontières Sud-Ouest", "ngo", "33522", "water-sanitation",
          "BF ML NE", acronym="HSF Sud-Ouest"),
    _spec("Aquitaine Solidarités Internationales", "ngo", "33063",
          "humanitarian-aid health", "HT MG", acronym="ASI"),
    _spec("Agronomes Solidaires Nouvelle-Aquitaine", "ngo", "86194", "agriculture environment",
          "BF TG SN"),
    _spec("Ingénieurs Bâtisseurs du Monde", "ngo", "64102", "urban-development",
          "HT CM"),
    _spec("Pharmaciens Solidaires Aquitaine", "ngo", "33318", "health", "MG BF"),
    _spec("Électriciens Solidaires du Poitou", "ngo", "86066", "energy", "TG BJ"),
    _spec("Enfance et Partage Madagascar", "association", "87085", "education", "MG"),
    _spec("Santé Nord-Sud Limousin", "association", "19031", "health", "BF CM"),
    _spec("Cap Solidarités", "association", "33063",
          "global-citizenship-education youth-mobility", "SN"),
    _spec("Citoyens du Monde 79", "association", "79191", "global-citizenship-education", "TG"),
    _spec("Terre et Partage Charente-Maritime", "association", "17300", "agriculture", "SN"),
    _spec("Association franco-vietnamienne de La Rochelle", "diaspora-association", "17300",
          "culture education", "VN"),
    _spec("Association des Togolais de Niort", "diaspora-association", "79191",
          "migration education", "TG", acronym="ATN"),
    _spec("Association des Burkinabè de Gironde", "diaspora-association", "33063",
          "migration agriculture", "BF"),
    _spec("Collectif des Maliens de Poitiers", "diaspora-association", "86194",
          "migration water-sanitation", "ML"),
    _spec("Association franco-malgache du Limousin", "diaspora-association", "87085",
          "culture education", "MG"),
    _spec("Association sénégalaise de Pau et du Béarn", "diaspora-association", "64445",
          "migration health", "SN"),
    _spec("Association des Haïtiens de Bordeaux", "diaspora-association", "33063",
          "migration humanitarian-aid", "HT"),
    _spec("Association des Marocains de Châtellerault", "diaspora-association", "86066",
          "migration culture", "MA"),
    _spec("Association des Camerounais de la Vienne", "diaspora-association", "86194",
          "migration education", "CM"),
    _spec("Association des Béninois de Limoges", "diaspora-association", "87085",
          "migration health", "BJ"),
    _spec("Fondation Solidarité Atlantique", "foundation", "17300", "environment",
          "SN MA"),
    _spec("Fonds de dotation Terres d'Avenir", "foundation", "33063", "agriculture", "BF MG"),
    _spec("Fondation Hygiène pour tous", "foundation", "86194", "water-sanitation health",
          "BF MG"),
    _spec("Femmes Solidaires Sud-Ouest", "association", "64445", "gender-equality", "SN MA"),
    _spec("Droits Devant Aquitaine", "association", "33063", "human-rights", "PS CO"),
    _spec("Ciné-Monde Périgord", "association", "24322",
          "culture global-citizenship-education"),
    _spec("Jeunes Volontaires de Dordogne", "association", "24037", "youth-mobility", "SN TG"),
    _spec("Les Puits du Sahel", "association", "47157", "water-sanitation", "NE ML"),
    _spec("Vélos pour l'Afrique Landes", "association", "40088", "economic-development", "BF"),
    _spec("Écoles du Monde Creuse", "association", "23096", "education", "BF MG"),
    _spec("Solidarité Corrèze–Bénin", "association", "19272", "education health", "BJ"),
    _spec("Haïti Santé Béarn", "association", "64422", "health", "HT"),
    _spec("Artisans du Monde Poitiers", "association", "86194",
          "economic-development global-citizenship-education"),
]  # fmt: skip

# Partner authorities abroad, recorded so that twinnings show between two records.
FOREIGN_PARTNERS = [
    OrgSpec("Commune d'Atakpamé", "commune", themes=["institutional-support"],
            foreign=("TG", "7.53", "1.13")),
    OrgSpec("Commune urbaine d'Oujda", "commune", themes=["institutional-support"],
            foreign=("MA", "34.68", "-1.91")),
    OrgSpec("Commune de Dédougou", "commune", themes=["institutional-support"],
            foreign=("BF", "12.46", "-3.46")),
]  # fmt: skip

# (original, near-duplicate, what the two share) for the deduplication to find.
NEAR_DUPLICATES = [
    ("Association Eau Vive Charente", "Asso. Eau-Vive Charente", "website"),
    ("Solidarité Gironde–Burkina", "SOLIDARITE GIRONDE BURKINA", "rna"),
    ("Les Amis d'Atakpamé", "Amis d'Atakpame (Les)", "public_email"),
    ("Hydraulique Sans Frontières Sud-Ouest", "HSF Sud-Ouest", "siren"),
    ("Université de Poitiers", "Universite de Poitiers", "siren"),
    ("Ville de Pessac", "Mairie de Pessac", "siren website"),
    ("Association des Togolais de Niort", "Asso des Togolais de Niort", "website phone"),
]

RELATIONS = [
    ("Ville de Niort", OrganizationRelation.Kind.TWINNED_WITH, "Commune d'Atakpamé", 1984),
    ("Ville de Châtellerault", OrganizationRelation.Kind.TWINNED_WITH, "Commune urbaine d'Oujda",
     2005),
    ("Ville de Tulle", OrganizationRelation.Kind.TWINNED_WITH, "Commune de Dédougou", 1998),
    ("Comité de jumelage Niort–Atakpamé", OrganizationRelation.Kind.PARTNER_OF, "Ville de Niort",
     1986),
    ("Comité de jumelage Châtellerault–Oujda", OrganizationRelation.Kind.PARTNER_OF,
     "Ville de Châtellerault", 2006),
    ("Comité de jumelage Tulle–Dédougou", OrganizationRelation.Kind.PARTNER_OF, "Ville de Tulle",
     1999),
    ("Les Amis d'Atakpamé", OrganizationRelation.Kind.PARTNER_OF,
     "Comité de jumelage Niort–Atakpamé", 2012),
    ("Association des Togolais de Niort", OrganizationRelation.Kind.PARTNER_OF,
     "Les Amis d'Atakpamé", 2016),
    ("Hydraulique Sans Frontières Sud-Ouest", OrganizationRelation.Kind.PARTNER_OF,
     "Syndicat des eaux de la Charente-Maritime", 2019),
    ("Université de Poitiers", OrganizationRelation.Kind.PARTNER_OF,
     "Agronomes Solidaires Nouvelle-Aquitaine", 2017),
    ("Université Bordeaux Montaigne", OrganizationRelation.Kind.PARTNER_OF,
     "Association des Haïtiens de Bordeaux", 2021),
    ("Association Eau Vive Charente", OrganizationRelation.Kind.PARTNER_OF, "GrandAngoulême",
     2015),
    ("Lycée agricole de Melle", OrganizationRelation.Kind.PARTNER_OF,
     "Chambre d'agriculture des Deux-Sèvres", 2014),
    ("Comité de jumelage Niort–Atakpamé", OrganizationRelation.Kind.FUNDED_BY, "Ville de Niort",
     2010),
    ("Association Eau Vive Charente", OrganizationRelation.Kind.FUNDED_BY,
     "Agence de l'eau Adour-Garonne – délégation Atlantique-Dordogne", 2018),
    ("Association Eau Vive Charente", OrganizationRelation.Kind.FUNDED_BY,
     "Région Nouvelle-Aquitaine", 2020),
    ("Hydraulique Sans Frontières Sud-Ouest", OrganizationRelation.Kind.FUNDED_BY,
     "Bordeaux Métropole", 2016),
    ("Solidarité Gironde–Burkina", OrganizationRelation.Kind.FUNDED_BY,
     "Département de la Gironde", 2019),
    ("Amitié Poitou–Madagascar", OrganizationRelation.Kind.FUNDED_BY, "Département de la Vienne",
     2021),
    ("Électriciens Solidaires du Poitou", OrganizationRelation.Kind.FUNDED_BY,
     "Grand Poitiers Communauté urbaine", 2022),
    ("Pharmaciens Solidaires Aquitaine", OrganizationRelation.Kind.FUNDED_BY,
     "Fondation Hygiène pour tous", 2023),
    ("Cap Solidarités", OrganizationRelation.Kind.MEMBER_OF, "Collectif Alimenterre Gironde",
     2018),
    ("Solidarité Gironde–Burkina", OrganizationRelation.Kind.MEMBER_OF,
     "Collectif Alimenterre Gironde", 2020),
    ("Citoyens du Monde 79", OrganizationRelation.Kind.MEMBER_OF,
     "Festival des solidarités – collectif de Niort", 2015),
    ("Les Amis d'Atakpamé", OrganizationRelation.Kind.MEMBER_OF,
     "Festival des solidarités – collectif de Niort", 2017),
    ("Ville de Pessac", OrganizationRelation.Kind.MEMBER_OF, "Bordeaux Métropole", 2015),
    ("Ville de Bègles", OrganizationRelation.Kind.MEMBER_OF, "Bordeaux Métropole", 2015),
    ("Ville de Niort", OrganizationRelation.Kind.MEMBER_OF,
     "Communauté d'agglomération du Niortais", 2014),
]  # fmt: skip

FEMALE_FIRST_NAMES = """Agnès Aïcha Alice Amélie Aminata Anne Awa Béatrice Brigitte Camille
Catherine Céline Chantal Charlotte Chloé Christine Claire Clémence Colette Delphine Élise
Élodie Émilie Emma
Fatou Fatoumata Florence Françoise Geneviève Hélène Inès Isabelle Jeanne Julie Juliette Karima
Laure Laurence Léa Leïla Lucie Mamisoa Manon Mariam Marie Marion Martine Mathilde Mireille Nadia
Nathalie Noémie Océane Odile Pauline Rokia Rose Salimata Sandrine Sarah Solène Sophie Sylvie
Valérie Véronique Yasmina Zoé""".split()

MALE_FIRST_NAMES = """Abdoulaye Adrien Alain Alexandre Antoine Arnaud Baptiste Benoît Bernard Bruno
Christophe Cyril Damien David Didier Dominique Éric Étienne Fabrice François Frédéric Gilles
Guillaume Hervé Hery Hugo Ibrahim Issa Jacques Jean Jérôme Joseph Julien Karim Kofi Laurent Louis
Luc Lucas Mamadou Marc Mathieu Maxime Michel Minh Moussa Nicolas Olivier Ousmane Pascal Patrick
Paul Philippe Pierre Quentin Rachid Romain Samuel Sébastien Serge Stéphane Théo Thierry Vincent
Yannick Yves""".split()

LAST_NAMES = """Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent
Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier
Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry
Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson
Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas
Meunier Perez Marchand Dufour Blanchard Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez
Renard Arnaud Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard
Lacroix Dupuis Rivière Moulin Laporte Labat Lafitte Etcheverry Darrigrand Lasserre Castaing Duprat
Larrieu Bordes Dupouy Traoré Diallo Ouédraogo Sawadogo Koné Diop Ndiaye Sow Camara Kaboré Zongo
Rakotomalala Rakoto Randrianarisoa Razafindrakoto Benali Bensaïd Idrissi Amrani Ouali Mensah
Agbéko Kodjo Akakpo Houngbo Tchamba Fotso Kamga Tran Pham Hoang Pierre-Louis
Jean-Baptiste""".split()

# (masculine, feminine) functions by family of organisation; the first is the main contact's.
FUNCTIONS = {
    "association": [
        ("Président", "Présidente"),
        ("Trésorier", "Trésorière"),
        ("Secrétaire", "Secrétaire"),
        ("Chargé de projets", "Chargée de projets"),
        ("Coordinateur", "Coordinatrice"),
        ("Bénévole référent", "Bénévole référente"),
        ("Vice-président", "Vice-présidente"),
    ],
    "local_authority": [
        (
            "Chargé de mission coopération décentralisée",
            "Chargée de mission coopération décentralisée",
        ),
        ("Élu aux relations internationales", "Élue aux relations internationales"),
        ("Directeur des relations internationales", "Directrice des relations internationales"),
        ("Chargé de mission Europe et international", "Chargée de mission Europe et international"),
        ("Vice-président chargé de la coopération", "Vice-présidente chargée de la coopération"),
    ],
    "education": [
        ("Chargé de mission mobilité internationale", "Chargée de mission mobilité internationale"),
        ("Vice-président relations internationales", "Vice-présidente relations internationales"),
        ("Enseignant-chercheur", "Enseignante-chercheuse"),
        ("Responsable pédagogique", "Responsable pédagogique"),
    ],
    "economic": [
        ("Chargé d'affaires internationales", "Chargée d'affaires internationales"),
        ("Directeur général", "Directrice générale"),
        ("Gérant", "Gérante"),
        ("Conseiller export", "Conseillère export"),
    ],
    "other": [
        ("Directeur", "Directrice"),
        ("Chargé de mission", "Chargée de mission"),
        ("Animateur", "Animatrice"),
        ("Coordinateur", "Coordinateur"),
    ],
}

CONSENT_WORDINGS = {
    Consent.Purpose.DIRECTORY: (
        "J'accepte que mon nom, ma fonction et mes coordonnées professionnelles figurent dans "
        "l'annuaire public des acteurs de la coopération internationale en Nouvelle-Aquitaine."
    ),
    Consent.Purpose.NEWSLETTER: (
        "J'accepte de recevoir la lettre d'information mensuelle du réseau. Je peux me "
        "désinscrire à tout moment par le lien présent dans chaque lettre."
    ),
    Consent.Purpose.MAILINGS: (
        "J'accepte de recevoir des envois ciblés du réseau (formations, appels à projets, "
        "rencontres) selon mes thématiques et mes pays d'intervention."
    ),
}

STREETS = [
    "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "cours de la Libération",
    "rue des Écoles", "boulevard Gambetta", "rue Pasteur", "allée des Tilleuls",
    "chemin du Moulin", "rue du Général Leclerc", "place du Marché", "rue Émile Zola",
    "avenue de la Gare", "rue des Lilas", "rue Carnot", "quai des Chartrons",
]  # fmt: skip

INTERACTION_SUBJECTS = {
    Interaction.Kind.CALL: [
        "Point sur la demande de subvention",
        "Questions sur l'adhésion {year}",
        "Mise à jour de la fiche annuaire",
        "Recherche de partenaires {in_country}",
        "Conseils sur l'appel à projets {funder}",
        "Suivi de l'accompagnement",
        "Préparation du groupe pays {country}",
    ],
    Interaction.Kind.MEETING: [
        "Rendez-vous d'accompagnement : montage de projet",
        "Réunion du groupe pays {country}",
        "Groupe thématique eau et assainissement",
        "Comité technique du projet mutualisé déchets",
        "Rencontre avec les élus : coopération décentralisée {in_country}",
        "Atelier « les ODD dans les territoires »",
        "Entretien de qualification du référencement",
    ],
    Interaction.Kind.EMAIL: [
        "Envoi des ressources de la formation « Cycle de projet »",
        "Relance de la cotisation {year}",
        "Transmission de l'appel à projets {funder}",
        "Réponse à la demande de référencement",
        "Invitation au Festival des solidarités",
        "Partage de contacts {in_country}",
    ],
    Interaction.Kind.VISIT: [
        "Visite du siège et présentation du réseau",
        "Visite lors de la Semaine de la solidarité internationale",
        "Participation à l'assemblée générale",
        "Visite d'un chantier de jeunes volontaires",
    ],
}

INTERACTION_NOTES = [
    "Échange constructif ; prochaine étape : envoyer le modèle de budget.",
    "La structure souhaite rejoindre le groupe pays.",
    "Besoin d'appui pour l'évaluation finale du projet.",
    "À recontacter après leur conseil d'administration.",
    "Orientation vers le dispositif 1 % eau (loi Oudin-Santini).",
    "Dossier complet, à présenter au prochain comité.",
    "Intéressés par la formation sur la recherche de financements.",
    "Demande d'une mise en relation avec une collectivité partenaire.",
    "",
    "",
]

FUNDERS = [
    "DAECT",
    "AFD",
    "de la Région",
    "de l'Agence de l'eau",
    "FONJEP",
    "de l'Union européenne",
]


@dataclass
class DemoSummary:
    """What load_demo_network created, and how long it took."""

    organizations: int
    people: int
    memberships: int
    interactions: int
    seconds: float


def load_app_demos(*, seed: int) -> list[str]:
    """Let every other installed app with a `demo.load_demo(*, seed)` add its part of the demo.

    The register does not know the apps built on it: they plug their demo data in here, in the
    order of INSTALLED_APPS, once the network exists.
    """
    loaded = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if config.name == __package__ or importlib.util.find_spec(module_name) is None:
            continue
        loader = getattr(importlib.import_module(module_name), "load_demo", None)
        if loader is not None:
            loader(seed=seed)
            loaded.append(config.label)
    return loaded


def demo_is_loaded() -> bool:
    """Whether the register already holds organisations: the demo never loads over data."""
    return Organization.objects.exists()


def load_demo_network(*, seed: int = SEED, today: datetime.date | None = None) -> DemoSummary:
    """Load the demo network in one transaction; the register must be empty."""
    started = time.perf_counter()
    with transaction.atomic():
        builder = _DemoBuilder(seed=seed, today=today or timezone.localdate())
        builder.build()
        load_app_demos(seed=seed)
    return DemoSummary(
        organizations=len(builder.organizations),
        people=len(builder.people),
        memberships=builder.membership_count,
        interactions=builder.interaction_count,
        seconds=time.perf_counter() - started,
    )


def _luhn_complete(base: str) -> str:
    for digit in "0123456789":
        if luhn_is_valid(base + digit):
            return base + digit
    raise AssertionError("unreachable: one check digit always fits")


def _town_of(authority: str) -> str:
    """The town in an authority's name: « Commune urbaine d'Oujda » → « Oujda »."""
    for marker in (" d'", " de "):
        if marker in authority:
            return authority.rsplit(marker, 1)[1]
    return authority


def _of(name: str) -> str:
    """'de' before a name, elided the French way: « d'Antsirabe », « de Ouagadougou »."""
    if name.startswith(("l'", "la ")):
        return f"de {name}"
    if name.startswith("le "):
        return f"du {name[3:]}"
    if name.startswith("les "):
        return f"des {name[4:]}"
    if name[:1] in "AEIOUÉaeiouéè" and not name.startswith(("Oua", "Oui", "oua")):
        return f"d'{name}"
    return f"de {name}"


def _slug(value: str) -> str:
    return fold(value).replace(" ", "-").replace(".", "").replace("@", "")


@dataclass
class _Org:
    spec: OrgSpec
    instance: Organization
    family: str
    domain: str


class _DemoBuilder:
    """Builds the demo in a fixed order so that one seed always gives one network."""

    def __init__(self, *, seed: int, today: datetime.date):
        self.rng = random.Random(seed)
        self.today = today
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.year = today.year
        self.organizations: dict[str, _Org] = {}
        self.people: list[Person] = []
        self.main_contacts: dict[str, Person] = {}
        self.current_affiliates: dict[str, list[Person]] = {}
        self.membership_count = 0
        self.interaction_count = 0
        self._sirens: set[str] = set()
        self._domains: set[str] = set()
        self._emails: set[str] = set()
        self._names: set[tuple[str, str]] = set()

    # Reference data ---------------------------------------------------------------------------

    def _load_references(self) -> None:
        codes = {code for towns in TOWNS.values() for code in towns}
        codes |= {spec.insee for spec in NAMED_ORGANIZATIONS}
        self.communes = {
            c.insee_code: c
            for c in Commune.objects.filter(insee_code__in=codes).select_related(
                "departement__region"
            )
        }
        missing = codes - set(self.communes)
        if missing:
            raise RuntimeError(f"Communes missing from the reference data: {sorted(missing)}")
        self.kinds = {k.slug: k for k in OrganizationKind.objects.select_related("default_college")}
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.action_kinds = {a.slug: a for a in ActionKind.objects.all()}
        self.needs = {n.slug: n for n in Need.objects.all()}
        self.sdgs = {s.number: s for s in SDG.objects.all()}
        self.countries = {c.iso2: c for c in Country.objects.filter(iso2__in=COUNTRY_WEIGHTS)}
        self.departements = {d.code: d for d in Departement.objects.filter(code__in=TOWNS)}

    # Helpers ----------------------------------------------------------------------------------

    def _date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def _moment(self, day: datetime.date) -> datetime.datetime:
        """An aware moment during office hours that day, never in the future."""
        moment = datetime.datetime(
            day.year,
            day.month,
            day.day,
            self.rng.randint(9, 17),
            self.rng.choice([0, 15, 30, 45]),
            tzinfo=self.tz,
        )
        return min(moment, self.now - datetime.timedelta(minutes=5))

    def _siren(self, prefix: str) -> str:
        while True:
            base = prefix + "".join(self.rng.choice("0123456789") for _ in range(8 - len(prefix)))
            siren = _luhn_complete(base)
            if siren not in self._sirens:
                self._sirens.add(siren)
                return siren

    def _siret(self, siren: str, nic: int = 1) -> str:
        # The NIC's last digit is the check digit: try the establishment numbers in turn.
        for candidate in range(nic * 10, nic * 10 + 10):
            siret = f"{siren}{candidate:05d}"
            if luhn_is_valid(siret):
                return siret
        raise AssertionError("unreachable: ten candidates always hold a valid one")

    def _rna(self, departement_code: str) -> str:
        return f"W{departement_code}{self.rng.randint(1, 3)}{self.rng.randint(0, 999999):06d}"

    def _domain(self, name: str) -> str:
        words = [w for w in _slug(name).split("-") if w]
        skip = {"association", "asso", "les", "des", "de", "du", "la", "le", "d", "l", "et"}
        core = [w for w in words if w not in skip] or words
        domain = "-".join(core)[:40].strip("-")
        candidate, number = domain, 2
        while candidate in self._domains:
            candidate, number = f"{domain}-{number}", number + 1
        self._domains.add(candidate)
        return f"{candidate}.example.org"

    def _phone(self, prefix: str = "05") -> str:
        pairs = " ".join(f"{self.rng.randint(0, 99):02d}" for _ in range(4))
        return f"{prefix} {pairs}"

    def _countries_pick(self, count: int) -> list[str]:
        codes, weights = zip(*COUNTRY_WEIGHTS.items(), strict=True)
        chosen: list[str] = []
        while len(chosen) < count:
            code = self.rng.choices(codes, weights)[0]
            if code not in chosen:
                chosen.append(code)
        return chosen

    # Organisations ----------------------------------------------------------------------------

    def _generated_specs(self) -> list[OrgSpec]:
        """Associations made up to fill each département up to its share."""
        placed: dict[str, int] = dict.fromkeys(DEPARTEMENT_TARGETS, 0)
        for spec in NAMED_ORGANIZATIONS:
            placed[self.communes[spec.insee].departement.code] += 1
        taken = {fold(spec.name) for spec in NAMED_ORGANIZATIONS}
        prefixes = ["Partage", "Entraide", "Coopération", "Échanges", "Passerelles", "Horizons"]
        theme_words = {
            "health": "Santé",
            "education": "Éducation",
            "water-sanitation": "Eau",
            "agriculture": "Agriculture",
            "energy": "Énergie",
        }
        specs = []
        for code, target in DEPARTEMENT_TARGETS.items():
            departement = self.departements[code]
            while placed[code] < target:
                insee = self.rng.choice(TOWNS[code])
                town = self.communes[insee].name
                country = self._countries_pick(1)[0]
                foreign_town = self.rng.choice(PLACES.get(country, [("",)]))[0]
                theme = self.rng.choice(list(THEME_PHRASES))
                pattern = self.rng.randrange(8)
                if pattern in {1, 2, 7} and country not in PLACES:
                    pattern = 0  # these names need a town abroad
                kind = "association"
                if pattern == 0:
                    name = f"Solidarité {town}–{COUNTRY_SHORT[country]}"
                elif pattern == 1:
                    name = f"Amitié {town}–{foreign_town}"
                elif pattern == 2:
                    name = f"Les Amis {_of(foreign_town)}"
                elif pattern == 3:
                    word = theme_words.get(theme, "Santé")
                    theme = {v: k for k, v in theme_words.items()}[word]
                    name = f"{word} Sans Frontières {departement.name}"
                    kind = "ngo"
                elif pattern == 4:
                    name = (
                        f"{self.rng.choice(prefixes)} {departement.name}–{COUNTRY_SHORT[country]}"
                    )
                elif pattern == 5:
                    name = f"Collectif {town} solidaire"
                    theme = "global-citizenship-education"
                elif pattern == 6:
                    name = f"{town} {COUNTRY_SHORT[country]} Développement"
                else:
                    name = f"Association {foreign_town}–{town}"
                if fold(name) in taken:
                    continue
                taken.add(fold(name))
                extra = self.rng.sample(list(THEME_PHRASES), self.rng.randint(0, 2))
                themes = list(dict.fromkeys([theme, *extra]))
                countries = [country] + self._countries_pick(self.rng.randint(1, 2))[1:]
                specs.append(OrgSpec(name, kind, insee, "", themes, list(dict.fromkeys(countries))))
                placed[code] += 1
        return specs

    def _statuses(self, count: int) -> list[str]:
        statuses = (
            [Organization.Status.PENDING] * 12
            + [Organization.Status.DRAFT] * 4
            + [Organization.Status.ARCHIVED] * 2
        )
        statuses += [Organization.Status.QUALIFIED] * (count - len(statuses))
        self.rng.shuffle(statuses)
        return statuses

    def _description(self, spec: OrgSpec, family: str, town: str) -> str:
        theme = spec.themes[0] if spec.themes else "global-citizenship-education"
        country = spec.countries[0] if spec.countries else ""
        places = PLACES.get(country)
        since = self.rng.randint(1985, 2021)
        if places:
            place = self.rng.choice(places)[0]
            where = f"avec ses partenaires {_of(place)} ({self.countries[country].name_fr})"
        else:
            where = f"avec ses partenaires {IN_COUNTRY[country]}" if country else "en France"
        if spec.foreign:
            return (
                f"Collectivité partenaire {IN_COUNTRY[spec.foreign[0]]}, en coopération "
                f"décentralisée avec une collectivité de Nouvelle-Aquitaine."
            )
        if family == "association":
            text = f"Depuis {since}, la structure mène des projets {THEME_PHRASES[theme]} {where}."
            if "global-citizenship-education" in spec.themes or self.rng.random() < 0.4:
                text += (
                    f" Elle sensibilise aussi le public de {town} à la solidarité "
                    f"internationale, notamment pendant le Festival des solidarités."
                )
            return text
        if family == "local_authority":
            text = (
                f"La collectivité conduit une coopération décentralisée {where}, centrée sur "
                f"{THEME_NOUNS[theme]}."
            )
            if theme in {"water-sanitation", "waste", "energy"}:
                text += " Elle mobilise le dispositif « 1 % » pour financer ses actions."
            return text
            return text
        if family == "education":
            abroad = IN_COUNTRY[country] if country else "à l'étranger"
            return (
                f"L'établissement coopère avec des universités et des écoles {abroad} autour "
                f"{_of(THEME_NOUNS[theme])} et accueille des étudiants et stagiaires en mobilité "
                f"internationale."
            )
        if family == "economic":
            return (
                f"Acteur économique du territoire, il accompagne des projets "
                f"{THEME_PHRASES[theme]} {where} et partage son expertise technique."
            )
        return (
            f"Structure ressource du territoire autour {_of(THEME_NOUNS[theme])}, elle relaie "
            f"les initiatives de solidarité internationale à {town}."
        )

    def _identifiers(self, kind: str, departement_code: str) -> dict[str, str]:
        family = self.kinds[kind].family
        prefix = {
            "commune": "21",
            "departement": "22",
            "region": "23",
            "epci": "24",
            "syndicate": "25",
            "university": "19",
            "school": "19",
            "chamber": "18",
            "public-agency": "18",
        }.get(kind, "")
        values: dict[str, str] = {}
        if family == "association" or kind in {"network", "youth-information", "other"}:
            if self.rng.random() < 0.9:
                values["rna"] = self._rna(departement_code)
            if self.rng.random() < 0.35 or kind in {"ngo", "foundation"}:
                values["siren"] = self._siren(prefix or self.rng.choice(["4", "5", "8"]))
        elif kind != "twinning-committee":
            values["siren"] = self._siren(prefix or self.rng.choice(["3", "4", "5", "8"]))
        if kind == "twinning-committee":
            values["rna"] = self._rna(departement_code)
        if values.get("siren") and self.rng.random() < 0.7:
            values["siret"] = self._siret(values["siren"])
        return values

    def _qualify(self, organization: Organization, spec: OrgSpec, family: str) -> None:
        """Set the many-to-many qualification without a history row for each field."""
        themes = spec.themes[:4] or [self.rng.choice(list(THEME_PHRASES))]
        sdg_numbers: list[int] = []
        for theme in themes:
            sdg_numbers += THEME_SDGS[theme]
        if self.rng.random() < 0.5:
            sdg_numbers.append(17)
        sdg_numbers = list(dict.fromkeys(sdg_numbers))[: self.rng.randint(1, 5)]
        if family == "association":
            actions = ["development-projects"] if self.rng.random() < 0.85 else []
            odds = {
                "global-citizenship-education": 0.4,
                "volunteering-mobility": 0.2,
                "advocacy": 0.1,
                "emergency-aid": 0.05,
                "capacity-building": 0.2,
            }
            actions += [slug for slug, odd in odds.items() if self.rng.random() < odd]
            if "global-citizenship-education" in themes:
                actions.append("global-citizenship-education")
            needs = self.rng.sample(list(self.needs), self.rng.randint(0, 3))
        else:
            actions = self.rng.sample(
                ["development-projects", "capacity-building", "volunteering-mobility"],
                self.rng.randint(1, 2),
            )
            needs = self.rng.sample(list(self.needs), self.rng.randint(0, 1))
        actions = list(dict.fromkeys(actions)) or ["development-projects"]
        # The flag tells django-simple-history to skip the rows it writes per m2m change: the
        # qualification is then recorded once, by the save that follows.
        organization.skip_history_when_saving = True
        try:
            organization.themes.set([self.themes[t] for t in themes])
            organization.sdgs.set([self.sdgs[n] for n in sdg_numbers])
            organization.action_kinds.set([self.action_kinds[a] for a in actions])
            organization.countries.set([self.countries[c] for c in spec.countries])
            organization.needs.set([self.needs[n] for n in needs])
        finally:
            del organization.skip_history_when_saving

    def _save_organization(
        self,
        spec: OrgSpec,
        *,
        status: str,
        source: str,
        copy_of: _Org | None = None,
        shares: str = "",
    ) -> _Org:
        kind = self.kinds[spec.kind]
        commune = self.communes.get(spec.insee) if spec.insee else None
        staff = self.users[Role.STAFF][0] if self.rng.random() < 0.6 else self.users[Role.STAFF][1]
        created = self.now - datetime.timedelta(days=self.rng.randint(60, 5 * 365))
        if copy_of is None:
            domain = self._domain(spec.acronym or spec.name)
            departement_code = commune.departement.code if commune else ""
            identifiers = self._identifiers(spec.kind, departement_code) if commune else {}
            organization = Organization(
                name=spec.name,
                acronym=spec.acronym,
                kind=kind,
                legal_form=self._legal_form(spec),
                description=self._description(spec, kind.family, commune.name if commune else ""),
                website=f"https://www.{domain}/",
                public_email=f"contact@{domain}",
                phone=self._phone() if commune else "",
                commune=commune,
                status=Organization.Status.DRAFT,
                source=source,
                **identifiers,
            )
            if commune:
                street = f"{self.rng.randint(1, 120)} {self.rng.choice(STREETS)}"
                seat = {
                    "region": "Hôtel de Région",
                    "departement": "Hôtel du Département",
                    "commune": "Hôtel de Ville",
                }.get(spec.kind)
                if seat:
                    organization.address_line1, organization.address_line2 = seat, street
                else:
                    organization.address_line1 = street
                    if kind.family == "association" and self.rng.random() < 0.3:
                        organization.address_line2 = "Maison des associations"
            else:
                country, latitude, longitude = spec.foreign or ("", "", "")
                organization.legal_form = Organization.LegalForm.FOREIGN
                organization.seat_country = self.countries[country]
                organization.seat_locality = _town_of(spec.name)
                organization.latitude = Decimal(latitude)
                organization.longitude = Decimal(longitude)
                organization.coordinates_overridden = True
        else:
            original = copy_of.instance
            domain = copy_of.domain
            organization = Organization(
                name=spec.name,
                acronym=spec.acronym,
                kind=kind,
                legal_form=original.legal_form,
                description=original.description.split(".")[0] + ".",
                website=original.website if "website" in shares else "",
                public_email=original.public_email if "public_email" in shares else "",
                phone=original.phone if "phone" in shares else "",
                commune=commune,
                address_line1=original.address_line1 if self.rng.random() < 0.5 else "",
                status=Organization.Status.DRAFT,
                source=source,
                siren=original.siren if "siren" in shares else "",
                rna=original.rna if "rna" in shares else "",
            )
            if "siren" in shares and original.siren:
                organization.siret = self._siret(original.siren, nic=self.rng.randint(2, 9))
        organization._history_date = created
        organization_save(
            organization=organization,
            changed_by=None if source == Source.FORM else staff,
            reason="Référencement" if source == Source.FORM else "",
        )
        self._qualify(organization, spec, kind.family)
        target_status = (
            Organization.Status.QUALIFIED if status == Organization.Status.ARCHIVED else status
        )
        if target_status != Organization.Status.DRAFT:
            organization.status = target_status
            organization._history_date = min(
                created + datetime.timedelta(days=self.rng.randint(2, 40)), self.now
            )
            organization_save(
                organization=organization,
                changed_by=staff,
                reason="Qualification" if target_status == "qualified" else "Compléments",
            )
        # Later changes (archiving, restoring in the demo) happen now, not on the creation day.
        del organization._history_date
        if status == Organization.Status.ARCHIVED:
            organization_archive(organization=organization, changed_by=staff)
        for country in spec.countries:
            places = PLACES.get(country, [])
            for name, latitude, longitude in self.rng.sample(places, min(len(places), 2)):
                if self.rng.random() < 0.35:
                    InterventionPlace.objects.create(
                        organization=organization,
                        name=name,
                        country=self.countries[country],
                        latitude=Decimal(latitude),
                        longitude=Decimal(longitude),
                    )
        organization.created_at = created
        entry = _Org(spec, organization, kind.family, domain)
        self.organizations[spec.name] = entry
        return entry

    def _legal_form(self, spec: OrgSpec) -> str:
        return {
            "association": Organization.LegalForm.ASSOCIATION,
            "ngo": Organization.LegalForm.ASSOCIATION,
            "diaspora-association": Organization.LegalForm.ASSOCIATION,
            "twinning-committee": Organization.LegalForm.ASSOCIATION,
            "network": Organization.LegalForm.ASSOCIATION,
            "youth-information": Organization.LegalForm.ASSOCIATION,
            "other": Organization.LegalForm.ASSOCIATION,
            "foundation": Organization.LegalForm.FOUNDATION,
            "commune": Organization.LegalForm.LOCAL_AUTHORITY,
            "epci": Organization.LegalForm.LOCAL_AUTHORITY,
            "departement": Organization.LegalForm.LOCAL_AUTHORITY,
            "region": Organization.LegalForm.LOCAL_AUTHORITY,
            "syndicate": Organization.LegalForm.PUBLIC_BODY,
            "university": Organization.LegalForm.PUBLIC_BODY,
            "school": Organization.LegalForm.PUBLIC_BODY,
            "training-body": Organization.LegalForm.ASSOCIATION,
            "chamber": Organization.LegalForm.PUBLIC_BODY,
            "public-agency": Organization.LegalForm.PUBLIC_BODY,
            "company": Organization.LegalForm.COMPANY,
            "social-economy": Organization.LegalForm.COOPERATIVE,
        }[spec.kind]

    def _build_organizations(self) -> None:
        specs = NAMED_ORGANIZATIONS + self._generated_specs()
        statuses = self._statuses(len(specs))
        # The organisations the next stages lean on stay qualified whatever the draw.
        anchors = {name for pair in RELATIONS for name in (pair[0], pair[2])}
        anchors |= {original for original, _dup, _shares in NEAR_DUPLICATES}
        anchors.add(EDITED_ORGANIZATION)
        for spec, status in zip(specs, statuses, strict=True):
            if spec.name in anchors and status != Organization.Status.QUALIFIED:
                status = Organization.Status.QUALIFIED
            family = self.kinds[spec.kind].family
            if family == "local_authority":
                source = self.rng.choice([Source.STAFF, Source.STAFF, Source.IMPORT])
            else:
                source = self.rng.choices(
                    [Source.FORM, Source.IMPORT, Source.STAFF], weights=[35, 25, 40]
                )[0]
            self._save_organization(spec, status=status, source=source)
        for spec in FOREIGN_PARTNERS:
            country = spec.foreign[0] if spec.foreign else ""
            spec.countries = [country]
            self._save_organization(spec, status=Organization.Status.QUALIFIED, source=Source.STAFF)
        for original_name, duplicate_name, shares in NEAR_DUPLICATES:
            original = self.organizations[original_name]
            spec = OrgSpec(
                duplicate_name,
                original.spec.kind,
                original.spec.insee,
                "",
                original.spec.themes[:1],
                original.spec.countries[:1],
            )
            self._save_organization(
                spec,
                status=self.rng.choice([Organization.Status.PENDING, Organization.Status.DRAFT]),
                source=self.rng.choice([Source.FORM, Source.IMPORT]),
                copy_of=original,
                shares=shares,
            )
        # created_at is set on insert; spread it over the past years like a real register.
        Organization.objects.bulk_update(
            [o.instance for o in self.organizations.values()], ["created_at"]
        )

    # People -----------------------------------------------------------------------------------

    def _new_name(self) -> tuple[str, str, bool]:
        while True:
            female = self.rng.random() < 0.52
            first = self.rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
            last = self.rng.choice(LAST_NAMES)
            if (first, last) not in self._names:
                self._names.add((first, last))
                return first, last, female

    def _address(self, local: str, domain: str) -> str:
        candidate, number = f"{local}@{domain}", 2
        while candidate in self._emails:
            candidate, number = f"{local}{number}@{domain}", number + 1
        self._emails.add(candidate)
        return candidate

    def _add_person(
        self,
        org: _Org,
        *,
        function: tuple[str, str],
        main: bool,
        first_last: tuple[str, str, bool] | None = None,
    ) -> Person:
        first, last, female = first_last or self._new_name()
        title = function[1] if female else function[0]
        source = org.instance.source
        created = max(
            org.instance.created_at, self.now - datetime.timedelta(days=self.rng.randint(30, 1500))
        )
        person = Person(first_name=first, last_name=last, job_title=title, source=source)
        if self.rng.random() < 0.08:
            person.notes = self.rng.choice(
                [
                    "Préfère être contacté·e par téléphone.",
                    "A participé à la formation « Cycle de projet ».",
                    "Ancien·ne volontaire de solidarité internationale.",
                ]
            )
        person._history_date = created
        staff = self.users[Role.STAFF][0]
        person_save(person=person, changed_by=None if source == Source.FORM else staff)
        del person._history_date
        person.created_at = created
        # E-mails before the affiliation: the service then has no organisation to refresh, and
        # build() refreshes every organisation's search text once at the end.
        local = f"{_slug(first)}.{_slug(last)}"
        if org.family == "association" and self.rng.random() < 0.3:
            primary = self._address(local, self.rng.choice(["example.com", "example.org"]))
        else:
            primary = self._address(local, org.domain)
        person_add_email(person=person, address=primary, is_primary=True)
        if self.rng.random() < 0.12:
            person_add_email(person=person, address=self._address(local, "example.com"))
        affiliation = Affiliation(
            person=person,
            organization=org.instance,
            role=title,
            start_date=self._date_between(
                created.date() - datetime.timedelta(days=3000), created.date()
            ),
            is_main_contact=main,
        )
        affiliation.full_clean()
        affiliation.save()
        if self.rng.random() < 0.5:
            phone = PersonPhone(
                person=person,
                number=self._phone(self.rng.choice(["06", "07"])),
                label=self.rng.choice(["mobile", "portable", ""]),
            )
            phone.full_clean()
            phone.save()
        self._record_consents(person, created)
        self.people.append(person)
        self.current_affiliates.setdefault(org.spec.name, []).append(person)
        if main:
            self.main_contacts[org.spec.name] = person
        return person

    def _record_consents(self, person: Person, created: datetime.datetime) -> None:
        if self.rng.random() > 0.85:
            return
        consent_source = {
            Source.FORM: Consent.ConsentSource.FORM,
            Source.IMPORT: Consent.ConsentSource.IMPORT,
        }.get(
            person.source,
            self.rng.choice(
                [
                    Consent.ConsentSource.STAFF,
                    Consent.ConsentSource.EVENT,
                    Consent.ConsentSource.EMAIL,
                ]
            ),
        )
        given = created + datetime.timedelta(minutes=self.rng.randint(5, 60 * 24 * 20))
        given = min(given, self.now - datetime.timedelta(days=1))
        purposes = [Consent.Purpose.DIRECTORY]
        if self.rng.random() < 0.7:
            purposes.append(Consent.Purpose.NEWSLETTER)
        if self.rng.random() < 0.5:
            purposes.append(Consent.Purpose.MAILINGS)
        for purpose in purposes:
            consent_record(
                person=person,
                purpose=purpose,
                granted=True,
                source=consent_source,
                wording=CONSENT_WORDINGS[purpose],
                given_at=given,
            )
            withdraw_odds = 0.1 if purpose == Consent.Purpose.NEWSLETTER else 0.03
            if self.rng.random() < withdraw_odds:
                withdrawn = given + datetime.timedelta(days=self.rng.randint(30, 400))
                if withdrawn < self.now:
                    consent_record(
                        person=person,
                        purpose=purpose,
                        granted=False,
                        source=Consent.ConsentSource.EMAIL,
                        wording="Demande de désinscription reçue par e-mail.",
                        given_at=withdrawn,
                    )

    def _build_people(self) -> None:
        counts = {
            "association": [1, 2, 2, 3, 3, 3, 4, 4],
            "local_authority": [2, 3, 3, 4],
        }
        duplicates = {duplicate for _original, duplicate, _shares in NEAR_DUPLICATES}
        for name, org in list(self.organizations.items()):
            if name in duplicates:
                continue
            # Twinning committees are associations at heart, whatever their college.
            functions = FUNCTIONS[
                "association" if org.spec.kind == "twinning-committee" else org.family
            ]
            if org.spec.foreign:
                self._add_person(
                    org,
                    function=(
                        "Adjoint au maire chargé de la coopération",
                        "Adjointe au maire chargée de la coopération",
                    ),
                    main=True,
                )
                continue
            how_many = self.rng.choice(counts.get(org.family, [1, 2, 2, 3]))
            for index in range(how_many):
                if index == 0:
                    function = functions[0]
                else:
                    function = self.rng.choice(functions[1:])
                self._add_person(org, function=function, main=index == 0)
        # Some duplicates came with the same contact as their original: a person to merge too.
        for original_name, duplicate_name, _shares in NEAR_DUPLICATES[:2]:
            contact = self.main_contacts[original_name]
            female = contact.first_name in FEMALE_FIRST_NAMES
            duplicate = self.organizations[duplicate_name]
            self._add_person(
                duplicate,
                function=(contact.job_title, contact.job_title),
                main=True,
                first_last=(contact.first_name, contact.last_name, female),
            )
        self._cross_affiliations()
        self._archive_some_people()

    def _cross_affiliations(self) -> None:
        """Elected people and academics who also sit on an association's board."""
        by_departement: dict[str, list[_Org]] = {}
        for org in self.organizations.values():
            if org.family == "association" and org.spec.name in self.current_affiliates:
                by_departement.setdefault(org.instance.departement.code, []).append(org)
        candidates = [
            (person, org)
            for org in self.organizations.values()
            if org.family in {"local_authority", "education"} and org.instance.departement_id
            for person in self.current_affiliates.get(org.spec.name, [])
        ]
        for person, org in self.rng.sample(candidates, 12):
            associations = by_departement.get(org.instance.departement.code)
            if not associations:
                continue
            target = self.rng.choice(associations)
            if any(p.pk == person.pk for p in self.current_affiliates[target.spec.name]):
                continue
            female = person.first_name in FEMALE_FIRST_NAMES
            role = "Trésorière" if female else "Trésorier"
            if self.rng.random() < 0.5:
                role = "Membre du conseil d'administration"
            affiliation = Affiliation(
                person=person,
                organization=target.instance,
                role=role,
                start_date=self._date_between(
                    self.today - datetime.timedelta(days=2000), self.today
                ),
            )
            affiliation.full_clean()
            affiliation.save()
            self.current_affiliates[target.spec.name].append(person)

    def _archive_some_people(self) -> None:
        """A few people left their organisation: archived, one of them anonymised on request."""
        main_contacts = {person.pk for person in self.main_contacts.values()}
        leavers = [
            person
            for name, people in self.current_affiliates.items()
            for person in people
            if person.pk not in main_contacts and not self.organizations[name].spec.foreign
        ]
        leavers = self.rng.sample(list({person.pk: person for person in leavers}.values()), 5)
        for person in leavers:
            left = self._date_between(self.today - datetime.timedelta(days=500), self.today)
            for affiliation in person.affiliations.all():
                affiliation.end_date = max(left, affiliation.start_date or left)
                affiliation.save(update_fields=["end_date"])
            person_archive(person=person, changed_by=self.users[Role.STAFF][0])
        privacy.person_erase(person=leavers[0], erased_by=self.users[Role.ADMINISTRATOR][0])
        for people in self.current_affiliates.values():
            people[:] = [p for p in people if p not in leavers]

    # Network life -----------------------------------------------------------------------------

    def _fee(self, org: _Org) -> Decimal:
        kind = org.spec.kind
        big_towns = {"Ville de Bordeaux", "Ville de Poitiers", "Ville de Limoges", "Ville de Pau"}
        if org.spec.name in big_towns:
            amount = self.rng.choice([2000, 2500, 3000])
        else:
            amount = {
                "association": self.rng.choice([20, 30, 40, 50, 50, 60, 80, 100, 150, 200, 500]),
                "diaspora-association": self.rng.choice([20, 30, 50]),
                "ngo": self.rng.choice([150, 200, 300, 500]),
                "foundation": self.rng.choice([300, 500]),
                "commune": self.rng.choice([150, 300, 450, 600, 900]),
                "epci": self.rng.choice([1500, 2500, 4000]),
                "departement": self.rng.choice([5000, 6000, 8000]),
                "region": 10000,
                "syndicate": self.rng.choice([500, 800, 1200]),
                "twinning-committee": self.rng.choice([50, 80, 100]),
                "university": self.rng.choice([500, 800, 1000]),
                "school": self.rng.choice([100, 150, 200]),
                "training-body": self.rng.choice([150, 250, 300]),
                "company": self.rng.choice([200, 300, 600]),
                "social-economy": self.rng.choice([100, 200, 300]),
                "chamber": self.rng.choice([500, 800, 1000]),
            }.get(kind, self.rng.choice([50, 100, 200, 300]))
        return Decimal(amount)

    def _build_memberships(self) -> None:
        duplicates = {duplicate for _original, duplicate, _shares in NEAR_DUPLICATES}
        eligible = [
            org
            for name, org in self.organizations.items()
            if name not in duplicates
            and not org.spec.foreign
            and org.spec.kind != "region"
            and org.instance.status != Organization.Status.DRAFT
        ]
        eligible.sort(key=lambda o: o.spec.name)
        self.rng.shuffle(eligible)
        archived = [o for o in eligible if o.instance.status == Organization.Status.ARCHIVED]
        active = [o for o in eligible if o.instance.status != Organization.Status.ARCHIVED]
        first_year = active[:103] + archived
        members_by_year = {
            self.year - 2: first_year,
            self.year - 1: [o for o in active[:103] if self.rng.random() > 0.07] + active[103:118],
        }
        previous = members_by_year[self.year - 1]
        members_by_year[self.year] = [o for o in previous if self.rng.random() > 0.05] + active[
            118:132
        ]
        self.members_by_year = members_by_year
        fees = {org.spec.name: self._fee(org) for org in eligible}
        staff = self.users[Role.STAFF]
        memberships = []
        for year, members in members_by_year.items():
            for org in members:
                paid_on = self._paid_on(year)
                fee = fees[org.spec.name]
                if year == self.year and fee >= 100:
                    fee = (fee * Decimal("1.05")).quantize(Decimal("1"))
                membership = Membership(
                    organization=org.instance,
                    year=year,
                    college=self.kinds[org.spec.kind].default_college,
                    fee_amount=fee,
                    paid_on=paid_on,
                )
                membership._history_date = self._moment(
                    min(datetime.date(year, 1, self.rng.randint(5, 28)), self.today)
                )
                membership._history_user = self.rng.choice(staff)
                memberships.append(membership)
        bulk_create_with_history(memberships, Membership)
        self.membership_count = len(memberships)

    def _paid_on(self, year: int) -> datetime.date | None:
        draw = self.rng.random()
        if year < self.year:
            if draw < 0.85:
                return self._date_between(datetime.date(year, 1, 15), datetime.date(year, 11, 30))
            if draw < 0.9:
                # Paid in January of the next year: a member, but not up to date on 31 December.
                late = datetime.date(year + 1, 1, self.rng.randint(5, 31))
                return min(late, max(self.today, datetime.date(year + 1, 1, 1)))
            return None
        end = min(self.today, datetime.date(year, 11, 30))
        if draw < 0.72 and end >= datetime.date(year, 1, 15):
            return self._date_between(datetime.date(year, 1, 15), end)
        return None

    def _build_board(self) -> None:
        members = self.members_by_year[self.year]
        by_college: dict[str, list[_Org]] = {}
        for org in members:
            if self.main_contacts.get(org.spec.name):
                college = self.kinds[org.spec.kind].default_college.slug
                by_college.setdefault(college, []).append(org)
        wanted = {
            "associations": 8,
            "local-authorities": 3,
            "education": 2,
            "economic": 1,
            "other-actors": 1,
        }
        offices = [
            ("Président", "Présidente"),
            ("Vice-président", "Vice-présidente"),
            ("Trésorier", "Trésorière"),
            ("Secrétaire", "Secrétaire"),
        ]
        elected = datetime.date(self.year - 1, 6, 14)
        seats = []
        index = 0
        for college_slug, count in wanted.items():
            candidates = by_college.get(college_slug, [])
            for org in self.rng.sample(candidates, min(count, len(candidates))):
                person = self.main_contacts[org.spec.name]
                female = person.first_name in FEMALE_FIRST_NAMES
                if index < len(offices):
                    office = offices[index][1 if female else 0]
                else:
                    office = "Administratrice" if female else "Administrateur"
                index += 1
                seat = BoardSeat(
                    college=self.kinds[org.spec.kind].default_college,
                    organization=org.instance,
                    person=person,
                    office=office,
                    start_date=elected
                    if self.rng.random() < 0.6
                    else elected.replace(year=self.year - 3),
                )
                seat._history_user = self.users[Role.ADMINISTRATOR][0]
                seats.append(seat)
        # Two seats ended at the last general assembly.
        for seat in seats[-2:]:
            seat.start_date = elected.replace(year=self.year - 4)
            seat.end_date = elected
        bulk_create_with_history(seats, BoardSeat)

    def _build_relations(self) -> None:
        relations = []
        for source, kind, target, since in RELATIONS:
            relation = OrganizationRelation(
                source=self.organizations[source].instance,
                kind=kind,
                target=self.organizations[target].instance,
                start_date=datetime.date(since, self.rng.randint(1, 12), 1),
            )
            relation.full_clean()
            relation._history_user = self.users[Role.STAFF][0]
            relations.append(relation)
        bulk_create_with_history(relations, OrganizationRelation)

    def _build_interactions(self, count: int = 300) -> None:
        staff_users = self.users[Role.STAFF] + self.users[Role.ADMINISTRATOR]
        targets = [
            org
            for org in self.organizations.values()
            if not org.spec.foreign and org.instance.status != Organization.Status.ARCHIVED
        ]
        weights = [3 if org.instance.status == "qualified" else 1 for org in targets]
        kinds = list(INTERACTION_SUBJECTS)
        start = self.today - datetime.timedelta(days=548)
        interactions, links = [], []
        for _ in range(count):
            kind = self.rng.choices(kinds, weights=[30, 25, 35, 10])[0]
            orgs = [self.rng.choices(targets, weights)[0]]
            if self.rng.random() < 0.1:
                orgs.append(self.rng.choices(targets, weights)[0])
            orgs = list({o.spec.name: o for o in orgs}.values())
            first = orgs[0]
            country = first.spec.countries[0] if first.spec.countries else "BF"
            subject = self.rng.choice(INTERACTION_SUBJECTS[kind]).format(
                year=self.year,
                country=COUNTRY_SHORT[country],
                in_country=IN_COUNTRY[country],
                funder=self.rng.choice(FUNDERS),
            )
            day = self._date_between(start, self.today - datetime.timedelta(days=1))
            if day.weekday() >= 5:
                day -= datetime.timedelta(days=day.weekday() - 4)
            staff = self.rng.choices(staff_users, weights=[50, 35, 15])[0]
            interaction = Interaction(
                kind=kind,
                occurred_at=self._moment(day),
                subject=subject,
                notes=self.rng.choice(INTERACTION_NOTES),
                staff_member=staff,
            )
            interaction._history_user = staff
            interaction._history_date = interaction.occurred_at
            people = [p for o in orgs for p in self.current_affiliates.get(o.spec.name, [])]
            themes = first.spec.themes
            links.append(
                (
                    [o.instance for o in orgs],
                    self.rng.sample(people, min(len(people), self.rng.randint(0, 2))),
                    [self.themes[t] for t in self.rng.sample(themes, min(len(themes), 2))],
                )
            )
            interactions.append(interaction)
        interactions = bulk_create_with_history(interactions, Interaction)
        through_orgs = Interaction.organizations.through
        through_people = Interaction.people.through
        through_themes = Interaction.themes.through
        org_rows, people_rows, theme_rows = [], [], []
        for interaction, (orgs, people, themes) in zip(interactions, links, strict=True):
            org_rows += [through_orgs(interaction=interaction, organization=o) for o in orgs]
            people_rows += [through_people(interaction=interaction, person=p) for p in people]
            theme_rows += [through_themes(interaction=interaction, theme=t) for t in themes]
        through_orgs.objects.bulk_create(org_rows)
        through_people.objects.bulk_create(people_rows)
        through_themes.objects.bulk_create(theme_rows)
        self.interaction_count = len(interactions)

    def _build_saved_searches(self) -> None:
        gironde = self.departements["33"].pk
        water = self.themes["water-sanitation"].pk
        burkina = self.countries["BF"].pk
        education = OrganizationKind.Family.EDUCATION
        owner = self.users[Role.STAFF][0]
        observatory = self.users[Role.OBSERVATORY][0]
        organizations = SavedSearch.Target.ORGANIZATIONS
        SavedSearch.objects.bulk_create(
            [
                SavedSearch(
                    name="Collectivités de Gironde",
                    target=organizations,
                    query_string=f"family=local_authority&departement={gironde}",
                    owner=owner,
                ),
                SavedSearch(
                    name="Membres à jour – eau et assainissement",
                    target=organizations,
                    query_string=f"membership=up_to_date&member_year={self.year}&theme={water}",
                    owner=owner,
                ),
                SavedSearch(
                    name="Groupe pays Burkina Faso",
                    target=organizations,
                    query_string=f"country={burkina}&status=qualified",
                    owner=self.users[Role.STAFF][1],
                ),
                SavedSearch(
                    name=f"Cotisations {self.year} non réglées",
                    target=organizations,
                    query_string=f"member_year={self.year}&membership=unpaid",
                    owner=owner,
                ),
                SavedSearch(
                    name="Abonnés à la lettre d'information",
                    target=SavedSearch.Target.PEOPLE,
                    query_string="consent=newsletter&state=active",
                    owner=owner,
                ),
                SavedSearch(
                    name="Universités et organismes de formation",
                    target=organizations,
                    query_string=f"family={education}",
                    owner=observatory,
                    is_shared=False,
                ),
            ]
        )

    # Users ------------------------------------------------------------------------------------

    def _build_users(self) -> None:
        User = get_user_model()
        self.users: dict[str, list] = {}
        for demo_user in DEMO_USERS:
            user = User.objects.filter(email=demo_user.email).first()
            if user is None:
                candidate = User(email=demo_user.email, full_name=demo_user.full_name)
                validate_password(DEMO_PASSWORD, user=candidate)
                user = User.objects.create_user(
                    email=demo_user.email,
                    password=DEMO_PASSWORD,
                    full_name=demo_user.full_name,
                    role=demo_user.role,
                )
            self.users.setdefault(demo_user.role, []).append(user)

    def _link_editor(self) -> None:
        editors = self.users[Role.ORGANIZATION_EDITOR]
        for editor, name in zip(editors, [EDITED_ORGANIZATION, OFFICER_AUTHORITY], strict=True):
            editor.organization = self.organizations[name].instance
            editor.save(update_fields=["organization"])

    def build(self) -> None:
        self._load_references()
        self._build_users()
        self._build_organizations()
        self._build_people()
        self._build_relations()
        self._build_memberships()
        self._build_board()
        self._build_interactions()
        self._build_saved_searches()
        self._link_editor()
        Person.objects.bulk_update(self.people, ["created_at"])
        # Cross-affiliations and erasure changed who belongs where: one last pass, as the
        # services would do after each change.
        organization_refresh_search_text(
            organization_ids=[o.instance.pk for o in self.organizations.values()]
        )


def demo_logins() -> list[tuple[str, str, str]]:
    """(role label, e-mail, password) of the demo accounts that exist in this database."""
    User = get_user_model()
    existing = set(
        User.objects.filter(email__in=[u.email for u in DEMO_USERS]).values_list("email", flat=True)
    )
    return [
        (str(Role(u.role).label), u.email, DEMO_PASSWORD) for u in DEMO_USERS if u.email in existing
    ]
