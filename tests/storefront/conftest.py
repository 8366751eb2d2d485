from tests.commerce.conftest import store  # noqa: F401 - shared fixture
