"""The video engine: house format, personal card, stitcher (MP4, HLS). Pure Python."""
