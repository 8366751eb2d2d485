from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "trunkshow.quiz"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        from trunkshow.common import write_behind
        from trunkshow.quiz import services

        write_behind.register(services.JOURNAL_KIND, services.quiz_results_store_journaled)
