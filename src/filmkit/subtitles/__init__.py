"""Subtitle files: load any SRT/WebVTT/ASS in any encoding into one cue model, lint, retime, write."""
