"""WTForms' labels and inputs, the same HTML written faster.

WTForms writes each attribute of a tag through `Markup.format`, whose escaping formatter costs
some 20 µs a call under the profiler: the catalogue's filters (five labels and selects) spent an
eighth of the page's request in WTForms' `html_params`, a fiftieth here (benchmarks/HISTORY.md).
`html_params` here writes what WTForms' `html_params` writes (the attributes sorted, each name
and value escaped, a `"` in a value as `&quot;`, True as the bare name, False left out) with plain
strings. `BaseForm` (coursehub/lib/forms.py) gives every field it binds a label and, for the
`<input>`s and `<textarea>`, a widget that write through it; every other widget is WTForms'
own. `tests/lib/test_quick_widgets.py` holds the output to WTForms'.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from markupsafe import Markup, escape
from wtforms.fields.core import Label
from wtforms.widgets import Input, TextArea


def _attribute_name(key: str) -> str:
    """`class_` -> `class`, `data_copy_from` -> `data-copy-from`, as WTForms names attributes."""
    key = key.rstrip("_")
    if key.startswith(("data_", "aria_")):
        key = key.replace("_", "-")
    return key


def html_params(**kwargs: Any) -> Markup:
    """Return the attributes `kwargs` as HTML, as `wtforms.widgets.html_params` does."""
    params = []
    for key, value in sorted(kwargs.items()):
        name = escape(_attribute_name(key))
        if value is True:
            params.append(str(name))
        elif value is not False:
            params.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    # Every name and value above went through escape().
    return Markup(" ".join(params))  # noqa: S704  # nosec B704


class QuickLabel(Label):
    """WTForms' label, its attributes written by `html_params`."""

    def __call__(self, text: Any = None, **kwargs: Any) -> Markup:
        if "for_" in kwargs:
            kwargs["for"] = kwargs.pop("for_")
        else:
            kwargs.setdefault("for", self.field_id)
        attributes = html_params(**kwargs)
        # The attributes and the text are escaped.
        return Markup(f"<label{' ' if attributes else ''}{attributes}>{escape(text or self.text)}</label>")  # noqa: S704  # nosec B704


class QuickTextArea(TextArea):
    """WTForms' textarea, its attributes written by `html_params`."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in dir(flags):
            if key in self.validation_attrs and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        attributes = html_params(name=field.name, **kwargs)
        # The attributes and the text are escaped.
        return Markup(f"<textarea {attributes}>\r\n{escape(field._value())}</textarea>")  # noqa: S704  # nosec B704


@cache
def _quick_class(widget_class: Any) -> Any:
    """The quick class for a widget's class: an `<input>` of any kind writes its attributes
    through `self.html_params`, so its subclass need only name ours; None for any other widget."""
    if widget_class is TextArea:
        return QuickTextArea
    if issubclass(widget_class, Input) and widget_class.html_params is not html_params:
        return type(widget_class.__name__, (widget_class,), {"html_params": staticmethod(html_params)})
    return None


def quicken(field: Any) -> Any:
    """Give a bound field a label and, where there is one, a widget that write through `html_params`."""
    if type(field.label) is Label:
        field.label = QuickLabel(field.label.field_id, field.label.text)
    quick = _quick_class(field.widget.__class__)
    if quick is not None:
        widget = object.__new__(quick)
        widget.__dict__.update(field.widget.__dict__)  # an input's own type, a password's hide_value
        field.widget = widget
    return field
