#!/usr/bin/env python
"""Write dedupe_fr_labelled.csv: French labelled pairs of organisation descriptions.

Written from general knowledge of French public bodies and of the associations of international
solidarity, before measuring the matcher on it, and not changed after. Each row is a pair with
`same` = 1 (the same organisation under two names) or 0 (two organisations, often a hard case).
The place columns hold a département code and a commune label; empty when unknown, as in
imports without an address.
"""

import csv
from pathlib import Path

HEADER = [
    "category", "same",
    "name_a", "acronym_a", "departement_a", "commune_a", "website_a",
    "name_b", "acronym_b", "departement_b", "commune_b", "website_b",
]  # fmt: skip
rows: list[list[str]] = []


def pair(category, same, a, b):
    """a, b: (name, acronym, département, commune, website); short tuples are padded."""
    a = (tuple(a) + ("", "", "", "", ""))[:5]
    b = (tuple(b) + ("", "", "", "", ""))[:5]
    rows.append([category, "1" if same else "0", *a, *b])


# Communes: (name, département) of real towns of several regions.
TOWNS = [
    ("Bordeaux", "33"), ("Pessac", "33"), ("Mérignac", "33"), ("Bègles", "33"),
    ("Libourne", "33"), ("Saint-Médard-en-Jalles", "33"), ("Poitiers", "86"),
    ("Châtellerault", "86"), ("Niort", "79"), ("Parthenay", "79"), ("Melle", "79"),
    ("Angoulême", "16"), ("Cognac", "16"), ("La Rochelle", "17"), ("Rochefort", "17"),
    ("Saintes", "17"), ("Tulle", "19"), ("Brive-la-Gaillarde", "19"), ("Limoges", "87"),
    ("Périgueux", "24"), ("Bergerac", "24"), ("Agen", "47"), ("Pau", "64"), ("Bayonne", "64"),
    ("Biarritz", "64"), ("Mont-de-Marsan", "40"), ("Dax", "40"), ("Guéret", "23"),
    ("Rennes", "35"), ("Saint-Malo", "35"), ("Brest", "29"), ("Quimper", "29"),
    ("Lorient", "56"), ("Nantes", "44"), ("Saint-Nazaire", "44"), ("Angers", "49"),
    ("Le Mans", "72"), ("Lyon", "69"), ("Villeurbanne", "69"), ("Grenoble", "38"),
    ("Saint-Étienne", "42"), ("Chambéry", "73"), ("Annecy", "74"), ("Clermont-Ferrand", "63"),
    ("Toulouse", "31"), ("Montpellier", "34"), ("Nîmes", "30"), ("Perpignan", "66"),
    ("Lille", "59"), ("Roubaix", "59"), ("Dunkerque", "59"), ("Arras", "62"),
    ("Amiens", "80"), ("Strasbourg", "67"), ("Mulhouse", "68"), ("Metz", "57"),
    ("Nancy", "54"), ("Dijon", "21"), ("Besançon", "25"), ("Orléans", "45"), ("Tours", "37"),
    ("Marseille", "13"), ("Aix-en-Provence", "13"), ("Nice", "06"), ("Rouen", "76"),
    ("Le Havre", "76"), ("Caen", "14"), ("Cherbourg-en-Cotentin", "50"),
]  # fmt: skip
AUTHORITY_FORMS = ["Ville de {}", "Mairie de {}", "Commune de {}", "{}", "VILLE DE {}"]

