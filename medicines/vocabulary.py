"""The words of the medicines record: every choice a line, a dose or a stock event takes.

Stored codes are sent to devices and printed on the MAR: never rename one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Form(models.TextChoices):
    TABLET = "tablet", _("Tablet")
    CAPSULE = "capsule", _("Capsule")
    LIQUID = "liquid", _("Liquid")
    DISPERSIBLE = "dispersible", _("Dispersible or soluble")
    CREAM = "cream", _("Cream, gel or ointment")
    PATCH = "patch", _("Patch")
    INHALER = "inhaler", _("Inhaler")
    DROPS = "drops", _("Drops")
    SPRAY = "spray", _("Spray")
    INJECTION = "injection", _("Injection")
    SUPPOSITORY = "suppository", _("Suppository")
    POWDER = "powder", _("Powder or granules")
    OTHER = "other", _("Other")


class Route(models.TextChoices):
    ORAL = "oral", _("By mouth")
    SUBLINGUAL = "sublingual", _("Under the tongue or in the cheek")
    TOPICAL = "topical", _("On the skin")
    TRANSDERMAL = "transdermal", _("Through the skin (patch)")
    INHALED = "inhaled", _("Inhaled")
    EYE = "eye", _("In the eye")
    EAR = "ear", _("In the ear")
    NASAL = "nasal", _("In the nose")
    SUBCUTANEOUS = "subcutaneous", _("Injection under the skin")
    INTRAMUSCULAR = "intramuscular", _("Injection into a muscle")
    RECTAL = "rectal", _("Rectal")
    VAGINAL = "vaginal", _("Vaginal")
    ENTERAL = "enteral", _("Through a feeding tube")
    OTHER = "other", _("Other")


class DmdKind(models.TextChoices):
    NONE = "", _("No dm+d code")
    VMP = "vmp", _("VMP (the medicine, any maker)")
    AMP = "amp", _("AMP (one maker's product)")


class Food(models.TextChoices):
    ANY = "", _("No instruction")
    WITH = "with", _("With or after food")
    WITHOUT = "without", _("On an empty stomach")


class Support(models.TextChoices):
    PROMPT = "prompt", _("Prompt (the client takes it)")
    ASSIST = "assist", _("Assist (help to take it)")
    ADMINISTER = "administer", _("Administer (the carer gives it)")


class Supply(models.TextChoices):
    BLISTER = "blister", _("Blister or compliance pack")
    ORIGINAL = "original", _("Original packs")


class CdSchedule(models.TextChoices):
    NONE = "", _("Not a controlled drug")
    CD2 = "2", _("Schedule 2")
    CD3 = "3", _("Schedule 3")
    CD4 = "4", _("Schedule 4")
    CD5 = "5", _("Schedule 5")


class Source(models.TextChoices):
    GP_LETTER = "gp_letter", _("GP letter or prescription list")
    DISCHARGE_LETTER = "discharge_letter", _("Hospital discharge letter")
    PHARMACY = "pharmacy", _("Pharmacy (label or list)")
    TYPED = "typed", _("Typed from another source")


class LineStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    STOPPED = "stopped", _("Stopped")


class Outcome(models.TextChoices):
    GIVEN = "given", _("Given")
    PROMPTED = "prompted", _("Prompted and taken")
    PARTLY = "partly", _("Partly taken")
    REFUSED = "refused", _("Refused")
    NOT_GIVEN = "not_given", _("Not given")
    NOT_AVAILABLE = "not_available", _("Not available")


# The outcomes in which the client took the medicine (in full or in part): they count towards
# the PRN interval and maximum and the stock, and only one of them may stand per scheduled dose.
TAKEN: tuple[str, ...] = (Outcome.GIVEN, Outcome.PROMPTED, Outcome.PARTLY)


class NotGivenReason(models.TextChoices):
    NONE = "", _("No reason needed")
    ASLEEP = "asleep", _("Asleep")
    UNWELL = "unwell", _("Unwell or vomiting")
    AWAY = "away", _("Away or in hospital")
    OUT_OF_STOCK = "out_of_stock", _("Out of stock")
    FAMILY_GAVE = "family_gave", _("Given by family")
    SELF_ADMINISTERED = "self_administered", _("Self-administered")
    NOT_NEEDED = "not_needed", _("Not needed (when required)")


class StockKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    CARRIED_FORWARD = "carried_forward", _("Carried forward")
    RETURNED = "returned", _("Returned to the pharmacy")
    DISPOSED = "disposed", _("Disposed of")
    COUNTED = "counted", _("Counted")


# How each stock event moves the quantity expected in the home; a count and a balance carried
# forward set it instead (a count is checked against it first).
STOCK_SIGN: dict[str, int] = {
    StockKind.RECEIVED: 1,
    StockKind.RETURNED: -1,
    StockKind.DISPOSED: -1,
}


class VisitPart(models.TextChoices):
    """A line given with the client's visit of a part of the day instead of at clock times
    (the parts' hours: medicines/timing.py). Empty: at its clock times."""

    MORNING = "morning", _("Morning visit")
    LUNCHTIME = "lunchtime", _("Lunchtime visit")
    TEATIME = "teatime", _("Teatime visit")
    BEDTIME = "bedtime", _("Bedtime visit")
