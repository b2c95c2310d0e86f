"""How a stage puts its part on the case page and on the queue, without the core knowing it.

The core draws each page's frame: the case's header, facts, story and timeline; the queue's
heading and table. Every card beside them is a *panel*: a template, a context function, an
order and who sees it. A stage registers its panels from its `AppConfig.ready()`:

    from makegood.cases.panels import Panel, register_case_panel
    register_case_panel("case_side", Panel(name="followup", template="followup/_case_followup.html", order=50))

and, for a timeline line of one of its own kinds (`cases/kinds.py`), the template that shows it:

    register_timeline_template(RecoveryEventKind.RECOVERY_STEP, "recovery/_timeline_step.html")

A panel's context function gets the page (`CasePage` or `QueuePage`: the user, the case, its
timeline already read) and returns what its template needs, or None when it has nothing to show.
It runs only for those who may see the panel (`permission`), so a stage that has nothing to show
costs the page no query. A template is rendered inside the page's own context (so `case`, `user`,
`perms` and `csrf_token` are there), with the context function's names added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from django import forms
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from makegood.accounts.models import Team
    from makegood.cases.models import Case, CaseEvent

CaseSlot = Literal["case_side", "case_main"]
QueueSlot = Literal["queue_actions", "queue_top"]


@dataclass(frozen=True)
class CasePage:
    """What a case-page panel may read. `bound` holds a refused form coming back, by panel name."""

    request: HttpRequest
    user: User
    case: Case
    events: list[CaseEvent]  # the timeline, oldest first, read once for the page and every panel
    is_owner: bool
    bound: Mapping[str, forms.BaseForm] = field(default_factory=dict)


@dataclass(frozen=True)
class QueuePage:
    """What a queue panel may read."""

    request: HttpRequest
    user: User
    team: Team | None


PageT = TypeVar("PageT", CasePage, QueuePage)


@dataclass(frozen=True)
class Panel(Generic[PageT]):
    """One card. `context` returns its template's names, or None to show nothing; without one,
    the template is shown as it is. `permission` (`app.codename`) limits who sees it. `css` and
    `js` (static paths) load with the page whether or not the panel shows, so that a panel that
    htmx swaps in later finds them."""

    name: str
    template: str
    order: int
    context: Callable[[PageT], Mapping[str, Any] | None] | None = None
    permission: str = ""
    css: tuple[str, ...] = ()
    js: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShownPanel:
    """A panel to render on this page, with its context."""

    name: str
    template: str
    context: Mapping[str, Any]


@dataclass(frozen=True)
class _TimelineTemplate:
    template: str
    css: tuple[str, ...]


_case_panels: dict[str, dict[str, Panel[CasePage]]] = {"case_side": {}, "case_main": {}}
_queue_panels: dict[str, dict[str, Panel[QueuePage]]] = {"queue_actions": {}, "queue_top": {}}
_timeline_templates: dict[str, _TimelineTemplate] = {}


def register_case_panel(slot: CaseSlot, panel: Panel[CasePage]) -> None:
    """Add a panel to the case page's side column or main column (the same name replaces it)."""
    _case_panels[slot][panel.name] = panel


def register_queue_panel(slot: QueueSlot, panel: Panel[QueuePage]) -> None:
    """Add a panel to the queue's heading actions or above its table (the same name replaces it)."""
    _queue_panels[slot][panel.name] = panel


def register_timeline_template(kind: str, template: str, *, css: tuple[str, ...] = ()) -> None:
    """Show a timeline line of `kind` with `template` (given `event` and `case`); one per kind."""
    known = _timeline_templates.get(kind)
    if known is not None and known.template != template:
        raise ValueError(f"The timeline kind {kind!r} already has the template {known.template!r}.")
    _timeline_templates[kind] = _TimelineTemplate(template, css)


def timeline_template(kind: str) -> str:
    """The registered template of a timeline kind; "" for the core's own kinds (the page shows them)."""
    known = _timeline_templates.get(kind)
    return known.template if known is not None else ""


def _shown(panels: Mapping[str, Panel[PageT]], page: PageT) -> list[ShownPanel]:
    shown: list[ShownPanel] = []
    for panel in sorted(panels.values(), key=lambda p: (p.order, p.name)):
        if panel.permission and not page.user.has_perm(panel.permission):
            continue
        context = panel.context(page) if panel.context is not None else {}
        if context is not None:
            shown.append(ShownPanel(panel.name, panel.template, context))
    return shown


def case_panels(page: CasePage, slot: CaseSlot) -> list[ShownPanel]:
    """The panels of one column of the case page that this person sees, in order."""
    return _shown(_case_panels[slot], page)


def queue_panels(page: QueuePage, slot: QueueSlot) -> list[ShownPanel]:
    """The queue's panels in one place that this person sees, in order."""
    return _shown(_queue_panels[slot], page)


@dataclass(frozen=True)
class Assets:
    css: list[str]
    js: list[str]


def _assets(panels: Iterable[Panel[Any]], extra_css: Iterable[str] = ()) -> Assets:
    css: dict[str, None] = dict.fromkeys(extra_css)
    js: dict[str, None] = {}
    for panel in panels:
        css.update(dict.fromkeys(panel.css))
        js.update(dict.fromkeys(panel.js))
    return Assets(list(css), list(js))


def case_page_assets() -> Assets:
    """The style sheets and scripts of every case-page panel and timeline template, each once."""
    panels = (panel for slot in _case_panels.values() for panel in slot.values())
    return _assets(panels, (css for known in _timeline_templates.values() for css in known.css))


def queue_assets() -> Assets:
    """The style sheets and scripts of every queue panel, each once."""
    return _assets(panel for slot in _queue_panels.values() for panel in slot.values())
