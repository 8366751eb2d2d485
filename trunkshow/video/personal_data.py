"""Video messages (the name on the card, the rendered files, poster, subtitles).

The quiz names the messages (it knows which results asked for them); this
app exports and removes them with every file under their folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings

from trunkshow.common.personal_data import ExportPart, Subject, not_personal, nothing, register
from trunkshow.video.models import DesignerClip, VideoMessage


def _folder(token: str) -> Path:
    # Not files.message_dir: that one creates the folder.
    return Path(settings.MEDIA_ROOT) / "video" / "messages" / token


def export(subject: Subject) -> ExportPart:
    ids = [int(i) for i in subject.get("video_messages") + subject.get("video_messages_shared")]
    part = ExportPart(sections={"video_messages": []})
    for message in VideoMessage.objects.filter(pk__in=ids).order_by("pk"):
        part.sections["video_messages"].append(
            {
                "id": message.pk,
                "name": message.name,
                "locale": message.locale,
                "card_title": message.card_title,
                "status": message.status,
                "created_at": message.created_at,
            }
        )
        folder = _folder(message.token)
        if folder.is_dir():
            part.files.extend(
                (f"video/{message.pk}/{path.name}", path)
                for path in sorted(folder.iterdir())
                if path.is_file()
            )
    return part


def erase(subject: Subject) -> None:
    ids = [int(i) for i in subject.get("video_messages")]
    for token in VideoMessage.objects.filter(pk__in=ids).values_list("token", flat=True):
        shutil.rmtree(_folder(token), ignore_errors=True)
    VideoMessage.objects.filter(pk__in=ids).delete()


def register_handler() -> None:
    register(
        name="video",
        order=50,
        models=[VideoMessage],
        collect=nothing,
        export=export,
        erase=erase,
    )
    not_personal(DesignerClip, "the designer's own clips, the same for every shopper")
