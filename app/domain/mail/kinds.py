"""The mails Clausier sends: what each one is for, its variables and its default template.

An administrator may replace a kind's subject and bodies (services/mail/templates.py); the
variables listed here are the only ones a template may use, checked the way DOCX templates are.
Mails to companies and structures never carry a participant's name unless the recipient already
sees that person in Clausier, and no mail carries a health or social criterion.
"""

from collections.abc import Mapping
from dataclasses import dataclass

COMMON = {
    "organisation": ("nom de l'organisation qui écrit (PLIE, Maison de l'emploi…)", "PLIE du Val-de-Lys"),
    "recipient_name": ("nom du ou de la destinataire, ou de sa structure", "Mme Durand"),
}


@dataclass(frozen=True)
class MailKind:
    """A kind of mail: its label, whether a user may stop it, its variables and default template."""

    key: str
    label_fr: str
    essential: bool  # True: a user's « no reminders » choice does not stop it
    variables: Mapping[str, tuple[str, object]]
    subject: str
    text: str
    html: str


def _kind(key, label, essential, variables, subject, text, html) -> MailKind:
    return MailKind(key, label, essential, {**COMMON, **variables}, subject, text, html)


def sample_context(kind: MailKind) -> dict:
    """Return the context made of a kind's example values."""
    return {name: example for name, (_text, example) in kind.variables.items()}


_LINK_VARS = {
    "link_url": ("adresse du formulaire à remplir", "https://clausier.example.fr/lien/abc"),
    "expires_on": ("date et heure de fin de validité du lien", "22/12/2026 à 14:05"),
    "job_title": ("intitulé du poste, s'il est déjà saisi", "Maçon·ne VRD"),
    "tender": ("référence et objet du marché, s'il est connu", "2026-014 — Voirie du centre"),
}
_SHEET_VARS = {
    "structure": ("nom de la structure qui envoie le relevé", "Bâtir Ensemble (ETTI)"),
    "month_label": ("mois du relevé attendu", "novembre 2026"),
    "upload_url": ("adresse de la page de dépôt des relevés", "https://clausier.example.fr/releves/deposer"),
    "attachment_name": ("nom du modèle pré-rempli joint", "releve-2026-11-siae-3.xlsx"),
}
_OUTCOME_VARS = {
    "structure": _SHEET_VARS["structure"],
    "month_label": _SHEET_VARS["month_label"],
    "filename": ("nom du fichier déposé", "releve-novembre.xlsx"),
    "sheet_url": ("adresse de la page du relevé", "https://clausier.example.fr/releves/12"),
}

_SIGNATURE_TEXT = "\n\nBien cordialement,\n{{ organisation }}\n"
_SIGNATURE_HTML = "<p>Bien cordialement,<br>{{ organisation }}</p>"

FICHE_LINK = _kind(
    "fiche_link", "Lien vers la fiche de liaison (entreprise)", True, _LINK_VARS,
    "Fiche de liaison à remplir — {{ organisation }}",
    "Bonjour {{ recipient_name }},\n\n"
    "Pour préparer les recrutements au titre de la clause sociale{% if tender %} du marché {{ tender }}{% endif %}, "
    "merci de décrire votre besoin{% if job_title %} ({{ job_title }}){% endif %} en remplissant la fiche de liaison "
    "à cette adresse :\n{{ link_url }}\n\nLe lien est valable jusqu'au {{ expires_on }}. Aucun compte n'est "
    "nécessaire ; vous pouvez enregistrer un brouillon et revenir plus tard." + _SIGNATURE_TEXT,
    "<p>Bonjour {{ recipient_name }},</p><p>Pour préparer les recrutements au titre de la clause sociale"
    "{% if tender %} du marché {{ tender }}{% endif %}, merci de décrire votre besoin{% if job_title %} "
    "({{ job_title }}){% endif %} en remplissant la fiche de liaison :</p>"
    '<p><a href="{{ link_url }}">Remplir la fiche de liaison</a></p>'
    "<p>Le lien est valable jusqu'au {{ expires_on }}. Aucun compte n'est nécessaire ; vous pouvez enregistrer "
    "un brouillon et revenir plus tard.</p>" + _SIGNATURE_HTML)

