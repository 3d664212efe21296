"""The people: two teams and their members, a coach, a family member, a client, an admin."""

from dataclasses import dataclass, field
from decimal import Decimal

from accounts.services import user_save
from careteams.models import HolidayRegion, Language, Membership, Role, Team, TeamRole, User
from careteams.services import (
    MembershipDetails,
    TeamDetails,
    coach_link_create,
    membership_create,
    team_create,
)
from careteams.skills import Skill
from demo.context import Context, demo_email, member_email

RN, NA, CW, ST = Role.REGISTERED_NURSE, Role.NURSING_ASSOCIATE, Role.CARE_WORKER, Role.STUDENT
S = Skill


@dataclass(frozen=True)
class MemberSpec:
    first: str
    last: str
    role: Role
    hours: str
    # This week, Monday to Sunday: E early, L late, O office, - off. Never a late before an
    # early (9.5 hours' rest); the earlies outnumber the lates because most visits are mornings.
    rota: str
    skills: tuple[Skill, ...] = ()
    team_roles: tuple[TeamRole, ...] = ()
    sign_in: str = ""  # the local part of a fixed demo sign-in, when it has one


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    subdivision: HolidayRegion
    members: tuple[MemberSpec, ...]
    timezone: str = "Europe/London"
    continuity_limit: int = 4
    # The Active Offer (issue 30): a Welsh team offers Cymraeg first, and shows its notices for
    # the public in both languages.
    language: str = Language.ENGLISH
    bilingual_notices: bool = False


MED, INS, WOUND, CATH = S.MEDICATION, S.INSULIN, S.WOUND_CARE, S.CATHETER
MH, DEM, PALL, STOMA = S.MOVING_HANDLING, S.DEMENTIA, S.PALLIATIVE, S.STOMA
PEG, VEN, CY = S.PEG_FEEDING, S.VENEPUNCTURE, S.WELSH  # CY: speaks Welsh (issue 30)
P = TeamRole

RIVERSIDE = TeamSpec(
    key="riverside",
    name="Riverside Neighbourhood Team",
    subdivision=HolidayRegion.ENGLAND,
    members=(
        MemberSpec(
            "Siân",
            "Pritchard",
            RN,
            "37.5",
            "OEEEE--",
            (MED, INS, WOUND, CATH, VEN, MH),
            (P.PLANNER,),
            sign_in="nurse",
        ),
        MemberSpec(
            "Aoife",
            "Ní Bhriain",
            CW,
            "37.5",
            "EE--EEE",
            (MH, DEM, MED, INS, STOMA),
            sign_in="carer",
        ),
        MemberSpec(
            "Siobhán",
            "Ó Súilleabháin",
            RN,
            "30",
            "--LLLL-",
            (MED, INS, WOUND, PALL, STOMA),
            (P.MENTOR,),
        ),
        MemberSpec("Łukasz", "Wiśniewski", CW, "37.5", "-EE-LLL", (MH, MED, CATH, DEM)),
        MemberSpec(
            "Małgorzata",
            "Żółć",
            NA,
            "37.5",
            "EEEE--L",
            (MED, INS, WOUND, CATH, STOMA, DEM, MH),
            (P.QUALITY,),
        ),
        MemberSpec(
            "Grace", "Okafor", RN, "22.5", "LL----L", (MED, PALL, PEG, VEN, WOUND), (P.TRAINING,)
        ),
        MemberSpec("Tom", "Haddon", CW, "37.5", "E--EEEE", (MH, DEM, MED, STOMA)),
        MemberSpec("Niamh", "Byrne", CW, "22.5", "E----EE", (DEM, MED, INS, MH)),
        MemberSpec("Priya", "Raman", ST, "30", "--EEEE-", (MH,)),
        MemberSpec(
            "Róisín", "Mac Giolla", CW, "30", "LLLL---", (MH, PEG, MED, CATH, DEM), (P.FINANCE,)
        ),
    ),
)

