"""The one e-mail rule (coursehub.lib.email_address), used by every form and service."""

import pytest

from coursehub.lib.email_address import InvalidEmailAddress, email_or_none, normalise_email

GENERIC = "Skriv en e-postadress som namn@exempel.se."
NON_ASCII = "Delen före @ får bara ha bokstäverna a–z (inte å, ä, ö)"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("anna@exempel.se", "anna@exempel.se"),
        ("  Anna.Svensson+kurs@Exempel.SE ", "anna.svensson+kurs@exempel.se"),
        ("anna@bücher.de", "anna@xn--bcher-kva.de"),
        ("anna@exempel.åland", "anna@exempel.xn--land-poa"),
        ("ANNA@XN--BCHER-KVA.DE", "anna@xn--bcher-kva.de"),
        ("person1@exempel.test", "person1@exempel.test"),
        ("anna@exempel.se\r\n", "anna@exempel.se"),  # a line break around it is surrounding space
    ],
)
def test_good_addresses_are_stored_lower_case_with_an_ascii_domain(app, typed, stored):
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Skriv e-postadressen."),
        ("anna.exempel.se", GENERIC),
        ("anna@@exempel.se", GENERIC),
        ("anna@ex@empel.se", GENERIC),
        ("anna svensson@exempel.se", GENERIC),
        ("anna@exempel.se\r\nBcc: alla@exempel.se", GENERIC),
        ("anna@exempel", GENERIC),
        ("anna@localhost", GENERIC),
        ("anna@[127.0.0.1]", GENERIC),
        ("anna@exempel..se", GENERIC),
        ("åsa@exempel.se", NON_ASCII),
        ("Örjan.Åström@exempel.se", NON_ASCII),
        ("a" * 250 + "@ex.se", "E-postadressen får vara högst 254 tecken."),
        ("anna@" + "å" * 60 + ".se", GENERIC),  # a label too long once IDNA-encoded
    ],
)
def test_bad_addresses_are_refused_with_a_swedish_message(app, typed, message):
    with pytest.raises(InvalidEmailAddress) as caught:
        normalise_email(typed)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert email_or_none(typed) is None
