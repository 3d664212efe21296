"""The Omaha System vocabulary (public domain; Martin, K. S. (2005), The Omaha System).

Codes are stable: they are stored on care problems and interventions and sent to devices.
Problems keep the canonical numbering 01-42; targets are numbered 01-75 in the canonical
order, with 76 for "other". Source: docs/reference/omaha.md.
"""

from typing import NamedTuple

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    ENVIRONMENTAL = "environmental", _("Environmental")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    PHYSIOLOGICAL = "physiological", _("Physiological")
    HEALTH_RELATED_BEHAVIORS = "health_related_behaviors", _("Health-related behaviors")


class Problem(NamedTuple):
    code: str
    english: str  # the Omaha System's own name, as the catalogue knows it
    domain: Domain

    @property
    def name(self) -> str:
        """In the reader's language."""
        return gettext(self.english)


PROBLEMS: dict[str, Problem] = {
    # Environmental
    "01": Problem("01", gettext_noop("Income"), Domain.ENVIRONMENTAL),
    "02": Problem("02", gettext_noop("Sanitation"), Domain.ENVIRONMENTAL),
    "03": Problem("03", gettext_noop("Residence"), Domain.ENVIRONMENTAL),
    "04": Problem("04", gettext_noop("Neighborhood/workplace safety"), Domain.ENVIRONMENTAL),
    # Psychosocial
    "05": Problem(
        "05", gettext_noop("Communication with community resources"), Domain.PSYCHOSOCIAL
    ),
    "06": Problem("06", gettext_noop("Social contact"), Domain.PSYCHOSOCIAL),
    "07": Problem("07", gettext_noop("Role change"), Domain.PSYCHOSOCIAL),
    "08": Problem("08", gettext_noop("Interpersonal relationship"), Domain.PSYCHOSOCIAL),
    "09": Problem("09", gettext_noop("Spirituality"), Domain.PSYCHOSOCIAL),
    "10": Problem("10", gettext_noop("Grief"), Domain.PSYCHOSOCIAL),
    "11": Problem("11", gettext_noop("Mental health"), Domain.PSYCHOSOCIAL),
    "12": Problem("12", gettext_noop("Sexuality"), Domain.PSYCHOSOCIAL),
    "13": Problem("13", gettext_noop("Caretaking/parenting"), Domain.PSYCHOSOCIAL),
    "14": Problem("14", gettext_noop("Neglect"), Domain.PSYCHOSOCIAL),
    "15": Problem("15", gettext_noop("Abuse"), Domain.PSYCHOSOCIAL),
    "16": Problem("16", gettext_noop("Growth and development"), Domain.PSYCHOSOCIAL),
    # Physiological
    "17": Problem("17", gettext_noop("Hearing"), Domain.PHYSIOLOGICAL),
    "18": Problem("18", gettext_noop("Vision"), Domain.PHYSIOLOGICAL),
    "19": Problem("19", gettext_noop("Speech and language"), Domain.PHYSIOLOGICAL),
    "20": Problem("20", gettext_noop("Oral health"), Domain.PHYSIOLOGICAL),
    "21": Problem("21", gettext_noop("Cognition"), Domain.PHYSIOLOGICAL),
    "22": Problem("22", gettext_noop("Pain"), Domain.PHYSIOLOGICAL),
    "23": Problem("23", gettext_noop("Consciousness"), Domain.PHYSIOLOGICAL),
    "24": Problem("24", gettext_noop("Skin"), Domain.PHYSIOLOGICAL),
    "25": Problem("25", gettext_noop("Neuro-musculo-skeletal function"), Domain.PHYSIOLOGICAL),
    "26": Problem("26", gettext_noop("Respiration"), Domain.PHYSIOLOGICAL),
    "27": Problem("27", gettext_noop("Circulation"), Domain.PHYSIOLOGICAL),
    "28": Problem("28", gettext_noop("Digestion-hydration"), Domain.PHYSIOLOGICAL),
    "29": Problem("29", gettext_noop("Bowel function"), Domain.PHYSIOLOGICAL),
    "30": Problem("30", gettext_noop("Urinary function"), Domain.PHYSIOLOGICAL),
    "31": Problem("31", gettext_noop("Reproductive function"), Domain.PHYSIOLOGICAL),
    "32": Problem("32", gettext_noop("Pregnancy"), Domain.PHYSIOLOGICAL),
    "33": Problem("33", gettext_noop("Postpartum"), Domain.PHYSIOLOGICAL),
    "34": Problem("34", gettext_noop("Communicable/infectious condition"), Domain.PHYSIOLOGICAL),
    # Health-related behaviors
    "35": Problem("35", gettext_noop("Nutrition"), Domain.HEALTH_RELATED_BEHAVIORS),
    "36": Problem("36", gettext_noop("Sleep and rest patterns"), Domain.HEALTH_RELATED_BEHAVIORS),
    "37": Problem("37", gettext_noop("Physical activity"), Domain.HEALTH_RELATED_BEHAVIORS),
    "38": Problem("38", gettext_noop("Personal care"), Domain.HEALTH_RELATED_BEHAVIORS),
    "39": Problem("39", gettext_noop("Substance use"), Domain.HEALTH_RELATED_BEHAVIORS),
    "40": Problem("40", gettext_noop("Family planning"), Domain.HEALTH_RELATED_BEHAVIORS),
    "41": Problem("41", gettext_noop("Health care supervision"), Domain.HEALTH_RELATED_BEHAVIORS),
    "42": Problem("42", gettext_noop("Medication regimen"), Domain.HEALTH_RELATED_BEHAVIORS),
}
# Lazy, so that a form or page drawn later shows the names in the reader's language.
PROBLEM_CHOICES = [
    (code, format_lazy("{} {}", code, gettext_lazy(p.english))) for code, p in PROBLEMS.items()
]


