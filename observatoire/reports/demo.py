"""Demo annual reports: last year's, published with its narrative, and this year's as a draft.

Runs last of the demos (the app comes last in INSTALLED_APPS), so the snapshot of last year's
report freezes the figures of everything the other demos loaded.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from observatoire.accounts.models import Role

from . import services
from .models import AnnualReport

INTRODUCTION = (
    "En {year}, le réseau a accompagné les acteurs de Nouvelle-Aquitaine engagés à "
    "l'international : associations de solidarité, collectivités en coopération décentralisée, "
    "universités et acteurs économiques.\n\n"
    "Ce rapport rassemble les chiffres de l'observatoire et le récit de l'équipe. Les chiffres "
    "sont figés à la date indiquée ; leurs définitions figurent en annexe."
)

NARRATIVES = {
    "The year in figures": (
        "Une année dense : plus de structures qualifiées dans l'annuaire, des formations "
        "complètes et un accompagnement individuel soutenu, surtout en Gironde et dans la Vienne."
    ),
    "Organisations and members": (
        "Le réseau rassemble des associations, des collectivités et des établissements "
        "d'enseignement supérieur de toute la région.\n"
        "Les adhésions sont à jour au 31 décembre."
    ),
    "Trainings": (
        "Les formations, courtes et gratuites pour les adhérents, ont souvent été découpées en "
        "plusieurs séances en ligne. Le questionnaire de fin de formation mesure la satisfaction."
    ),
    "Individual support": (
        "L'équipe a reçu les porteurs de projets pour les aider à structurer leur partenariat, "
        "leur budget et leurs demandes de financement. L'eau, l'agriculture et l'éducation restent "
        "les thèmes les plus fréquents."
    ),
    "Network life": (
        "Les groupes pays (Burkina Faso, Madagascar, Maghreb, Togo) et les groupes thématiques "
        "(eau et assainissement, ODD dans les territoires) se sont réunis tout au long de l'année."
    ),
}


def load_demo(*, seed: int) -> list[AnnualReport]:
    """Create the two demo reports; does nothing when reports exist already."""
    if AnnualReport.objects.exists():
        return []
    year = timezone.localdate().year
    author = get_user_model().objects.filter(role=Role.STAFF).order_by("pk").first()
    with translation.override("fr"):
        last = services.report_create(
            year=year - 1,
            title=f"Rapport d'activité {year - 1}",
            introduction=INTRODUCTION.format(year=year - 1),
        )
        # Sections come in the template's order: the English titles name the narratives.
        for (title, _text, _blocks), section in zip(
            services.DEFAULT_TEMPLATE, last.sections.all(), strict=True
        ):
            if title in NARRATIVES:
                text = NARRATIVES[title]
                services.section_update(section=section, title=section.title, text=text)
        services.report_publish(report=last, by=author)
        current = services.report_create(year=year, title=f"Rapport d'activité {year}")
    return [last, current]
