from __future__ import annotations

import random
import uuid
import zoneinfo
from datetime import date, datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from reflect.ownership import OwnedQuerySet


def default_time_zone() -> str:
    return settings.TIME_ZONE


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # Email is the login name: compare and store it in one case.
        return (email or "").strip().lower()

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        # Accounts made by an operator (createsuperuser, the admin, code) are trusted as
        # existing accounts were: a verified allauth address. Sign-ups verify by email.
        from allauth.account.models import EmailAddress

        EmailAddress.objects.using(self._db).create(
            user=user, email=user.email, verified=True, primary=True
        )
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=self.normalize_email(username))


class User(AbstractUser):
    """A clinician. Signs in with an email address; there is no separate username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        help_text="Dates such as “today” and “due this week” follow this time zone.",
    )
    # Shown on the cover of a supervision packet; never required.
    display_name = models.CharField(
        "my name",
        max_length=150,
        blank=True,
        help_text="Shown only on the cover of the supervision packets I export.",
    )
    credentials = models.CharField(
        "my credentials",
        max_length=150,
        blank=True,
        help_text="My profession or licence type, for example “Clinical psychologist” or “LCSW”.",
    )
    registration_number = models.CharField(
        "my registration or licence number", max_length=60, blank=True
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Not auth's UserManager, which asks for a username: sign-in is by email.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
        ]

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def __str__(self) -> str:
        return self.email

    @property
    def shown_name(self) -> str:
        """How others read this account (covers, comments, invitations): the name given,
        else the address."""
        return self.display_name or self.get_full_name() or self.email

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def localdate(self, now: datetime | None = None) -> date:
        """Today's date where the clinician is."""
        return timezone.localtime(now or timezone.now(), self.tzinfo).date()


class PromptCategory(models.TextChoices):
    IDENTITY_POWER = "identity_power", "Identity and power"
    CULTURAL_OPPORTUNITIES = "cultural_opportunities", "Cultural opportunities"
    ASSUMPTIONS_HUMILITY = "assumptions_humility", "Assumptions and humility"
    COMFORT = "comfort", "Comfort"
    CLIENT_MEANING = "client_meaning", "The client's meaning"
    COLLABORATION = "collaboration", "Collaboration"
    MISSTEPS_RUPTURES = "missteps_ruptures", "Missteps and ruptures"
    REPAIR = "repair", "Repair follow-through"
    SUPERVISION = "supervision", "Supervision and consultation"
    SYSTEMS = "systems", "Systems of care"
    GROWTH = "growth", "Growth"


class PromptQuerySet(OwnedQuerySet):
    def builtin(self) -> PromptQuerySet:
        return self.filter(owner__isnull=True)

    def available_to(self, user: Any) -> PromptQuerySet:
        """Built-in prompts plus the user's own, hidden or not, active or not."""
        return self.filter(models.Q(owner__isnull=True) | models.Q(owner=user.pk))

    def by_ref(self, user: Any, ref: Any) -> Prompt | None:
        """The prompt a backup or snapshot names: a built-in one by its slug, or one of
        ``user``'s own by its uid. Never by primary key, and never another clinician's."""
        if not isinstance(ref, dict) or len(ref) != 1:
            return None
        ((key, value),) = ref.items()
        if not isinstance(value, str) or not value:
            return None
        if key == "builtin":
            return self.builtin().filter(slug=value).first()
        if key == "own":
            try:
                uid = uuid.UUID(value)
            except ValueError:
                return None
            return self.filter(owner=user.pk, uid=uid).first()
        return None

    def with_preferences(self, user: Any) -> PromptQuerySet:
        prefs = PromptPreference.objects.filter(owner=user.pk, prompt=models.OuterRef("pk"))
        return self.annotate(
            is_pinned=models.Exists(prefs.filter(pinned=True)),
            is_hidden=models.Exists(prefs.filter(hidden=True)),
        )

    def visible_to(self, user: Any) -> PromptQuerySet:
        """What the clinician chooses from: active, and not hidden by them."""
        return (
            self.available_to(user)
            .filter(is_active=True)
            .with_preferences(user)
            .filter(is_hidden=False)
        )

    def for_day(self, user: Any, day: date, exclude: Any = ()) -> Prompt | None:
        """The clinician's prompt for a day: stable all day, a different one the next.

        Each clinician walks their own shuffled order of the prompts they can
        see and have not answered recently (``exclude``), one step a day.
        """
        visible = self.visible_to(user).order_by("pk")
        ids = list(visible.exclude(pk__in=exclude).values_list("pk", flat=True))
        if not ids:
            # Everything answered recently: fall back to the whole library.
            ids = list(visible.values_list("pk", flat=True))
        if not ids:
            return None
        random.Random(user.pk).shuffle(ids)  # noqa: S311 - an order, not a secret
        return self.model.objects.get(pk=ids[day.toordinal() % len(ids)])