FICHE_LINK_REMINDER = _kind(
    "fiche_link_reminder", "Rappel avant l'expiration du lien (entreprise)", False, _LINK_VARS,
    "Rappel : fiche de liaison à envoyer avant le {{ expires_on }}",
    "Bonjour {{ recipient_name }},\n\nVotre fiche de liaison n'a pas encore été envoyée. Le lien reste valable "
    "jusqu'au {{ expires_on }} :\n{{ link_url }}\n\nSi le besoin a changé ou n'existe plus, répondez simplement "
    "à ce message." + _SIGNATURE_TEXT,
    "<p>Bonjour {{ recipient_name }},</p><p>Votre fiche de liaison n'a pas encore été envoyée. Le lien reste "
    'valable jusqu\'au {{ expires_on }} : <a href="{{ link_url }}">remplir la fiche de liaison</a>.</p>'
    "<p>Si le besoin a changé ou n'existe plus, répondez simplement à ce message.</p>" + _SIGNATURE_HTML)

SHEET_REMINDER = _kind(
    "sheet_reminder", "Relevé d'heures du mois attendu (structure)", False, _SHEET_VARS,
    "Relevé d'heures de {{ month_label }} — {{ structure }}",
    "Bonjour,\n\nNous n'avons pas encore reçu le relevé d'heures de {{ month_label }} de {{ structure }} pour les "
    "personnes en clause sociale. Vous trouverez en pièce jointe le modèle pré-rempli ({{ attachment_name }}) ; "
    "votre propre fichier convient aussi.\n\nDéposez-le ici : {{ upload_url }}\nou répondez à ce message en le "
    "joignant." + _SIGNATURE_TEXT,
    "<p>Bonjour,</p><p>Nous n'avons pas encore reçu le relevé d'heures de {{ month_label }} de {{ structure }} "
    "pour les personnes en clause sociale. Vous trouverez en pièce jointe le modèle pré-rempli "
    "({{ attachment_name }}) ; votre propre fichier convient aussi.</p>"
    '<p><a href="{{ upload_url }}">Déposer le relevé</a> ou répondez à ce message en le joignant.</p>'
    + _SIGNATURE_HTML)

SHEET_SECOND_REMINDER = _kind(
    "sheet_second_reminder", "Second rappel du relevé d'heures (structure)", False,
    {**_SHEET_VARS, "first_sent_on": ("date du premier rappel", "05/12/2026")},
    "Second rappel : relevé d'heures de {{ month_label }} — {{ structure }}",
    "Bonjour,\n\nSauf erreur de notre part, le relevé d'heures de {{ month_label }} de {{ structure }} n'est "
    "toujours pas arrivé (premier rappel le {{ first_sent_on }}). Le modèle pré-rempli est de nouveau joint "
    "({{ attachment_name }}).\n\nDéposez-le ici : {{ upload_url }}\nEn cas de difficulté, répondez à ce message : "
    "nous vous aiderons." + _SIGNATURE_TEXT,
    "<p>Bonjour,</p><p>Sauf erreur de notre part, le relevé d'heures de {{ month_label }} de {{ structure }} "
    "n'est toujours pas arrivé (premier rappel le {{ first_sent_on }}). Le modèle pré-rempli est de nouveau joint "
    '({{ attachment_name }}).</p><p><a href="{{ upload_url }}">Déposer le relevé</a>. En cas de difficulté, '
    "répondez à ce message : nous vous aiderons.</p>" + _SIGNATURE_HTML)

