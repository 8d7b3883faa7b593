"""Demo news: the network's own news and that of three demo organisations, some with a photo.

Called by `load_demo_network` through `organizations.demo.load_app_demos`. The pictures are
drawn here (no file is shipped) and go through `clean_image` like any upload. Dates are
relative to now, so the list always looks recent.
"""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from observatoire.organizations.models import Organization

from .models import NewsItem
from .services import news_item_save

NETWORK = ""
EAU_VIVE = "Association Eau Vive Charente"
CHATELLERAULT = "Ville de Châtellerault"
NIORT_ATAKPAME = "Comité de jumelage Niort–Atakpamé"


def _picture(kind: str, seed: int) -> SimpleUploadedFile:
    """A small drawn picture: a landscape with a water tower, a meeting room, or fields."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 800), (135, 190, 230))
    draw = ImageDraw.Draw(image)
    if kind == "water":
        draw.rectangle((0, 520, 1200, 800), fill=(196, 150, 96))
        draw.ellipse((950, 80, 1070, 200), fill=(250, 210, 80))
        draw.rectangle((520, 260, 680, 360), fill=(90, 110, 130))
        for x in (540, 650):
            draw.rectangle((x, 360, x + 12, 600), fill=(70, 80, 90))
        draw.rectangle((300, 560, 360, 640), fill=(40, 90, 160))
    elif kind == "meeting":
        image.paste((236, 232, 222), (0, 0, 1200, 800))
        draw.rectangle((200, 420, 1000, 470), fill=(120, 80, 50))
        for index in range(7):
            x = 230 + index * 110
            color = tuple(rng.randint(40, 200) for _ in range(3))
            draw.ellipse((x, 250, x + 60, 310), fill=(160, 110, 80))
            draw.rectangle((x - 10, 310, x + 70, 420), fill=color)
        draw.rectangle((420, 60, 780, 200), fill=(10, 110, 138))
    else:
        for band in range(8):
            green = (60 + band * 15, 140 + band * 8, 60)
            draw.rectangle((0, 400 + band * 50, 1200, 450 + band * 50), fill=green)
        draw.ellipse((120, 90, 240, 210), fill=(250, 200, 70))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{kind}.jpg", buffer.getvalue(), content_type="image/jpeg")


# (days ago, organisation, language, title, summary, body, picture, alt text)
NEWS = [
    (
        2,
        NETWORK,
        "fr",
        "Assemblée générale 2026 : le réseau accueille douze nouveaux membres",
        "Réunis à Poitiers, les membres ont adopté le rapport d'activité et élu le conseil "
        "d'administration.",
        "Plus de quatre-vingts personnes ont participé à l'assemblée générale du réseau, à "
        "Poitiers. Le rapport d'activité et le rapport financier ont été adoptés à "
        "l'unanimité.\n\nDouze structures ont rejoint le réseau cette année, dont quatre "
        "collectivités territoriales. Le conseil d'administration compte désormais un siège "
        "de plus pour le collège des universités et organismes de formation.\n\nLes ateliers "
        "de l'après-midi ont porté sur la localisation des ODD dans les territoires.",
        "meeting",
        "Les participants de l'assemblée générale assis autour d'une grande table.",
    ),
    (
        9,
        EAU_VIVE,
        "fr",
        "Dédougou : trois bornes-fontaines mises en service",
        "Le comité de gestion de l'eau a pris le relais ; les premières redevances financent "
        "l'entretien.",
        "Après dix-huit mois de travaux, les trois bornes-fontaines du quartier de Kamandéna "
        "sont en service. Un comité de gestion, composé de six habitantes et habitants, "
        "perçoit une redevance qui finance l'entretien et la rémunération des fontainiers.\n\n"
        "Une mission de suivi est prévue en mars avec l'agence de l'eau Adour-Garonne.",
        "water",
        "Un château d'eau sur pilotis et une borne-fontaine dans un paysage sec.",
    ),
    (
        16,
        NETWORK,
        "fr",
        "Appel à projets de la Région : une réunion d'information le 12 du mois",
        "Les porteurs de projets de solidarité internationale peuvent déposer leur dossier "
        "jusqu'à la fin du trimestre.",
        "La Région Nouvelle-Aquitaine ouvre son appel à projets annuel de solidarité "
        "internationale. Le réseau organise une réunion d'information en ligne pour présenter "
        "les critères et répondre aux questions.\n\nLes chargées et chargés de mission "
        "proposent aussi des rendez-vous d'accompagnement individuel pour relire les notes "
        "d'intention.",
        "",
        "",
    ),
    (
        23,
        CHATELLERAULT,
        "fr",
        "Vingt ans de coopération entre Châtellerault et Oujda",
        "Une délégation oujdie a été reçue à l'hôtel de ville pour signer une nouvelle "
        "convention triennale.",
        "Partenaires depuis 2005, les deux villes ont signé une nouvelle convention de "
        "coopération décentralisée pour trois ans. Elle porte sur la gestion des déchets, la "
        "jeunesse et la culture.\n\nLa délégation a visité le centre de tri et rencontré les "
        "associations de la diaspora marocaine du Châtelleraudais.",
        "meeting",
        "Élus des deux villes réunis dans une salle de l'hôtel de ville.",
    ),
    (
        31,
        NIORT_ATAKPAME,
        "fr",
        "Chantier de jeunes à Atakpamé cet été",
        "Dix jeunes Niortais rejoindront dix jeunes Togolais pour rénover une école primaire.",
        "Le comité de jumelage prépare un chantier international de jeunes en juillet à "
        "Atakpamé. Au programme : rénovation de deux salles de classe, animations et "
        "découverte de la région des Plateaux.\n\nUne réunion de préparation a lieu chaque "
        "mois à la maison des associations de Niort.",
        "fields",
        "Des champs verts en terrasses sous le soleil.",
    ),
    (
        38,
        NETWORK,
        "en",
        "Regional networks meet in Brussels on localising the SDGs",
        "The network shared its barometer of how the region's actors cover the 17 goals.",
        "Representatives of French regional networks met European partners in Brussels to "
        "compare how local actors contribute to the Sustainable Development Goals.\n\nOur "
        "network presented its regional barometer, built from the directory, and the "
        "community of practice of the laureates of its SDG incubator.",
        "",
        "",
    ),
    (
        45,
        EAU_VIVE,
        "fr",
        "Soirée ciné-débat sur l'accès à l'eau à Angoulême",
        "Projection suivie d'un échange avec des partenaires burkinabè en visioconférence.",
        "Dans le cadre du Festival des solidarités, l'association organise une projection "
        "du documentaire « Goutte à goutte » suivie d'un débat.\n\nEntrée libre, dans la "
        "limite des places disponibles.",
        "",
        "",
    ),
    (
        60,
        NETWORK,
        "fr",
        "Publication du panorama des projets 2025",
        "Plus de quarante projets de coopération décrits et cartographiés.",
        "Le panorama des projets recense les projets de coopération et de solidarité "
        "internationale portés par les structures de la région : pays, thèmes, ODD, "
        "partenaires.\n\nChaque structure peut compléter ses projets depuis son espace.",
        "fields",
        "Paysage de champs cultivés en bandes de différents verts.",
    ),
]


def load_demo(*, seed: int) -> None:
    """Create the demo news; does nothing if news exist."""
    if NewsItem.objects.exists():
        return
    organizations = {
        organization.name: organization
        for organization in Organization.objects.qualified().filter(
            name__in=[EAU_VIVE, CHATELLERAULT, NIORT_ATAKPAME]
        )
    }
    now = timezone.now()
    for index, (days, source, language, title, summary, body, picture, alt) in enumerate(NEWS):
        organization = organizations.get(source) if source else None
        if source and organization is None:
            continue  # a smaller demo register without this organisation
        item = NewsItem(
            organization=organization,
            title=title,
            summary=summary,
            body=body,
            language=language,
            image_alt=alt,
            is_published=True,
            published_at=now - datetime.timedelta(days=days, hours=index),
        )
        news_item_save(item=item, image_upload=_picture(picture, seed + index) if picture else None)
    # One draft that staff have not published yet: it shows in the back office only.
    news_item_save(
        item=NewsItem(
            title="Retour sur la formation « cycle de projet » (brouillon)",
            body="Texte en cours de rédaction.",
        )
    )
