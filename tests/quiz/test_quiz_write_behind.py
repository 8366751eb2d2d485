"""Quiz results journaled in the request and stored by a thread (trunkshow/common/write_behind.py).

What a shopper must not notice: their link and video open at once, nothing
they were answered is lost when a server dies, nothing is stored twice.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.quiz.conftest import TRAVELLER
from trunkshow.common import write_behind as journaling
from trunkshow.common.models import JournalOffset
from trunkshow.inventory.models import StockItem
from trunkshow.quiz.models import QuizResult
from trunkshow.quiz.services import JOURNAL_KIND
from trunkshow.video.models import VideoMessage

RESULT = "/api/v1/quizzes/ask-the-designer/result"


def take_quiz(client: Client, name: str = "Lin", answers: dict[str, str] = TRAVELLER) -> dict:
    response = client.post(
        RESULT,
        {"answers": answers, "name": name, "market": "CN", "locale": "en"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def no_drain_thread(monkeypatch):
    """The journal's thread never runs: lines stay journaled until someone stores them."""
    monkeypatch.setattr(journaling._Journal, "_run", lambda self: None)


def journal_a_copy_of_the_first_line(message: dict | None = None, **result: object):
    """Journal the journal's first record again with some columns changed; return the journal."""
    journal = journaling._journal
    with journal.path.open("rb") as handle:
        _kind, record = json.loads(handle.readline())
    record["result"] = {**record["result"], **result}
    if message:
        record["message"] = {**record["message"], **message}
    journaling.append(JOURNAL_KIND, record)
    return journal


def crash() -> Path:
    """This process 'dies': its journal is closed without being stored; return its path."""
    journal = journaling._journal
    assert journal is not None
    os.close(journal.fd)  # drops the lock a live writer holds
    journaling._journal = None
    return journal.path


def test_a_journaled_result_and_its_video_open_by_their_links_at_once(
    write_behind, demo_quiz, shop, no_drain_thread
):
    # Given a shopper's result answered from the journal, not yet stored
    client = Client()
    body = take_quiz(client, "Lin")
    assert not QuizResult.objects.exists()

    # When they open their result link and their video at once
    reopened = client.get(f"/api/v1/quiz-results/{body['result_id']}")
    video = client.get(f"/api/v1/videos/{body['video']['id']}")

    # Then both are there, as they were answered
    assert reopened.status_code == 200
    again = reopened.json()
    assert again["name"] == "Lin" and again["profile"] == body["profile"]
    assert [r["sku"] for r in again["recommendations"]] == [
        r["sku"] for r in body["recommendations"]
    ]
    assert video.status_code == 200 and video.json()["status"] == "queued"
    # And the result, its message and the render job are stored once
    stored = QuizResult.objects.select_related("video_message").get()
    assert stored.video_message.token == body["video"]["id"]
    job = DBTaskResult.objects.get(task_path__endswith="render_video_message")
    assert job.args_kwargs == {"args": [stored.video_message.pk], "kwargs": {}}
    assert client.get(f"/en/quiz/result/{body['result_id']}/").status_code == 200


def test_rows_stored_later_are_the_rows_written_at_once(write_behind, settings, demo_quiz, shop):
    # Given the same answers, once written in the request and once journaled
    settings.WRITE_BEHIND = False
    direct = take_quiz(Client(), "Direct")
    settings.WRITE_BEHIND = True
    journaled = take_quiz(Client(), "Journaled")
    assert Client().get(f"/api/v1/quiz-results/{journaled['result_id']}").status_code == 200

    # Then the two rows differ only in what is each shopper's own
    def row(public_id: str) -> dict:
        result = QuizResult.objects.select_related("video_message").get(public_id=public_id)
        message = result.video_message
        own = {"id", "public_id", "name", "created_at", "video_message"}
        fields = {f.name: getattr(result, f.name) for f in QuizResult._meta.concrete_fields
                  if f.name not in own}  # fmt: skip
        fields["message"] = {f.name: getattr(message, f.name)
                             for f in VideoMessage._meta.concrete_fields
                             if f.name not in {"id", "token", "composition_key", "name",
                                               "created_at"}}  # fmt: skip
        return fields

    assert row(direct["result_id"]) == row(journaled["result_id"])
    # And the shoppers were answered alike, but for what is their own
    own = {"result_id", "name", "result_url", "video"}
    assert {k: v for k, v in direct.items() if k not in own} == {
        k: v for k, v in journaled.items() if k not in own
    }
    assert direct.keys() == journaled.keys()
    assert direct["video"].keys() == journaled["video"].keys()
    names = set(QuizResult.objects.values_list("video_message__name", flat=True))
    assert names == {"Direct", "Journaled"}


