"""Roles as the rules and the planner rank and name them.

Here, beside the rules, so that the rules package never imports the planner: the planner imports
the rules' words, and a cycle between the two broke any script that imported the planner first.
"""

from scheduling.planner.model import CARE_WORKER, NURSING_ASSOCIATE, REGISTERED_NURSE, STUDENT
from scheduling.rules.words import gettext_noop, said

# A visit asking for a role may go to that role or one above it: a nurse may do a carer's visit,
# never the reverse.
ROLE_RANK = {STUDENT: 0, CARE_WORKER: 1, NURSING_ASSOCIATE: 2, REGISTERED_NURSE: 3}
ROLE_WORDS = {
    REGISTERED_NURSE: said(gettext_noop("registered nurse")),
    NURSING_ASSOCIATE: said(gettext_noop("nursing associate")),
    CARE_WORKER: said(gettext_noop("care worker")),
    STUDENT: said(gettext_noop("student")),
}
