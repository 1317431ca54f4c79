"""The CCAG 2021 articles a clause derogates from, per CCAG, as dated reference data.

R2112-3 of the Code de la commande publique and art. 1.2 of each CCAG 2021 ask the CCAP to name
the CCAG articles it derogates from and to list them in its last article (DOMAIN.md §3). The
article numbers below carry their source; an article added without one (``source=None``) is
printed, and the facilitator's points d'attention ask to check it on the published CCAG.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.clauses.reference import UNSOURCED

CCAG_2021_DATE = date(2021, 4, 1)  # the six CCAG 2021 apply to consultations launched from then
DOMAIN_SOURCE = "DOMAIN.md §3 (R2112-3 du Code de la commande publique ; CCAG 2021, art. 1.2)"


@dataclass(frozen=True)
class CcagArticle:
    """One article of a CCAG, what it governs, and where its number comes from."""

    number: str
    subject: str
    source: str | None = None
    valid_from: date = CCAG_2021_DATE

    @property
    def source_label(self) -> str:
        """Return the source, or the notice that the number still needs checking."""
        return self.source or UNSOURCED


@dataclass(frozen=True)
class Ccag:
    """One CCAG 2021 and the articles the insertion clause touches."""

    key: str
    name: str
    penalties: CcagArticle
    penalty_waiver: CcagArticle


# Where the numbers come from: the penalties article of each CCAG 2021 holds the contradictory
# procedure the DAJ lists (14.1.1 CCAG-PI, 14.1.1 CCAG-TIC, 19.2.4 CCAG-Travaux, 16.2.4 CCAG-MOE,
# 14.1.1 CCAG-FCS, 15.1.1 CCAG-MI); CCAG-Travaux 2021 art. 19.2.1 exempts the holder from penalties
# totalling 1 000 € HT at most, a threshold « harmonisé et fixé à 1 000 € dans tous les CCAG ». Where
# the sub-article of that exemption is not sourced, the derogation cites the whole penalties article.
PENALTIES_SOURCE = ("arrêtés du 30 mars 2021 (JO du 1er avril 2021) portant approbation des CCAG ; "
                    "code-commande-publique.com, « Pénalités de retard dans les nouveaux CCAG 2021 »")
WAIVER_SUBJECT = "pénalités ; exonération des pénalités dont le montant total ne dépasse pas 1 000 € HT"


def _ccag(key, name, penalties, waiver) -> Ccag:
    return Ccag(key, name, CcagArticle(penalties, "pénalités", PENALTIES_SOURCE),
                CcagArticle(waiver, WAIVER_SUBJECT, PENALTIES_SOURCE))


CCAGS: tuple[Ccag, ...] = (
    _ccag("travaux", "CCAG-Travaux 2021", "19", "19.2.1"),
    _ccag("fcs", "CCAG-FCS 2021", "14", "14"),
    _ccag("pi", "CCAG-PI 2021", "14", "14"),
    _ccag("tic", "CCAG-TIC 2021", "14", "14"),
    _ccag("mi", "CCAG-MI 2021", "15", "15"),
    _ccag("moe", "CCAG-MOE 2021", "16", "16"),
)
RECAP_ARTICLE = CcagArticle("1.2", "liste récapitulative des dérogations", DOMAIN_SOURCE)


def find_ccag(name: str) -> Ccag | None:
    """Return the CCAG named « CCAG-Travaux 2021 », « CCAG-FCS » or « fcs », else None."""
    wanted = name.lower().replace("ccag", "").replace("2021", "").strip(" -")
    return next((ccag for ccag in CCAGS if wanted in (ccag.key, ccag.name.lower())), None)


@dataclass(frozen=True)
class Derogation:
    """One derogation: the CCAP point, the CCAG article it departs from, and the sentence."""

    ccap_point: str
    ccag_article: CcagArticle
    text: str


def standard_derogations(ccag: Ccag, prefix: str) -> tuple[Derogation, ...]:
    """Return the derogations the insertion clause makes to ``ccag``, CCAP points prefixed."""
    point = f"{prefix}9"
    return (
        Derogation(point, ccag.penalties, (
            f"Le point {point} déroge à l’article {ccag.penalties.number} du {ccag.name} : les "
            "pénalités pour heures d’insertion non réalisées et pour retard de transmission de l’état "
            "mensuel s’ajoutent aux pénalités qu’il prévoit.")),
        Derogation(point, ccag.penalty_waiver, (
            f"Le point {point} déroge à l’article {ccag.penalty_waiver.number} du {ccag.name}, en ce "
            "qu’il exonère le titulaire des pénalités dont le montant total ne dépasse pas 1 000 € HT : "
            "cette exonération ne s’applique pas aux pénalités du présent article.")),
    )


def unsourced_articles(derogations) -> list[str]:
    """Return « art. 19.1 du CCAG-Travaux 2021 » for each cited article no source backs."""
    return [f"art. {d.ccag_article.number}" for d in derogations if d.ccag_article.source is None]
