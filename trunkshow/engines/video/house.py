"""The house format: every clip is encoded once, exactly like this, so clips
can be joined by copying packets instead of re-encoding them.

Why these numbers:
- 720x1280 portrait at 30 fps: a phone screen, the shopper's own device.
- H.264 (libx264, one fixed preset and profile, no B-frames, no scene-cut
  keyframes): every segment opens on a keyframe and carries its frames in
  order, so a segment can start a stream, follow another, or be cut into
  HLS without decoding anything.
- AAC at 48 kHz: one video frame lasts exactly 1,600 audio samples; an AAC
  frame holds 1,024. A segment whose length is a multiple of 16 video frames
  (0.533 s) holds a whole number of AAC frames, so audio ends exactly where
  video ends and joins never drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class HouseFormat:
    width: int = 720
    height: int = 1280
    fps: int = 30
    sample_rate: int = 48_000
    channels: int = 2
    video_codec: str = "libx264"
    preset: str = "veryfast"
    profile: str = "main"
    crf: int = 23
    gop_frames: int = 48
    audio_codec: str = "aac"
    audio_bitrate: int = 128_000
    aac_frame_samples: int = 1024

    @property
    def samples_per_frame(self) -> int:
        return self.sample_rate // self.fps

    @property
    def frames_per_block(self) -> int:
        """The shortest run of video frames that holds whole AAC frames (16 here)."""
        step = Fraction(self.aac_frame_samples, self.samples_per_frame)
        return step.numerator

    def frames_for(self, seconds: float) -> int:
        """Round a length up to whole blocks, so audio and video end together."""
        block = self.frames_per_block
        wanted = max(1, round(seconds * self.fps))
        return -(-wanted // block) * block

    def encoder_options(self) -> dict[str, str]:
        return {
            "preset": self.preset,
            "profile": self.profile,
            "crf": str(self.crf),
            "g": str(self.gop_frames),
            "keyint_min": str(self.gop_frames),
            "sc_threshold": "0",
            "bf": "0",
            # One thread: the same clip encodes to the same bytes every time.
            "threads": "1",
        }


HOUSE = HouseFormat()
