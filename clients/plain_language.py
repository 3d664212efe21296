"""The care plan in everyday words, for the client and their family.

No codes, no scores, no clinical terms: each Omaha problem has a plain name, and each kind of
help says what the team does. The nurse's own words ("what we do") follow as they wrote them.
"""

from django.utils.translation import gettext

# Marked for the catalogue only: the functions below translate them when a page asks.
from django.utils.translation import gettext_noop as _

PROBLEMS: dict[str, str] = {
    "01": _("Money and making ends meet"),
    "02": _("Keeping the home clean and hygienic"),
    "03": _("The home itself: safety, warmth and space"),
    "04": _("Safety in the neighbourhood"),
    "05": _("Getting help from services"),
    "06": _("Seeing other people"),
    "07": _("Changes in everyday roles"),
    "08": _("Relationships with others"),
    "09": _("Faith and spiritual needs"),
    "10": _("Grief and loss"),
    "11": _("Mood and mental wellbeing"),
    "12": _("Intimacy and sexual health"),
    "13": _("Caring for others"),
    "14": _("Being looked after well"),
    "15": _("Staying safe from harm"),
    "16": _("Growing and developing"),
    "17": _("Hearing"),
    "18": _("Eyesight"),
    "19": _("Speaking and understanding"),
    "20": _("Teeth and mouth"),
    "21": _("Memory and thinking"),
    "22": _("Pain"),
    "23": _("Alertness"),
    "24": _("Skin and wounds"),
    "25": _("Moving, balance and strength"),
    "26": _("Breathing"),
    "27": _("Heart and circulation"),
    "28": _("Eating, drinking and swallowing"),
    "29": _("Bowels"),
    "30": _("Bladder and passing urine"),
    "31": _("Reproductive health"),
    "32": _("Pregnancy"),
    "33": _("After having a baby"),
    "34": _("Infections"),
    "35": _("Food and nutrition"),
    "36": _("Sleep and rest"),
    "37": _("Keeping active"),
    "38": _("Washing, dressing and personal care"),
    "39": _("Alcohol, smoking and other substances"),
    "40": _("Family planning"),
    "41": _("Keeping up with health appointments"),
    "42": _("Medicines"),
}

CATEGORIES: dict[str, str] = {
    "teaching": _("We explain, advise and encourage"),
    "treatments": _("We provide care"),
    "case_management": _("We arrange and coordinate help"),
    "surveillance": _("We keep an eye on things"),
}

RESOLVED = _("Things have improved and the team no longer needs to help with this.")


def problem_name(code: str) -> str:
    return gettext(PROBLEMS.get(code, _("Something the team helps with")))


def category_words(category: str) -> str:
    return gettext(CATEGORIES.get(category, _("We help")))


def resolved() -> str:
    return gettext(RESOLVED)
