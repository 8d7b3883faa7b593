"""Country and thematic groups: the network's standing working groups and who takes part."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire.core.models import TimeStampedModel
from observatoire.organizations.models import Organization, Person
from observatoire.referentials.models import Country, Theme


class GroupQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Group(TimeStampedModel):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country group")
        THEMATIC = "thematic", _("Thematic group")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address in the site"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff lead"),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Show the group's page on the public site.")
    )
    archived_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


class GroupMemberQuerySet(models.QuerySet):
    def current(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gte=on), joined_on__lte=on)


class GroupMember(models.Model):
    """An organisation or a person taking part in a group over a period."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        OBSERVER = "observer", _("Observer")

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="members", verbose_name=_("group")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(_("since"))
    left_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = GroupMemberQuerySet.as_manager()

    class Meta:
        ordering = ["group", "-joined_on"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | Q(person__isnull=False),
                name="group_member_is_someone",
                violation_error_message=_("Choose an organisation or a person."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="group_member_dates_ordered",
                violation_error_message=_("The end date comes before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organization} — {self.group}"


class GroupDocument(models.Model):
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="documents", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="groups/%Y/")
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Listed on the group's public page.")
    )
    uploaded_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title
