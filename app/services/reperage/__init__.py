"""Repérage: the tender pipeline, DECP import, the veille per buyer, the clausable rules; callers commit."""
