from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "makegood.accounts"
    label = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        # Permissions exist only after every app has migrated, hence post_migrate, not a migration.
        post_migrate.connect(_roles_sync_after_the_last_app, dispatch_uid="makegood_roles_sync")


def _roles_sync_after_the_last_app(sender: AppConfig, **_: Any) -> None:
    """post_migrate comes once per app (after every migrate, and after every flush of a
    transactional test): the groups are synced once, when the last app's permissions exist."""
    from makegood.accounts.services import roles_sync

    if sender is [config for config in apps.get_app_configs() if config.models_module is not None][-1]:
        roles_sync()
