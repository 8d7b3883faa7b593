from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire.core.models import TimeStampedModel
from observatoire.organizations.models import Organization


class NewsItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__isnull=False)


class NewsItem(TimeStampedModel):
    """News of the network (no organisation) or of one listed organisation, for the public site."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_items",
        verbose_name=_("organisation"),
        help_text=_("Leave empty for news of the network itself."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address in the site"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("text"), max_length=20000)
    # Content stays in the language it was written in; the page says which.
    language = models.CharField(
        _("language of the text"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    image = models.ImageField(_("image"), upload_to="news/%Y/", blank=True)
    image_alt = models.CharField(
        _("description of the image"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [models.Index(fields=["is_published", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"slug": self.slug})
