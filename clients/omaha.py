"""The Omaha System vocabulary (public domain; Martin, K. S. (2005), The Omaha System).

Codes are stable: they are stored on care problems and interventions and sent to devices.
Problems keep the canonical numbering 01-42; targets are numbered 01-75 in the canonical
order, with 76 for "other". Source: docs/reference/omaha.md.
"""

from typing import NamedTuple

from django.db import models


class Domain(models.TextChoices):
    ENVIRONMENTAL = "environmental", "Environmental"
    PSYCHOSOCIAL = "psychosocial", "Psychosocial"
    PHYSIOLOGICAL = "physiological", "Physiological"
    HEALTH_RELATED_BEHAVIORS = "health_related_behaviors", "Health-related behaviors"


class Problem(NamedTuple):
    code: str
    name: str
    domain: Domain


PROBLEMS: dict[str, Problem] = {
    # Environmental
    "01": Problem("01", "Income", Domain.ENVIRONMENTAL),
    "02": Problem("02", "Sanitation", Domain.ENVIRONMENTAL),
    "03": Problem("03", "Residence", Domain.ENVIRONMENTAL),
    "04": Problem("04", "Neighborhood/workplace safety", Domain.ENVIRONMENTAL),
    # Psychosocial
    "05": Problem("05", "Communication with community resources", Domain.PSYCHOSOCIAL),
    "06": Problem("06", "Social contact", Domain.PSYCHOSOCIAL),
    "07": Problem("07", "Role change", Domain.PSYCHOSOCIAL),
    "08": Problem("08", "Interpersonal relationship", Domain.PSYCHOSOCIAL),
    "09": Problem("09", "Spirituality", Domain.PSYCHOSOCIAL),
    "10": Problem("10", "Grief", Domain.PSYCHOSOCIAL),
    "11": Problem("11", "Mental health", Domain.PSYCHOSOCIAL),
    "12": Problem("12", "Sexuality", Domain.PSYCHOSOCIAL),
    "13": Problem("13", "Caretaking/parenting", Domain.PSYCHOSOCIAL),
    "14": Problem("14", "Neglect", Domain.PSYCHOSOCIAL),
    "15": Problem("15", "Abuse", Domain.PSYCHOSOCIAL),
    "16": Problem("16", "Growth and development", Domain.PSYCHOSOCIAL),
    # Physiological
    "17": Problem("17", "Hearing", Domain.PHYSIOLOGICAL),
    "18": Problem("18", "Vision", Domain.PHYSIOLOGICAL),
    "19": Problem("19", "Speech and language", Domain.PHYSIOLOGICAL),
    "20": Problem("20", "Oral health", Domain.PHYSIOLOGICAL),
    "21": Problem("21", "Cognition", Domain.PHYSIOLOGICAL),
    "22": Problem("22", "Pain", Domain.PHYSIOLOGICAL),
    "23": Problem("23", "Consciousness", Domain.PHYSIOLOGICAL),
    "24": Problem("24", "Skin", Domain.PHYSIOLOGICAL),
    "25": Problem("25", "Neuro-musculo-skeletal function", Domain.PHYSIOLOGICAL),
    "26": Problem("26", "Respiration", Domain.PHYSIOLOGICAL),
    "27": Problem("27", "Circulation", Domain.PHYSIOLOGICAL),
    "28": Problem("28", "Digestion-hydration", Domain.PHYSIOLOGICAL),
    "29": Problem("29", "Bowel function", Domain.PHYSIOLOGICAL),
    "30": Problem("30", "Urinary function", Domain.PHYSIOLOGICAL),
    "31": Problem("31", "Reproductive function", Domain.PHYSIOLOGICAL),
    "32": Problem("32", "Pregnancy", Domain.PHYSIOLOGICAL),
    "33": Problem("33", "Postpartum", Domain.PHYSIOLOGICAL),
    "34": Problem("34", "Communicable/infectious condition", Domain.PHYSIOLOGICAL),
    # Health-related behaviors
    "35": Problem("35", "Nutrition", Domain.HEALTH_RELATED_BEHAVIORS),
    "36": Problem("36", "Sleep and rest patterns", Domain.HEALTH_RELATED_BEHAVIORS),
    "37": Problem("37", "Physical activity", Domain.HEALTH_RELATED_BEHAVIORS),
    "38": Problem("38", "Personal care", Domain.HEALTH_RELATED_BEHAVIORS),
    "39": Problem("39", "Substance use", Domain.HEALTH_RELATED_BEHAVIORS),
    "40": Problem("40", "Family planning", Domain.HEALTH_RELATED_BEHAVIORS),
    "41": Problem("41", "Health care supervision", Domain.HEALTH_RELATED_BEHAVIORS),
    "42": Problem("42", "Medication regimen", Domain.HEALTH_RELATED_BEHAVIORS),
}
PROBLEM_CHOICES = [(code, f"{code} {p.name}") for code, p in PROBLEMS.items()]


