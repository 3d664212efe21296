"""The MAR chart: a client's medicine lines against the days of a month (or a week), each
scheduled dose's outcome with who recorded it and when, the doses nobody recorded once their
window had passed (gaps), corrections with what they corrected, and the "when required" (PRN)
doses with their reason and effect.

One read builds it: the client's lines with their schedules (the times each had when), the
period's dose records (with who and what superseded what), their PRN follow-ups, the active
allergies and the team's policy: the same few queries whatever the number of lines, days or
records. The page, the PDF, the family's plain version and the API all draw from a `Mar`.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db.models.functions import Coalesce
from django.utils import timezone

from careteams.access import AnyUser
from careteams.models import Door, User
from clients.models import Allergy, AllergyStatus, Client
from clients.selectors import records
from medicines import mar_codes
from medicines.models import DoseRecord, MedicineLine, PrnFollowUp
from medicines.selectors.doses import with_schedules
from medicines.selectors.lines import policy_of
from medicines.timing import (
    Around,
    DoseTime,
    around,
    clock_dose,
    dates_ever,
    is_due,
    part_dose,
    parts_ever,
    schedule_at,
    times_ever,
)
from medicines.vocabulary import VisitPart

# A cell's state: what the chart shows for one scheduled dose on one day.
RECORDED = "recorded"
GAP = "gap"  # the window has passed with no record
PENDING = "pending"  # due, its window not yet passed (or still open)
NOT_DUE = "not_due"  # before the line's start, after its stop, or awaiting its second check
BLANK = "blank"  # the blank MAR: a cell for the carer's pen


@dataclass(frozen=True)
class Entry:
    """One dose record as the chart shows it."""

    record: DoseRecord
    code: str
    initials: str
    by: str
    at: dt.datetime  # when it happened (taken_at, the device's time)
    corrects: "Entry | None" = None  # the record this one superseded

    @property
    def corrected(self) -> bool:
        return self.corrects is not None


@dataclass(frozen=True)
class Cell:
    day: dt.date
    due_at: dt.datetime | None
    state: str
    entry: Entry | None = None  # the record that stands
    others: tuple[Entry, ...] = ()  # further standing records of the same dose, older first

    @property
    def code(self) -> str:
        if self.entry is not None:
            mark = mar_codes.CORRECTED_MARK if self.entry.corrected else ""
            return self.entry.code + mark
        if self.state == GAP:
            return mar_codes.GAP
        if self.state == NOT_DUE:
            return mar_codes.NOT_DUE
        return ""


@dataclass(frozen=True)
class Row:
    """One time of day of a line, or its visit of a part of the day, across the period's days."""

    time: str  # "08:00", local; or the part's visit, "Morning visit"
    cells: list[Cell]
    visit_part: str = ""  # the part of the day whose visit the row's doses are given with


@dataclass(frozen=True)
class LineChart:
    line: MedicineLine
    rows: list[Row]
    awaiting_check: bool


@dataclass(frozen=True)
class PrnDose:
    line: MedicineLine
    entry: Entry
    follow_ups: list[PrnFollowUp]


@dataclass
class Mar:
    client: Client
    zone: ZoneInfo
    first: dt.date
    last: dt.date
    days: list[dt.date]
    lines: list[LineChart]
    prn_lines: list[MedicineLine]
    prn_doses: list[PrnDose]
    corrections: list[Entry]  # each correcting record (its `corrects` is what it replaced)
    warnings: list[Entry]  # records applied with a warning (a PRN rule broken offline)
    allergies: list[Allergy]
    signatures: dict[str, str] = field(default_factory=dict)  # initials -> full name
    blank: bool = False

    @property
    def gaps(self) -> int:
        return sum(c.state == GAP for chart in self.lines for r in chart.rows for c in r.cells)


def mar_client(
    *, user: AnyUser, client_id: uuid.UUID, what: str = "", door: str = Door.PAGE
) -> Client:
    """A client of the user's team (anyone else: NotFound), the read logged under `what`."""
    client = records.client_get(user=user, client_id=client_id)
    if what:
        records.read_logged(user=user, client=client, what=what, door=door)
    return client


