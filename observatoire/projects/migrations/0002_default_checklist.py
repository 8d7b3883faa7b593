"""The default checklist of each phase (DOMAIN.md, "Life of a cooperation project").

Staff edit it in the back office; a project copies the entries of its phase.
"""

from django.db import migrations

DEFAULT_CHECKLIST = {
    "emergence": [
        ("Contexte", "Connaître le contexte du territoire partenaire : population, "
         "institutions, services en place, besoins exprimés."),
        ("Historique de la relation", "Retracer l'histoire de la relation entre les "
         "partenaires et les projets menés auparavant."),
        ("Acteurs", "Identifier les organisations et les personnes concernées et leur "
         "position (moteur, suiveur, neutre, hostile) : la carte des acteurs."),
        ("Enjeux partagés", "Formuler les enjeux communs aux partenaires des deux territoires."),
    ],
    "construction": [
        ("Convention de partenariat", "Rédiger et signer la convention qui lie les partenaires."),
        ("Gouvernance", "Désigner le chef de file, répartir les rôles, instituer le comité de "
         "pilotage et le comité technique."),
        ("Plan d'action", "Objectifs, résultats attendus, activités et calendrier."),
        ("Critères d'évaluation", "Indicateurs avec leur situation de départ et leur cible."),
        ("Plan de financement", "Budget par poste et par partenaire, financeurs sollicités, "
         "cofinancements."),
    ],
    "implementation": [
        ("Coordination", "Réunir les instances, tenir le relevé de décisions, suivre le "
         "calendrier."),
        ("Rapports", "Produire les rapports narratifs et financiers dus aux financeurs."),
        ("Évaluation", "Mesurer les indicateurs et évaluer le projet avec les partenaires."),
        ("Capitalisation", "Tirer et partager les enseignements du projet."),
        ("Suite des financements", "Préparer la suite : nouveaux financements, pérennisation."),
    ],
}


def load_default_checklist(apps, schema_editor):
    ChecklistTemplateItem = apps.get_model("projects", "ChecklistTemplateItem")
    if ChecklistTemplateItem.objects.exists():
        return
    ChecklistTemplateItem.objects.bulk_create(
        ChecklistTemplateItem(phase=phase, title=title, guidance=guidance, position=position)
        for phase, items in DEFAULT_CHECKLIST.items()
        for position, (title, guidance) in enumerate(items, start=1)
    )


def unload(apps, schema_editor):
    apps.get_model("projects", "ChecklistTemplateItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(load_default_checklist, unload)]
