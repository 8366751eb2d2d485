from tests.commerce.conftest import store  # noqa: F401 - shared fixtures
from tests.quiz.conftest import TRAVELLER, demo_quiz, shop  # noqa: F401
