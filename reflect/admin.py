from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from reflect.models import Prompt, ReflectionTemplate, TemplatePrompt, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "is_staff", "is_active", "date_joined", "last_login")
    search_fields = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Built-in prompts only: a clinician's own prompts are private, even from staff."""

    list_display = ("text", "category", "source", "is_active", "order")
    list_filter = ("category", "is_active")
    search_fields = ("text", "slug", "source")
    fields = ("slug", "text", "guidance", "category", "source", "is_active", "order")
    readonly_fields = ("slug",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Prompt]:
        return super().get_queryset(request).filter(owner__isnull=True)


class TemplatePromptInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TemplatePrompt
    extra = 0
    autocomplete_fields = ("prompt",)
    fields = ("section", "prompt", "order")


@admin.register(ReflectionTemplate)
class ReflectionTemplateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "is_active", "order")
    fields = (
        "slug",
        "name",
        "kind",
        "description",
        "source",
        "structured_fields",
        "is_active",
        "order",
    )
    inlines = [TemplatePromptInline]
