"""The Omaha System vocabulary (public domain; Martin, K. S. (2005), The Omaha System).

Codes are stable: they are stored on care problems and interventions and sent to devices.
Problems keep the canonical numbering 01-42; targets are numbered 01-75 in the canonical
order, with 76 for "other". Source: docs/reference/omaha.md.
"""

from typing import NamedTuple

from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    ENVIRONMENTAL = "environmental", _("Environmental")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    PHYSIOLOGICAL = "physiological", _("Physiological")
    HEALTH_RELATED_BEHAVIORS = "health_related_behaviors", _("Health-related behaviors")


class Problem(NamedTuple):
    code: str
    name: str | Promise
    domain: Domain


PROBLEMS: dict[str, Problem] = {
    # Environmental
    "01": Problem("01", _("Income"), Domain.ENVIRONMENTAL),
    "02": Problem("02", _("Sanitation"), Domain.ENVIRONMENTAL),
    "03": Problem("03", _("Residence"), Domain.ENVIRONMENTAL),
    "04": Problem("04", _("Neighborhood/workplace safety"), Domain.ENVIRONMENTAL),
    # Psychosocial
    "05": Problem("05", _("Communication with community resources"), Domain.PSYCHOSOCIAL),
    "06": Problem("06", _("Social contact"), Domain.PSYCHOSOCIAL),
    "07": Problem("07", _("Role change"), Domain.PSYCHOSOCIAL),
    "08": Problem("08", _("Interpersonal relationship"), Domain.PSYCHOSOCIAL),
    "09": Problem("09", _("Spirituality"), Domain.PSYCHOSOCIAL),
    "10": Problem("10", _("Grief"), Domain.PSYCHOSOCIAL),
    "11": Problem("11", _("Mental health"), Domain.PSYCHOSOCIAL),
    "12": Problem("12", _("Sexuality"), Domain.PSYCHOSOCIAL),
    "13": Problem("13", _("Caretaking/parenting"), Domain.PSYCHOSOCIAL),
    "14": Problem("14", _("Neglect"), Domain.PSYCHOSOCIAL),
    "15": Problem("15", _("Abuse"), Domain.PSYCHOSOCIAL),
    "16": Problem("16", _("Growth and development"), Domain.PSYCHOSOCIAL),
    # Physiological
    "17": Problem("17", _("Hearing"), Domain.PHYSIOLOGICAL),
    "18": Problem("18", _("Vision"), Domain.PHYSIOLOGICAL),
    "19": Problem("19", _("Speech and language"), Domain.PHYSIOLOGICAL),
    "20": Problem("20", _("Oral health"), Domain.PHYSIOLOGICAL),
    "21": Problem("21", _("Cognition"), Domain.PHYSIOLOGICAL),
    "22": Problem("22", _("Pain"), Domain.PHYSIOLOGICAL),
    "23": Problem("23", _("Consciousness"), Domain.PHYSIOLOGICAL),
    "24": Problem("24", _("Skin"), Domain.PHYSIOLOGICAL),
    "25": Problem("25", _("Neuro-musculo-skeletal function"), Domain.PHYSIOLOGICAL),
    "26": Problem("26", _("Respiration"), Domain.PHYSIOLOGICAL),
    "27": Problem("27", _("Circulation"), Domain.PHYSIOLOGICAL),
    "28": Problem("28", _("Digestion-hydration"), Domain.PHYSIOLOGICAL),
    "29": Problem("29", _("Bowel function"), Domain.PHYSIOLOGICAL),
    "30": Problem("30", _("Urinary function"), Domain.PHYSIOLOGICAL),
    "31": Problem("31", _("Reproductive function"), Domain.PHYSIOLOGICAL),
    "32": Problem("32", _("Pregnancy"), Domain.PHYSIOLOGICAL),
    "33": Problem("33", _("Postpartum"), Domain.PHYSIOLOGICAL),
    "34": Problem("34", _("Communicable/infectious condition"), Domain.PHYSIOLOGICAL),
    # Health-related behaviors
    "35": Problem("35", _("Nutrition"), Domain.HEALTH_RELATED_BEHAVIORS),
    "36": Problem("36", _("Sleep and rest patterns"), Domain.HEALTH_RELATED_BEHAVIORS),
    "37": Problem("37", _("Physical activity"), Domain.HEALTH_RELATED_BEHAVIORS),
    "38": Problem("38", _("Personal care"), Domain.HEALTH_RELATED_BEHAVIORS),
    "39": Problem("39", _("Substance use"), Domain.HEALTH_RELATED_BEHAVIORS),
    "40": Problem("40", _("Family planning"), Domain.HEALTH_RELATED_BEHAVIORS),
    "41": Problem("41", _("Health care supervision"), Domain.HEALTH_RELATED_BEHAVIORS),
    "42": Problem("42", _("Medication regimen"), Domain.HEALTH_RELATED_BEHAVIORS),
}
# Lazy, so that a form or page drawn later shows the names in the reader's language.
PROBLEM_CHOICES = [(code, format_lazy("{} {}", code, p.name)) for code, p in PROBLEMS.items()]


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
    "01": _("anatomy/physiology"),
    "02": _("anger management"),
    "03": _("behavior modification"),
    "04": _("bladder care"),
    "05": _("bonding/attachment"),
    "06": _("bowel care"),
    "07": _("cardiac care"),
    "08": _("caretaking/parenting skills"),
    "09": _("cast care"),
    "10": _("communication"),
    "11": _("community outreach worker services"),
    "12": _("continuity of care"),
    "13": _("coping skills"),
    "14": _("day care/respite"),
    "15": _("dietary management"),
    "16": _("discipline"),
    "17": _("dressing change/wound care"),
    "18": _("durable medical equipment"),
    "19": _("education"),
    "20": _("employment"),
    "21": _("end-of-life care"),
    "22": _("environment"),
    "23": _("exercises"),
    "24": _("family planning care"),
    "25": _("feeding procedures"),
    "26": _("finances"),
    "27": _("gait training"),
    "28": _("genetics"),
    "29": _("growth/development care"),
    "30": _("home"),
    "31": _("homemaking/housekeeping"),
    "32": _("infection precautions"),
    "33": _("interaction"),
    "34": _("interpreter/translator services"),
    "35": _("laboratory findings"),
    "36": _("legal system"),
    "37": _("medical/dental care"),
    "38": _("medication action/side effects"),
    "39": _("medication administration"),
    "40": _("medication coordination/ordering"),
    "41": _("medication prescription"),
    "42": _("medication set-up"),
    "43": _("mobility/transfers"),
    "44": _("nursing care"),
    "45": _("nutritionist care"),
    "46": _("occupational therapy care"),
    "47": _("ostomy care"),
    "48": _("other community resources"),
    "49": _("paraprofessional/aide care"),
    "50": _("personal hygiene"),
    "51": _("physical therapy care"),
    "52": _("positioning"),
    "53": _("recreational therapy care"),
    "54": _("relaxation/breathing techniques"),
    "55": _("respiratory care"),
    "56": _("respiratory therapy care"),
    "57": _("rest/sleep"),
    "58": _("safety"),
    "59": _("screening procedures"),
    "60": _("sickness/injury care"),
    "61": _("signs/symptoms-mental/emotional"),
    "62": _("signs/symptoms-physical"),
    "63": _("skin care"),
    "64": _("social work/counseling care"),
    "65": _("specimen collection"),
    "66": _("speech and language pathology care"),
    "67": _("spiritual care"),
    "68": _("stimulation/nurturance"),
    "69": _("stress management"),
    "70": _("substance use cessation"),
    "71": _("supplies"),
    "72": _("support group"),
    "73": _("support system"),
    "74": _("transportation"),
    "75": _("wellness"),
    "76": _("other"),
}
TARGET_CHOICES = [(code, name) for code, name in TARGETS.items()]

RATING_SCALES = {
    "knowledge": ("no knowledge", "superior knowledge"),
    "behaviour": ("not appropriate", "consistently appropriate"),
    "status": ("extreme signs/symptoms", "no signs/symptoms"),
}
