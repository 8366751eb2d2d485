"""Importing, versioning and linting quizzes, as the brand's digital team does."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.quiz.conftest import DEMO_QUIZ, TRAVELLER
from trunkshow.quiz.models import QuizVersion
from trunkshow.quiz.services import quiz_import, quiz_result_create

pytestmark = pytest.mark.django_db


def write(tmp_path, data) -> str:
    path = tmp_path / "quiz.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def demo():
    return yaml.safe_load(DEMO_QUIZ.read_text(encoding="utf-8"))


def test_importing_the_same_file_twice_makes_one_version():
    out = io.StringIO()
    call_command("quiz_import", str(DEMO_QUIZ), stdout=out)
    call_command("quiz_import", str(DEMO_QUIZ), stdout=out)
    assert QuizVersion.objects.count() == 1
    assert "Unchanged" in out.getvalue()


def test_a_changed_file_makes_a_new_version_and_old_results_keep_theirs(tmp_path, shop):
    first, _ = quiz_import(source=DEMO_QUIZ.read_text(encoding="utf-8"))
    from trunkshow.common.models import Market

    result = quiz_result_create(slug="ask-the-designer", answers=TRAVELLER, name="", locale="en",
                                market=Market.objects.get(code="CN"), personalised=True)  # fmt: skip
    data = demo()
    data["title"]["en"] = "Ask the designer, again"
    call_command("quiz_import", write(tmp_path, data), stdout=io.StringIO())
    assert QuizVersion.objects.filter(quiz__slug="ask-the-designer").count() == 2
    result.refresh_from_db()
    assert result.version == first


def test_a_published_version_cannot_be_changed_or_deleted(demo_quiz):
    demo_quiz.source = demo_quiz.source.replace("Ask the designer", "Changed")
    with pytest.raises(ValidationError):
        demo_quiz.save()
    with pytest.raises(ValidationError):
        QuizVersion.objects.get(pk=demo_quiz.pk).delete()


def test_import_refuses_a_broken_file_naming_the_field(tmp_path):
    data = demo()
    data["questions"][0]["answers"][0]["weights"]["astrology"] = 1
    with pytest.raises(CommandError, match=r"questions\[0\]\.answers\[0\]\.weights\.astrology"):
        call_command("quiz_import", write(tmp_path, data))
    assert QuizVersion.objects.count() == 0


def test_import_refuses_invalid_yaml_with_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("slug: x\ntitle: {en: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line"):
        call_command("quiz_import", str(path))


def test_lint_passes_the_demo_quiz_and_prints_profile_shares(shop):
    out = io.StringIO()
    call_command("quiz_lint", str(DEMO_QUIZ), stdout=out)
    text = out.getvalue()
    assert "256 answer combinations checked exactly" in text
    for key in ("city-explorer", "jet-setter", "weekend-wanderer", "gallery-opener"):
        assert key in text
    assert "No errors." in text


def test_lint_exits_1_on_schema_errors(tmp_path):
    data = demo()
    del data["slug"]
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("quiz_lint", write(tmp_path, data), stdout=out)
    assert caught.value.returncode == 1
    assert "error: slug:" in out.getvalue()


def test_lint_exits_1_on_an_unreachable_profile_and_a_missing_translation(tmp_path, shop):
    data = demo()
    data["profiles"].append({"key": "ghost", "title": {"en": "Ghost"}, "description": {"en": "x"},
                             "traits": {"city": 1}, "requires": [{"trait": "city", "min": 99}]})  # fmt: skip
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("quiz_lint", write(tmp_path, data), stdout=out)
    text = out.getvalue()
    assert "error: profile ghost: no combination of answers reaches it" in text
    assert "error: profiles[5].title: missing translation for zh-Hans" in text


def test_lint_reports_a_profile_with_nothing_sellable_in_a_market(tmp_path, shop):
    data = demo()
    data["profiles"][0]["traits"] = {"glamour": 1}
    data["traits"]["glamour"] = {"en": "Glamour", "zh-Hans": "华丽"}
    from trunkshow.catalog.models import Product

    for product in Product.objects.all():
        product.trait_tags = [t for t in product.trait_tags if t != "glamour"]
        product.save()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("quiz_lint", write(tmp_path, data), stdout=out)
    assert "profile city-explorer: no sellable product in market CN" in out.getvalue()
