"""A password may not be the person's own email address, the part before its @, or their name
(issue 20, F13), whatever the case, spaces or punctuation: it is the first thing someone who
knows them would try. The set-password page says why and changes nothing."""
from __future__ import annotations

import pytest

from homes_app import clock
from homes_app.auth.password_links import issue_set_password_token
from homes_app.auth.passwords import PERSONAL, check_password_rules
from homes_app.auth.services import set_password
from homes_app.errors import DomainError
from homes_app.extensions import db
from tests.helpers import submit

PERSONAL_ONES = [
    "margaret.okonkwo-smith@council.example",  # the email address
    "Margaret.Okonkwo-Smith@Council.Example",  # in another case
    "margaret.okonkwo-smith",                  # its part before the @
    "MargaretOkonkwoSmith",                    # without the punctuation
    "Margaret Okonkwo-Smith",                  # the name
    "margaret okonkwo smith",                  # the name, spaced and lower case
    "margaretokonkwosmith",                    # the name without spaces
    "Okonkwo-Smith Margaret",                  # the name the other way round
]


@pytest.fixture
def person(make):
    return make.user("home_staff", homes=[make.home()], display_name="Margaret Okonkwo-Smith",
                     email="margaret.okonkwo-smith@council.example", password_hash=None)


@pytest.mark.parametrize("password", PERSONAL_ONES)
def test_a_password_that_is_the_persons_email_or_name_is_refused_with_the_reason(
        client, person, password):
    token = issue_set_password_token(person, clock.utcnow(), hours=1)
    db.session.commit()
    page = submit(client, f"/set-password/{token}", {"password": password, "confirm": password})
    assert page.status_code == 200 and PERSONAL in page.get_data(as_text=True)
    db.session.expire_all()
    assert person.password_hash is None


@pytest.mark.parametrize("password", PERSONAL_ONES)
def test_the_rule_holds_for_every_way_a_password_is_set(person, password):
    with pytest.raises(DomainError, match=PERSONAL):
        check_password_rules(password, person)
    token = issue_set_password_token(person, clock.utcnow(), hours=1)
    with pytest.raises(DomainError, match=PERSONAL):
        set_password(token, password, clock.utcnow())


def test_a_password_that_only_contains_the_name_among_other_words_is_accepted(client, person):
    token = issue_set_password_token(person, clock.utcnow(), hours=1)
    db.session.commit()
    password = "margaret likes quiet orchards"
    done = submit(client, f"/set-password/{token}", {"password": password, "confirm": password})
    assert done.status_code == 302