TEIFI = TeamSpec(
    key="teifi",
    name="Tîm Cymdogaeth Glannau Teifi",
    subdivision=HolidayRegion.WALES,
    language=Language.WELSH,
    bilingual_notices=True,
    members=(
        MemberSpec(
            "Gwenllïan",
            "Jenkins",
            RN,
            "37.5",
            "OEEEE--",
            (MED, INS, WOUND, CATH, PALL, STOMA, DEM, MH, CY),
            (P.PLANNER,),
            sign_in="nyrs",
        ),
        MemberSpec(
            "Dafydd",
            "ap Rhys",
            RN,
            "30",
            "LLLL---",
            (MED, INS, WOUND, STOMA, VEN, PALL, CATH, CY),
            (P.MENTOR,),
        ),
        MemberSpec("Rhodri", "Llŷr", CW, "37.5", "EEE--LL", (MH, MED, CATH), (P.TRAINING,)),
        MemberSpec("Bethan", "Lloyd", CW, "37.5", "LL--EEE", (MH, DEM, MED, INS, STOMA, CY)),
        MemberSpec("Agnieszka", "Dąbrowska", CW, "37.5", "EEE-LL-", (MH, PEG, DEM, MED, INS)),
        MemberSpec(
            "Iolo",
            "Prys",
            NA,
            "37.5",
            "EEEEE--",
            (MED, INS, WOUND, CATH, STOMA, DEM, MH, CY),
            (P.QUALITY,),
        ),
        MemberSpec("Ffion", "Morgan", CW, "22.5", "E----EE", (DEM, MED, INS, MH, CY)),
        MemberSpec("Cerys", "Thomas", ST, "30", "---EEEE", (MH,)),
        MemberSpec("Catrin", "Siôn", CW, "37.5", "--LLLLL", (MH, MED, CATH, PALL), (P.FINANCE,)),
    ),
)

TEAM_SPECS = (RIVERSIDE, TEIFI)

# Sign-ins that are not team members: (local part, first name, last name).
COACH = ("coach", "Ciarán", "Ó Dónaill")
FAMILY = ("family", "Zofia", "Kowalczyk")
CLIENT = ("client", "Eileen", "Ní Mhurchú")
ADMIN = ("admin", "Morwenna", "Tregellas")
ADMIN_EMAIL = demo_email(ADMIN[0])


@dataclass
class TeamWorld:
    spec: TeamSpec
    team: Team
    members: list[Membership] = field(default_factory=list)

    @property
    def planner(self) -> Membership:
        return next(m for m in self.members if TeamRole.PLANNER in m.team_roles)

    @property
    def nurses(self) -> list[Membership]:
        return [m for m in self.members if m.role in (RN, NA)]


@dataclass
class People:
    teams: list[TeamWorld]
    coach: User
    family: User
    client: User
    admin: User

    def team(self, key: str) -> TeamWorld:
        return next(t for t in self.teams if t.spec.key == key)


def _user(ctx: Context, email: str, first: str, last: str, *, admin: bool = False) -> User:
    # One hash for everyone: hashing per user would make the command take seconds per person.
    user = User(
        email=email,
        first_name=first,
        last_name=last,
        password=ctx.password_hash,
        is_staff=admin,
        is_superuser=admin,
    )
    return user_save(user=user, actor=None)


def _team(ctx: Context, spec: TeamSpec, admin: User) -> TeamWorld:
    details = TeamDetails(
        name=spec.name,
        timezone=spec.timezone,
        holiday_country="GB",
        holiday_subdivision=spec.subdivision,
        continuity_limit=spec.continuity_limit,
        language=spec.language,
        bilingual_notices=spec.bilingual_notices,
    )
    world = TeamWorld(spec=spec, team=team_create(details=details, actor=admin))
    for member in spec.members:
        email = (
            demo_email(member.sign_in)
            if member.sign_in
            else member_email(member.first, member.last)
        )
        membership = membership_create(
            team=world.team,
            user=_user(ctx, email, member.first, member.last),
            details=MembershipDetails(
                role=member.role,
                contracted_hours=Decimal(member.hours),
                skills=[str(s) for s in member.skills],
                team_roles=[str(r) for r in member.team_roles],
            ),
            actor=admin,
        )
        world.members.append(membership)
    return world


def build_people(ctx: Context) -> People:
    admin, coach, family, client = (
        _user(ctx, demo_email(local), first, last, admin=local == "admin")
        for local, first, last in (ADMIN, COACH, FAMILY, CLIENT)
    )
    teams = [_team(ctx, spec, admin) for spec in TEAM_SPECS]
    for world in teams:
        coach_link_create(coach=coach, team=world.team, actor=admin)
    return People(teams=teams, coach=coach, family=family, client=client, admin=admin)
