"""A medicine line in words: for the team's MAR (every detail a carer needs at the dose) and for
the family (what it is, how much, when; nothing of the team's internal workings: no dm+d code,
no controlled-drug schedule, no covert decision, no transcription or stock)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medicines.models import MedicineLine


def amount_words(value: Decimal | None) -> str:
    """1.000 -> "1", 2.500 -> "2.5"."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


def dose_words(value: Decimal | None, unit: str) -> str:
    return f"{amount_words(value)} {unit}".strip()


def dose_range(line: MedicineLine) -> str:
    """ "1 tablet", or "1 or 2 tablet" for a variable dose (the unit as the team wrote it)."""
    low, high = amount_words(line.dose_min), amount_words(line.dose_max)
    if low == high:
        return f"{low} {line.dose_unit}"
    return _("%(low)s to %(high)s %(unit)s") % {"low": low, "high": high, "unit": line.dose_unit}


def _hours(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def line_details(line: MedicineLine, *, staff: bool) -> list[str]:
    """The line's lines of text, most important first."""
    out = [" ".join(p for p in (line.name, line.strength, line.get_form_display()) if p)]
    dose = dose_range(line)
    out.append(f"{dose}, {line.get_route_display().lower()}")
    if line.food:
        out.append(line.get_food_display())
    if line.body_site:
        out.append(_("Where: %(site)s") % {"site": line.body_site})
    if line.instructions:
        out.append(line.instructions)
    if not staff:
        return out
    out.append(line.get_support_display())
    if line.time_critical:
        out.append(
            _("Time-critical: within %(span)s") % {"span": _hours(line.time_tolerance_minutes)}
        )
    if line.cd_schedule:
        out.append(_("Controlled drug, schedule %(n)s") % {"n": line.cd_schedule})
    if line.covert:
        out.append(_("Given covertly (best-interests decision recorded)"))
    if line.checked_by_id is None:
        out.append(_("Awaiting a second person's check: not to be given"))
    if line.stops_on:
        out.append(_("Stops after %(day)s") % {"day": line.stops_on.strftime("%d/%m/%Y")})
    elif line.stopped_at:
        out.append(_("Stopped"))
    return out


def prn_protocol(line: MedicineLine) -> list[str]:
    """A PRN line's protocol, as the carer must follow it."""
    out = []
    if line.prn_for:
        out.append(_("For: %(what)s") % {"what": line.prn_for})
    out.append(_("Dose: %(dose)s") % {"dose": dose_range(line)})
    if line.prn_min_interval_minutes:
        out.append(
            _("At least %(span)s between doses") % {"span": _hours(line.prn_min_interval_minutes)}
        )
    if line.prn_max_24h is not None:
        out.append(
            _("No more than %(most)s in 24 hours")
            % {"most": dose_words(line.prn_max_24h, line.dose_unit)}
        )
    if line.prn_if_ineffective:
        out.append(_("If it does not work: %(then)s") % {"then": line.prn_if_ineffective})
    return out
