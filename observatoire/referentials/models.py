"""Reference data shipped with the product: geography, countries, SDGs and the vocabularies
staff may edit (themes, kinds of action, needs, kinds of organisation, colleges)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatoire.core.models import BilingualNameModel

latitude_validators = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
longitude_validators = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


def latitude_field(**kwargs):
    return models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, validators=latitude_validators, **kwargs
    )


def longitude_field(**kwargs):
    return models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, validators=longitude_validators, **kwargs
    )


class Region(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name=_("region")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    # Space-separated: a commune may have several postal codes and a code several communes.
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("département"),
    )
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        first_code = self.postal_codes.split(" ")[0] if self.postal_codes else self.insee_code
        return f"{self.name} ({first_code})"

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()


class Country(models.Model):
    class Continent(models.TextChoices):
        AFRICA = "AF", _("Africa")
        AMERICAS = "AM", _("Americas")
        ASIA = "AS", _("Asia")
        EUROPE = "EU", _("Europe")
        OCEANIA = "OC", _("Oceania")
        ANTARCTICA = "AN", _("Antarctica")

    iso2 = models.CharField(
        _("ISO 3166-1 alpha-2 code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$")],
    )
    iso3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    continent = models.CharField(_("continent"), max_length=2, choices=Continent.choices)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class SDG(models.Model):
    """One of the 17 Sustainable Development Goals (ODD)."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    short_name_fr = models.CharField(_("short name (French)"), max_length=100)
    short_name_en = models.CharField(_("short name (English)"), max_length=100)
    color = models.CharField(
        _("official colour"), max_length=7, validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}$")]
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG")
        verbose_name_plural = _("SDGs")

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr

    @property
    def short_name(self) -> str:
        return (
            self.short_name_en if (get_language() or "fr").startswith("en") else self.short_name_fr
        )


class SDGTarget(models.Model):
    goal = models.ForeignKey(
        SDG, on_delete=models.CASCADE, related_name="targets", verbose_name=_("goal")
    )
    code = models.CharField(_("code"), max_length=5, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        ordering = ["goal__number", "position"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "fr").startswith("en") else self.text_fr


class DacSector(models.Model):
    """An OECD DAC 5-digit purpose code (IATI “Sector” codelist), named in French and English."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    category = models.CharField(_("3-digit category"), max_length=3, db_index=True)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Withdrawn codes stay for older projects.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("DAC sector")
        verbose_name_plural = _("DAC sectors")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class VocabularyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Vocabulary(BilingualNameModel):
    """An editable list entry: staff add, rename, reorder or retire entries in the back office."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired entries stay on existing records.")
    )

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name_fr"]


class Theme(Vocabulary):
    # The crosswalk to the OECD DAC sectors: a project on this theme is proposed these sectors.
    dac_sectors = models.ManyToManyField(
        DacSector,
        blank=True,
        related_name="themes",
        verbose_name=_("DAC sectors"),
        help_text=_("Sectors proposed for a project on this theme (editable on the project)."),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class ActionKind(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("kind of action")
        verbose_name_plural = _("kinds of action")


class Need(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("need")
        verbose_name_plural = _("needs")


class College(Vocabulary):
    """A membership college of the network's general assembly."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("college")
        verbose_name_plural = _("colleges")


class OrganizationKind(Vocabulary):
    class Family(models.TextChoices):
        ASSOCIATION = "association", _("Association, NGO or foundation")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        EDUCATION = "education", _("University or training body")
        ECONOMIC = "economic", _("Economic actor")
        OTHER = "other", _("Other actor")

    class AuthorityLevel(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("Inter-municipal body (EPCI)")
        DEPARTEMENT = "departement", _("Département")
        REGION = "region", _("Région")
        SYNDICATE = "syndicate", _("Syndicate")
        TWINNING_COMMITTEE = "twinning_committee", _("Twinning committee")

    family = models.CharField(_("family"), max_length=20, choices=Family.choices)
    authority_level = models.CharField(
        _("local authority level"),
        max_length=20,
        choices=AuthorityLevel.choices,
        blank=True,
    )
    default_college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default college"),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("kind of organisation")
        verbose_name_plural = _("kinds of organisation")
