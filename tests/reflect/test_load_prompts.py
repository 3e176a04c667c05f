from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from reflect.models import Prompt, PromptCategory, ReflectionTemplate, TemplatePrompt, User
from reflect.services import BUILTIN_CONTENT, builtin_content_load

pytestmark = pytest.mark.django_db

ARTICLE = Path(settings.BASE_DIR).parent / "shared" / "source"
ARTICLE = ARTICLE / "article-cultural-competence-vs-cultural-humility.txt"


def load() -> str:
    out = StringIO()
    call_command("load_prompts", stdout=out)
    return out.getvalue()


def article_section(heading: str, next_heading: str) -> str:
    text = ARTICLE.read_text()
    return text.split(heading, 1)[1].split(next_heading, 1)[0]


def snapshot() -> list[tuple]:
    return list(
        Prompt.objects.order_by("slug").values_list(
            "slug", "text", "guidance", "category", "source", "order", "is_active"
        )
    )


def test_running_twice_gives_the_same_rows() -> None:
    assert "73 created" in load()
    first = snapshot()
    items = list(TemplatePrompt.objects.values_list("template__slug", "prompt__slug", "order"))
    assert "0 created, 0 updated" in load()
    assert snapshot() == first
    assert (
        list(TemplatePrompt.objects.values_list("template__slug", "prompt__slug", "order")) == items
    )
    assert ReflectionTemplate.objects.count() == 5


def test_reload_updates_by_slug_and_leaves_own_prompts_alone(alice: User, tmp_path: Path) -> None:
    builtin_content_load()
    own = Prompt.objects.create(
        owner=alice, text="What did I notice in my body?", category="comfort", slug="what-happened"
    )
    content = json.loads(BUILTIN_CONTENT.read_text())
    content["prompts"][0]["text"] = "What happened, in a sentence?"
    dropped = content["prompts"].pop()
    changed = tmp_path / "content.json"
    changed.write_text(json.dumps(content))

    result = builtin_content_load(path=changed)
    assert (result.created, result.updated, result.retired) == (0, 1, 1)
    assert (
        Prompt.objects.builtin().get(slug="what-happened").text == "What happened, in a sentence?"
    )
    assert not Prompt.objects.builtin().get(slug=dropped["slug"]).is_active
    own.refresh_from_db()
    assert own.text == "What did I notice in my body?"
    assert Prompt.objects.filter(owner__isnull=True).count() == 73


def test_the_library_is_broad_and_every_prompt_cites_a_source() -> None:
    builtin_content_load()
    prompts = Prompt.objects.builtin()
    assert prompts.count() >= 60
    assert prompts.values("category").distinct().count() >= 9
    assert not prompts.filter(source="").exists()
    assert set(prompts.values_list("category", flat=True)) <= set(PromptCategory.values)


def test_the_two_self_reflection_questions_appear_word_for_word() -> None:
    builtin_content_load()
    section = article_section(
        "Applying Cultural Humility in Clinical Practice", "Build a collaborative"
    )
    questions = re.findall(r"^- (.+?\?)", section, flags=re.M)
    assert len(questions) == 2
    for question in questions:
        prompt = Prompt.objects.builtin().get(text=question)
        assert "Applying Cultural Humility in Clinical Practice" in prompt.source


def test_each_supervision_topic_is_a_prompt() -> None:
    builtin_content_load()
    section = article_section("In supervision, therapists should", "Supervisors can demonstrate")
    topics = re.findall(r"^- ([^:]+):", section, flags=re.M)
    assert len(topics) == 4
    supervision = Prompt.objects.builtin().filter(category="supervision")
    for topic in topics:
        matching = [p for p in supervision if topic.lower() in p.guidance.lower()]
        assert matching, f"no supervision prompt for {topic!r}"
        assert "Supervision, Consultation, and Ongoing Accountability" in matching[0].source


def test_each_systems_of_care_question_is_a_prompt() -> None:
    builtin_content_load()
    section = article_section("Cultural Humility in Systems of Care", "Working with community")
    questions = re.findall(r"^- [^:]+: (.+?\?)", section, flags=re.M)
    assert len(questions) == 3
    for question in questions:
        assert Prompt.objects.builtin().filter(text=question, category="systems").exists()


def test_templates_ask_in_order_with_sections() -> None:
    builtin_content_load()
    after = ReflectionTemplate.objects.get(slug="after-session")
    sections = list(dict.fromkeys(after.items.values_list("section", flat=True)))
    assert sections == ["What?", "So what?", "Now what?"]
    assert after.asks("cultural_moment")
    names = set(ReflectionTemplate.objects.values_list("name", flat=True))
    assert {
        "After session",
        "Repair note",
        "Supervision prep",
        "Identity check-in",
        "Systems of care review",
    } <= names
