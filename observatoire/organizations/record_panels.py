"""Sections other apps add to an organisation's or a person's record in the back office.

Support sessions, event participations, group memberships and later projects all belong on the
record, but the register must not import those apps. Each app registers a provider in its
`AppConfig.ready()`; the record page asks every provider for its panel.

    from observatoire.organizations import record_panels

    @record_panels.register_organization_panel
    def support_panel(organization, request):
        return record_panels.RecordPanel(
            title=_("Support sessions"), template="support/record_panel.html",
            context={"sessions": ...}, order=20,
        )

A provider returns None when it has nothing to show (or the user may not see it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class RecordPanel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


PanelProvider = Callable[[Any, HttpRequest], RecordPanel | None]

_organization_providers: list[PanelProvider] = []
_person_providers: list[PanelProvider] = []


def register_organization_panel(provider: PanelProvider) -> PanelProvider:
    if provider not in _organization_providers:
        _organization_providers.append(provider)
    return provider


def register_person_panel(provider: PanelProvider) -> PanelProvider:
    if provider not in _person_providers:
        _person_providers.append(provider)
    return provider


def _collect(providers: list[PanelProvider], record, request: HttpRequest) -> list[RecordPanel]:
    panels = [panel for provider in providers if (panel := provider(record, request))]
    return sorted(panels, key=lambda panel: panel.order)


def organization_panels(organization, request: HttpRequest) -> list[RecordPanel]:
    return _collect(_organization_providers, organization, request)


def person_panels(person, request: HttpRequest) -> list[RecordPanel]:
    return _collect(_person_providers, person, request)
