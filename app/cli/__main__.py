"""Allow ``python -m app.cli`` (same as the ``clausier`` script)."""

from app.cli import main

main()
