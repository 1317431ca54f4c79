"""Past hour records: each line finds its person, lot and placement, then the month's record.

Everything is resolved from indexes loaded once (people, lots, placements, the month's counted
records), so a territory's history is planned in a handful of queries.

- The person and the lot: as a placement's line finds them (``people.placed_person``, ``lot_of``).
- The placement: the person's placements on the lot, narrowed by the declarant's SIRET (the
  SIAE or the company of the placement) and by the month, which its dates must cover.
- The month: a placement's month counts once (DOMAIN.md §11). A record typed or imported from
  data earlier is updated when the hours differ; a month a timesheet (relevé) already declared
  is left as it is, and a file saying otherwise is an error to settle first.

Created records are ``HourSource.REPRISE``. The export writes the counted hours, one line per
placement and month, with the placement's declarant: re-importing it changes nothing.
"""

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, aliased

from app.access import Scope
from app.domain.dataimport import CREATE, ERROR, SKIP, UPDATE, RowResult
from app.domain.dataimport.hours import HOURS_KIND
from app.domain.enums import HourSource
from app.domain.formats import format_date_fr, format_minutes
from app.domain.sheetmap.period import month_label
from app.models import Company, HourRecord, Lot, Participant, Placement, Siae, Tender
from app.services.dataimport.people import lot_of, lots_index, people_index, placed_person
from app.services.dataimport.stores import Index, Store, note_changes, refuse, register
from app.services.timesheets import is_outside

_PEOPLE, _PLACEMENTS, _RECORDS, _SEEN, _TARGET = "people", "placements", "records", "seen", "target"


