"""The quiz definition: what a brand writes (YAML or JSON) and what the engine scores.

A definition is parsed once into frozen dataclasses. Every problem is reported
with the path of the field it concerns (``questions[2].answers[0].weights``)
and all problems are reported together, so one lint run shows the whole list.

Weights are read as exact fractions (``Fraction("0.1")`` is one tenth), so
scoring and the exhaustive reachability check in ``lint`` agree to the last
digit on which profile wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

KEY_RE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
MAX_QUESTIONS = 16
MAX_ANSWERS = 6
MAX_PROFILES = 16
MAX_TRAITS = 32
MAX_TEXT = 400
MAX_WEIGHT = Fraction(100)

Texts = Mapping[str, str]


@dataclass(frozen=True)
class SchemaIssue:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DefinitionError(ValueError):
    def __init__(self, issues: list[SchemaIssue]) -> None:
        super().__init__("; ".join(str(i) for i in issues))
        self.issues = issues


@dataclass(frozen=True)
class Answer:
    key: str
    text: Texts
    weights: Mapping[str, Fraction]
    image: str | None = None


@dataclass(frozen=True)
class Question:
    key: str
    text: Texts
    answers: tuple[Answer, ...]

    @property
    def is_either_or(self) -> bool:
        return len(self.answers) == 2

    def answer(self, key: str) -> Answer | None:
        return next((a for a in self.answers if a.key == key), None)


@dataclass(frozen=True)
class Requirement:
    """A profile is only eligible when the shopper's total for `trait` is at least `minimum`."""

    trait: str
    minimum: Fraction


@dataclass(frozen=True)
class Profile:
    key: str
    title: Texts
    description: Texts
    vector: Mapping[str, Fraction]
    requires: tuple[Requirement, ...] = ()


@dataclass(frozen=True, eq=False)
class QuizDefinition:
    """A parsed quiz. Compared and hashed by identity: one object per published version."""

    slug: str
    title: Texts
    intro: Texts
    traits: Mapping[str, Texts]
    questions: tuple[Question, ...]
    profiles: tuple[Profile, ...]
    default_locale: str = "en"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def profile(self, key: str) -> Profile:
        return next(p for p in self.profiles if p.key == key)

    def texts(self) -> list[tuple[str, Texts]]:
        """Every shopper-facing text with its path, for translation checks."""
        found: list[tuple[str, Texts]] = [("title", self.title)]
        if self.intro:
            found.append(("intro", self.intro))
        found += [(f"traits.{key}", labels) for key, labels in self.traits.items()]
        for qi, question in enumerate(self.questions):
            found.append((f"questions[{qi}].text", question.text))
            found += [
                (f"questions[{qi}].answers[{ai}].text", answer.text)
                for ai, answer in enumerate(question.answers)
            ]
        for pi, profile in enumerate(self.profiles):
            found.append((f"profiles[{pi}].title", profile.title))
            found.append((f"profiles[{pi}].description", profile.description))
        return found


