from django.apps import AppConfig


class CausesConfig(AppConfig):
    name = "makegood.causes"
    label = "causes"
    verbose_name = "Root causes"

    def ready(self) -> None:
        from makegood.cases.guards import register_resolve_guard
        from makegood.cases.kinds import register_event_kinds
        from makegood.causes.models import Cause, CauseCategory, CauseEventKind, CauseModel
        from makegood.causes.panels import register_panels
        from makegood.causes.services import cause_required
        from makegood.causes.suggester import model_cache, taxonomy_cache

        register_event_kinds(CauseEventKind)
        # A case cannot be resolved without a root cause: the core runs this check (cases/guards.py).
        register_resolve_guard("causes.cause_required", cause_required)
        taxonomy_cache.clear_when_saved(Cause, CauseCategory)
        model_cache.clear_when_saved(CauseModel)
        register_panels()
