from django.db import migrations

QUESTION = "La formation a-t-elle répondu à vos attentes dans l'ensemble ?"
CHOICES = [
    ("very_satisfied", "Très satisfait·e"),
    ("satisfied", "Satisfait·e"),
    ("not_very_satisfied", "Peu satisfait·e"),
    ("not_at_all_satisfied", "Pas du tout satisfait·e"),
]


def load_default_template(apps, schema_editor):
    SurveyTemplate = apps.get_model("surveys", "SurveyTemplate")
    Question = apps.get_model("surveys", "Question")
    Choice = apps.get_model("surveys", "Choice")
    if SurveyTemplate.objects.filter(is_default=True).exists():
        return
    template = SurveyTemplate.objects.create(
        name="Questionnaire de satisfaction des formations",
        name_en="Training satisfaction survey",
        intro=(
            "Merci d'avoir participé à cette formation. Vos réponses nous aident à améliorer "
            "les prochaines sessions."
        ),
        anonymous=False,
        is_default=True,
        event_kinds=["training"],
    )
    question = Question.objects.create(
        template=template, order=1, text=QUESTION, kind="single", required=True
    )
    Choice.objects.bulk_create(
        [
            Choice(question=question, order=index, key=key, label=label)
            for index, (key, label) in enumerate(CHOICES, start=1)
        ]
    )
    Question.objects.create(
        template=template,
        order=2,
        text="Vos remarques et suggestions",
        kind="free_text",
        required=False,
    )


def remove_default_template(apps, schema_editor):
    SurveyTemplate = apps.get_model("surveys", "SurveyTemplate")
    SurveyTemplate.objects.filter(
        is_default=True, name="Questionnaire de satisfaction des formations"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load_default_template, remove_default_template)]
