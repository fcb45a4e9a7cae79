"""The widgets' attributes drawn the cheaper way read exactly as WTForms draws them."""

from __future__ import annotations

from typing import Any

import pytest
import wtforms.widgets.core
from markupsafe import Markup

from tracker.forms import attributes
from tracker.forms.base import BaseForm  # noqa: F401  (installs the cheaper drawing)

CASES: list[dict[str, Any]] = [
    {},
    {"id": "summary", "name": "summary", "type": "text", "value": ""},
    {"class_": "wide", "for_": "x", "data_kind_asked": "meeting", "aria_describedby": "a b"},
    {"aria-invalid": "true", "aria-describedby": False, "autofocus": True, "required": True},
    {"value": 'O\'Brien & "Sons" <b>', "label": "Élise « Côté »", "size": 3, "max": 2.5},
    {"value": Markup('already <i>safe</i> "quoted"'), "selected": True, "disabled": False},
    {"title": None, "zzz": 0, "aaa": "first"},
]


@pytest.mark.parametrize("params", CASES)
def test_widget_attributes_read_as_wtforms_draws_them(params: dict[str, Any]) -> None:
    drawn = attributes.html_params(**params)
    assert drawn == attributes.wtforms_html_params(**params)
    assert isinstance(drawn, Markup)


def test_every_widget_draws_its_attributes_the_cheaper_way() -> None:
    core = wtforms.widgets.core
    assert core.html_params is attributes.html_params
    for widget in (core.Input, core.TextInput, core.SubmitInput, core.HiddenInput, core.Button):
        assert widget.html_params is attributes.html_params
