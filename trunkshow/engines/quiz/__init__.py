"""The quiz engine: definition schema, scoring, ranking and lint. Pure Python."""

from trunkshow.engines.quiz.ranking import Candidate, CatalogIndex, Ranked, rank
from trunkshow.engines.quiz.schema import (
    Answer,
    DefinitionError,
    Profile,
    Question,
    QuizDefinition,
    SchemaIssue,
    parse_definition,
)
from trunkshow.engines.quiz.scoring import AnswerError, Score, score

__all__ = [
    "Answer",
    "AnswerError",
    "Candidate",
    "CatalogIndex",
    "DefinitionError",
    "Profile",
    "Question",
    "QuizDefinition",
    "Ranked",
    "SchemaIssue",
    "Score",
    "parse_definition",
    "rank",
    "score",
]
