"""Demo data of the accounts area: municipalities of Jönköping county and one user per role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from coursehub.accounts import passwords, services
from coursehub.accounts.models import CountyPart, HomeKind, Household, Municipality, Role, User
from coursehub.extensions import db

# The public demo password, printed by `make run` and written in the README.
DEMO_PASSWORD = "demo-losenord-2026"  # noqa: S105  # nosec B105

# (name, SCB code, member of the resource, latitude, longitude of the main town)
MUNICIPALITIES = [
    ("Aneby", "0604", True, 57.8383, 14.8104),
    ("Eksjö", "0686", True, 57.6664, 14.9720),
    ("Gislaved", "0662", True, 57.3040, 13.5403),
    ("Gnosjö", "0617", True, 57.3583, 13.7375),
    ("Habo", "0643", True, 57.9070, 14.0730),
    ("Jönköping", "0680", True, 57.7826, 14.1618),
    ("Mullsjö", "0642", True, 57.9167, 13.8784),
    ("Nässjö", "0682", True, 57.6531, 14.6968),
    ("Sävsjö", "0684", True, 57.4030, 14.6640),
    ("Tranås", "0687", True, 58.0372, 14.9782),
    ("Vaggeryd", "0665", True, 57.4980, 14.1470),
    ("Värnamo", "0683", True, 57.1860, 14.0400),
    ("Vetlanda", "0685", False, 57.4280, 15.0780),
]

# The county's parts as the resource uses them: the north around Jönköping and the Höglandet towns,
# the south around Värnamo (the Gnosjö region). Vetlanda is no member and in neither.
COUNTY_PARTS = [
    ("Norra länsdelen", ["0604", "0686", "0643", "0680", "0642", "0682", "0687"]),
    ("Södra länsdelen", ["0662", "0617", "0684", "0665", "0683"]),
]

# The kinds of home families choose among; staff can add more.
HOME_KINDS = ["Familjehem", "Jourhem", "Kontaktfamilj", "Nätverkshem"]

# (username, full name, e-mail, roles, municipality code or None)
USERS = [
    ("astrid.lind", "Astrid Lind", "astrid.lind@familjehemsresurs.example", [Role.ADMIN], None),
    ("sara.berg", "Sara Berg", "sara.berg@familjehemsresurs.example", [Role.STAFF], None),
    ("lars.holm", "Lars Holm", "lars.holm@familjehemsresurs.example", [Role.LEADER], None),
    ("maria.ek", "Maria Ek", "maria.ek@jonkoping.example", [Role.MUNICIPAL, Role.MEMBER], "0680"),
    ("nils.strand", "Nils Strand", "nils.strand@varnamo.example", [Role.MEMBER], "0683"),
    ("fatima.andersson", "Fatima Andersson", "fatima.andersson@hem.example", [Role.FAMILY], None),
    ("goran.sjo", "Göran Sjö", "goran.sjo@styrgrupp.example", [Role.STEERING], None),
]


def seed(now: datetime) -> list[tuple[str, str, str]]:
    """Create what is missing; return (role, username, e-mail) of each demo user."""
    by_code = {m.code: m for m in db.session.scalars(select(Municipality))}
    for name, code, is_member, lat, lon in MUNICIPALITIES:
        if code not in by_code:
            by_code[code] = Municipality(
                name=name, code=code, is_member=is_member, latitude=lat, longitude=lon
            )
            db.session.add(by_code[code])
    db.session.flush()
    demo_hash = passwords.hash_password(DEMO_PASSWORD)
    logins = []
    for username, full_name, email, roles, municipality_code in USERS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                email=email,
                password_hash=demo_hash,
                municipality=by_code.get(municipality_code) if municipality_code else None,
            )
            db.session.add(user)
            services.set_roles(user, roles)
        logins.append((", ".join(r.value for r in roles), username, email))
    _seed_county(by_code)
    _seed_family(by_code["0680"], demo_hash)
    db.session.flush()
    return logins


def _seed_county(by_code: dict[str, Municipality]) -> None:
    """Add the county parts and the kinds of home that are missing."""
    parts = set(db.session.scalars(select(CountyPart.name)))
    for name, codes in COUNTY_PARTS:
        if name not in parts:
            db.session.add(CountyPart(name=name, municipalities=[by_code[code] for code in codes]))
    kinds = set(db.session.scalars(select(HomeKind.name)))
    db.session.add_all(HomeKind(name=name) for name in HOME_KINDS if name not in kinds)
    db.session.flush()


def _seed_family(municipality: Municipality, demo_hash: str) -> None:
    # Made by seed() just before, if it was not there already.
    fatima = db.session.scalars(select(User).where(User.username == "fatima.andersson")).one()
    if fatima.household_id is not None:
        return
    household = Household(name="Familjen Andersson", municipality=municipality, is_confirmed=True)
    db.session.add(household)
    johan = User(
        username="johan.andersson",
        full_name="Johan Andersson",
        email="johan.andersson@hem.example",
        password_hash=demo_hash,
    )
    db.session.add(johan)
    services.set_roles(johan, [Role.FAMILY])
    fatima.household = household
    johan.household = household
    household.home_kinds = list(
        db.session.scalars(select(HomeKind).where(HomeKind.name.in_(["Familjehem", "Jourhem"])))
    )