SHEET_SUMMARY = _kind(
    "sheet_summary", "Relevés manquants : récapitulatif (facilitateur)", False,
    {"month_label": _SHEET_VARS["month_label"],
     "round_label": ("premier ou second rappel", "premier rappel"),
     "missing": ("structures sans relevé : name, reminded (vrai si un rappel est parti)",
                 [{"name": "Bâtir Ensemble (ETTI)", "reminded": True}, {"name": "Net'Services", "reminded": False}]),
     "dashboard_url": ("adresse du tableau de bord", "https://clausier.example.fr/tableau-de-bord")},
    "Relevés de {{ month_label }} : {{ missing | length }} structure{{ 's' if missing | length > 1 }} en attente",
    "Bonjour {{ recipient_name }},\n\nRelevés d'heures de {{ month_label }} toujours attendus ({{ round_label }}) :\n"
    "{% for item in missing %}- {{ item.name }}{% if not item.reminded %} (aucune adresse e-mail : à relancer "
    "vous-même){% endif %}\n{% endfor %}\nTableau de bord : {{ dashboard_url }}" + _SIGNATURE_TEXT,
    "<p>Bonjour {{ recipient_name }},</p><p>Relevés d'heures de {{ month_label }} toujours attendus "
    "({{ round_label }}) :</p><ul>{% for item in missing %}<li>{{ item.name }}{% if not item.reminded %} "
    "(aucune adresse e-mail : à relancer vous-même){% endif %}</li>{% endfor %}</ul>"
    '<p><a href="{{ dashboard_url }}">Tableau de bord</a></p>' + _SIGNATURE_HTML)

EXIT_FOLLOW_UP = _kind(
    "exit_follow_up", "Relance à 6 mois après une sortie (facilitateur)", False,
    {"participant": ("nom de la personne sortie", "Karim B."),
     "exit_on": ("date de sortie", "04/06/2026"),
     "due_on": ("date de la relance à 6 mois", "04/12/2026"),
     "followups_url": ("adresse de la liste des relances", "https://clausier.example.fr/tableau-de-bord/relances")},
    "Relance à 6 mois : {{ participant }}",
    "Bonjour {{ recipient_name }},\n\n{{ participant }} est sorti·e de la clause le {{ exit_on }} : la relance à "
    "6 mois est à faire depuis le {{ due_on }}. Notez sa situation dans Clausier :\n{{ followups_url }}"
    + _SIGNATURE_TEXT,
    "<p>Bonjour {{ recipient_name }},</p><p>{{ participant }} est sorti·e de la clause le {{ exit_on }} : la "
    'relance à 6 mois est à faire depuis le {{ due_on }}. <a href="{{ followups_url }}">Notez sa situation dans '
    "Clausier</a>.</p>" + _SIGNATURE_HTML)

WEEKLY_DIGEST = _kind(
    "weekly_digest", "Point hebdomadaire : conventions et lots en retard (facilitateur)", False,
    {"conventions": ("conventions qui se terminent dans les 60 jours : reference, party, ends_on",
                     [{"reference": "CONV-2026-004", "party": "Habitat du Val", "ends_on": "31/01/2027"}]),
     "lots_behind": ("lots en retard sur leur calendrier : tender, lot, done, expected",
                     [{"tender": "2026-014", "lot": "lot 2 — Gros œuvre", "done": "120 h", "expected": "300 h"}]),
     "dashboard_url": SHEET_SUMMARY.variables["dashboard_url"]},
    "Point de la semaine : {{ conventions | length }} convention{{ 's' if conventions | length > 1 }} à renouveler, "
    "{{ lots_behind | length }} lot{{ 's' if lots_behind | length > 1 }} en retard",
    "Bonjour {{ recipient_name }},\n\nConventions qui se terminent dans les 60 jours :\n"
    "{% for c in conventions %}- {{ c.reference }} avec {{ c.party }} : fin le {{ c.ends_on }}\n"
    "{% else %}- aucune\n{% endfor %}\nLots en retard sur leur calendrier :\n"
    "{% for lot in lots_behind %}- {{ lot.tender }}, {{ lot.lot }} : réalisé {{ lot.done }}, attendu à ce jour "
    "{{ lot.expected }}\n{% else %}- aucun\n{% endfor %}\nTableau de bord : {{ dashboard_url }}"
    + _SIGNATURE_TEXT,
    "<p>Bonjour {{ recipient_name }},</p><h3>Conventions qui se terminent dans les 60 jours</h3><ul>"
    "{% for c in conventions %}<li>{{ c.reference }} avec {{ c.party }} : fin le {{ c.ends_on }}</li>"
    "{% else %}<li>aucune</li>{% endfor %}</ul><h3>Lots en retard sur leur calendrier</h3><ul>"
    "{% for lot in lots_behind %}<li>{{ lot.tender }}, {{ lot.lot }} : réalisé {{ lot.done }}, attendu à ce jour "
    "{{ lot.expected }}</li>{% else %}<li>aucun</li>{% endfor %}</ul>"
    '<p><a href="{{ dashboard_url }}">Tableau de bord</a></p>' + _SIGNATURE_HTML)

