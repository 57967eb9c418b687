"""The interest registration has the family registration's rate limits: past one, nothing is saved."""

import pytest
from sqlalchemy import func, select

from coursehub.recruitment.models import CaseAdult
from tests.recruitment.conftest import interest_data


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "COURSEHUB_REGISTER_LIMIT_ADDRESS": "1 per hour"}


def test_past_the_rate_limit_the_form_comes_back_and_nothing_is_saved(db, client, municipality):
    client.post("/bli-familjehem", data=interest_data(municipality))
    second = client.post("/bli-familjehem", data=interest_data(municipality, adult1_email="annan@hem.test"))
    assert second.status_code == 429 and "många anmälningar" in second.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CaseAdult)) == 1
