"""Fiches de liaison, eligibility, status workflows, conventions and the open-needs list."""