def lines_of(*, client: Client) -> list[MedicineLine]:
    """Every line of a client the caller holds, active first, scheduled before PRN."""
    return list(MedicineLine.objects.filter(client=client).order_by("status", "prn", "name"))


def key() -> list[tuple[str, str]]:
    return [(code, str(words)) for code, words in mar_codes.KEY]


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _initials(user: User) -> str:
    parts = [user.first_name, user.last_name]
    letters = "".join(p.strip()[:1] for p in parts if p.strip())
    return (letters or user.email[:2]).upper()


class _Signatures:
    """Initials for each recorder, unique within one chart (a second "AB" is "AB2")."""

    def __init__(self) -> None:
        self.by_user: dict[object, str] = {}
        self.names: dict[str, str] = {}

    def of(self, user: User) -> str:
        if user.pk not in self.by_user:
            base = _initials(user)
            mark, n = base, 1
            while mark in self.names:
                n += 1
                mark = f"{base}{n}"
            self.by_user[user.pk] = mark
            self.names[mark] = user.get_full_name() or user.email
        return self.by_user[user.pk]


def _entries(records: Iterable[DoseRecord], signatures: _Signatures) -> dict[object, Entry]:
    """Every record as an entry, oldest first, each linked to the record it corrects."""
    out: dict[object, Entry] = {}
    for record in sorted(records, key=lambda r: r.recorded_at):
        out[record.pk] = Entry(
            record=record,
            code=mar_codes.code_for(record.outcome, record.reason),
            initials=signatures.of(record.recorded_by),
            by=record.recorded_by.get_full_name() or record.recorded_by.email,
            at=record.taken_at,
            corrects=out.get(record.supersedes_id) if record.supersedes_id else None,
        )
    return out


class _Read(NamedTuple):
    lines: list[MedicineLine]
    records: list[DoseRecord]
    follow_ups: list[PrnFollowUp]
    allergies: list[Allergy]
    around: Around


def _read(client: Client, start: dt.datetime, end: dt.datetime) -> _Read:
    """Five queries (lines, their schedules, records, follow-ups, allergies), and a sixth (the
    client's visits) when a line is given with a visit, whatever the size of the record."""
    lines = list(
        with_schedules(MedicineLine.objects.filter(client=client)).order_by(
            "prn", "name", "created_at"
        )
    )
    # A scheduled dose belongs to the day it was due; a PRN dose to the day it was taken.
    records: list[DoseRecord] = list(
        DoseRecord.objects.filter(client=client)
        .annotate(moment=Coalesce("due_at", "taken_at"))
        .filter(moment__gte=start, moment__lt=end)
        .select_related("recorded_by")
    )
    prn_ids = [r.pk for r in records if r.due_at is None]
    follow_ups = (
        list(
            PrnFollowUp.objects.filter(dose_id__in=prn_ids)
            .select_related("recorded_by")
            .order_by("recorded_at")
        )
        if prn_ids
        else []
    )
    allergies = list(
        Allergy.objects.filter(client=client, status=AllergyStatus.ACTIVE).order_by("substance")
    )
    recorded = [(r.line_id, r.due_at) for r in records if r.supersedes_id is None]
    # A recorded visit-part dose keeps its time; the others are read against the visits.
    near = around(lines, start, end, client.team.zone, recorded)
    return _Read(lines, records, follow_ups, allergies, near)


def _grace(client: Client) -> int:
    return int(policy_of(client.team).missed_dose_grace_minutes)


def _cell(
    line: MedicineLine,
    day: dt.date,
    dose: DoseTime,
    entries: list[Entry],
    *,
    zone: ZoneInfo,
    now: dt.datetime,
    grace: dt.timedelta,
    blank: bool,
) -> Cell:
    due_at = dose.due_at.astimezone(zone)  # shown in the team's time, whatever the page's
    if entries:
        return Cell(day, due_at, RECORDED, entries[-1], tuple(entries[:-1]))
    if not is_due(line, dose, zone):
        return Cell(day, due_at, NOT_DUE)
    if blank:
        return Cell(day, due_at, BLANK)
    return Cell(day, due_at, GAP if now >= dose.window_end + grace else PENDING)


