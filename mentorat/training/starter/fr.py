# ruff: noqa: E501 - prose: sentences and Markdown paragraphs stay on one line each
"""Le kit de démarrage en français (mêmes modules et clés que `en.py`)."""

from mentorat.training.starter import StarterModule
from mentorat.training.starter import StarterQuestion as Q

MODULES: tuple[StarterModule, ...] = (
    StarterModule(
        key="mentor-role",
        title="Le rôle du mentor et ses limites",
        summary="Ce qu’un mentor apporte, ce qu’il ne fait pas, et vers qui orienter quand une question le dépasse.",
        minutes=15,
        sections=(
            (
                "Ce que fait un mentor",
                """
Un mentor est un professionnel expérimenté qui **accompagne** une personne dans son projet : trouver un stage, réussir une insertion, changer de métier. Il partage son expérience, son réseau et son regard sur le monde du travail.

Concrètement, il :

- écoute et aide la personne à clarifier ce qu’elle veut ;
- pose des questions qui font avancer plutôt que de donner la solution ;
- partage des exemples vécus, y compris ses erreurs ;
- ouvre des portes quand c’est pertinent (une rencontre, un conseil sur un CV, une simulation d’entretien).

Le mentoré reste **l’auteur de son projet** : c’est lui qui décide et agit.
""",
            ),
            (
                "Ce que le mentor ne fait pas",
                """
Le mentorat n’est ni du coaching professionnel payant, ni de l’enseignement, ni un suivi social ou psychologique. Le mentor :

- ne fait pas à la place du mentoré (il ne rédige pas sa lettre, il la relit avec lui) ;
- ne promet pas de stage ni d’emploi ;
- n’est pas thérapeute, assistant social ou juriste ;
- ne prête pas d’argent et ne mélange pas la relation avec des services personnels.

Ces limites protègent les deux personnes : elles évitent la dépendance et les attentes déçues.
""",
            ),
            (
                "Quand et vers qui orienter",
                """
Certaines situations dépassent le rôle du mentor : détresse psychologique, violences, difficultés financières graves, questions juridiques, problèmes de santé.

Dans ces cas :

1. écoutez sans juger et sans promettre le secret absolu ;
2. dites clairement que ce n’est pas votre rôle, mais que de l’aide existe ;
3. **prévenez le coordinateur ou la coordinatrice du programme**, qui connaît les relais (service social de l’école, médecine, associations, numéros d’écoute comme le 3114 ou le 119 pour les mineurs).

Orienter n’est pas abandonner : vous continuez à accompagner la personne sur son projet.
""",
            ),
        ),
        questions=(
            Q(
                text="Votre mentorée vous demande d’écrire sa lettre de motivation à sa place, car elle manque de temps. Que faites-vous ?",
                explanation="Le mentor aide la personne à faire, il ne fait pas à sa place : relire ensemble, poser des questions, proposer une structure. C’est elle qui apprend et qui porte sa candidature.",
                choices=(
                    ("Je l’écris, c’est plus rapide.", False),
                    (
                        "Je lui propose de la rédiger elle-même, puis nous la relisons ensemble.",
                        True,
                    ),
                    ("Je refuse et je mets fin à la séance.", False),
                ),
            ),
            Q(
                text="Lesquelles de ces situations appellent à prévenir la coordination du programme ?",
                explanation="Détresse, violences ou difficultés graves dépassent le rôle du mentor : la coordination connaît les relais adaptés. Un CV à améliorer relève du mentorat lui-même.",
                choices=(
                    ("Le mentoré évoque des idées noires.", True),
                    ("Le mentoré dit subir des violences à la maison.", True),
                    ("Le mentoré veut améliorer son CV.", False),
                    ("Le mentoré n’a plus de quoi se loger à la fin du mois.", True),
                ),
            ),
            Q(
                text="Un mentor peut-il promettre un stage dans son entreprise pour motiver son mentoré ?",
                explanation="Non : le mentor ne promet ni stage ni emploi. Il peut présenter le processus de recrutement, relayer une candidature si c’est possible, mais une promesse non tenue abîme la confiance.",
                choices=(
                    ("Oui, c’est un bon levier de motivation.", False),
                    ("Non, il peut expliquer comment postuler, sans rien promettre.", True),
                ),
            ),
        ),
    ),
    StarterModule(
        key="active-listening",
        title="Écoute active et questions puissantes",
        summary="Écouter pour comprendre, reformuler, et poser les questions ouvertes qui font réfléchir.",
        minutes=15,
        sections=(
            (
                "Écouter pour comprendre",
                """
L’écoute active consiste à **se concentrer sur ce que dit l’autre** plutôt que sur ce qu’on va répondre. Quelques repères :

- laissez des silences : ils permettent à la personne d’aller plus loin ;
- observez aussi le non-verbal (hésitations, enthousiasme) ;
- évitez d’interrompre, de juger ou de ramener la conversation à vous ;
- en visio, coupez les notifications et regardez la caméra de temps en temps.

Le but n’est pas d’être d’accord, mais que l’autre se sente compris.
""",
            ),
            (
                "Reformuler et vérifier",
                """
Reformuler, c’est redire avec vos mots ce que vous avez compris : « Si je comprends bien, tu hésites entre deux alternances parce que… ». Cela permet :

- de vérifier que vous avez bien compris ;
- de montrer que vous écoutez ;
- d’aider la personne à entendre sa propre pensée.

Terminez par une vérification : « C’est bien ça ? ». Si la réponse est non, c’est une information précieuse.
""",
            ),
            (
                "Les questions puissantes",
                """
Une question puissante est **ouverte** (on ne peut pas y répondre par oui ou non) et fait réfléchir la personne plutôt que de la guider vers votre réponse.

Exemples :

- « Qu’est-ce qui compte le plus pour toi dans ce choix ? »
- « Si tu n’avais pas peur d’échouer, que ferais-tu ? »
- « Quelle petite étape pourrais-tu faire d’ici notre prochaine rencontre ? »
- « Qu’as-tu déjà essayé ? Qu’en as-tu appris ? »

À éviter : les questions qui contiennent la réponse (« Tu ne crois pas que tu devrais… ? ») et les « pourquoi » répétés, qui peuvent sonner comme un reproche.
""",
            ),
        ),
        questions=(
            Q(
                text="Laquelle de ces questions est une question ouverte ?",
                explanation="Une question ouverte invite à développer. « Tu veux faire ce stage ? » appelle un oui ou un non ; « Tu ne crois pas que… » suggère déjà la réponse.",
                choices=(
                    ("Tu veux faire ce stage ?", False),
                    ("Qu’est-ce qui t’attire dans ce stage ?", True),
                    ("Tu ne crois pas que ce stage serait mieux ?", False),
                ),
            ),
            Q(
                text="À quoi sert la reformulation ?",
                explanation="Reformuler vérifie la compréhension, montre l’écoute et aide l’autre à clarifier sa pensée. Ce n’est pas l’occasion de donner son avis.",
                choices=(
                    ("Vérifier que j’ai bien compris.", True),
                    ("Montrer à la personne que je l’écoute.", True),
                    ("Glisser mon opinion sans en avoir l’air.", False),
                    ("Aider la personne à clarifier sa pensée.", True),
                ),
            ),
            Q(
                text="Votre mentoré se tait après une question. Que faire ?",
                explanation="Un silence est souvent un temps de réflexion. Attendre quelques secondes laisse à la personne l’espace de trouver sa réponse.",
                choices=(
                    ("Reformuler tout de suite la question autrement.", False),
                    ("Laisser le silence quelques secondes.", True),
                    ("Donner la réponse pour le mettre à l’aise.", False),
                ),
            ),
        ),
    ),
    StarterModule(
        key="feedback",
        title="Donner un retour utile",
        summary="Un retour précis, bienveillant et tourné vers l’action, et comment le recevoir.",
        minutes=12,
        sections=(
            (
                "Pourquoi un bon retour compte",
                """
Un mentoré progresse quand il sait ce qui marche et ce qui peut s’améliorer. Un retour utile est :

- **précis** : il porte sur un fait observable, pas sur la personne ;
- **rapide** : donné peu après la situation ;
- **équilibré** : il reconnaît ce qui fonctionne ;
- **tourné vers l’action** : il ouvre une piste concrète.

Demandez toujours avant : « Veux-tu mon retour sur ta simulation d’entretien ? »
""",
            ),
            (
                "Une méthode simple : Fait, Effet, Piste",
                """
1. **Fait** : « Pendant la simulation, tu as répondu à la question sur tes défauts en deux mots. »
2. **Effet** : « Du coup, le recruteur n’a pas pu voir ta capacité à prendre du recul. »
3. **Piste** : « Tu pourrais citer un défaut réel et ce que tu fais pour le travailler. Tu veux essayer ? »

Évitez les jugements généraux (« tu es trop timide ») : ils blessent sans aider. Parlez en « je » (« j’ai remarqué ») plutôt qu’en « tu es ».
""",
            ),
            (
                "Recevoir un retour",
                """
Le mentorat marche dans les deux sens : demandez aussi à votre mentoré ce qui l’aide dans vos rencontres et ce qui pourrait changer.

Quand vous recevez un retour : écoutez jusqu’au bout, remerciez, posez une question pour comprendre, et décidez ensuite ce que vous en faites. Montrer l’exemple est le meilleur moyen d’apprendre à votre mentoré à recevoir des retours.
""",
            ),
        ),
        questions=(
            Q(
                text="Lequel de ces retours est le plus utile ?",
                explanation="Un retour utile décrit un fait précis, son effet, et propose une piste. « Tu es nul en entretien » juge la personne ; « C’était bien » ne dit pas quoi garder.",
                choices=(
                    ("« Tu es nul en entretien. »", False),
                    ("« C’était bien, continue. »", False),
                    (
                        "« Ta présentation a duré cinq minutes ; en la réduisant à deux, tu laisserais plus de place aux questions. »",
                        True,
                    ),
                ),
            ),
            Q(
                text="Que faire avant de donner un retour ?",
                explanation="Demander si la personne souhaite un retour la rend actrice et plus réceptive.",
                choices=(
                    ("Demander si la personne veut un retour.", True),
                    ("Attendre la fin du mentorat pour tout dire d’un coup.", False),
                ),
            ),
            Q(
                text="Quelles sont les trois étapes de la méthode présentée ?",
                explanation="Fait, Effet, Piste : décrire ce qui s’est passé, son impact, puis une amélioration concrète.",
                choices=(
                    ("Fait, Effet, Piste", True),
                    ("Critique, Conseil, Conclusion", False),
                    ("Compliment, Critique, Compliment", False),
                ),
            ),
        ),
    ),
    StarterModule(
        key="goals",
        title="Fixer des objectifs avec son mentoré",
        summary="Transformer une envie en objectifs concrets, mesurables et suivis dans l’espace du binôme.",
        minutes=15,
        sections=(
            (
                "Partir du projet du mentoré",
                """
Lors des premières rencontres, aidez votre mentoré à dire ce qu’il souhaite obtenir du mentorat : « Dans six mois, qu’est-ce qui aura changé pour toi ? ».

Les objectifs sont **les siens**, pas les vôtres. Si l’envie est floue (« trouver ma voie »), commencez par un objectif d’exploration : rencontrer trois professionnels d’un métier, visiter un salon, faire un stage d’observation.
""",
            ),
            (
                "Des objectifs SMART",
                """
Un bon objectif est **S**pécifique, **M**esurable, **A**tteignable, **R**éaliste et **T**emporel.

- Flou : « Améliorer mon CV. »
- SMART : « Avoir un CV d’une page relu par deux recruteurs d’ici le 15 mars. »

Dans Mentorat, chaque objectif du binôme a une **mesure de réussite** et une **échéance** : renseignez-les ensemble dans l’onglet Objectifs de l’espace du binôme. Le programme propose aussi des modèles d’objectifs à adopter en un clic.
""",
            ),
            (
                "Suivre et ajuster",
                """
Faites le point à chaque rencontre : qu’est-ce qui a avancé, qu’est-ce qui bloque, quelle est la prochaine petite étape ?

Un objectif n’est pas un contrat : on peut le modifier, le découper ou l’abandonner s’il ne correspond plus au projet. Célébrez les réussites, même modestes : elles nourrissent la motivation.
""",
            ),
        ),
        questions=(
            Q(
                text="Lequel de ces objectifs est SMART ?",
                explanation="Il est précis (une candidature en alternance), mesurable (cinq envois), réaliste et daté (fin avril).",
                choices=(
                    ("Trouver ma voie.", False),
                    ("Envoyer cinq candidatures en alternance d’ici fin avril.", True),
                    ("Être plus confiant.", False),
                ),
            ),
            Q(
                text="À qui appartiennent les objectifs du binôme ?",
                explanation="Les objectifs viennent du projet du mentoré ; le mentor aide à les formuler et à les suivre.",
                choices=(
                    ("Au mentoré, aidé par son mentor.", True),
                    ("Au mentor, qui sait ce qui est bon pour le mentoré.", False),
                    ("À l’établissement, qui les impose.", False),
                ),
            ),
            Q(
                text="Un objectif ne correspond plus au projet du mentoré. Que faire ?",
                explanation="Un objectif peut être ajusté ou abandonné : il sert le projet, pas l’inverse.",
                choices=(
                    ("Le garder coûte que coûte.", False),
                    ("En parler ensemble et le modifier ou l’abandonner.", True),
                ),
            ),
        ),
    ),
    StarterModule(
        key="conflict-closure",
        title="Gérer un désaccord et bien terminer la relation",
        summary="Désamorcer une tension, dire les choses, et clore le mentorat de façon positive.",
        minutes=15,
        sections=(
            (
                "Les tensions les plus fréquentes",
                """
Rendez-vous manqués, messages sans réponse, attentes différentes (« je pensais que tu me trouverais un stage ») : la plupart des difficultés viennent d’un **malentendu sur le cadre**, pas d’un problème de personne.

Revenez au cadre posé au début : la fréquence des rencontres, les moyens de contact, les objectifs. La charte du programme est un bon point d’appui.
""",
            ),
            (
                "Aborder un désaccord",
                """
1. Choisissez un moment calme, de préférence de vive voix.
2. Décrivez les faits sans accuser : « Nos trois derniers rendez-vous ont été annulés. »
3. Exprimez ce que cela vous fait et demandez son point de vue : « Je me demande si le rythme te convient. Qu’en penses-tu ? »
4. Cherchez ensemble une solution et notez-la.

Si la situation ne s’améliore pas, ou si vous vous sentez mal à l’aise, **parlez-en à la coordination** : c’est son rôle d’aider, voire de proposer un autre binôme.
""",
            ),
            (
                "Bien terminer",
                """
Toute relation de mentorat a une fin, prévue ou non. Une bonne clôture :

- fait le bilan des objectifs : ce qui a été atteint, ce qui reste ;
- valorise le chemin parcouru par le mentoré ;
- dit clairement ce qui se passe après (rester en contact ou non, sur quels canaux) ;
- se termine par des remerciements mutuels.

Dans Mentorat, clôturez le binôme depuis son espace en indiquant la raison : cela aide le programme à s’améliorer.
""",
            ),
        ),
        questions=(
            Q(
                text="D’où viennent le plus souvent les tensions dans un binôme ?",
                explanation="La plupart des difficultés viennent d’attentes ou d’un cadre mal partagés. Revenir au cadre de départ aide à les résoudre.",
                choices=(
                    ("D’un malentendu sur le cadre et les attentes.", True),
                    ("D’une incompatibilité de caractère impossible à dépasser.", False),
                ),
            ),
            Q(
                text="Comment ouvrir la discussion après plusieurs rendez-vous annulés ?",
                explanation="Décrire les faits sans accuser et demander le point de vue de l’autre ouvre le dialogue ; le reproche ou le silence le ferment.",
                choices=(
                    ("« Tu n’es vraiment pas sérieux. »", False),
                    (
                        "« Nos derniers rendez-vous ont été annulés ; est-ce que le rythme te convient ? »",
                        True,
                    ),
                    ("Ne rien dire et espacer les rencontres.", False),
                ),
            ),
            Q(
                text="Que contient une bonne clôture ?",
                explanation="Bilan, valorisation, suite claire et remerciements : la fin d’un mentorat fait partie de l’accompagnement.",
                choices=(
                    ("Un bilan des objectifs.", True),
                    ("Ce qui se passe après (contact ou non).", True),
                    ("Des remerciements mutuels.", True),
                    ("Une note sur 20 attribuée au mentoré.", False),
                ),
            ),
        ),
    ),
    StarterModule(
        key="safeguarding-minors",
        title="Accompagner un mineur : les bases de la protection",
        summary="Les règles qui protègent les jeunes mentorés et les mentors, et que faire en cas d’inquiétude.",
        minutes=20,
        sections=(
            (
                "Un cadre qui protège tout le monde",
                """
Accompagner un élève mineur (par exemple en lycée professionnel) est une responsabilité particulière. Les règles du programme protègent le jeune **et** le mentor :

- les échanges passent **par la plateforme** (messagerie, rendez-vous), pas par des réseaux sociaux ou un numéro personnel ;
- les rencontres ont lieu dans des lieux publics ou dans l’établissement, ou en visio selon ce que le programme autorise ;
- les représentants légaux ont donné leur accord et sont informés du cadre.
""",
            ),
            (
                "Les bons réflexes",
                """
- Ne soyez jamais seul avec le jeune dans un lieu privé (domicile, voiture).
- Pas de cadeaux personnels, d’argent, ni de photos du jeune.
- Gardez un ton professionnel, y compris dans les messages.
- Ne demandez pas au jeune de garder un secret, et ne promettez pas de garder le vôtre.
- En cas de doute sur ce qui est permis, demandez à la coordination **avant**.
""",
            ),
            (
                "Si un jeune vous confie quelque chose d’inquiétant",
                """
Un jeune peut vous confier qu’il est en danger (violences, harcèlement, mal-être).

1. **Écoutez calmement**, sans poser de questions intrusives ni mettre en doute sa parole.
2. Dites-lui que vous ne pouvez pas garder cela pour vous et que vous allez chercher de l’aide pour lui.
3. **Prévenez sans délai la coordination du programme**, ou signalez le message depuis la plateforme.
4. En cas de danger immédiat, appelez le **17** ; le **119** (Allô Enfance en danger) est joignable jour et nuit.

Vous n’avez pas à enquêter ni à prouver quoi que ce soit : votre rôle est de transmettre.
""",
            ),
        ),
        questions=(
            Q(
                text="Votre mentoré de 16 ans vous propose d’échanger sur un réseau social. Que répondez-vous ?",
                explanation="Avec un mineur, les échanges restent sur la plateforme : c’est la règle du programme, et elle protège les deux personnes.",
                choices=(
                    ("D’accord, c’est plus pratique.", False),
                    ("Je lui explique que nous restons sur la messagerie de la plateforme.", True),
                ),
            ),
            Q(
                text="Une jeune vous confie qu’elle subit des violences et vous demande de n’en parler à personne. Que faites-vous ?",
                explanation="On ne promet jamais le secret face à un danger : on écoute, on explique qu’on va chercher de l’aide, et on prévient la coordination (ou le 119 / le 17 en cas d’urgence).",
                choices=(
                    ("Je promets de garder le secret pour préserver sa confiance.", False),
                    (
                        "J’écoute, je lui dis que je dois en parler pour l’aider, et je préviens la coordination.",
                        True,
                    ),
                    ("Je mène ma propre enquête auprès de sa famille.", False),
                ),
            ),
            Q(
                text="Lesquels de ces lieux conviennent pour rencontrer un mentoré mineur ?",
                explanation="Les lieux publics et l’établissement sont adaptés ; un lieu privé, où l’adulte est seul avec le jeune, ne l’est pas.",
                choices=(
                    ("Le CDI ou une salle de l’établissement.", True),
                    ("Un café ou une médiathèque.", True),
                    ("Le domicile du mentor.", False),
                    ("La voiture du mentor.", False),
                ),
            ),
        ),
    ),
    StarterModule(
        key="avoiding-bias",
        title="Éviter les biais : stéréotypes de genre et choix d’orientation",
        summary="Repérer les stéréotypes qui restreignent les choix de métier et ouvrir le champ des possibles.",
        minutes=15,
        sections=(
            (
                "Des choix encore très genrés",
                """
En France, les filles restent très minoritaires dans les filières du numérique et de l’industrie, et les garçons dans celles du soin et du social. Ces écarts ne viennent pas des compétences, mais en grande partie des **stéréotypes** : ce qu’on imagine « fait pour » un garçon ou une fille.

Un mentor, par ses remarques et ses exemples, peut renforcer ces stéréotypes… ou aider à les dépasser.
""",
            ),
            (
                "Repérer ses propres biais",
                """
Nous avons tous des biais inconscients. Quelques signaux :

- proposer spontanément des métiers différents selon le genre de la personne ;
- s’étonner (« Toi, dans le BTP ? ») ;
- féliciter une fille pour son sérieux et un garçon pour son talent ;
- citer uniquement des modèles masculins pour un métier technique.

Posez-vous la question : « Aurais-je dit la même chose à une personne de l’autre genre ? »
""",
            ),
            (
                "Ouvrir le champ des possibles",
                """
- Partez des **goûts et compétences** de la personne, pas des métiers « habituels ».
- Présentez des modèles variés : des femmes ingénieures, des hommes infirmiers ou éducateurs de jeunes enfants.
- Proposez des immersions, des rencontres ou des journées portes ouvertes dans des métiers auxquels la personne n’avait pas pensé.
- Si elle vous parle de remarques sexistes subies en stage, écoutez et orientez vers la coordination.

Le but n’est pas d’imposer un choix « non traditionnel », mais que chaque choix soit **libre et éclairé**.
""",
            ),
        ),
        questions=(
            Q(
                text="D’où viennent principalement les écarts filles-garçons dans les choix d’orientation ?",
                explanation="Les compétences ne diffèrent pas ; ce sont surtout les stéréotypes et l’environnement qui orientent différemment filles et garçons.",
                choices=(
                    ("De différences de compétences naturelles.", False),
                    ("En grande partie des stéréotypes et de l’environnement.", True),
                ),
            ),
            Q(
                text="Lesquelles de ces réactions traduisent un biais ?",
                explanation="S’étonner du choix d’une fille pour le BTP ou proposer des métiers selon le genre sont des biais. Demander ce qui plaît à la personne ne l’est pas.",
                choices=(
                    ("« Toi, dans le BTP ? Tu es sûre ? »", True),
                    (
                        "Proposer le secrétariat à une fille et la maintenance à un garçon de même profil.",
                        True,
                    ),
                    ("« Qu’est-ce qui te plaît dans ce métier ? »", False),
                ),
            ),
            Q(
                text="Quel est le but de la démarche ?",
                explanation="Il ne s’agit pas d’imposer un choix, mais que chaque personne choisisse librement, en connaissant toutes les options.",
                choices=(
                    ("Pousser chaque jeune vers un métier non traditionnel.", False),
                    ("Que chaque choix soit libre et éclairé.", True),
                ),
            ),
        ),
    ),
)
