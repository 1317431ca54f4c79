"""Sizing and writing a clause: hours methods and their result, bands, lot input, the pack request, texts, reference defaults."""