def test_what_a_dead_server_journaled_is_stored_by_the_next_exactly_once(
    write_behind, demo_quiz, shop, no_drain_thread
):
    # Given three results answered, then the server dies before storing them
    bodies = [take_quiz(Client(), f"Lin {n}") for n in range(3)]
    orphan = crash()
    assert not QuizResult.objects.exists()

    # When the next server starts (twice, say after a quick restart)
    journaling.store_orphans()
    journaling.store_orphans()

    # Then each result is stored once, and the dead server's journal is gone
    assert sorted(QuizResult.objects.values_list("public_id", flat=True)) == sorted(
        b["result_id"] for b in bodies
    )
    assert VideoMessage.objects.count() == 3
    assert DBTaskResult.objects.count() == 3
    assert not orphan.exists()
    assert not JournalOffset.objects.exists()


def test_a_live_servers_journal_is_left_to_it(write_behind, demo_quiz, shop, no_drain_thread):
    # Given a result journaled by a server that is alive
    take_quiz(Client())
    journal = journaling._journal

    # When another process looks for journals of dead servers
    journaling.store_orphans()

    # Then this one is not taken from its owner
    assert journal.path.exists() and not QuizResult.objects.exists()


def test_a_record_that_cannot_be_stored_is_set_aside_and_the_others_are_stored(
    write_behind, demo_quiz, shop, no_drain_thread, caplog
):
    # Given a good result, a record whose quiz version is gone, a torn line, and a good one
    first = take_quiz(Client(), "First")
    journal = journal_a_copy_of_the_first_line(public_id="X" * 32, version_id=987654)
    journal.append(b"not json\n")
    last = take_quiz(Client(), "Last")

    # When the journal is stored
    journaling.drain_pending()

    # Then both good results are stored, the bad lines are kept aside and logged
    stored = set(QuizResult.objects.values_list("public_id", flat=True))
    assert stored == {first["result_id"], last["result_id"]}
    rejected = [json.loads(line) for line in (write_behind_dir(journal) / "rejected.jsonl").open()]
    assert len(rejected) == 2
    assert "FOREIGN KEY" in rejected[0]["error"] and "987654" in rejected[0]["line"]
    assert rejected[1]["line"] == "not json"
    assert "could not be stored" in caplog.text


def test_a_record_journaled_before_an_upgrade_is_stored_with_the_new_fields_defaults(
    write_behind, demo_quiz, shop, no_drain_thread
):
    # Given a message journaled by the code before messages had card_titles
    take_quiz(Client(), "Before")
    journal = journaling._journal
    with journal.path.open("rb") as handle:
        _kind, record = json.loads(handle.readline())
    record["message"].pop("card_titles")
    record["result"]["public_id"] = "O" * 32
    record["message"]["token"] = "T" * 32
    record["message"]["composition_key"] = "c" * 64
    journaling.append(JOURNAL_KIND, record)

    # When the journal is stored by the upgraded code
    journaling.drain_pending()

    # Then that result and its message are stored, the new field at its default
    old = VideoMessage.objects.get(token="T" * 32)
    assert old.card_titles == {}
    assert QuizResult.objects.get(public_id="O" * 32).video_message == old
    assert VideoMessage.objects.exclude(pk=old.pk).get().card_titles["zh-Hans"] == "环球旅行家"


def write_behind_dir(journal: journaling._Journal) -> Path:
    return journal.path.parent


def test_a_half_written_line_waits_for_its_end(write_behind, demo_quiz, shop, no_drain_thread):
    # Given a journal whose last line is still being written
    take_quiz(Client(), "Whole")
    journal = journaling._journal
    with journal.path.open("rb") as handle:
        line = handle.readline()
    half = len(line) // 2
    journal.append(line[:half].replace(b'"Whole"', b'"Later"'))

    # When it is stored meanwhile
    journaling.drain_pending()

    # Then the whole lines are stored and the half one waits
    assert QuizResult.objects.count() == 1
    assert JournalOffset.objects.get().offset == len(line)

    # And once its end arrives it is stored too (here a replay of the first
    # line, which is stored once, not twice)
    journal.append(line[half:])
    journaling.drain_pending()
    assert JournalOffset.objects.get().offset == 2 * len(line)
    assert QuizResult.objects.count() == 1 and VideoMessage.objects.count() == 1


def test_the_same_shopper_twice_before_storing_gets_two_working_videos(
    write_behind, demo_quiz, shop, no_drain_thread
):
    # Given the same name and answers twice, before either was stored
    client = Client()
    one, two = take_quiz(client, "Lin"), take_quiz(client, "Lin")

    # When both videos are opened
    first = client.get(f"/api/v1/videos/{one['video']['id']}")
    second = client.get(f"/api/v1/videos/{two['video']['id']}")

    # Then each link leads to a video (the second was promised before the
    # first was stored, so it is rendered again rather than lost)
    assert first.status_code == 200 and second.status_code == 200
    assert VideoMessage.objects.count() == 2
    assert QuizResult.objects.count() == 2


def test_a_bag_that_sells_out_is_not_recommended_to_the_next_shopper(demo_quiz, shop, client):
    # Given a shopper whose answers picked the weekender
    first = take_quiz(client)
    assert "WEEKENDER-1" in [r["sku"] for r in first["recommendations"]]

    # When it sells out in China and the next shopper gives the same answers
    StockItem.objects.filter(sku="WEEKENDER-1", market_id="CN").update(on_hand=0)
    second = take_quiz(client)

    # Then it is no longer among their bags
    assert "WEEKENDER-1" not in [r["sku"] for r in second["recommendations"]]
    assert second["recommendations"]


