"""The command line: the only place that reads flags, prints, and chooses exit codes.

One module per command; each registers itself on ``main``. Exit codes follow ruff:
0 clean, 1 findings, 2 usage, configuration or input error (one line, never a traceback).
"""

from __future__ import annotations

import sys

import click

from glossary import __version__
from glossary.errors import DecalqueError


class DecalqueGroup(click.Group):
    """A click group that turns every :class:`DecalqueError` into one line on stderr and exit 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DecalqueError as exc:
            click.echo(f"decalque: error: {exc}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("decalque: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)


@click.group(
    cls=DecalqueGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="decalque",
                      message="%(prog)s %(version)s")
def main() -> None:
    """decalque: find, fix and score calques in Chinese-to-English translations.

    \b
    Examples:
      decalque check seeds/                 lint translations against terms.csv
      decalque glossary validate terms.csv  check the glossary itself
      decalque glossary show "water army"   look a term up
    """


def _register() -> None:
    # Imported for their side effect of adding commands to ``main``; each module owns one command.
    from glossary.cli import commands  # noqa: F401


_register()