class HoursStore(Store):
    """Hour records of placements, one line per person, lot and month."""

    kind = HOURS_KIND

    def index(self, session: Session, scope: Scope, results: list[RowResult]) -> Index:
        org = scope.organisation_id
        tenders, lots = lots_index(session, org)
        siae, company = aliased(Siae), aliased(Company)
        placements = defaultdict(list)
        for row in session.execute(
                select(Placement.id, Placement.participant_id, Placement.lot_id, Placement.starts_on,
                       Placement.ends_on, siae.siret, company.siret)
                .outerjoin(siae, siae.id == Placement.siae_id).outerjoin(company, company.id == Placement.company_id)
                .where(Placement.organisation_id == org).order_by(Placement.starts_on, Placement.id)):
            placements[(row[1], row[2])].append(row)
        months = {result.values["month_on"] for result in results if "month_on" in result.values}
        records = defaultdict(list)
        if months:
            for record in session.execute(
                    select(HourRecord.id, HourRecord.placement_id, HourRecord.month_on, HourRecord.minutes,
                           HourRecord.training_minutes, HourRecord.import_id)
                    .where(HourRecord.organisation_id == org, HourRecord.is_counted.is_(True),
                           HourRecord.month_on.in_(sorted(months)))):
                records[(record.placement_id, record.month_on)].append(record)
        return Index(extra={_PEOPLE: people_index(session, org), "tenders": tenders, "lots": lots,
                            _PLACEMENTS: placements, _RECORDS: records, _SEEN: {}, _TARGET: {}})

    def match(self, result: RowResult, index: Index) -> None:
        values, extra = result.values, index.extra
        problems: list[str] = []
        person = placed_person(values, extra[_PEOPLE], problems)
        lot = lot_of(values, extra, problems)
        for problem in problems:
            refuse(result, problem)
        if result.action == ERROR or person is None or lot is None:
            return
        placement = self._placement(result, extra[_PLACEMENTS].get((person.id, lot[0]), []))
        if placement is None:
            return
        month_on = values["month_on"]
        first = extra[_SEEN].setdefault((placement, month_on), result.row)
        if first != result.row:
            refuse(result, f"en double : la ligne {first} déclare déjà ce mois pour cette personne sur ce lot "
                           "(un mois ne compte qu'une fois).")
            return
        extra[_TARGET][result.row] = placement
        stored = extra[_RECORDS].get((placement, month_on), [])
        if len(stored) == 1 and stored[0].import_id is None:
            record = stored[0]
            current = {"minutes": record.minutes, "training_minutes": record.training_minutes}
            note_changes(result, self.kind, current, record.id)
        elif stored:
            minutes = sum(record.minutes for record in stored)
            if minutes == values["minutes"]:
                result.action, result.match_id = SKIP, stored[0].id
                result.reasons = ["identique (déjà déclaré par un relevé importé)"]
            else:
                refuse(result, f"{month_label(month_on.strftime('%Y-%m'))} est déjà déclaré pour cette personne sur "
                               f"ce lot ({format_minutes(minutes)}) par un relevé importé : corrigez le relevé dans "
                               "Clausier ou retirez la ligne.")

    @staticmethod
    def _placement(result: RowResult, candidates: list) -> int | None:
        values = result.values
        if not candidates:
            refuse(result, "Aucune mise en situation de cette personne sur ce lot : importez d'abord les mises en "
                           "situation.")
            return None
        siret = values.get("declarant_siret")
        if siret:
            # The declarant of record first (the SIAE of a placement through one, else its company),
            # then a company declaring for a placement through an SIAE.
            candidates = ([row for row in candidates if (row[5] or row[6]) == siret]
                          or [row for row in candidates if row[6] == siret])
            if not candidates:
                refuse(result, f"SIRET du déclarant {siret} : ni la SIAE ni l'entreprise des mises en situation de "
                               "cette personne sur ce lot.")
                return None
        start = values["month_on"]
        # The rule a relevé's monthly total meets: some day of the month within the placement's dates.
        covering = [row for row in candidates if not is_outside(row, start, None)]
        if len(covering) == 1:
            return covering[0][0]
        month = month_label(start.strftime("%Y-%m"))
        if not covering:
            periods = "; ".join(f"du {format_date_fr(row[3])}" + (f" au {format_date_fr(row[4])}" if row[4] else "")
                                for row in candidates[:3])
            refuse(result, f"{month} est hors des dates de ses mises en situation sur ce lot ({periods}) : corrigez "
                           "les dates de la mise en situation ou le mois.")
        else:
            refuse(result, f"{len(covering)} mises en situation de cette personne sur ce lot couvrent {month} : "
                           "indiquez le SIRET du déclarant (la SIAE ou l'entreprise).")
        return None

    def write(self, session: Session, scope: Scope, results: list[RowResult], index: Index) -> None:
        target = index.extra[_TARGET]
        created = [{"organisation_id": scope.organisation_id, "placement_id": target[result.row],
                    "month_on": result.values["month_on"], "minutes": result.values["minutes"],
                    "training_minutes": result.values.get("training_minutes") or 0, "source": HourSource.REPRISE,
                    "source_ref": f"reprise de données, ligne {result.row}", "is_counted": True,
                    "outside_dates": False, "count_note": ""}
                   for result in results if result.action == CREATE]
        for start in range(0, len(created), 5000):
            session.execute(insert(HourRecord), created[start:start + 5000])
        for result in results:
            if result.action == UPDATE:
                record = session.get(HourRecord, result.match_id)
                for role, (_old, new) in result.changes.items():
                    setattr(record, role, new)

    def export(self, session: Session, scope: Scope) -> Iterator[dict[str, object]]:
        # The counted hours of each placement's month, summed (a month counts once), with the placement's
        # declarant: the SIRET the import narrows placements by.
        siae, company = aliased(Siae), aliased(Company)
        rows = session.execute(
            select(Participant.code, Participant.last_name, Participant.first_name, Participant.birth_on,
                   Tender.reference, Lot.number, HourRecord.month_on, func.sum(HourRecord.minutes),
                   func.sum(HourRecord.training_minutes), siae.siret, company.siret)
            .join(Placement, Placement.id == HourRecord.placement_id)
            .join(Participant, Participant.id == Placement.participant_id)
            .join(Lot, Lot.id == Placement.lot_id).join(Tender, Tender.id == Lot.tender_id)
            .outerjoin(siae, siae.id == Placement.siae_id).outerjoin(company, company.id == Placement.company_id)
            .where(HourRecord.organisation_id == scope.organisation_id, HourRecord.is_counted.is_(True))
            .group_by(Placement.id, HourRecord.month_on, Participant.id, Tender.reference, Lot.number, siae.siret,
                      company.siret)
            .order_by(Tender.reference, Lot.number, Participant.last_name, Participant.first_name,
                      Participant.id, HourRecord.month_on, Placement.id)
            .execution_options(yield_per=2000))
        for row in rows:
            yield {"participant_code": row[0], "last_name": row[1], "first_name": row[2], "birth_on": row[3],
                   "tender_reference": row[4], "lot_number": row[5], "month_on": row[6], "minutes": int(row[7]),
                   "training_minutes": int(row[8] or 0), "declarant_siret": row[9] or row[10]}


register([HoursStore()])
