from django.apps import AppConfig


class ReflectConfig(AppConfig):
    name = "reflect"
    verbose_name = "Reflect: accounts, prompts and identity map"

    def ready(self) -> None:
        from reflect import activity, security

        activity.connect()
        security.connect()
