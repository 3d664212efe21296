"""Skills a visit may require and a member may hold.

Codes are stable: they are stored on members, visits and patterns, and sent to devices.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Skill(models.TextChoices):
    MEDICATION = "medication", _("Medication administration")
    INSULIN = "insulin", _("Insulin administration")
    WOUND_CARE = "wound_care", _("Wound care and dressings")
    CATHETER = "catheter", _("Catheter care")
    STOMA = "stoma", _("Stoma care")
    PEG_FEEDING = "peg_feeding", _("PEG feeding")
    MOVING_HANDLING = "moving_handling", _("Moving and handling (hoist)")
    PALLIATIVE = "palliative", _("Palliative and end-of-life care")
    DEMENTIA = "dementia", _("Dementia care")
    VENEPUNCTURE = "venepuncture", _("Venepuncture")
    # A language the member speaks (issue 30): the planner prefers them for a client who prefers
    # it and the week board warns when such a client gets someone without it. Never a hard
    # requirement unless a visit asks for it as its skill.
    WELSH = "welsh", _("Speaks Welsh (Cymraeg)")


def unknown_skills(codes: object) -> list[str]:
    """The entries of `codes` that are not skill codes (all of it, when it is not a list)."""
    if not isinstance(codes, list):
        return [repr(codes)]
    return [str(code) for code in codes if code not in Skill.values]
