"""Recorded livestreams served as HLS: the video engine packages, the site serves MEDIA_ROOT.

Called from a job on the video queue (campaigns.tasks); knows nothing of campaigns.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from trunkshow.engines.video.hls import HlsPackage, package_hls
from trunkshow.video import files


def recording_package(*, source: Path, name: str) -> tuple[str, HlsPackage]:
    """Package `source` as HLS under a new folder; return its playlist's path under
    MEDIA_ROOT and the package. Each packaging gets a new folder, so a replaced recording
    never meets a player's cached copy of the last one."""
    out = files.stream_dir(f"{name}-{secrets.token_hex(6)}")
    package = package_hls(source, out)
    return files.relative(package.playlist), package
