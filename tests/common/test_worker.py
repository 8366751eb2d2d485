"""Jobs enqueued through the Tasks API are run by the database worker."""

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from trunkshow.common.models import WorkerHeartbeat
from trunkshow.common.tasks import record_worker_heartbeat


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_through_the_tasks_api_is_run_by_the_worker():
    # Given a job on the queue
    result = record_worker_heartbeat.enqueue(note="from a test")
    assert result.status == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.exists()

    # When the worker drains the queue
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--interval", "0", "--no-startup-delay"
    )

    # Then the job ran, in the worker, and its result is stored
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert WorkerHeartbeat.objects.get().note == "from a test"
