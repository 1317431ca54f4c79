"""Click classes that speak French: help headings, usage errors and input errors (exit code 2).

Click writes its own messages in English; our users are French facilitators. Commands of
a ``FrenchGroup`` turn Click's usage errors into French sentences and print no traceback.
"""

from __future__ import annotations

import re

import click
from click.exceptions import BadOptionUsage, BadParameter, MissingParameter, NoSuchOption

# Click ≥ 8.2 raises it to print the help of a bare group: leave it alone.
_HELP_ERRORS = tuple(filter(None, [getattr(click.exceptions, "NoArgsIsHelpError", None)]))


class CliError(click.ClickException):
    """A failure (exit code 1) reported in French on stderr, without traceback."""

    def __init__(self, message: str, help_path: str | None = None) -> None:
        super().__init__(message)
        self.help_path = help_path

    def show(self, file=None) -> None:
        """Print « Erreur : … » and where to find help."""
        click.echo(f"Erreur : {self.format_message()}", err=True)
        if self.help_path:
            click.echo(f"Aide : {self.help_path} --help", err=True)


class CliInputError(CliError):
    """Bad input: French message on stderr, exit code 2, no usage block nor traceback."""

    exit_code = 2


def require_options(ctx: click.Context, **values) -> None:
    """Raise CliInputError naming the options (``--snake-case``) left empty."""
    missing = [f"--{name.replace('_', '-')}" for name, value in values.items() if value is None]
    if missing:
        raise CliInputError(f"option(s) obligatoire(s) manquante(s) : {', '.join(missing)}.",
                            ctx.command_path)


def _option_names(exc: BadParameter) -> str:
    if exc.param is not None:
        return " / ".join(exc.param.opts) or exc.param.name or ""
    return str(exc.param_hint or "")


def translate_usage_error(exc: click.UsageError) -> str:
    """Return a French sentence for one of Click's usage errors."""
    if isinstance(exc, MissingParameter):
        return f"option obligatoire manquante : {_option_names(exc)}."
    if isinstance(exc, NoSuchOption):
        guesses = sorted(exc.possibilities or ())
        hint = f" (vouliez-vous dire {', '.join(guesses)} ?)" if guesses else ""
        return f"option inconnue : {exc.option_name}{hint}."
    if isinstance(exc, BadOptionUsage):
        return f"l'option {exc.option_name} attend une valeur."
    if isinstance(exc, BadParameter):
        param = exc.param
        if param is not None and isinstance(param.type, click.Choice):
            return (f"valeur invalide pour {_option_names(exc)} (choix possibles : "
                    f"{', '.join(map(str, param.type.choices))}).")
        return f"valeur invalide pour {_option_names(exc)} : {exc.message}"
    message = exc.format_message()
    unknown = re.match(r"No such command '(.+)'", message)
    if unknown:
        group = exc.ctx.command if exc.ctx else None
        names = ", ".join(sorted(group.commands)) if isinstance(group, click.Group) else ""
        return f"commande inconnue « {unknown.group(1)} »" + (f" (commandes : {names})." if names else ".")
    extra = re.match(r"Got unexpected extra arguments? \((.+)\)", message)
    if extra:
        return f"argument en trop : {extra.group(1)}."
    return f"utilisation incorrecte : {message}"


def _french(exc: click.UsageError) -> CliInputError:
    path = exc.ctx.command_path if exc.ctx else None
    return CliInputError(translate_usage_error(exc), path)


class FrenchCommand(click.Command):
    """Command whose help headings are French and whose usage errors are translated."""

    def format_usage(self, ctx, formatter) -> None:
        """Write « Utilisation : … » instead of « Usage: … »."""
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix="Utilisation : ")

    def get_help_option(self, ctx):
        """Return the --help option with a French description."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option

    def make_context(self, info_name, args, parent=None, **extra):
        """Parse the arguments, turning Click's English usage errors into French ones."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except _HELP_ERRORS:
            raise
        except click.UsageError as exc:
            raise _french(exc) from None


class FrenchGroup(FrenchCommand, click.Group):
    """Group of FrenchCommands; unknown sub-commands are reported in French too."""

    command_class = FrenchCommand

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def format_commands(self, ctx, formatter) -> None:
        """List the sub-commands under a French heading."""
        rows = [(name, cmd.get_short_help_str(60)) for name, cmd in
                ((n, self.get_command(ctx, n)) for n in self.list_commands(ctx)) if cmd and not cmd.hidden]
        if rows:
            with formatter.section("Commandes"):
                formatter.write_dl(rows)

    def resolve_command(self, ctx, args):
        """Find the sub-command, in French when it does not exist."""
        try:
            return super().resolve_command(ctx, args)
        except _HELP_ERRORS:
            raise
        except click.UsageError as exc:
            raise _french(exc) from None
