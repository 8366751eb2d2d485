from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "trunkshow.quiz"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        # What this app holds about a shopper, for privacy requests.
        from trunkshow.quiz import personal_data

        personal_data.register_handler()