def test_a_scan_for_orphans_never_takes_a_journal_being_opened(write_behind, monkeypatch):
    # Given another process scanning for orphans just before this one locks
    # the journal it has just made
    real_fcntl = journaling.fcntl

    class ScanFirst:
        LOCK_EX, LOCK_NB, LOCK_UN = real_fcntl.LOCK_EX, real_fcntl.LOCK_NB, real_fcntl.LOCK_UN

        @staticmethod
        def flock(descriptor, operation):
            if operation == real_fcntl.LOCK_EX:  # the writer's own lock, not a scan's try
                journaling._store_orphans(write_behind)
            real_fcntl.flock(descriptor, operation)

    monkeypatch.setattr(journaling, "fcntl", ScanFirst)
    monkeypatch.setattr(journaling._Journal, "_run", lambda self: None)

    # When it opens its journal
    journal = journaling._current_journal(write_behind)

    # Then the journal is there, locked, for the lines it will take
    assert journal.path.exists()
    journaling._store_orphans(write_behind)
    assert journal.path.exists()


def test_a_record_breaking_a_not_null_rule_is_set_aside_not_dropped(
    write_behind, demo_quiz, shop, no_drain_thread
):
    # Given a journaled result whose profile is missing (a journal from other code)
    take_quiz(Client(), "First")
    journal = journal_a_copy_of_the_first_line(
        public_id="Y" * 32,
        profile_key=None,
        message={"token": "Z" * 32, "composition_key": "z" * 64},
    )

    # When the journal is stored
    journaling.drain_pending()

    # Then the good result is stored, the bad one (and its message) kept aside
    assert list(QuizResult.objects.values_list("name", flat=True)) == ["First"]
    assert not VideoMessage.objects.filter(token="Z" * 32).exists()
    rejected = (journal.path.parent / "rejected.jsonl").read_text()
    assert "NOT NULL" in rejected and "Y" * 32 in rejected


def test_a_record_failing_in_an_unforeseen_way_does_not_stop_the_journal(
    write_behind, demo_quiz, shop, no_drain_thread
):
    # Given a journaled record holding a value the database cannot take, then a good result
    take_quiz(Client(), "First")
    journal = journal_a_copy_of_the_first_line(public_id="W" * 32, profile_key={"a": 1})
    last = take_quiz(Client(), "Last")

    # When the journal is stored
    journaling.drain_pending()

    # Then the lines after it are stored
    assert QuizResult.objects.filter(public_id=last["result_id"]).exists()
    assert "W" * 32 in (journal.path.parent / "rejected.jsonl").read_text()


def test_an_old_or_made_up_link_does_not_make_the_journals_be_stored(
    write_behind, demo_quiz, shop, no_drain_thread
):
    # Given a journaled result
    body = take_quiz(Client())

    # When links that cannot be in a journal are opened
    assert not journaling.drain_pending(fresh_id="not-a-real-link-at-all")
    assert not journaling.drain_pending(fresh_id="00000000000000000000000000000000")
    assert Client().get("/api/v1/quiz-results/not-a-real-link-at-all").status_code == 404

    # Then nothing was stored for them; the shopper's own link stores it
    assert not QuizResult.objects.exists()
    assert journaling.drain_pending(fresh_id=body["result_id"])
    assert QuizResult.objects.filter(public_id=body["result_id"]).exists()


def test_a_line_arriving_as_the_journal_closes_goes_to_the_next_journal(
    write_behind, demo_quiz, shop, no_drain_thread
):
    # Given a journal that was closed at shutdown
    take_quiz(Client(), "Before")
    closed = journaling._journal
    journaling.shutdown()
    with pytest.raises(journaling._Closed):
        closed.append(b"late\n")

    # When the next result arrives
    after = take_quiz(Client(), "After")

    # Then it goes to a new journal and opens by its link
    assert journaling._journal is not closed
    assert Client().get(f"/api/v1/quiz-results/{after['result_id']}").status_code == 200
    assert set(QuizResult.objects.values_list("name", flat=True)) == {"Before", "After"}


def test_a_forked_child_lets_go_of_its_parents_journal(write_behind, monkeypatch):
    # Given a process with its journal open
    monkeypatch.setattr(journaling._Journal, "_run", lambda self: None)
    parent = journaling._current_journal(write_behind)

    # When it forks a worker that then exits
    child = os.fork()
    if child == 0:  # the child: it must not keep the parent's journal held
        code = 0 if journaling._journal is None else 1
        os._exit(code)
    _pid, status = os.waitpid(child, 0)

    # Then the child started without it, and the parent still holds its own
    assert os.waitstatus_to_exitcode(status) == 0
    assert journaling._journal is parent
    journaling._store_orphans(write_behind)
    assert parent.path.exists()
