"""DECP import, the veille per buyer and the clausable rules (issue #16); callers commit."""
