"""One module per schema revision, `r<id>_<what it does>.py`, applied in `down_revision` order."""