class _Reader:
    """Collects issues while reading, so every problem is reported at once."""

    def __init__(self) -> None:
        self.issues: list[SchemaIssue] = []

    def fail(self, path: str, message: str) -> None:
        self.issues.append(SchemaIssue(path, message))

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, "must be a mapping")
            return {}
        return value

    def sequence(self, value: Any, path: str, *, minimum: int, maximum: int) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, "must be a list")
            return []
        if not minimum <= len(value) <= maximum:
            self.fail(path, f"must have {minimum} to {maximum} items, has {len(value)}")
        return value[:maximum]

    def key(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not KEY_RE.match(value):
            self.fail(path, "must be a key: lower-case letters, digits and dashes, 1-40 long")
            return ""
        return value

    def texts(self, value: Any, path: str, *, required: bool = True) -> dict[str, str]:
        if value is None and not required:
            return {}
        if isinstance(value, str):
            self.fail(path, "must map each locale to its text, e.g. {en: ..., zh-Hans: ...}")
            return {}
        texts = self.mapping(value, path)
        out: dict[str, str] = {}
        for locale, text in texts.items():
            if not isinstance(locale, str) or not isinstance(text, str):
                self.fail(f"{path}.{locale}", "must be text")
            elif len(text) > MAX_TEXT:
                self.fail(f"{path}.{locale}", f"is longer than {MAX_TEXT} characters")
            elif not text.strip():
                self.fail(f"{path}.{locale}", "is empty")
            else:
                out[locale] = text
        if required and not out and not any(i.path.startswith(path) for i in self.issues):
            self.fail(path, "needs at least one translation")
        return out

    def number(self, value: Any, path: str) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(path, "must be a number")
            return Fraction(0)
        try:
            number = Fraction(str(value))
        except (ValueError, ZeroDivisionError):
            self.fail(path, "must be a number")
            return Fraction(0)
        if abs(number) > MAX_WEIGHT:
            self.fail(path, f"must be between -{MAX_WEIGHT} and {MAX_WEIGHT}")
            return Fraction(0)
        return number

    def weights(self, value: Any, path: str, traits: Mapping[str, Any]) -> dict[str, Fraction]:
        out: dict[str, Fraction] = {}
        for trait, weight in self.mapping(value, path).items():
            if not isinstance(trait, str) or trait not in traits:
                self.fail(f"{path}.{trait}", "is not one of the quiz's traits")
                continue
            out[trait] = self.number(weight, f"{path}.{trait}")
        return out

    def unique(self, keys: list[str], path: str) -> None:
        seen: set[str] = set()
        for index, key in enumerate(keys):
            if key and key in seen:
                self.fail(f"{path}[{index}].key", f"duplicates the key {key!r}")
            seen.add(key)


def parse_definition(data: Any) -> QuizDefinition:
    """Return the definition in parsed YAML/JSON; raise DefinitionError listing all issues."""
    r = _Reader()
    root = r.mapping(data, "(root)")
    known = {"slug", "title", "intro", "traits", "questions", "profiles", "default_locale"}
    extra_keys = set(root) - known - {k for k in root if str(k).startswith("x-")}
    for unknown in sorted(extra_keys, key=str):
        r.fail(str(unknown), "is not a known field (custom fields start with x-)")

    slug = r.key(root.get("slug"), "slug")
    title = r.texts(root.get("title"), "title")
    intro = r.texts(root.get("intro"), "intro", required=False)
    default_locale = root.get("default_locale", "en")
    if not isinstance(default_locale, str):
        r.fail("default_locale", "must be a locale code such as en or zh-Hans")
        default_locale = "en"

    raw_traits = r.mapping(root.get("traits"), "traits")
    if not 1 <= len(raw_traits) <= MAX_TRAITS:
        r.fail("traits", f"must define 1 to {MAX_TRAITS} traits")
    traits: dict[str, dict[str, str]] = {}
    for trait, labels in list(raw_traits.items())[:MAX_TRAITS]:
        if r.key(trait, f"traits.{trait}"):
            traits[trait] = r.texts(labels, f"traits.{trait}")

    questions: list[Question] = []
    raw_questions = r.sequence(root.get("questions"), "questions", minimum=1, maximum=MAX_QUESTIONS)
    for qi, raw_q in enumerate(raw_questions):
        qpath = f"questions[{qi}]"
        q = r.mapping(raw_q, qpath)
        answers: list[Answer] = []
        raw_answers = r.sequence(
            q.get("answers"), f"{qpath}.answers", minimum=2, maximum=MAX_ANSWERS
        )
        for ai, raw_a in enumerate(raw_answers):
            apath = f"{qpath}.answers[{ai}]"
            a = r.mapping(raw_a, apath)
            image = a.get("image")
            if image is not None and (not isinstance(image, str) or len(image) > 300):
                r.fail(f"{apath}.image", "must be a path or https URL of at most 300 characters")
                image = None
            answers.append(
                Answer(
                    key=r.key(a.get("key"), f"{apath}.key"),
                    text=r.texts(a.get("text"), f"{apath}.text"),
                    weights=r.weights(a.get("weights", {}), f"{apath}.weights", traits),
                    image=image,
                )
            )
        r.unique([a.key for a in answers], f"{qpath}.answers")
        questions.append(
            Question(
                key=r.key(q.get("key"), f"{qpath}.key"),
                text=r.texts(q.get("text"), f"{qpath}.text"),
                answers=tuple(answers),
            )
        )
    r.unique([q.key for q in questions], "questions")

    profiles: list[Profile] = []
    raw_profiles = r.sequence(root.get("profiles"), "profiles", minimum=1, maximum=MAX_PROFILES)
    for pi, raw_p in enumerate(raw_profiles):
        ppath = f"profiles[{pi}]"
        p = r.mapping(raw_p, ppath)
        vector = r.weights(p.get("traits"), f"{ppath}.traits", traits)
        if not any(v > 0 for v in vector.values()) and not any(
            i.path.startswith(f"{ppath}.traits") for i in r.issues
        ):
            r.fail(f"{ppath}.traits", "needs at least one trait with a positive weight")
        requires = []
        for ri, raw_req in enumerate(
            r.sequence(p.get("requires", []), f"{ppath}.requires", minimum=0, maximum=8)
        ):
            req = r.mapping(raw_req, f"{ppath}.requires[{ri}]")
            required_trait = req.get("trait")
            if not isinstance(required_trait, str) or required_trait not in traits:
                r.fail(f"{ppath}.requires[{ri}].trait", "is not one of the quiz's traits")
                continue
            requires.append(
                Requirement(
                    required_trait, r.number(req.get("min", 0), f"{ppath}.requires[{ri}].min")
                )
            )
        profiles.append(
            Profile(
                key=r.key(p.get("key"), f"{ppath}.key"),
                title=r.texts(p.get("title"), f"{ppath}.title"),
                description=r.texts(p.get("description"), f"{ppath}.description"),
                vector=vector,
                requires=tuple(requires),
            )
        )
    r.unique([p.key for p in profiles], "profiles")

    if r.issues:
        raise DefinitionError(r.issues)
    return QuizDefinition(
        slug=slug,
        title=title,
        intro=intro,
        traits=traits,
        questions=tuple(questions),
        profiles=tuple(profiles),
        default_locale=default_locale,
        extra={k: v for k, v in root.items() if str(k).startswith("x-")},
    )
