"""The Python form renderer writes the same HTML as Django's templates, byte for byte.

mentorat.lib.form_rendering writes the common widget, label and error-list templates in
Python for speed (issue 23); what a browser receives must not change. Compared here with
Django's own renderer: every widget of Django on awkward values, every form of the
project (blank and with errors), and the pages of the load benchmark on the demo data.
"""

import datetime
import importlib
import inspect
import pkgutil
import re
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import Client
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

import mentorat
from benchmarks.load.pages import workload
from mentorat.accounts.models import User
from mentorat.demo.loader import load_demo
from mentorat.lib.form_rendering import PythonFormRenderer

DJANGO = DjangoTemplates()
PYTHON = PythonFormRenderer()

AWKWARD = [
    ("", "---------"),
    ("a", "Plain"),
    ("b&c", 'Quotes " and <tags> & ampersands'),
    (3, gettext_lazy("Remote meetings are fine for me")),
    (Decimal("1.5"), 1234567),
    ("d", datetime.date(2026, 12, 7)),
    ("Group ‹1›", [("g1", "In a group"), ("g2", mark_safe("<b>safe</b>"))]),
]
CHOICE_WIDGETS = [
    forms.Select,
    forms.SelectMultiple,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
]
INPUT_WIDGETS = [
    forms.TextInput,
    forms.EmailInput,
    forms.URLInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.CheckboxInput,
    forms.Textarea,
    forms.SearchInput,
    forms.TelInput,
    forms.ColorInput,
]
VALUES = [None, "", "a", "b&c", ["b&c", "g2"], [3], 0, True, False, mark_safe("<i>x</i>")]
ATTRS = [None, {"id": "id_x", "class": "wide", "required": True, "disabled": False}]


def _both(render):
    return render(PYTHON), render(DJANGO)


@pytest.mark.parametrize("widget", CHOICE_WIDGETS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_choice_widgets_render_as_django_does(widget, value, attrs):
    mine, django = _both(
        lambda r: widget(attrs=attrs, choices=AWKWARD).render(
            "x", value, attrs={"data-v": '1"2'}, renderer=r
        )
    )
    assert mine == django


@pytest.mark.parametrize("widget", INPUT_WIDGETS)
@pytest.mark.parametrize(
    "value", [*VALUES, datetime.date(2026, 1, 2), datetime.datetime(2026, 1, 2, 3, 4), 1234.5]
)
@pytest.mark.parametrize("attrs", ATTRS)
def test_input_widgets_render_as_django_does(widget, value, attrs):
    with override("fr"):
        mine, django = _both(
            lambda r: widget(attrs=attrs).render("x&y", value, attrs={"data-v": "<"}, renderer=r)
        )
    assert mine == django


@pytest.mark.parametrize("value", [None, True, False, "true", "2", "unknown"])
def test_the_yes_no_select_renders_as_django_does(value):
    mine, django = _both(lambda r: forms.NullBooleanSelect().render("x", value, renderer=r))
    assert mine == django


def test_a_custom_option_template_is_left_to_django():
    class Custom(forms.RadioSelect):
        option_template_name = "django/forms/widgets/select_option.html"

    widget = Custom(choices=AWKWARD)
    assert widget.render("x", "a", renderer=PYTHON) == widget.render("x", "a", renderer=DJANGO)


class _Sample(forms.Form):
    name = forms.CharField(label="Name & <role>", help_text="Help", max_length=3)
    email = forms.EmailField(label_suffix=" !")
    when = forms.DateField(required=False)
    kind = forms.ChoiceField(choices=AWKWARD[1:4], widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(choices=AWKWARD, widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField()
    note = forms.CharField(widget=forms.Textarea, required=False)

    def clean(self):
        raise forms.ValidationError("Whole form <wrong> & %(x)s", params={"x": "y"})


def _render_form(form_class, renderer, data, **kwargs):
    form = form_class(data, renderer=renderer, **kwargs)
    if data is not None:
        form.is_valid()
    parts = [str(form), str(form.non_field_errors())]
    for field in form:
        parts += [
            field.label_tag(),
            field.label_tag(attrs={"class": "c"}, label_suffix=""),
            field.legend_tag(),
            str(field),
            str(field.errors),
        ]
    return parts


@pytest.mark.parametrize("data", [None, {}, {"name": "toolong", "email": "x", "tags": ["zz"]}])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_whole_form_with_errors_renders_as_django_does(data, language):
    with override(language):
        for auto_id in ("id_%s", False):
            mine = _render_form(_Sample, PYTHON, data, auto_id=auto_id)
            assert mine == _render_form(_Sample, DJANGO, data, auto_id=auto_id)


def _project_forms():
    """Every form class of the project that builds without arguments."""
    found = {}
    for module in pkgutil.walk_packages(mentorat.__path__, "mentorat."):
        if not module.name.endswith(".forms"):
            continue
        for _name, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.name:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return sorted(found.items())


@pytest.mark.django_db
def test_every_form_of_the_project_renders_as_with_djangos_templates():
    rendered = 0
    with override("fr"):
        for name, form_class in _project_forms():
            for data in (None, {}):
                try:
                    mine = _render_form(form_class, PYTHON, data)
                except TypeError:  # needs arguments (a program, a person…)
                    continue
                assert mine == _render_form(form_class, DJANGO, data), name
                rendered += 1
    assert rendered >= 40


_CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[A-Za-z0-9]+')


@pytest.mark.django_db
@pytest.mark.timeout(900)
def test_the_load_benchmark_pages_are_the_same_with_djangos_renderer(settings):
    load_demo()
    compared = 0
    for email, pages in workload().items():
        client = Client(HTTP_ACCEPT_LANGUAGE="fr")
        client.force_login(User.objects.get(email=email))
        for page in pages:
            if page.method != "GET":
                continue
            html = {}
            for renderer in ("django.forms.renderers.DjangoTemplates", settings.FORM_RENDERER):
                settings.FORM_RENDERER = renderer
                response = client.get(page.path)
                assert response.status_code == 200, page
                html[renderer] = _CSRF.sub(r"\1…", response.content.decode())
            mine, django = html.values()
            assert mine == django, (email, page.name)
            compared += 1
    assert compared >= 40