SHEET_CONFIRMED = _kind(
    "sheet_confirmed", "Relevé d'heures enregistré (expéditeur du relevé)", True,
    {**_OUTCOME_VARS, "hours": ("heures enregistrées", "312,5 h"),
     "people_count": ("nombre de mises en situation concernées", 4)},
    "Relevé de {{ month_label }} enregistré — {{ structure }}",
    "Bonjour {{ recipient_name }},\n\nLe relevé d'heures de {{ month_label }} que vous avez déposé "
    "({{ filename }}) est enregistré : {{ hours }} pour {{ people_count }} "
    "{{ 'mises' if people_count > 1 else 'mise' }} en situation.\n"
    "Détail : {{ sheet_url }}\n\nMerci !" + _SIGNATURE_TEXT,
    "<p>Bonjour {{ recipient_name }},</p><p>Le relevé d'heures de {{ month_label }} que vous avez déposé "
    "({{ filename }}) est enregistré : {{ hours }} pour {{ people_count }} "
    "{{ 'mises' if people_count > 1 else 'mise' }} en situation. "
    '<a href="{{ sheet_url }}">Voir le détail</a>.</p><p>Merci !</p>' + _SIGNATURE_HTML)

SHEET_REFUSED = _kind(
    "sheet_refused", "Relevé d'heures non retenu (expéditeur du relevé)", True,
    {**_OUTCOME_VARS, "reason": ("raison pour laquelle le relevé n'est pas retenu", "le mois indiqué est erroné"),
     "upload_url": _SHEET_VARS["upload_url"]},
    "Relevé de {{ month_label }} non retenu — {{ structure }}",
    "Bonjour {{ recipient_name }},\n\nLe relevé d'heures de {{ month_label }} que vous avez déposé "
    "({{ filename }}) n'a pas été retenu : {{ reason }}.\nRien n'a été compté. Vous pouvez en déposer un nouveau "
    "ici : {{ upload_url }}\nou répondre à ce message pour en parler." + _SIGNATURE_TEXT,
    "<p>Bonjour {{ recipient_name }},</p><p>Le relevé d'heures de {{ month_label }} que vous avez déposé "
    "({{ filename }}) n'a pas été retenu : {{ reason }}.</p><p>Rien n'a été compté. "
    '<a href="{{ upload_url }}">Déposer un nouveau relevé</a> ou répondez à ce message pour en parler.</p>'
    + _SIGNATURE_HTML)

MAIL_KINDS: dict[str, MailKind] = {kind.key: kind for kind in (
    FICHE_LINK, FICHE_LINK_REMINDER, SHEET_REMINDER, SHEET_SECOND_REMINDER, SHEET_SUMMARY, EXIT_FOLLOW_UP,
    WEEKLY_DIGEST, SHEET_CONFIRMED, SHEET_REFUSED)}
