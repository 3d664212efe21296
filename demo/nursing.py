"""Omaha care-plan templates that need a nurse's (or a trained carer's) skills."""

from clients import omaha
from demo.careplans import DAILY, EVENING, MORNING, Action, Round, Template

C = omaha.Category

NURSING: tuple[Template, ...] = (
    Template(
        "insulin",
        "42",
        ("08", "07"),
        (
            Action(
                C.TREATMENTS,
                "39",
                "Give long-acting insulin at breakfast; check blood glucose first.",
                "daily",
            ),
            Action(
                C.TEACHING, "15", "Talk through regular meals and snacks to avoid lows.", "weekly"
            ),
        ),
        Round(DAILY, MORNING, 30, ("insulin",), tasks=("Blood glucose check", "Insulin injection")),
        (
            "Blood glucose 7.8 before breakfast. Insulin given into the left abdomen.",
            "Glucose 4.1 and a little shaky: had toast and juice before the insulin.",
            "Injection sites look fine; rotating as per the chart.",
        ),
    ),
    Template(
        "pressure_ulcer",
        "24",
        ("01", "05"),
        (
            Action(
                C.TREATMENTS,
                "17",
                "Clean and dress the heel ulcer (foam dressing); measure weekly.",
                "Mon, Wed, Fri",
            ),
            Action(C.TEACHING, "52", "Show how to float the heels on pillows in bed.", "weekly"),
        ),
        Round(
            (1, 3, 5),
            ("10:45", "11:15", "13:30", "14:00"),
            45,
            ("wound_care",),
            tasks=("Dressing change", "Check pressure areas"),
        ),
        (
            "Dressing changed. Wound 2 x 1.5 cm, clean, edges pink. Less exudate than Monday.",
            "Heels floated on pillows; airflow mattress working and set to her weight.",
            "Slight new redness on the sacrum: asked her to lie on her side after lunch.",
        ),
    ),
    Template(
        "legs",
        "27",
        ("01", "04"),
        (
            Action(
                C.TREATMENTS,
                "17",
                "Apply compression bandages to both legs; wash and moisturise first.",
                "twice weekly",
            ),
            Action(
                C.SURVEILLANCE,
                "62",
                "Check for new swelling, breathlessness or broken skin.",
                "each visit",
            ),
        ),
        Round(
            (2, 5),
            ("10:30", "11:00", "13:30"),
            45,
            ("wound_care",),
            tasks=("Compression bandages", "Skin care"),
        ),
        (
            "Bandages reapplied. Swelling down compared with Tuesday.",
            "Small weep on the left shin: dressed under the bandage, will review Friday.",
        ),
    ),
    Template(
        "catheter",
        "30",
        ("05", "01"),
        (
            Action(
                C.TREATMENTS,
                "04",
                "Catheter care and night bag; monthly catheter change by a nurse.",
                "daily",
            ),
            Action(C.TEACHING, "32", "Remind about fluids: eight cups a day.", "each visit"),
        ),
        Round(DAILY, EVENING, 30, ("catheter",), tasks=("Catheter care", "Night bag on")),
        (
            "Night bag attached, urine clear and draining well.",
            "Urine darker today: encouraged fluids, will check again tomorrow.",
        ),
    ),
    Template(
        "stoma",
        "29",
        ("01", "06"),
        (
            Action(
                C.TREATMENTS,
                "47",
                "Change the stoma bag; barrier cream on the sore skin.",
                "every other day",
            ),
            Action(C.TEACHING, "63", "Show how to measure and cut the flange to size.", "weekly"),
        ),
        Round(
            (1, 3, 5, 7), ("09:00", "09:30", "10:00"), 30, ("stoma",), tasks=("Stoma bag change",)
        ),
        (
            "Bag changed; skin around the stoma less red.",
            "Cut the flange himself with a little help.",
        ),
    ),
    Template(
        "palliative",
        "22",
        ("01", "04"),
        (
            Action(
                C.SURVEILLANCE,
                "62",
                "Ask for a pain score (0 to 10) at each visit; check the syringe driver.",
                "each visit",
            ),
            Action(
                C.TREATMENTS,
                "21",
                "Mouth care and repositioning; support the family.",
                "twice daily",
            ),
        ),
        Round(
            DAILY,
            EVENING,
            45,
            ("palliative",),
            tasks=("Syringe driver check", "Mouth care", "Reposition"),
        ),
        (
            "Pain 2 out of 10, comfortable. Syringe driver running, 14 ml left.",
            "Family sitting with him; talked about what to expect overnight and who to ring.",
        ),
    ),
    Template(
        "breathing",
        "26",
        ("01", "03"),
        (
            Action(
                C.SURVEILLANCE,
                "55",
                "Check breathing and oxygen saturation; home oxygen safety.",
                "each visit",
            ),
            Action(C.TEACHING, "54", "Practise pursed-lip breathing before walking.", "weekly"),
        ),
        None,
        (
            "Saturation 93% on 2 litres. Managing the stairs slowly.",
            "Chesty cough: sputum sample to the GP.",
        ),
    ),
)