# 1. The same commune under its usual names.
for index, (town, dept) in enumerate(TOWNS):
    first = AUTHORITY_FORMS[index % 5]
    second = AUTHORITY_FORMS[(index + 1 + index // 5) % 5]
    if first == second:
        second = AUTHORITY_FORMS[(index + 2) % 5]
    place = f"{town} ({dept})"
    with_place = index % 4 != 3  # some imported rows lack the commune
    pair(
        "commune_names", True,
        (first.format(town), "", dept, place),
        (second.format(town), "", dept if with_place else "", place if with_place else ""),
    )  # fmt: skip

# 2. Homonym communes in different départements: not the same.
HOMONYMS = [
    ("Saint-Denis", "93", "974"), ("Saint-Pierre", "974", "15"), ("Saint-Paul", "974", "60"),
    ("Valence", "26", "82"), ("Montreuil", "93", "85"), ("Beaulieu", "15", "34"),
    ("Villeneuve", "04", "33"), ("Fontaine", "38", "90"), ("Cernay", "68", "14"),
    ("Bagnols", "63", "69"), ("Sainte-Marie", "974", "05"), ("Saint-Martin", "32", "67"),
    ("Saint-Germain", "10", "54"), ("Sainte-Colombe", "69", "33"), ("Castelnau", "33", "66"),
    ("Montigny", "18", "76"), ("Neuville", "19", "63"), ("Villers", "42", "88"),
    ("Saint-Laurent", "08", "74"), ("Bourg", "33", "52"), ("Vic", "09", "36"),
    ("Aubigny", "03", "79"), ("Château-Thierry", "02", "02"), ("Saint-Cyr", "07", "50"),
    ("Dampierre", "10", "39"), ("Mesnil", "50", "61"), ("Brie", "02", "35"),
    ("Charly", "18", "69"), ("Saint-Jean", "31", "42"), ("La Chapelle", "03", "08"),
    ("Champagne", "07", "28"), ("Marcy", "02", "58"), ("Lucé", "28", "61"),
    ("Saint-Aubin", "10", "39"), ("Laval", "53", "38"), ("Fleury", "11", "60"),
]  # fmt: skip
for index, (town, dept_a, dept_b) in enumerate(HOMONYMS):
    if dept_a == dept_b:
        continue  # (kept out: the same name twice in one département is another story)
    first = AUTHORITY_FORMS[index % 3]
    second = AUTHORITY_FORMS[(index + 1) % 3]
    pair(
        "homonym_communes", False,
        (first.format(town), "", dept_a, f"{town} ({dept_a})"),
        (second.format(town), "", dept_b, f"{town} ({dept_b})"),
    )  # fmt: skip

# 3. A commune and the bodies named after it: not the same.
DEPENDENTS = [
    "Comité de jumelage de {}", "CCAS de {}", "Centre communal d'action sociale de {}",
    "Office de tourisme de {}", "Lycée professionnel de {}", "Université de {}",
    "Communauté de communes de {}", "Comité de jumelage {}", "École de musique de {}",
    "Syndicat des eaux de {}",
]  # fmt: skip
for index, (town, dept) in enumerate(TOWNS[:60]):
    dependent = DEPENDENTS[index % len(DEPENDENTS)]
    authority = AUTHORITY_FORMS[index % 3]
    place = f"{town} ({dept})"
    pair(
        "commune_vs_dependent_body", False,
        (authority.format(town), "", dept, place),
        (dependent.format(town), "", dept, place),
    )  # fmt: skip

# 4. Départements and regions under their usual and official names.
DEPARTEMENTS = [
    ("de la Gironde", "Gironde", "33"), ("de la Vienne", "Vienne", "86"),
    ("des Deux-Sèvres", "Deux-Sèvres", "79"), ("de la Charente", "Charente", "16"),
    ("de la Charente-Maritime", "Charente-Maritime", "17"), ("de la Corrèze", "Corrèze", "19"),
    ("de la Haute-Vienne", "Haute-Vienne", "87"), ("de la Dordogne", "Dordogne", "24"),
    ("du Lot-et-Garonne", "Lot-et-Garonne", "47"), ("des Landes", "Landes", "40"),
    ("des Pyrénées-Atlantiques", "Pyrénées-Atlantiques", "64"), ("d'Ille-et-Vilaine",
    "Ille-et-Vilaine", "35"), ("du Finistère", "Finistère", "29"), ("du Nord", "Nord", "59"),
    ("de l'Isère", "Isère", "38"), ("de la Haute-Garonne", "Haute-Garonne", "31"),
]  # fmt: skip
for index, (article, short, dept) in enumerate(DEPARTEMENTS):
    forms = [
        (f"Département {article}", f"Conseil départemental {article}"),
        (f"Conseil départemental {article}", f"Département {short}"),
        (f"Département {article}", f"CD {short}"),
    ]
    first, second = forms[index % 3]
    pair("departements", True, (first, "", dept), (second, "", dept))
REGIONS = [
    ("Nouvelle-Aquitaine", "33"), ("Bretagne", "35"), ("Occitanie", "31"),
    ("Auvergne-Rhône-Alpes", "69"), ("Hauts-de-France", "59"), ("Grand Est", "67"),
    ("Normandie", "14"), ("Pays de la Loire", "44"), ("Bourgogne-Franche-Comté", "21"),
    ("Centre-Val de Loire", "45"), ("Provence-Alpes-Côte d'Azur", "13"), ("Île-de-France", "75"),
]  # fmt: skip
for index, (region, dept) in enumerate(REGIONS):
    forms = [
        (f"Région {region}", f"Conseil régional de {region}"),
        (f"Conseil régional {region}", f"Région {region}"),
        (f"Région {region}", f"{region} (Région)"),
    ]
    first, second = forms[index % 3]
    pair("regions", True, (first, "", dept), (second, "", "" if index % 2 else dept))
# A département and the town, or the region and the département: not the same.
for town_like, dept_article, dept in [
    ("Vienne", "de la Vienne", "86"), ("Charente", "de la Charente", "16"),
    ("Nord", "du Nord", "59"), ("Landes", "des Landes", "40"), ("Gironde", "de la Gironde", "33"),
    ("Dordogne", "de la Dordogne", "24"), ("Isère", "de l'Isère", "38"),
    ("Finistère", "du Finistère", "29"),
]:  # fmt: skip
    pair(
        "departement_vs_other", False,
        (f"Département {dept_article}", "", dept),
        (f"Comité de jumelage de la {town_like}", "", dept),
    )  # fmt: skip
for town, dept in [("Poitiers", "86"), ("Bordeaux", "33"), ("Limoges", "87"),
                   ("Rennes", "35"), ("Lille", "59"), ("Toulouse", "31")]:  # fmt: skip
    pair(
        "departement_vs_other", False,
        (f"Ville de {town}", "", dept, f"{town} ({dept})"),
        (f"Communauté urbaine de {town}", "", dept, f"{town} ({dept})"),
    )  # fmt: skip

# 5. Inter-municipal bodies under their names.
EPCI = [
    ("Bordeaux Métropole", "Métropole de Bordeaux", "33"),
    ("Communauté d'agglomération de La Rochelle", "Agglomération de La Rochelle", "17"),
    ("Grand Poitiers Communauté urbaine", "Grand Poitiers", "86"),
    ("GrandAngoulême", "Communauté d'agglomération du Grand Angoulême", "16"),
    ("Niort Agglo", "Communauté d'agglomération du Niortais", "79"),
    ("Rennes Métropole", "Métropole de Rennes", "35"),
    ("Nantes Métropole", "Métropole Nantes", "44"),
    ("Brest métropole", "Brest Métropole Océane", "29"),
    ("Limoges Métropole", "Communauté urbaine Limoges Métropole", "87"),
    ("Communauté d'agglomération du Pays Basque", "Agglomération Pays Basque", "64"),
    ("Toulouse Métropole", "Métropole de Toulouse", "31"),
    ("Métropole Européenne de Lille", "MEL", "59"),
    ("Eurométropole de Strasbourg", "Eurométropole Strasbourg", "67"),
    ("Grenoble-Alpes Métropole", "Grenoble Alpes Métropole", "38"),
    ("Communauté de communes du Thouarsais", "CC du Thouarsais", "79"),
    ("Communauté de communes Haute-Saintonge", "CDC de la Haute-Saintonge", "17"),
    ("Agglomération Royan Atlantique", "Communauté d'agglomération Royan Atlantique", "17"),
    ("Tulle Agglo", "Communauté d'agglomération Tulle Agglo", "19"),
]  # fmt: skip
for first, second, dept in EPCI:
    pair("epci_names", True, (first, "", dept), (second, "", dept))

# 6. Associations with and without their legal and generic words, case, accents, punctuation.
ASSOCIATIONS = [
    ("Association Eau Vive Charente", "Eau Vive Charente", "16"),
    ("Les Amis de Koudougou", "Association Les Amis de Koudougou", "86"),
    ("Solidarité Laïque", "Association Solidarité Laïque", "75"),
    ("Fédération Artisans du Monde", "Artisans du Monde", "75"),
    ("Association des Togolais de Niort", "Asso des Togolais de Niort", "79"),
    ("Amis d'Atakpamé (Les)", "Les Amis d'Atakpamé", "79"),
    ("SOLIDARITE GIRONDE BURKINA", "Solidarité Gironde–Burkina", "33"),
    ("Asso. Eau-Vive Charente", "Eau Vive Charente", "16"),
    ("Collectif Madagascar Bretagne", "Madagascar Bretagne", "35"),
    ("Association Puits du Sahel", "Puits du Sahel", "47"),
    ("Ingénieurs sans frontières Poitou", "Ingénieurs Sans Frontières - Poitou", "86"),
    ("Comité de soutien aux écoles de Dédougou", "Soutien aux écoles de Dédougou", "19"),
    ("Entraide Limousin-Sénégal", "Association Entraide Limousin Sénégal", "87"),
    ("Les Enfants de Tafraout", "Association les enfants de Tafraout", "64"),
    ("Femmes solidaires du Bénin", "Association Femmes Solidaires du Benin", "31"),
    ("Horizons Haïti", "Association Horizons Haiti", "33"),
    ("Passerelles Mali Aquitaine", "Passerelles Mali-Aquitaine", "33"),
    ("Vélos pour le Togo", "Association Vélos pour le Togo", "79"),
    ("Médecins du Monde Aquitaine", "Médecins du monde - délégation Aquitaine", "33"),
    ("Aide et Action", "Association Aide & Action", "69"),
    ("Terre des Hommes France", "Terre des hommes France (association)", "93"),
    ("Agronomes et Vétérinaires sans frontières", "Agronomes & Vétérinaires Sans Frontières", "69"),
    ("Électriciens sans frontières", "Electriciens Sans Frontieres", "92"),
    ("Le Partenariat", "Association Le Partenariat", "59"),
    ("Échanges Bretagne Burkina", "Echanges Bretagne-Burkina", "29"),
    ("Club UNESCO de Saintes", "Club Unesco Saintes", "17"),
    ("Amitié Saintes-Kpalimé", "Association Amitié Saintes Kpalimé", "17"),
    ("Coopération Atlantique Guinée 44", "Cooperation Atlantique Guinee 44", "44"),
    ("Les Amis du Vietnam", "Amis du Viêt Nam (Les)", "31"),
    ("Solidarité Madagascar Vienne", "Solidarite Madagascar - Vienne", "86"),
    ("Jeunesse et Développement Niger", "Jeunesse & développement Niger", "63"),
    ("Santé Sud", "Association Santé Sud", "13"),
    ("Partage Dakar Poitiers", "Partage Dakar-Poitiers asso", "86"),
    ("Tulipe Solidarité", "Association TULIPE Solidarité", "92"),
    ("Bretagne Solidarité Togo", "Bretagne-Solidarité-Togo", "56"),
    ("Le Relais Madagascar", "Relais Madagascar", "29"),
    ("Lycée agricole de Melle", "Lycee Agricole Melle", "79"),
    ("Université de Poitiers", "Universite de Poitiers", "86"),
    ("Chambre d'agriculture des Deux-Sèvres", "Chambre d'Agriculture Deux-Sèvres", "79"),
    ("Maison des Solidarités de Pessac", "Maison des solidarités - Pessac", "33"),
    ("Cités Unies France", "Association Cités Unies France", "75"),
    ("Hydraulique Sans Frontières Sud-Ouest", "Hydraulique sans frontières (Sud Ouest)", "33"),
    ("Association Burkina Gironde Entraide", "Burkina-Gironde Entraide", "33"),
    ("Fondation Énergies pour le Monde", "Fondation Energies pour le monde", "75"),
    ("ONG Inter Aide", "Inter Aide", "78"),
    ("Comité Tulle-Dédougou", "Comite Tulle Dedougou", "19"),
    ("Les Amis de Ouahigouya", "Amis de Ouahigouya", "16"),
    ("Eau et Vie", "Association Eau & Vie", "69"),
    ("Kinkeliba", "Association Kinkéliba", "69"),
    ("Tétraktys", "Association Tetraktys", "38"),
]  # fmt: skip
for index, (first, second, dept) in enumerate(ASSOCIATIONS):
    # Some pairs come from an import without the département on one side.
    pair("association_variants", True, (first, "", dept), (second, "", dept if index % 3 else ""))
# Typing slips seen in forms and imports.
for first, second, dept in [
    ("Solidarité Burkina Faso Charente", "Solidarite Burkina Fasso Charente", "16"),
    ("Les Amis de Kpalimé", "Les Amis de Kpalime", "17"),
    ("Association Mali Santé", "Association Malli Santé", "47"),
    ("Partenaires Madagascar", "Partenaire Madagascar", "86"),
    ("Coopération Poitou-Oujda", "Cooperation Poitou Oudja", "86"),
    ("Enfants du Sahel Gironde", "Enfant du Sahel Gironde", "33"),
    ("Amitiés Bretagne Cameroun", "Amitié Bretagne Cameroun", "35"),
    ("Jumelage Rochefort-Kayes", "Jumelage Rochefort Kaye", "17"),
    ("Écoles du Monde Limousin", "Ecoles du monde Limousi", "87"),
    ("Forêts et Développement", "Forets et Developement", "24"),
]:  # fmt: skip
    pair("typing_slips", True, (first, "", dept), (second, "", dept))

# 7. Acronyms against full names.
ACRONYMS = [
    ("AFD", "Agence française de développement", "75"),
    ("SPF", "Secours populaire français", "75"),
    ("MSF", "Médecins sans frontières", "75"),
    ("CUF", "Cités Unies France", "75"),
    ("ESF", "Électriciens sans frontières", "92"),
    ("AVSF", "Agronomes et vétérinaires sans frontières", "69"),
    ("CFSI", "Comité français pour la solidarité internationale", "75"),
    ("IRD", "Institut de recherche pour le développement", "13"),
    ("CCFD-Terre Solidaire", "Comité catholique contre la faim et pour le développement", "75"),
    ("GRDR", "Groupe de recherche et de réalisations pour le développement rural", "93"),
    ("CIRAD", "Centre de coopération internationale en recherche agronomique pour le "
     "développement", "34"),
    ("HSF Sud-Ouest", "Hydraulique Sans Frontières Sud-Ouest", "33"),
    ("ISF", "Ingénieurs sans frontières", "93"),
    ("ACF", "Action contre la faim", "75"),
    ("SCD", "Service de coopération au développement", "69"),
    ("AMI", "Aide médicale internationale", "75"),
    ("CIEDEL", "Centre international d'études pour le développement local", "69"),
    ("RADSI", "Réseau aquitain pour le développement et la solidarité internationale", "33"),
    ("SO Coopération", "Sud-Ouest Coopération", "33"),
    ("CRID", "Centre de recherche et d'information pour le développement", "75"),
    ("ASTN", "Association des Togolais de Niort", "79"),
    ("AFVP", "Association française des volontaires du progrès", "94"),
    ("FDS", "Fédération des Sénégalais de Bordeaux", "33"),
    ("UNICEF France", "Fonds des Nations unies pour l'enfance - France", "75"),
    ("CCAS Pessac", "Centre communal d'action sociale de Pessac", "33"),
    ("IUT de Poitiers", "Institut universitaire de technologie de Poitiers", "86"),
    ("CNRS", "Centre national de la recherche scientifique", "75"),
    ("MAE", "Maison des associations et de l'entraide", "17"),
    ("ADT Niort", "Amitié Dédougou Thouars Niort", "79"),
    ("ESSF", "Économie sociale et solidaire France", "75"),
]  # fmt: skip
for index, (short, long, dept) in enumerate(ACRONYMS):
    # Half the time the acronym is also filled in on the long record.
    acronym = short.split()[0].split("-")[0] if index % 2 else ""
    pair("acronyms", True, (short, "", dept), (long, acronym, dept))
# Acronyms that collide with another organisation's initials: not the same.
for short, long, dept in [
    ("AFD", "Association France Djibouti", "75"),
    ("MSF", "Mouvement solidarité femmes", "33"),
    ("ACF", "Association culturelle franco-marocaine", "86"),
    ("CUF", "Comité universitaire de Fès", "31"),
    ("SPF", "Société protectrice des forêts", "40"),
    ("ISF", "Initiative solidaire France", "69"),
    ("CFSI", "Collectif franco-sénégalais d'insertion", "59"),
    ("IRD", "Institut régional de danse", "64"),
    ("ESF", "École de ski français", "74"),
    ("AMI", "Association des malades de l'intestin", "67"),
]:  # fmt: skip
    pair("acronym_collisions", False, (short, "", dept), (long, "", dept))

# 8. Associations with close names that are two organisations.
DISTINCT = [
    ("Solidarité Burkina Gironde", "Solidarité Burkina Vienne", "33", "86"),
    ("Les Amis de Koudougou", "Les Amis de Kaya", "86", "86"),
    ("Association des Maliens de Bordeaux", "Association des Sénégalais de Bordeaux", "33", "33"),
    ("Aide et Action", "Action contre la faim", "69", "75"),
    ("Eau Vive Charente", "Eau Vive Gironde", "16", "33"),
    ("Médecins du Monde", "Médecins sans frontières", "75", "75"),
    ("Ingénieurs sans frontières", "Électriciens sans frontières", "93", "92"),
    ("Amitié Niort-Atakpamé", "Amitié Niort-Covè", "79", "79"),
    ("Comité de jumelage Tulle–Dédougou", "Comité de jumelage Tulle–Bad Grund", "19", "19"),
    ("Les Amis de Madagascar", "Les Amis du Mali", "35", "35"),
    ("Solidarité Togo Charente", "Solidarité Bénin Charente", "16", "16"),
    ("Association des Togolais de Niort", "Association des Togolais de Poitiers", "79", "86"),
    ("Femmes solidaires du Bénin", "Femmes solidaires du Burkina", "31", "31"),
    ("Enfants du Sahel Gironde", "Enfants du Mékong", "33", "75"),
    ("Puits du Sahel", "Puits du Désert", "47", "04"),
    ("Passerelles Mali Aquitaine", "Passerelles Sénégal Aquitaine", "33", "33"),
    ("Horizons Haïti", "Horizons Cameroun", "33", "33"),
    ("Échanges Bretagne Burkina", "Échanges Bretagne Pérou", "29", "29"),
    ("Lycée professionnel de Melle", "Lycée agricole de Melle", "79", "79"),
    ("Université de Poitiers", "Université de Limoges", "86", "87"),
    ("Université Bordeaux Montaigne", "Université de Bordeaux", "33", "33"),
    ("Chambre d'agriculture des Deux-Sèvres", "Chambre d'agriculture de la Vienne", "79", "86"),
    ("Vélos pour le Togo", "Vélos pour l'Afrique", "79", "44"),
    ("Santé Sud", "Santé Nord-Sud", "13", "59"),
    ("Tulipe Solidarité", "Solidarité Tulipe Rouge", "92", "62"),
    ("Les Amis d'Atakpamé", "Les Amis de Kpalimé", "79", "17"),
    ("Coopération Atlantique Guinée 44", "Coopération Atlantique Guinée 56", "44", "56"),
    ("Solidarité Madagascar Vienne", "Solidarité Madagascar Haute-Vienne", "86", "87"),
    ("Maison des Solidarités de Pessac", "Maison des Solidarités de Bègles", "33", "33"),
    ("Club UNESCO de Saintes", "Club UNESCO de Cognac", "17", "16"),
    ("Association Sénégal Bretagne", "Association Bretagne Sénégal Santé", "35", "29"),
    ("Artisans du Monde Poitiers", "Artisans du Monde Niort", "86", "79"),
    ("Secours populaire français Gironde", "Secours catholique Gironde", "33", "33"),
    ("Croix-Rouge française Vienne", "Croix-Rouge française Charente", "86", "16"),
    ("Amnesty International groupe de Pau", "Amnesty International groupe de Bayonne", "64",
     "64"),
    ("Jeunesse et Développement Niger", "Jeunesse et Développement Mali", "63", "63"),
    ("Les Enfants de Tafraout", "Les Enfants d'Essaouira", "64", "64"),
    ("Agir pour le Cambodge", "Agir pour le Vietnam", "37", "37"),
    ("Bretagne Solidarité Togo", "Bretagne Solidarité Tchad", "56", "56"),
    ("Comité Tulle-Dédougou", "Comité Brive-Dédougou", "19", "19"),
]  # fmt: skip
for first, second, dept_a, dept_b in DISTINCT:
    pair("distinct_associations", False, (first, "", dept_a), (second, "", dept_b))

# 9. The same organisation found through its website.
for first, second, dept, site in [
    ("Eau Vive Charente", "EVC (Charente)", "16", "https://www.eauvivecharente.org"),
    ("Les Amis d'Atakpamé", "Amis Atakpamé Niort", "79", "http://amis-atakpame.fr/"),
    ("Solidarité Gironde Burkina", "S.G.B.", "33", "https://sgb33.org"),
    ("Ville de Pessac", "Pessac, service des relations internationales", "33",
     "https://www.pessac.fr"),
    ("Université de Poitiers", "UP - relations internationales", "86",
     "https://www.univ-poitiers.fr"),
    ("Hydraulique Sans Frontières Sud-Ouest", "HSF SO", "33", "https://hsf-so.org"),
]:  # fmt: skip
    pair("same_website", True, (first, "", dept, "", site), (second, "", dept, "", site + "/"))

path = Path(__file__).with_name("dedupe_fr_labelled.csv")
with open(path, "w", newline="", encoding="utf-8") as file:
    writer = csv.writer(file)
    writer.writerow(HEADER)
    writer.writerows(rows)
positives = sum(row[1] == "1" for row in rows)
print(f"{path.name}: {len(rows)} pairs, {positives} same, {len(rows) - positives} different")
