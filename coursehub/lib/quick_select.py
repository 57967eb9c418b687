"""A select written fast: the same HTML as WTForms' Select, its plain options written in one loop,
and a list of options written once per process for choices that stay the same between requests
(the 290 municipalities of a public form or the catalogue's filters)."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

# types-WTForms 3.2 predates SelectChoice (new in WTForms 3.3, the version we run), so the stubs
# do not know the name; it is Any to mypy until they catch up.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.widgets import Select

from coursehub.lib.quick_widgets import html_params


def opts(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def _option(value: object, label: object, *, selected: bool) -> str:
    """One plain option as WTForms writes it, value and label through escape() as html_params and
    render_option put them ("selected" first: html_params sorts the attributes)."""
    shown = escape(str(value) if isinstance(value, bool) else value)
    return f'<option{" selected" if selected else ""} value="{shown}">{escape(label or value)}</option>'


class QuickSelect(Select):
    """WTForms' select with the same HTML, its plain options written in one loop.

    WTForms turns each offered choice into a second object, a third with `selected` worked out,
    and builds each option through `html_params` and a Markup of its own: with a municipality
    per option (290 nationally) that was most of the catalogue's form. A select of plain
    options (the SelectChoice that `opts` makes, no group, no attributes of their own) is
    written here straight from `field.choices`; any other goes the ordinary way.
    """

    def __call__(self, field, **kwargs):
        choices = field.choices
        written = type(choices) is WrittenOptions and choices.coerce is field.coerce and not self.multiple
        if not written and (
            self.multiple or not isinstance(choices, list) or not all(_plain(c) for c in choices)
        ):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        coerce, data = field.coerce, field.data
        if written:
            return choices.select(f"<select {html_params(name=field.name, **kwargs)}>", data)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for choice in choices:
            value = choice.value
            # selected as SelectField.iter_choices decides it
            html.append(_option(value, choice.label, selected=coerce(value) == data))
        html.append("</select>")
        # As WTForms' Select returns it: every value and label above went through escape().
        return Markup("".join(html))  # noqa: S704  # nosec B704

    # WTForms 3.3 passes one Choice (the stubs still know the 3.2 signature of value, label, selected).
    @classmethod
    def render_option(cls, choice, **kwargs):  # type: ignore[override]
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        # _option escaped the value and the label.
        return Markup(_option(choice.value, choice.label, selected=choice.selected))  # noqa: S704  # nosec B704


class WrittenOptions(list):
    """Plain options (as `opts` makes them) with each option's HTML written once, for QuickSelect.

    Made by `written_options`, which remembers them by their values, labels and coerce: the same
    choices (the catalogue's 290 municipalities, in one language) are escaped and written once per
    process, not on every request; a new or renamed choice is a new key, written at once. Only
    which option is selected is worked out per request.
    """

    def __init__(self, pairs, coerce) -> None:
        super().__init__(SelectChoice(value, label) for value, label in pairs)
        self.coerce = coerce
        self._options: list[str] = []
        self._chosen: list[str] = []
        # coerce(value) -> the positions of the options it selects (== as SelectField decides it).
        self._positions: dict[object, list[int]] = {}
        for position, choice in enumerate(self):
            value = choice.value
            self._options.append(_option(value, choice.label, selected=False))
            self._chosen.append(_option(value, choice.label, selected=True))
            self._positions.setdefault(coerce(value), []).append(position)

    def select(self, opening: str, data) -> Markup:
        """Return the select: `opening`, the options with those equal to `data` selected, the end."""
        html = [opening, *self._options, "</select>"]
        try:
            positions = self._positions.get(data, ())
        except TypeError:  # data no dict key can be: compare as SelectField does
            positions = [i for i, choice in enumerate(self) if self.coerce(choice.value) == data]
        for position in positions:
            html[position + 1] = self._chosen[position]
        # As WTForms' Select returns it: every value and label went through escape().
        return Markup("".join(html))  # noqa: S704  # nosec B704


@lru_cache(maxsize=64)
def written_options(pairs: tuple[tuple[object, str], ...], coerce) -> WrittenOptions:
    """Return the options of `pairs` (value, label as plain text) with their HTML written once.

    Keyed by the whole of `pairs`: a municipality added or renamed is another key, shown at once.
    The labels must be plain str (a lazy translation is str()-ed first, so each language is a key).
    `coerce` is the field's (QuickSelect writes the list only for a field with the same one).
    Callers must not change the list they get: it is shared.
    """
    return WrittenOptions(pairs, coerce)


def _plain(choice) -> bool:
    """Whether a choice is an option without a group or attributes of its own."""
    return type(choice) is SelectChoice and not choice.render_kw and choice.optgroup is None


# The attributes a checkbox takes from its field's validators (WTForms' CheckboxInput).
_CHECKBOX_FLAGS = ("required", "disabled")


def checkboxes(field, input_class: str) -> Markup:
    """Return each option of a multiple choice as a form-check: its checkbox, a space, its label.

    Iterating the field makes a field object per option and writes each input and label through
    html_params; for the run form's 290 municipalities and 120 leaders that was most of the page.
    A field with no attributes of its own, no validation attribute for its checkboxes and plain
    choices is written here in one loop, the same HTML as the options' own widgets write; any
    other goes through them (`_checkboxes_by_wtforms`).
    """
    choices = field.iter_choices()
    if (
        field.render_kw
        or any(getattr(field.flags, flag, False) for flag in _CHECKBOX_FLAGS)
        or any(choice.render_kw for choice in choices)
    ):
        return _checkboxes_by_wtforms(field, input_class)
    name, cls, prefix = escape(field.name), escape(input_class), f"{escape(field.id)}-"
    html = []
    for number, choice in enumerate(choices):
        id_ = f"{prefix}{number}"
        checked = "checked " if choice.selected else ""
        label = escape(choice.label or choice.value)
        html.append(
            f'<div class="form-check"><input {checked}class="{cls}" id="{id_}" name="{name}" '
            f'type="checkbox" value="{escape(str(choice.value))}"> '
            f'<label class="form-check-label" for="{id_}">{label}</label></div>'
        )
    # As the widgets write them: every value, label, name, id and class went through escape().
    return Markup("".join(html))  # noqa: S704  # nosec B704


def _checkboxes_by_wtforms(field, input_class: str) -> Markup:
    """`checkboxes` through WTForms' own option widgets and labels."""
    return Markup("").join(
        Markup('<div class="form-check">{} {}</div>').format(
            option(class_=input_class), option.label(class_="form-check-label")
        )
        for option in field
    )
