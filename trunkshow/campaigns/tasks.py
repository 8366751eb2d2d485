"""Jobs of the campaigns app; each is defined beside the service it calls."""

from trunkshow.campaigns.stream_recording import package_stream_recording

__all__ = ["package_stream_recording"]
