from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "makegood.accounts"
    label = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from makegood.accounts.services import roles_sync

        # Permissions exist only after every app has migrated, hence post_migrate, not a migration.
        post_migrate.connect(roles_sync, dispatch_uid="makegood_roles_sync")
