"""The profile form's choice widgets write the same HTML as Django's, byte for byte.

mentorat.participants.widgets writes the options in Python for speed (issue 23); what
a person's browser receives must not change: each widget is compared with Django's own
on the profile form's fields and on awkward choices (groups, characters to escape,
preselected values, lazy translations, attributes)."""

import pytest
from django import forms
from django.utils.translation import gettext_lazy

from mentorat.participants import widgets
from mentorat.participants.forms import ProfileForm

pytestmark = pytest.mark.django_db

AWKWARD = [
    ("a", "Plain"),
    ("b&c", 'Quotes " and <tags> & ampersands'),
    (3, gettext_lazy("Remote meetings are fine for me")),
    ("Group ‹1›", [("g1", "In a group"), ("g2", "Also <b>")]),
]


@pytest.mark.parametrize(
    ("fast", "stock"),
    [
        (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple),
        (widgets.Select, forms.Select),
    ],
)
@pytest.mark.parametrize("value", [None, "a", ["b&c", "g2"], [3], ""])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "class": "wide", "required": True}])
def test_awkward_choices_render_as_django_does(fast, stock, value, attrs):
    mine = fast(attrs=attrs, choices=AWKWARD).render("x", value, attrs={"data-v": '1"2'})
    django = stock(attrs=attrs, choices=AWKWARD).render("x", value, attrs={"data-v": '1"2'})
    assert mine == django


@pytest.mark.parametrize("role", [None, "mentor", "mentee"])
def test_the_profile_form_renders_as_with_djangos_widgets(role):
    form = ProfileForm(
        initial={"languages": ["fr"], "goals": [], "region": "11"},
        **({"role": role} if role else {}),
    )
    compared = 0
    for name, field in form.fields.items():
        widget = field.widget
        for fast, stock in (
            (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple),
            (widgets.Select, forms.Select),
        ):
            if type(widget) is fast:
                mine = str(form[name])
                field.widget = stock(attrs=widget.attrs, choices=widget.choices)
                field.widget.is_required = widget.is_required
                assert mine == str(form[name]), name
                field.widget = widget
                compared += 1
    assert compared >= 5