class Prompt(models.Model):
    """A reflective question. Built-in ones have no owner; a clinician's own have one."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_prompts",
        help_text="Empty for built-in prompts.",
    )
    slug = models.SlugField(max_length=80, blank=True, help_text="Stable key of built-in prompts.")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    text = models.CharField(max_length=400)
    guidance = models.TextField(blank=True, max_length=1000)
    category = models.CharField(max_length=40, choices=PromptCategory.choices)
    source = models.CharField(
        max_length=300, blank=True, help_text="Article section or framework it comes from."
    )
    is_active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = ("category", "order", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(owner__isnull=True),
                name="builtin_prompt_slug_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None

    @property
    def ref(self) -> dict[str, str]:
        """How backups and snapshots name this prompt (see ``PromptQuerySet.by_ref``)."""
        return {"builtin": self.slug} if self.owner_id is None else {"own": str(self.uid)}


class PromptPreference(models.Model):
    """A clinician's pin or hide on a prompt (built-in or their own)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="preferences")
    pinned = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "prompt"], name="one_preference_per_prompt"),
        ]

    def __str__(self) -> str:
        return f"{'pinned' if self.pinned else ''} {'hidden' if self.hidden else ''}".strip()


class TemplateKind(models.TextChoices):
    AFTER_SESSION = "after_session", "After session"
    REPAIR = "repair", "Repair note"
    SUPERVISION_PREP = "supervision_prep", "Supervision prep"
    IDENTITY_CHECKIN = "identity_checkin", "Identity check-in"
    SYSTEMS_REVIEW = "systems_review", "Systems of care review"


class ReflectionTemplate(models.Model):
    """An ordered set of prompts, grouped in sections, plus the structured fields to ask."""

    STRUCTURED_FIELDS = (
        "cultural_moment",
        "my_response",
        "feelings",
        "addressing_domains",
        "bring_to_supervision",
    )

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=40, choices=TemplateKind.choices)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    structured_fields = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)
    prompts: models.ManyToManyField[Prompt, TemplatePrompt] = models.ManyToManyField(
        Prompt, through="TemplatePrompt", related_name="templates"
    )

    class Meta:
        ordering = ("order", "pk")

    def __str__(self) -> str:
        return self.name

    def asks(self, field: str) -> bool:
        return field in self.structured_fields


class TemplatePrompt(models.Model):
    template = models.ForeignKey(ReflectionTemplate, on_delete=models.CASCADE, related_name="items")
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT)
    section = models.CharField(max_length=80, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=["template", "prompt"], name="prompt_once_per_template"),
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.prompt_id}"


class IdentityMapVersion(models.Model):
    """One saved state of a clinician's private identity map. Saves never overwrite."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_versions"
    )
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        get_latest_by = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Identity map of {self.created_at:%Y-%m-%d %H:%M}"


class SecurityEvent(models.Model):
    """Something that happened to a clinician's account, shown on their Security activity page.

    Only fixed words are stored (what happened, a device summary): never anything the
    clinician wrote. Kept SECURITY_ACTIVITY_KEEP_DAYS (`manage.py purge_security_activity`).
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "A sign-in with my email failed"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset by email"
        EMAIL_CHANGED = "email_changed", "Email address changed"
        MFA_ADDED = "mfa_added", "Two-factor method added"
        MFA_REMOVED = "mfa_removed", "Two-factor method removed"
        RECOVERY_CODES = "recovery_codes", "New recovery codes made"
        RECOVERY_CODE_USED = "recovery_code_used", "A recovery code was used"
        BACKUP = "backup", "Full backup downloaded"
        IMPORT = "import", "Backup imported"
        EXPORT = "export", "Export made"
        SUPERVISOR_INVITED = "supervisor_invited", "Supervisor invited"
        SUPERVISOR_ACCEPTED = "supervisor_accepted", "Supervisor accepted my invitation"
        SUPERVISOR_ENDED = "supervisor_ended", "Supervisor's access ended"
        SHARED = "shared", "Packet shared with my supervisor"
        SHARE_ENDED = "share_ended", "Shared packet's access ended"
        SHARE_VIEWED = "share_viewed", "My supervisor read a shared packet"
        SHARE_DOWNLOADED = "share_downloaded", "My supervisor downloaded a shared packet"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_events"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    detail = models.CharField(max_length=80, blank=True)
    device = models.CharField(max_length=80, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=["owner", "-at"], name="security_event_owner_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
