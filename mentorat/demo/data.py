"""Reference values for the demo: fields of study, occupations and skills by ROME domain."""

FIELDS_BY_DOMAIN: dict[str, list[tuple[str, list[str]]]] = {
    # domain: [(field of study, [occupations])]
    "M": [
        (
            "Informatique",
            [
                "Développeur·se web",
                "Data analyst",
                "Administrateur·rice systèmes",
                "Cheffe de projet informatique",
                "Ingénieur·e DevOps",
            ],
        ),
        (
            "Gestion des entreprises",
            [
                "Contrôleur·se de gestion",
                "Chargé·e de recrutement",
                "Comptable",
                "Assistant·e de direction",
            ],
        ),
        ("Droit", ["Juriste d'entreprise", "Chargé·e de conformité"]),
    ],
    "C": [
        (
            "Banque et finance",
            ["Conseiller·ère clientèle bancaire", "Analyste crédit", "Gestionnaire de patrimoine"],
        )
    ],
    "D": [
        (
            "Commerce et vente",
            ["Commercial·e B2B", "Responsable de magasin", "Chargé·e de clientèle"],
        )
    ],
    "E": [
        (
            "Communication et médias",
            ["Chargé·e de communication", "Journaliste", "Community manager", "Graphiste"],
        )
    ],
    "F": [
        (
            "Génie civil",
            [
                "Conducteur·rice de travaux",
                "Dessinateur·rice BTP",
                "Électricien·ne du bâtiment",
                "Maçon·ne",
            ],
        )
    ],
    "G": [("Hôtellerie-restauration", ["Cuisinier·ère", "Réceptionniste", "Responsable de salle"])],
    "H": [
        (
            "Génie mécanique et industriel",
            [
                "Technicien·ne de production",
                "Ingénieur·e qualité",
                "Soudeur·se",
                "Opérateur·rice de maintenance industrielle",
            ],
        )
    ],
    "I": [
        (
            "Maintenance des systèmes",
            ["Technicien·ne de maintenance", "Installateur·rice de réseaux", "Frigoriste"],
        )
    ],
    "J": [
        ("Santé et social", ["Infirmier·ère", "Aide-soignant·e", "Préparateur·rice en pharmacie"])
    ],
    "K": [
        (
            "Travail social",
            [
                "Éducateur·rice spécialisé·e",
                "Conseiller·ère en insertion",
                "Animateur·rice socioculturel·le",
            ],
        )
    ],
    "N": [
        (
            "Transport et logistique",
            ["Responsable logistique", "Agent·e de transit", "Cariste", "Gestionnaire de flux"],
        )
    ],
}

FIELD_SKILLS = [
    "Python",
    "SQL",
    "JavaScript",
    "Analyse de données",
    "Comptabilité",
    "Droit social",
    "Relation client",
    "Négociation commerciale",
    "Rédaction",
    "Réseaux sociaux",
    "Lecture de plans",
    "Habilitation électrique",
    "Soudure",
    "Maintenance préventive",
    "Normes qualité ISO 9001",
    "Gestion des stocks",
    "Cuisine traditionnelle",
    "Soins infirmiers",
    "Accompagnement social",
    "Conduite de chantier",
    "Excel avancé",
    "Graphisme",
    "Cybersécurité",
    "Anglais professionnel",
    "Gestion de patrimoine",
    "Logistique",
]
TRANSVERSAL_SKILLS = [
    "Gestion de projet",
    "Communication",
    "Leadership",
    "Prise de parole en public",
    "Travail en équipe",
    "Organisation",
    "Gestion du stress",
    "Résolution de problèmes",
    "Esprit critique",
    "Créativité",
    "Gestion des conflits",
    "Recherche d'emploi",
    "Réseau professionnel",
]
