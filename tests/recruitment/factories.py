"""factory_boy factories of recruitment's tables."""

from __future__ import annotations

from datetime import timedelta

import factory

from coursehub import clock
from coursehub.recruitment.models import (
    AssignmentKind,
    BasicRequirement,
    Case,
    CaseAdult,
    CaseChild,
    CaseKind,
    Channel,
    Step,
)
from tests.factories import Base, MunicipalityFactory


class ChannelFactory(Base):
    class Meta:
        model = Channel

    name = factory.Sequence(lambda n: f"Kanal {n}")
    position = factory.Sequence(lambda n: n)


class RequirementFactory(Base):
    class Meta:
        model = BasicRequirement

    text = factory.Sequence(lambda n: f"Grundkrav {n}")
    position = factory.Sequence(lambda n: n)


class CaseFactory(Base):
    """An open case at `step`, registered now, with one adult and kinds `long_term`."""

    class Meta:
        model = Case

    step = Step.REGISTERED
    step_changed_at = factory.LazyFunction(clock.now)
    registered_at = factory.LazyFunction(clock.now)
    first_contact_due_on = factory.LazyFunction(lambda: (clock.now() + timedelta(days=14)).date())
    municipality = factory.SubFactory(MunicipalityFactory)
    street = "Storgatan 1"
    postal_code = "55111"
    city = "Jönköping"
    min_child_age = 0
    max_child_age = 12
    consent_at = factory.LazyFunction(clock.now)
    consent_version = "2026-12"
    reference = factory.Sequence(lambda n: f"T-{n:05d}")

    adults = factory.LazyAttributeSequence(
        lambda o, n: [
            CaseAdult(
                position=1,
                first_name="Alva",
                last_name=f"Familj{n}",
                email=f"familj{n}@hem.test",
                phone="070-123 45 67",
            )
        ]
    )
    kinds = factory.LazyFunction(lambda: [CaseKind(kind=AssignmentKind.LONG_TERM)])
    children = factory.LazyFunction(list)


class CaseChildFactory(Base):
    class Meta:
        model = CaseChild

    case = factory.SubFactory(CaseFactory)
    age = 16
