"""The care plan in everyday words, for the client and their family.

No codes, no scores, no clinical terms: each Omaha problem has a plain name, and each kind of
help says what the team does. The nurse's own words ("what we do") follow as they wrote them.
"""

PROBLEMS: dict[str, str] = {
    "01": "Money and making ends meet",
    "02": "Keeping the home clean and hygienic",
    "03": "The home itself: safety, warmth and space",
    "04": "Safety in the neighbourhood",
    "05": "Getting help from services",
    "06": "Seeing other people",
    "07": "Changes in everyday roles",
    "08": "Relationships with others",
    "09": "Faith and spiritual needs",
    "10": "Grief and loss",
    "11": "Mood and mental wellbeing",
    "12": "Intimacy and sexual health",
    "13": "Caring for others",
    "14": "Being looked after well",
    "15": "Staying safe from harm",
    "16": "Growing and developing",
    "17": "Hearing",
    "18": "Eyesight",
    "19": "Speaking and understanding",
    "20": "Teeth and mouth",
    "21": "Memory and thinking",
    "22": "Pain",
    "23": "Alertness",
    "24": "Skin and wounds",
    "25": "Moving, balance and strength",
    "26": "Breathing",
    "27": "Heart and circulation",
    "28": "Eating, drinking and swallowing",
    "29": "Bowels",
    "30": "Bladder and passing urine",
    "31": "Reproductive health",
    "32": "Pregnancy",
    "33": "After having a baby",
    "34": "Infections",
    "35": "Food and nutrition",
    "36": "Sleep and rest",
    "37": "Keeping active",
    "38": "Washing, dressing and personal care",
    "39": "Alcohol, smoking and other substances",
    "40": "Family planning",
    "41": "Keeping up with health appointments",
    "42": "Medicines",
}

CATEGORIES: dict[str, str] = {
    "teaching": "We explain, advise and encourage",
    "treatments": "We provide care",
    "case_management": "We arrange and coordinate help",
    "surveillance": "We keep an eye on things",
}

RESOLVED = "Things have improved and the team no longer needs to help with this."


def problem_name(code: str) -> str:
    return PROBLEMS.get(code, "Something the team helps with")


def category_words(category: str) -> str:
    return CATEGORIES.get(category, "We help")
