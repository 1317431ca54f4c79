"""Fiches de liaison, company links, positioned candidates and conventions."""
