"""The demo territory that `make run` loads: structures, people, hours, fiches and follow-up."""
