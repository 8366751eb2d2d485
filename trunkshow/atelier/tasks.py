from __future__ import annotations

from django_tasks import task

from trunkshow.atelier import services


@task()
def prepare_sheets(kind: str, pk: int) -> int:
    return services.sheets_prepare(kind=kind, pk=pk)
