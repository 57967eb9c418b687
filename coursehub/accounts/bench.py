"""Benchmark data of the accounts area: municipalities, households with their adults, staff logins."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coursehub.accounts import passwords
from coursehub.accounts.demo import MUNICIPALITIES
from coursehub.accounts.models import Household, Municipality, Role, User, UserRole, new_session_token
from coursehub.extensions import db
from coursehub.lib.bench import (
    BENCH_PASSWORD,
    PLACE_ENDINGS,
    PLACE_STEMS,
    BenchContext,
    ascii_slug,
    person_name,
)

# (username, full name, roles): the logins benchmarks/run.sh uses; each gets the bench password.
LOGINS = (
    ("bench.admin", "Agnes Admin", (Role.ADMIN,)),
    ("bench.personal", "Petra Personal", (Role.STAFF,)),
    ("bench.kursledare", "Kurt Kursledare", (Role.LEADER,)),
    ("bench.kommun", "Klara Kommun", (Role.MUNICIPAL, Role.MEMBER)),
    ("bench.styrgrupp", "Stig Styrgrupp", (Role.STEERING,)),
)


def seed(ctx: BenchContext) -> None:
    """Add municipalities, households and adults, leaders and the bench logins."""
    municipality_ids = _municipalities(ctx)
    password_hash = passwords.hash_password(BENCH_PASSWORD)
    next_user = ctx.next_id(User.__table__)
    users: list[dict] = []
    roles: list[dict] = []

    def add_user(username: str, full_name: str, user_roles, **extra) -> int:
        nonlocal next_user
        user_id, next_user = next_user, next_user + 1
        users.append(
            {
                "id": user_id,
                "email": f"{username}@bench.example",
                "username": username,
                "full_name": full_name,
                "password_hash": password_hash,
                "session_token": new_session_token(),
                "created_at": ctx.now - timedelta(days=ctx.rng.randint(0, 365 * ctx.scale.years)),
                "municipality_id": extra.get("municipality_id"),
                "household_id": extra.get("household_id"),
            }
        )
        roles.extend({"user_id": user_id, "role": role.value} for role in user_roles)
        return user_id

    logins = {}
    for username, full_name, user_roles in LOGINS:
        municipal = Role.MUNICIPAL in user_roles
        logins[username] = add_user(
            username, full_name, user_roles, municipality_id=municipality_ids[0] if municipal else None
        )
    staff_id = logins["bench.personal"]
    leader_ids = [logins["bench.kursledare"]]
    for number in range(ctx.scale.leaders - 1):
        first, last = person_name(ctx.rng)
        leader_ids.append(
            add_user(ascii_slug(f"{first}.{last}.l{number}"), f"{first} {last}", (Role.LEADER,))
        )
    for number, municipality_id in enumerate(municipality_ids[1:]):  # one worker per municipality
        first, last = person_name(ctx.rng)
        add_user(
            ascii_slug(f"{first}.{last}.k{number}"),
            f"{first} {last}",
            (Role.MUNICIPAL, Role.MEMBER),
            municipality_id=municipality_id,
        )

    next_household = ctx.next_id(Household.__table__)
    households: list[dict] = []
    members: list[tuple[int, int, list[int]]] = []  # (household, municipality, adults)
    two_adults = ctx.scale.adults_per_household - 1
    for number in range(ctx.scale.households):
        household_id = next_household + number
        municipality_id = ctx.rng.choice(municipality_ids)
        first, last = person_name(ctx.rng)
        created = ctx.now - timedelta(days=ctx.rng.randint(30, 365 * ctx.scale.years))
        confirmed = number == 0 or ctx.rng.random() < 0.96
        households.append(
            {
                "id": household_id,
                "name": f"Familjen {last}",
                "municipality_id": municipality_id,
                "is_confirmed": confirmed,
                "confirmed_at": created + timedelta(days=3) if confirmed else None,
                "confirmed_by_id": staff_id if confirmed else None,
                "created_at": created,
            }
        )
        adults = []
        # The bench family is two adults at every scale, so that its pages show the same.
        for person in range(2 if number == 0 or ctx.rng.random() < two_adults else 1):
            if number == 0:  # the bench family: fixed logins
                username, full_name = f"bench.familj{person or ''}", f"Fia Familj {person}"
            else:
                first = first if person == 0 else person_name(ctx.rng)[0]
                username, full_name = ascii_slug(f"{first}.{last}.{household_id}.{person}"), f"{first} {last}"
            adults.append(add_user(username, full_name, (Role.FAMILY,), household_id=household_id))
        members.append((household_id, municipality_id, adults))
    ctx.insert(Household.__table__, households)
    ctx.insert(User.__table__, users)
    ctx.insert(UserRole.__table__, roles)
    ctx.made.update(
        municipality_ids=municipality_ids,
        households=members,
        leader_ids=leader_ids,
        staff_id=staff_id,
        municipal_id=logins["bench.kommun"],
        emails={row["id"]: row["email"] for row in users},
    )
    ctx.targets.update(
        password=BENCH_PASSWORD,
        logins={"staff": "bench.personal", "leader": "bench.kursledare", "family": "bench.familj"},
        family_household_id=members[0][0],
    )


def _municipalities(ctx: BenchContext) -> list[int]:
    """Make the member municipalities (the demo's county first, then made-up names); return ids.

    A migrated database already holds every Swedish municipality (migration 73cd42a9c9c5): those
    wanted are marked members and used as they are; only what is missing is inserted.
    """
    table = Municipality.__table__
    existing = {
        code: (mid, name)
        for mid, code, name in db.session.execute(sa.select(table.c.id, table.c.code, table.c.name))
    }
    wanted = ctx.scale.municipalities
    rows = [
        {"name": name, "code": code, "is_member": True, "latitude": lat, "longitude": lon}
        for name, code, _member, lat, lon in MUNICIPALITIES[:wanted]
    ]
    names = {row["name"] for row in rows} | {name for _mid, name in existing.values()}
    codes = {row["code"] for row in rows} | set(existing)
    code = 1000
    while len(rows) < wanted:
        name = ctx.rng.choice(PLACE_STEMS) + ctx.rng.choice(PLACE_ENDINGS)
        if name in names:
            continue
        while f"{code:04d}" in codes:
            code += 1
        names.add(name)
        codes.add(f"{code:04d}")
        rows.append(
            {
                "name": name,
                "code": f"{code:04d}",
                "is_member": True,
                "latitude": round(ctx.rng.uniform(55.4, 67.8), 4),
                "longitude": round(ctx.rng.uniform(11.2, 23.8), 4),
            }
        )
    next_id = ctx.next_id(table)
    ids, new_rows = [], []
    for row in rows:
        if row["code"] in existing:
            ids.append(existing[row["code"]][0])
            continue
        row["id"] = next_id
        next_id += 1
        ids.append(row["id"])
        new_rows.append(row)
    if len(new_rows) < len(rows):
        db.session.execute(sa.update(Municipality).where(Municipality.id.in_(ids)).values(is_member=True))
    ctx.insert(table, new_rows)
    return ids
