"""Publishes version 1 of each legal page so a fresh installation has them; platform
admins publish their own versions from the admin."""

from django.db import migrations

PAGES = {
    "privacy": (
        "Politique de confidentialité",
        "Privacy notice",
        """Mentorat traite vos données personnelles pour organiser des programmes de mentorat : création de votre compte, candidature, mise en relation avec un·e mentor·e ou un·e mentoré·e, suivi des rencontres et statistiques anonymisées du programme.

Base légale : l'exécution du programme auquel vous participez et, pour les données facultatives (genre, préférences), votre consentement, que vous pouvez retirer à tout moment.

Destinataires : les coordinateur·rices de votre programme et, une fois le binôme formé, votre binôme. Les notes privées de vos comptes rendus ne sont lues que par vous.

Mineurs : pour les élèves de moins de 15 ans, l'accord d'un représentant légal est demandé ; les coordonnées des mineurs ne sont jamais communiquées directement.

Durée de conservation : la durée du programme, puis trois ans pour les indicateurs, sauf obligation légale.

Vos droits : accès, rectification, effacement, limitation, portabilité et opposition, auprès de l'organisation qui vous a invité·e ou de l'hébergeur de cette instance. Vous pouvez saisir la CNIL (www.cnil.fr).""",
        """Mentorat processes your personal data to run mentoring programs: creating your account, your application, matching you with a mentor or mentee, following up meetings and anonymised program statistics.

Legal basis: running the program you take part in and, for optional data (gender, preferences), your consent, which you can withdraw at any time.

Recipients: your program's coordinators and, once the pair is formed, your mentoring partner. Private notes in your session logs are read by you only.

Minors: for pupils under 15, a legal guardian's consent is requested; minors' contact details are never shared directly.

Retention: the length of the program, then three years for indicators, unless the law requires otherwise.

Your rights: access, rectification, erasure, restriction, portability and objection, with the organisation that invited you or the host of this instance. You may complain to the CNIL (www.cnil.fr).""",
    ),
    "legal-notice": (
        "Mentions légales",
        "Legal notice",
        """Cette instance de Mentorat est éditée et hébergée par l'organisation qui l'exploite ; ses coordonnées figurent ici une fois renseignées par l'administrateur de la plateforme.

Mentorat est un logiciel libre publié sous licence AGPL-3.0.""",
        """This Mentorat instance is published and hosted by the organisation that runs it; its contact details appear here once the platform administrator fills them in.

Mentorat is free software released under the AGPL-3.0 licence.""",
    ),
    "accessibility": (
        "Déclaration d'accessibilité",
        "Accessibility statement",
        """Mentorat s'engage à rendre ses services accessibles conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005 et au RGAA 4.1.

État de conformité : partiellement conforme. Les pages principales sont vérifiées automatiquement (axe-core) à chaque modification ; un audit complet reste à mener.

Si vous ne pouvez pas accéder à un contenu ou à un service, contactez l'organisation qui vous a invité·e pour obtenir une alternative accessible. Vous pouvez aussi saisir le Défenseur des droits.""",
        """Mentorat is committed to making its services accessible in line with article 47 of French law no. 2005-102 of 11 February 2005 and RGAA 4.1.

Compliance status: partially compliant. The main pages are checked automatically (axe-core) on every change; a full audit is still to be done.

If you cannot access some content or service, contact the organisation that invited you for an accessible alternative. You can also refer the matter to the Défenseur des droits.""",
    ),
}


def publish(apps, schema_editor):  # type: ignore[no-untyped-def]
    LegalPageVersion = apps.get_model("legal", "LegalPageVersion")
    for kind, (title_fr, title_en, body_fr, body_en) in PAGES.items():
        if not LegalPageVersion.objects.filter(kind=kind).exists():
            LegalPageVersion.objects.create(
                kind=kind, version=1, title_fr=title_fr, title_en=title_en,
                body_fr=body_fr, body_en=body_en,
            )


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
