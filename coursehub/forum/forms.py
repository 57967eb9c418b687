"""Forms of the forum; the rules (lengths, identity numbers, membership) are checked by services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)

# types-WTForms predates SelectChoice (WTForms 3.3); see coursehub/courses/forms.py.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, InputRequired, Optional

from coursehub.forum.models import Delivery
from coursehub.lib.forms import BaseForm, OfferedChoice, WholeNumber

CHILD_REMINDER = _l(
    "Skriv aldrig något som kan identifiera ett barn: inga namn, personnummer, adresser eller "
    "skolor. Skriv om situationen i allmänna ordalag."
)
MARKDOWN_HINT = _l(
    "Du kan använda Markdown: **fetstil**, *kursiv*, listor med - och länkar som [text](https://...). "
    "Nämn en medlem med @ och användarnamnet, till exempel @maria.ek."
)
DELIVERY_LABELS = {
    Delivery.INSTANT: _l("Genast, ett e-postmeddelande per inlägg"),
    Delivery.DIGEST: _l("En sammanfattning per dag"),
}


class ThreadForm(BaseForm):
    """A new thread: a title and its first post."""

    title = StringField(_l("Rubrik"), validators=[InputRequired(message=_l("Skriv en rubrik."))])
    body = TextAreaField(_l("Inlägg"), validators=[InputRequired(message=_l("Skriv ett inlägg."))])


class PostForm(BaseForm):
    """A reply, maybe quoting a post of the thread; also the form for editing one's post."""

    body = TextAreaField(_l("Inlägg"), validators=[InputRequired(message=_l("Skriv ett inlägg."))])
    quoted_post_id = HiddenField()


class SubjectForm(BaseForm):
    """A subject's name (a new subject, or a new name)."""

    name = StringField(
        _l("Ämnesområdets namn"), validators=[InputRequired(message=_l("Skriv ett namn på ämnesområdet."))]
    )


class HideForm(BaseForm):
    """A moderator hides a post and says why."""

    reason = StringField(
        _l("Skäl (visas för medlemmarna)"),
        validators=[InputRequired(message=_l("Skriv varför inlägget döljs."))],
    )


class MoveThreadForm(BaseForm):
    """A moderator moves a thread to another subject of the network."""

    # Any subject id passes the form: the service refuses one of another network, with its reason.
    subject_id = OfferedChoice(
        _l("Flytta till ämnesområde"),
        validators=[DataRequired(_l("Välj ett ämnesområde i det här nätverket."))],
        validate_choice=False,
    )


class NetworkForm(BaseForm):
    """Staff create a network or change its name and description."""

    name = StringField(
        _l("Nätverkets namn"), validators=[InputRequired(message=_l("Skriv ett namn på nätverket."))]
    )
    description = TextAreaField(_l("Beskrivning (visas för medlemmarna)"))


class MemberForm(BaseForm):
    """Staff add a member by username or e-mail address."""

    who = StringField(
        _l("Användarnamn eller e-postadress"),
        validators=[InputRequired(message=_l("Skriv ett användarnamn eller en e-postadress."))],
    )
    is_moderator = BooleanField(_l("Moderator"))


class FollowForm(BaseForm):
    """Follow a network, a subject or a thread: at once or by digest."""

    delivery = RadioField(
        _l("Hur vill du få e-post?"),
        choices=[SelectChoice(d.value, label) for d, label in DELIVERY_LABELS.items()],
        default=Delivery.INSTANT.value,
        validators=[InputRequired(message=_l("Välj hur du vill få e-post."))],
    )


class NoticesForm(BaseForm):
    """The notices every member gets unless they turn them off."""

    mentions = BooleanField(_l("E-post när någon nämner mig"))
    replies = BooleanField(_l("E-post när någon svarar i en tråd jag har startat"))


class ButtonForm(BaseForm):
    """A button with nothing to fill in (lock, pin, delete, unfollow ...): only the CSRF token."""

    value = WholeNumber(validators=[Optional()])
