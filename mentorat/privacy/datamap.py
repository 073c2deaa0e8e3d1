"""The data map: every app's declarations of the personal data it holds, in one place.

Apps declare their data in `<app>/personal_data.py` (`DATA_MAP`, see
`mentorat.lib.personal_data`), and may name the models that hold none in
`NOT_PERSONAL_MODELS` (label -> reason); models of the libraries we use (allauth,
sessions, axes, tasks) are declared in `mentorat/privacy/personal_data.py`."""

from collections.abc import Mapping
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps

from mentorat.lib.personal_data import ModelData


def _modules() -> list[ModuleType]:
    found = []
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.personal_data"
        if not app_config.name.startswith("mentorat.") or find_spec(module_name) is None:
            continue
        found.append(import_module(module_name))
    return found


@cache
def declarations() -> tuple[ModelData, ...]:
    """All declarations, in the order of INSTALLED_APPS."""
    found: list[ModelData] = []
    for module in _modules():
        found.extend(module.DATA_MAP)
    return tuple(found)


def declaration_for(model_label: str) -> ModelData | None:
    """The declaration of `"app_label.ModelName"`, if any."""
    return next((d for d in declarations() if d.model == model_label), None)


@cache
def models_without_personal_data() -> Mapping[str, str]:
    """Models that hold no personal data at all (label -> why), as the apps say."""
    found: dict[str, str] = {}
    for module in _modules():
        found.update(getattr(module, "NOT_PERSONAL_MODELS", {}))
    return found