def _line_chart(
    line: MedicineLine,
    days: list[dt.date],
    standing: dict[tuple[object, dt.datetime], list[Entry]],
    near: Around,
    *,
    now: dt.datetime,
    grace: dt.timedelta,
    blank: bool,
) -> LineChart:
    # A row for each visit part the line has had, then each clock time it has had, each day's
    # cells by the schedule then in force; and a record at a time the line never had still gets
    # its row. A record shows in the row of its kind: with the part, or at a time, that the
    # schedule in force at its due time had (so it is never shown twice).
    zone = near.zone

    def entries(dose: DoseTime) -> list[Entry]:
        if schedule_at(line, dose.due_at).visit_part != dose.visit_part:
            return []
        return standing.get((line.pk, dose.due_at), [])

    def row(label: str, doses: list[tuple[dt.date, DoseTime]], part: str = "") -> Row:
        return Row(
            label,
            [
                _cell(
                    line,
                    day,
                    dose,
                    entries(dose),
                    zone=zone,
                    now=now,
                    grace=grace,
                    blank=blank,
                )
                for day, dose in doses
            ],
            part,
        )

    rows = [
        row(str(VisitPart(part).label), [(d, part_dose(line, part, d, near)) for d in days], part)
        for part in parts_ever(line)
    ]
    times = times_ever(line) | {
        due.astimezone(zone).strftime("%H:%M")
        for (line_id, due) in standing
        if line_id == line.pk and not schedule_at(line, due).visit_part
    }
    for hhmm in sorted(times):
        rows.append(row(hhmm, [(day, clock_dose(line, day, hhmm, zone)) for day in days]))
    return LineChart(line, rows, awaiting_check=line.checked_by_id is None)


def _overlaps(line: MedicineLine, first: dt.date, last: dt.date) -> bool:
    starts_on, stops_on = dates_ever(line)
    return starts_on <= last and (stops_on is None or stops_on >= first)


def mar_build(
    *,
    client: Client,
    first: dt.date,
    last: dt.date,
    now: dt.datetime | None = None,
    blank: bool = False,
) -> Mar:
    """The chart of `client` (already scoped by the caller) from `first` to `last` inclusive.
    `blank`: the lines with empty cells, for the paper MAR of a new client."""
    zone = client.team.zone
    now = now or timezone.now()
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    lines, records, follow_ups, allergies, near = _read(client, start, end)
    if blank:
        records, follow_ups = [], []
    signatures = _Signatures()
    entries = _entries(records, signatures)
    superseded = {r.supersedes_id for r in records if r.supersedes_id}
    standing: dict[tuple[object, dt.datetime], list[Entry]] = defaultdict(list)
    for entry in entries.values():
        record = entry.record
        if record.due_at is not None and record.pk not in superseded:
            standing[(record.line_id, record.due_at)].append(entry)
    with_records = {r.line_id for r in records}
    shown = [ln for ln in lines if _overlaps(ln, first, last) or ln.pk in with_records]
    grace = dt.timedelta(minutes=_grace(client))
    charts = [
        _line_chart(ln, days, standing, near, now=now, grace=grace, blank=blank)
        for ln in shown
        if not ln.prn
    ]
    by_line = {ln.pk: ln for ln in lines}
    effects: dict[object, list[PrnFollowUp]] = defaultdict(list)
    for follow_up in follow_ups:
        effects[follow_up.dose_id].append(follow_up)
    prn_doses = [
        PrnDose(by_line[e.record.line_id], e, effects[e.record.pk])
        for e in sorted(entries.values(), key=lambda e: e.at)
        if e.record.due_at is None and e.record.pk not in superseded
    ]
    ordered = list(entries.values())
    return Mar(
        client=client,
        zone=zone,
        first=first,
        last=last,
        days=days,
        lines=charts,
        prn_lines=[ln for ln in shown if ln.prn],
        prn_doses=prn_doses,
        corrections=[e for e in ordered if e.corrects is not None],
        warnings=[e for e in ordered if e.record.warning],
        allergies=allergies,
        signatures=dict(signatures.names),
        blank=blank,
    )
