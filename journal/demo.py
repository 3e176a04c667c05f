"""Realistic, varied demo entries for trying the app and for benchmarks.

The text is composed from short phrases written for this purpose; it never
contains names or other identifiers. Everything is inserted in bulk.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from journal.codes import suggest
from journal.kinds import ENTRY, REPAIR
from journal.models import (
    Answer,
    Commitment,
    CulturalMoment,
    Entry,
    EntryStatus,
    MisstepKind,
    MyResponse,
    Observed,
    RepairFollowUp,
    RepairNote,
    RepairStatus,
    RepairStatusChange,
    SessionKind,
    Tag,
)
from journal.services.commitments import COMMITMENT_SECTION
from journal.views.entries import REPAIR_TEMPLATE_KIND
from reflect.identity import ADDRESSING_DOMAINS
from reflect.models import ReflectionTemplate, TemplatePrompt, User

OPENINGS = [
    "Early in the session", "Towards the end", "When we reviewed the week",
    "As we talked about goals", "During a long silence", "When the topic of work came up",
    "While we planned next steps", "In the first few minutes",
]  # fmt: skip
MOMENTS = [
    "the client mentioned how their family sees help-seeking",
    "faith came up as a source of strength",
    "the client switched language for a phrase that mattered to them",
    "money worries shaped what felt possible",
    "the client described being the first in their family to go to university",
    "migration and what was left behind came up briefly",
    "the client questioned whether I could understand their experience",
    "the client gave a short answer and changed the subject",
    "we disagreed about what the problem really was",
    "the client spoke about how their community views therapy",
]  # fmt: skip
REFLECTIONS = [
    "I noticed I wanted to move on quickly.",
    "I asked an open question and waited, which helped.",
    "I think my own background made me assume I understood.",
    "I felt curious rather than anxious, which was new.",
    "I realised I had framed it in my terms, not theirs.",
    "My training pulled me towards a technique before I had listened enough.",
    "I named the difference between us and the client seemed relieved.",
    "I am not sure how it landed; I want to check next time.",
]  # fmt: skip
PLANS = [
    "Next time I will ask how they would describe the problem in their own words.",
    "I will check in about how our conversations are feeling for them.",
    "I want to read more about the community context before our next session.",
    "I will bring this to supervision.",
    "I will try to slow down when identity comes up.",
    "I will acknowledge that I cut the topic short last time.",
]  # fmt: skip
FOLLOW_UPS = [
    "I named what happened at the start of the session and asked how it had been for them.",
    "I checked in briefly; the client said it had stayed with them and was glad I asked.",
    "I acknowledged my assumption; we talked about what support really looks like for them.",
    "The client did not want to talk about it, and I let them know the door stays open.",
]  # fmt: skip
FEELINGS = ["curious", "uneasy", "hopeful", "tired", "moved", "defensive", "calm", "unsure"]
TAGS = ["family", "faith", "language", "money", "work", "migration", "power", "assumptions",
        "supervision", "feedback", "goals", "silence"]  # fmt: skip


def _domains(rng: random.Random) -> list[str]:
    """A few ADDRESSING domains, in the framework's order (as the form writes them)."""
    chosen = {key for key, _ in rng.sample(ADDRESSING_DOMAINS, rng.randint(0, 3))}
    return [key for key, _ in ADDRESSING_DOMAINS if key in chosen]


def _text(rng: random.Random) -> str:
    return (
        f"{rng.choice(OPENINGS)}, {rng.choice(MOMENTS)}. {rng.choice(REFLECTIONS)} "
        f"{rng.choice(PLANS)}"
    )


@transaction.atomic
def seed_demo(*, email: str, entries: int, years: int = 3, seed: int | None = None) -> str:
    """Create (or reuse) a user with ``entries`` varied entries. Returns the new password."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    password = secrets.token_urlsafe(12)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, password)
    else:
        user.set_password(password)
        user.save(update_fields=["password"])

    # A repair note is its own kind now: no new entries from the old "Repair note" template.
    templates = list(
        ReflectionTemplate.objects.filter(is_active=True)
        .exclude(kind=REPAIR_TEMPLATE_KIND)
        .prefetch_related("items")
    )
    weights = [8 if t.slug == "after-session" else 1 for t in templates]
    codes: set[str] = set()
    while len(codes) < 30:
        codes.add(suggest(codes))
    code_list = sorted(codes)
    tags = {t.name: t for t in Tag.objects.for_user(user)}
    missing = [Tag(owner=user, name=n) for n in TAGS if n not in tags]
    for tag in Tag.objects.bulk_create(missing):
        tags[tag.name] = tag

    today = date.today()
    span = 365 * years
    rows = []
    tag_list = list(tags.values())
    extras: list[tuple[list[Answer], list[Tag]]] = []
    for _ in range(entries):
        template = rng.choices(templates, weights)[0] if templates and rng.random() > 0.1 else None
        moment = rng.choice([*CulturalMoment.values, ""])
        entry = Entry(
            owner=user,
            session_date=today - timedelta(days=rng.randrange(span)),
            client_code=rng.choice(code_list),
            session_kind=rng.choice(SessionKind.values),
            template=template,
            body=_text(rng) if rng.random() < 0.6 else "",
            cultural_moment=moment,
            my_response=rng.choice(MyResponse.values) if moment == "yes" else "",
            feelings=", ".join(rng.sample(FEELINGS, rng.randint(1, 3))),
            addressing_domains=_domains(rng),
            bring_to_supervision=rng.random() < 0.15,
            status=EntryStatus.COMPLETE if rng.random() < 0.95 else EntryStatus.DRAFT,
        )
        answers = [
            Answer(owner=user, prompt_id=item.prompt_id, text=_text(rng), order=item.order)
            for item in (template.items.all() if template else [])
            if rng.random() < 0.8
        ]
        chosen = rng.sample(tag_list, rng.randint(0, 3))
        written = {
            "client_code": entry.client_code,
            "feelings": entry.feelings,
            "body": entry.body,
            "answers": [{"text": a.text} for a in answers],
            "tags": sorted(t.name for t in chosen),
        }
        entry.search_text = ENTRY.search_text_of(written, [])
        rows.append(entry)
        extras.append((answers, chosen))
    created = Entry.objects.bulk_create(rows, batch_size=1000)

    all_answers = []
    through = []
    for entry, (answers, chosen) in zip(created, extras, strict=True):
        for answer in answers:
            answer.entry = entry
            all_answers.append(answer)
        for tag in chosen:
            through.append(Entry.tags.through(entry_id=entry.pk, tag_id=tag.pk))
    Answer.objects.bulk_create(all_answers, batch_size=2000)
    Entry.tags.through.objects.bulk_create(through, batch_size=2000)
    _seed_entry_commitments(rng, user, created, today)
    _seed_repairs(rng, user, created[::20], today)
    return password


def _at(day: date) -> datetime:
    """Mid-afternoon of ``day``, in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time(15, 0)))


