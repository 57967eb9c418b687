"""The public interest registration: a case with its data, a mail, and bad input refused."""

from sqlalchemy import select

from coursehub.recruitment.models import AssignmentKind, Case, Step
from tests.recruitment.conftest import interest_data, outbox


def _cases(db) -> list[Case]:
    db.session.rollback()
    return list(db.session.scalars(select(Case)))


def test_the_start_page_links_to_the_registration(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/bli-familjehem"' in page


def test_a_registration_becomes_a_case_with_a_confirmation_mail(db, client, municipality):
    response = client.post("/bli-familjehem", data=interest_data(municipality))
    assert response.status_code == 302 and response.location.endswith("/bli-familjehem/tack")
    [case] = _cases(db)
    assert case.step == Step.REGISTERED and case.reference.startswith("2026-")
    assert [a.full_name for a in case.adults] == ["Åsa Öberg"]
    assert sorted(c.age for c in case.children) == [4, 16]
    assert {k.kind for k in case.kinds} == {AssignmentKind.LONG_TERM, AssignmentKind.EMERGENCY}
    assert case.consent_at is not None and case.history[0].to_step == Step.REGISTERED
    [mail] = outbox(db, "asa.oberg@hem.test")
    assert "/bli-familjehem/avbryt/" in mail.body_text
    # No case content in the mail: neither the address nor the children's ages.
    assert "Storgatan" not in mail.body_text and "16" not in mail.subject
    thanks = client.get(response.location).get_data(as_text=True)
    assert "Tack för er intresseanmälan" in thanks


def test_names_in_any_script_are_kept_exactly(db, client, municipality):
    data = interest_data(
        municipality, adult1_first_name="Zoë-Åsa", adult1_last_name="Ñúñez 李",
        adult2_first_name="Αλέξανδρος", adult2_last_name="Петров",
        adult2_email="alex@hem.test", adult2_phone="070-222 33 44",
    )  # fmt: skip
    client.post("/bli-familjehem", data=data)
    [case] = _cases(db)
    assert [(a.first_name, a.last_name) for a in case.adults] == [
        ("Zoë-Åsa", "Ñúñez 李"),
        ("Αλέξανδρος", "Петров"),
    ]


def test_missing_consent_is_refused_and_nothing_saved(db, client, municipality):
    response = client.post("/bli-familjehem", data=interest_data(municipality, consent=None))
    assert response.status_code == 200
    assert "godkänna hur vi hanterar era uppgifter" in response.get_data(as_text=True)
    assert _cases(db) == [] and outbox(db) == []


def test_a_registration_without_an_adult_is_refused(db, client, municipality):
    data = interest_data(
        municipality, adult1_first_name="", adult1_last_name="", adult1_email="", adult1_phone=""
    )
    page = client.post("/bli-familjehem", data=data).get_data(as_text=True)
    assert "minst en vuxen" in page
    assert _cases(db) == [] and outbox(db) == []


def test_unreadable_children_ages_get_a_message_beside_the_field(db, client, municipality):
    page = client.post("/bli-familjehem", data=interest_data(municipality, children="fyra")).get_data(
        as_text=True
    )
    assert "hela tal med kommatecken" in page and 'aria-invalid="true"' in page
    assert _cases(db) == []


def test_the_answer_is_the_same_when_the_family_already_has_an_open_case(db, client, municipality):
    first = client.post("/bli-familjehem", data=interest_data(municipality))
    again = client.post("/bli-familjehem", data=interest_data(municipality, street="Annan väg 2"))
    assert again.status_code == first.status_code and again.location == first.location
    assert len(_cases(db)) == 1
    mails = outbox(db, "asa.oberg@hem.test")
    assert [m.subject for m in mails] == ["Tack för er intresseanmälan", "Vi har redan er intresseanmälan"]


def test_a_filled_honeypot_gets_the_same_answer_and_makes_nothing(db, client, municipality):
    response = client.post("/bli-familjehem", data=interest_data(municipality, homepage="http://spam.test"))
    assert response.status_code == 302 and response.location.endswith("/bli-familjehem/tack")
    assert _cases(db) == [] and outbox(db) == []


def test_the_family_withdraws_by_the_link_in_its_mail_once(db, client, municipality):
    client.post("/bli-familjehem", data=interest_data(municipality))
    [mail] = outbox(db)
    path = mail.body_text.split("http://coursehub.test", 1)[1].split()[0]
    assert "Avbryt anmälan" in client.get(path).get_data(as_text=True)
    assert _cases(db)[0].withdrawn_at is None  # GET changes nothing
    done = client.post(path)
    assert "Anmälan är avbruten" in done.get_data(as_text=True)
    [case] = _cases(db)
    assert case.withdrawn_at is not None and not case.is_open
    again = client.post(path)
    assert again.status_code == 404 and "Länken gäller inte längre" in again.get_data(as_text=True)