class Scope(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    COMMUNITY = "community", _("Community")


class Severity(models.TextChoices):
    HEALTH_PROMOTION = "health_promotion", _("Health promotion")
    POTENTIAL = "potential", _("Potential")
    ACTUAL = "actual", _("Actual")


class Category(models.TextChoices):
    TEACHING = "teaching", _("Teaching, Guidance, and Counseling")
    TREATMENTS = "treatments", _("Treatments and Procedures")
    CASE_MANAGEMENT = "case_management", _("Case Management")
    SURVEILLANCE = "surveillance", _("Surveillance")


TARGETS: dict[str, str] = {
    "01": gettext_noop("anatomy/physiology"),
    "02": gettext_noop("anger management"),
    "03": gettext_noop("behavior modification"),
    "04": gettext_noop("bladder care"),
    "05": gettext_noop("bonding/attachment"),
    "06": gettext_noop("bowel care"),
    "07": gettext_noop("cardiac care"),
    "08": gettext_noop("caretaking/parenting skills"),
    "09": gettext_noop("cast care"),
    "10": gettext_noop("communication"),
    "11": gettext_noop("community outreach worker services"),
    "12": gettext_noop("continuity of care"),
    "13": gettext_noop("coping skills"),
    "14": gettext_noop("day care/respite"),
    "15": gettext_noop("dietary management"),
    "16": gettext_noop("discipline"),
    "17": gettext_noop("dressing change/wound care"),
    "18": gettext_noop("durable medical equipment"),
    "19": gettext_noop("education"),
    "20": gettext_noop("employment"),
    "21": gettext_noop("end-of-life care"),
    "22": gettext_noop("environment"),
    "23": gettext_noop("exercises"),
    "24": gettext_noop("family planning care"),
    "25": gettext_noop("feeding procedures"),
    "26": gettext_noop("finances"),
    "27": gettext_noop("gait training"),
    "28": gettext_noop("genetics"),
    "29": gettext_noop("growth/development care"),
    "30": gettext_noop("home"),
    "31": gettext_noop("homemaking/housekeeping"),
    "32": gettext_noop("infection precautions"),
    "33": gettext_noop("interaction"),
    "34": gettext_noop("interpreter/translator services"),
    "35": gettext_noop("laboratory findings"),
    "36": gettext_noop("legal system"),
    "37": gettext_noop("medical/dental care"),
    "38": gettext_noop("medication action/side effects"),
    "39": gettext_noop("medication administration"),
    "40": gettext_noop("medication coordination/ordering"),
    "41": gettext_noop("medication prescription"),
    "42": gettext_noop("medication set-up"),
    "43": gettext_noop("mobility/transfers"),
    "44": gettext_noop("nursing care"),
    "45": gettext_noop("nutritionist care"),
    "46": gettext_noop("occupational therapy care"),
    "47": gettext_noop("ostomy care"),
    "48": gettext_noop("other community resources"),
    "49": gettext_noop("paraprofessional/aide care"),
    "50": gettext_noop("personal hygiene"),
    "51": gettext_noop("physical therapy care"),
    "52": gettext_noop("positioning"),
    "53": gettext_noop("recreational therapy care"),
    "54": gettext_noop("relaxation/breathing techniques"),
    "55": gettext_noop("respiratory care"),
    "56": gettext_noop("respiratory therapy care"),
    "57": gettext_noop("rest/sleep"),
    "58": gettext_noop("safety"),
    "59": gettext_noop("screening procedures"),
    "60": gettext_noop("sickness/injury care"),
    "61": gettext_noop("signs/symptoms-mental/emotional"),
    "62": gettext_noop("signs/symptoms-physical"),
    "63": gettext_noop("skin care"),
    "64": gettext_noop("social work/counseling care"),
    "65": gettext_noop("specimen collection"),
    "66": gettext_noop("speech and language pathology care"),
    "67": gettext_noop("spiritual care"),
    "68": gettext_noop("stimulation/nurturance"),
    "69": gettext_noop("stress management"),
    "70": gettext_noop("substance use cessation"),
    "71": gettext_noop("supplies"),
    "72": gettext_noop("support group"),
    "73": gettext_noop("support system"),
    "74": gettext_noop("transportation"),
    "75": gettext_noop("wellness"),
    "76": gettext_noop("other"),
}
TARGET_CHOICES = [(code, gettext_lazy(name)) for code, name in TARGETS.items()]

RATING_SCALES = {
    "knowledge": ("no knowledge", "superior knowledge"),
    "behaviour": ("not appropriate", "consistently appropriate"),
    "status": ("extreme signs/symptoms", "no signs/symptoms"),
}