class Scope(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    FAMILY = "family", "Family"
    COMMUNITY = "community", "Community"


class Severity(models.TextChoices):
    HEALTH_PROMOTION = "health_promotion", "Health promotion"
    POTENTIAL = "potential", "Potential"
    ACTUAL = "actual", "Actual"


class Category(models.TextChoices):
    TEACHING = "teaching", "Teaching, Guidance, and Counseling"
    TREATMENTS = "treatments", "Treatments and Procedures"
    CASE_MANAGEMENT = "case_management", "Case Management"
    SURVEILLANCE = "surveillance", "Surveillance"


TARGETS: dict[str, str] = {
    "01": "anatomy/physiology",
    "02": "anger management",
    "03": "behavior modification",
    "04": "bladder care",
    "05": "bonding/attachment",
    "06": "bowel care",
    "07": "cardiac care",
    "08": "caretaking/parenting skills",
    "09": "cast care",
    "10": "communication",
    "11": "community outreach worker services",
    "12": "continuity of care",
    "13": "coping skills",
    "14": "day care/respite",
    "15": "dietary management",
    "16": "discipline",
    "17": "dressing change/wound care",
    "18": "durable medical equipment",
    "19": "education",
    "20": "employment",
    "21": "end-of-life care",
    "22": "environment",
    "23": "exercises",
    "24": "family planning care",
    "25": "feeding procedures",
    "26": "finances",
    "27": "gait training",
    "28": "genetics",
    "29": "growth/development care",
    "30": "home",
    "31": "homemaking/housekeeping",
    "32": "infection precautions",
    "33": "interaction",
    "34": "interpreter/translator services",
    "35": "laboratory findings",
    "36": "legal system",
    "37": "medical/dental care",
    "38": "medication action/side effects",
    "39": "medication administration",
    "40": "medication coordination/ordering",
    "41": "medication prescription",
    "42": "medication set-up",
    "43": "mobility/transfers",
    "44": "nursing care",
    "45": "nutritionist care",
    "46": "occupational therapy care",
    "47": "ostomy care",
    "48": "other community resources",
    "49": "paraprofessional/aide care",
    "50": "personal hygiene",
    "51": "physical therapy care",
    "52": "positioning",
    "53": "recreational therapy care",
    "54": "relaxation/breathing techniques",
    "55": "respiratory care",
    "56": "respiratory therapy care",
    "57": "rest/sleep",
    "58": "safety",
    "59": "screening procedures",
    "60": "sickness/injury care",
    "61": "signs/symptoms-mental/emotional",
    "62": "signs/symptoms-physical",
    "63": "skin care",
    "64": "social work/counseling care",
    "65": "specimen collection",
    "66": "speech and language pathology care",
    "67": "spiritual care",
    "68": "stimulation/nurturance",
    "69": "stress management",
    "70": "substance use cessation",
    "71": "supplies",
    "72": "support group",
    "73": "support system",
    "74": "transportation",
    "75": "wellness",
    "76": "other",
}
TARGET_CHOICES = [(code, name) for code, name in TARGETS.items()]

RATING_SCALES = {
    "knowledge": ("no knowledge", "superior knowledge"),
    "behaviour": ("not appropriate", "consistently appropriate"),
    "status": ("extreme signs/symptoms", "no signs/symptoms"),
}
