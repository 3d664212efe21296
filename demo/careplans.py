"""Omaha care-plan templates: a problem, what shows it, what we do, and the visits it needs.

Everyday living here; the nursing templates are in `nursing.py`."""

import datetime as dt
from dataclasses import dataclass

from clients import omaha

C = omaha.Category


@dataclass(frozen=True)
class Action:
    category: omaha.Category
    target: str  # an omaha.TARGETS code
    care: str
    frequency: str


@dataclass(frozen=True)
class Round:
    """The recurring visit a problem asks for; the start is picked from `slots`."""

    weekdays: tuple[int, ...]
    slots: tuple[str, ...]
    minutes: int
    skills: tuple[str, ...] = ()
    carers: int = 1
    tasks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    key: str
    code: str  # an omaha.PROBLEMS code
    signs: tuple[str, ...]  # codes of the problem's signs and symptoms (clients.omaha_signs)
    actions: tuple[Action, ...]
    round: Round | None
    notes: tuple[str, ...]


DAILY = (1, 2, 3, 4, 5, 6, 7)
MORNING = ("07:45", "08:15", "08:45", "09:15", "09:45", "10:15")
LUNCH = ("12:00", "12:30", "13:00")
TEA = ("16:30", "17:00", "17:30", "18:00")
EVENING = ("19:30", "20:00", "20:30", "21:00")

EVERYDAY: tuple[Template, ...] = (
    Template(
        "medication",
        "42",
        ("01", "03"),
        (
            Action(
                C.TREATMENTS,
                "39",
                "Give medication from the blister pack; sign the MAR chart.",
                "twice daily",
            ),
            Action(
                C.SURVEILLANCE,
                "38",
                "Watch for dizziness after the new blood pressure tablets.",
                "each visit",
            ),
        ),
        Round(
            DAILY,
            TEA,
            30,
            ("medication",),
            tasks=("Medication from blister pack", "Sign MAR chart"),
        ),
        (
            "Evening tablets taken with supper. No dizziness today.",
            "Blister pack for next week collected from the pharmacy by the daughter.",
            "Refused the evening tablets at first; took them after a cup of tea.",
        ),
    ),
    Template(
        "personal_care",
        "38",
        ("02", "04"),
        (
            Action(
                C.TREATMENTS,
                "50",
                "Help with a strip wash and dressing; he washes his face and arms himself.",
                "daily",
            ),
            Action(C.SURVEILLANCE, "63", "Check skin folds and heels while washing.", "daily"),
        ),
        Round(DAILY, MORNING, 45, tasks=("Wash and dress", "Breakfast and a drink")),
        (
            "Strip wash at the sink, dressed in his own choice of clothes. Good spirits.",
            "Managed the buttons himself today. Skin intact.",
            "Tired this morning and stayed in bed for a wash; sat out for breakfast.",
        ),
    ),
    Template(
        "memory",
        "21",
        ("03", "02"),
        (
            Action(
                C.SURVEILLANCE,
                "61",
                "Note changes in confusion or mood; tell the GP if it worsens suddenly.",
                "each visit",
            ),
            Action(
                C.CASE_MANAGEMENT,
                "14",
                "Day centre on Tuesdays and Thursdays, arranged with the family.",
                "monthly review",
            ),
        ),
        Round(
            DAILY, LUNCH, 30, ("dementia",), tasks=("Lunch and a drink", "Check the house is safe")
        ),
        (
            "Lunch eaten. Talked about her late husband's allotment, settled and smiling.",
            "A little muddled about the day: we went through the calendar on the fridge.",
            "Cooker left on low when we arrived; switched off and told the family.",
        ),
    ),
    Template(
        "transfers",
        "25",
        ("10", "01"),
        (
            Action(
                C.TREATMENTS,
                "43",
                "Bed to chair with the hoist and the medium sling; two carers.",
                "twice daily",
            ),
            Action(
                C.TEACHING, "23", "Encourage the ankle exercises from the physio sheet.", "daily"
            ),
        ),
        Round(
            DAILY,
            MORNING,
            45,
            ("moving_handling",),
            carers=2,
            tasks=("Hoist bed to chair", "Wash and dress"),
        ),
        (
            "Hoisted to the chair without trouble; sling checked before use.",
            "Did ten ankle circles each side before getting up.",
            "Hoist battery low: put on charge and told the office.",
        ),
    ),
    Template(
        "nutrition",
        "35",
        ("08", "03"),
        (
            Action(C.SURVEILLANCE, "15", "Weigh on Mondays and score MUST.", "weekly"),
            Action(
                C.TREATMENTS, "25", "Make lunch and leave a snack and a build-up drink.", "daily"
            ),
        ),
        Round(DAILY, LUNCH, 30, tasks=("Make lunch", "Leave a snack and a drink")),
        (
            "Ate most of the soup and half a sandwich. Build-up drink in the fridge.",
            "Weighed: 52.4 kg, steady since last week.",
        ),
    ),
    Template(
        "lonely",
        "06",
        ("01", "03"),
        (
            Action(
                C.CASE_MANAGEMENT,
                "48",
                "Referred to the befriending service; lunch club on Wednesdays.",
                "once",
            ),
            Action(C.SURVEILLANCE, "61", "Ask about mood and how the week has been.", "weekly"),
        ),
        None,
        ("Enjoyed the lunch club; wants to go again next week.", "Quiet today, misses her sister."),
    ),
)


def hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))