def _after(rng: random.Random, day: date, today: date, low: int, high: int) -> date:
    """A day some ``low`` to ``high`` days after ``day``, never after today."""
    return min(today, day + timedelta(days=rng.randint(low, high)))


def _seed_entry_commitments(
    rng: random.Random, user: User, entries: list[Entry], today: date
) -> None:
    """An entry's "Now what?" answers are commitments (as a save would make them): the
    older ones mostly done some days after the session, the recent ones mostly open."""
    now_what = set(
        TemplatePrompt.objects.filter(section=COMMITMENT_SECTION).values_list(
            "template_id", "prompt_id"
        )
    )
    by_entry = {e.pk: e for e in entries}
    rows = []
    for answer in Answer.objects.filter(entry__in=entries).only("entry_id", "prompt_id", "text"):
        entry = by_entry[answer.entry_id]
        if (entry.template_id, answer.prompt_id) not in now_what:
            continue
        age = (today - entry.session_date).days
        done = rng.random() < (0.85 if age > 60 else 0.3)
        done_on = _after(rng, entry.session_date, today, 3, 45)
        rows.append(
            Commitment(
                owner=user,
                entry=entry,
                prompt_id=answer.prompt_id,
                text=answer.text,
                done_at=_at(done_on) if done and done_on > entry.session_date else None,
            )
        )
    made = Commitment.objects.bulk_create(rows, batch_size=1000)
    # created_at is set on insert; date each from its session, as if written that day.
    for commitment in made:
        assert commitment.entry is not None
        commitment.created_at = _at(commitment.entry.session_date)
    Commitment.objects.bulk_update(made, ["created_at"], batch_size=1000)


def _seed_repairs(rng: random.Random, user: User, entries: list[Entry], today: date) -> None:
    """About one repair note for every twenty entries, with follow-ups and status moves
    dated as practice goes: a follow-up some days or weeks after the moment, never on
    the day this runs (unless the moment was that recent)."""
    notes = []
    for entry in entries:
        # Recent moments are mostly still open; older ones have mostly moved on.
        age = (today - entry.session_date).days
        status = (
            rng.choice(RepairStatus.values)
            if age > 45
            else rng.choice([RepairStatus.OPEN, RepairStatus.OPEN, *RepairStatus.values])
        )
        note = RepairNote(
            owner=user,
            entry=entry,
            moment_date=entry.session_date,
            client_code=entry.client_code,
            observed=rng.choice(Observed.values),
            misstep_kind=rng.choice(MisstepKind.values),
            my_part=_text(rng),
            commit_text=rng.choice(PLANS),
            status=status,
            revisit_date=entry.session_date + timedelta(days=rng.randint(7, 30)),
        )
        note.search_text = REPAIR.search_text_of(REPAIR.snapshot(note), [])
        notes.append(note)
    notes = RepairNote.objects.bulk_create(notes, batch_size=1000)
    changes = [
        RepairStatusChange(
            repair=n, old_status="", new_status=RepairStatus.OPEN, changed_at=_at(n.moment_date)
        )
        for n in notes
    ]
    moved = [n for n in notes if n.status != RepairStatus.OPEN]
    follow_ups = RepairFollowUp.objects.bulk_create(
        [
            RepairFollowUp(
                repair=n,
                date=_after(rng, n.moment_date, today, 4, 42),
                note=rng.choice(FOLLOW_UPS),
                new_status=n.status,
            )
            for n in moved
        ],
        batch_size=1000,
    )
    changes += [
        RepairStatusChange(
            repair=n,
            old_status=RepairStatus.OPEN,
            new_status=n.status,
            changed_at=_at(f.date),
            follow_up=f,
        )
        for n, f in zip(moved, follow_ups, strict=True)
    ]
    RepairStatusChange.objects.bulk_create(changes, batch_size=2000)
    # A repair's commitment, as a save would make it; done once it was repaired.
    commitments = [
        Commitment(
            owner=user,
            repair=n,
            text=n.commit_text,
            done_at=_at(f.date) if n.status == RepairStatus.REPAIRED else None,
        )
        for n, f in zip(moved, follow_ups, strict=True)
    ]
    commitments += [
        Commitment(owner=user, repair=n, text=n.commit_text)
        for n in notes
        if n.status == RepairStatus.OPEN
    ]
    Commitment.objects.bulk_create(commitments, batch_size=1000)
