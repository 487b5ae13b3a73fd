"""The ``geo`` command line. Every command takes ``--json`` for machine-readable output.

Every file argument takes ``-`` for stdin or stdout: then stdout carries only the data and
every message goes to stderr. Exit status: 0 done, 1 a catalogue with rows that could not
be assessed (the others are), 2 a bad invocation or input (one ``error:`` line; with
``--json`` also a JSON error object on stdout).
"""

from __future__ import annotations

import sys
from typing import Any, ClassVar, NoReturn

import click

from geo import __version__
from geo._errors import GeoError
from geo._io import to_json
from geo.cli.common import STDIO, check_option

__all__ = ["EXAMPLES", "STDIO", "SubGroup", "check_option", "main"]

#: One or more runnable examples for every command and group, by command path (without
#: ``geo``), shown at the end of its ``--help``. Kept in one place so that the commands of
#: every module get one (tests/test_cli_pipes.py checks each is there and runs).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "": (
        "geo assess --site Hamhung --range-km 190 --azimuth 30:150 --perspective JPN",
        "cat examples/data/january_2022.csv | geo assess-events - --json",
    ),
    "places": ("geo places show Okushiri", "geo places list --kind launch_site --country PRK"),
    "places show": ("geo places show 'Okushiri Island' --json",),
    "places list": ("geo places list --kind launch_site --country PRK",),
    "ring": (
        "geo ring --at Hamhung --radius-km 1000 --azimuth 30:150 -o ring.geojson",
        "geo ring --lat 40 --lon 135 --radius-km 370.4 -o -",
    ),
    "locate": (
        "geo locate 'about 250 km west of Okushiri Island'",
        "geo locate --from Okushiri --distance-km 200-300 --bearing W --json",
    ),
    "assess": (
        "geo assess --site Hamhung --range-km 190 --azimuth 30:150 --perspective JPN",
        "geo assess --lat 40.5 --lon 135 --json",
        'geo assess --report "about 200 km west of Oshima-Oshima" --report "Sunan: about 900 km, azimuth 45:135"',
        'geo assess --site "Chonchon County" --range-km 700-1000 --azimuth 45:135 --given "outside JPN eez"',
    ),
    "assess-events": (
        "geo assess-events examples/data/january_2022.csv -o assessed.csv",
        "cat examples/data/january_2022.csv | geo assess-events - -o - --format geojson",
    ),
    "trajectory": (
        "geo trajectory --apogee-km 6000 --range-km 1000",
        "geo trajectory --apogee-km 6000 --range-km 1000 --site Sunan --azimuth 90 -o track.geojson",
    ),
    "missiles": ("geo missiles list", "geo missiles rings Hwasong-15 --at Sunan -o rings.geojson"),
    "missiles list": ("geo missiles list --json",),
    "missiles show": ("geo missiles show Hwasong-15",),
    "missiles rings": ("geo missiles rings Hwasong-15 --at Sunan -o -",),
    "map": (
        "geo map --site Hamhung --rings-km 1000,3000 --perspective JPN -o map.html",
        "geo map --events examples/data/january_2022.csv --offline -o january.html",
    ),
    "figure": (
        "geo figure --site Hamhung --rings-km 1000 --perspective JPN -o figure.png",
        "geo figure --site Hamhung --rings-km 1000 --no-zones --format svg -o -",
    ),
    "export": (
        "geo export --site Hamhung --rings-km 1000 --perspective JPN -o analysis.gpkg",
        "geo export --events examples/data/january_2022.csv -o january.kml",
    ),
    "import-cns": (
        "geo import-cns cns_missile_test_database.csv -o cns.gpkg",
        "cat cns_missile_test_database.csv | geo import-cns - --json",
    ),
    "boundaries": ("geo boundaries info", "geo boundaries export --layer eez --perspective JPN -o eez.gpkg"),
    "boundaries build": ("geo boundaries build --check",),
    "boundaries info": ("geo boundaries info --json",),
    "boundaries export": ("geo boundaries export --layer territorial_sea --perspective JPN -o ts.geojson",),
    "boundaries import": ("geo boundaries import World_EEZ_v12.gpkg -o boundaries-official",),
    "warning": (
        "geo warning tests/data/warnings/jcg_kan10_r1_379_circle.txt --perspective JPN",
        "geo warning navarea.txt --json -o areas.geojson",
    ),
    "brief": (
        "geo brief --site Hamhung --range-km 190 --azimuth 30:150 --perspective JPN -o brief-hamhung",
        'geo brief --report "Sunan: about 900 km, azimuth 45:135" --given "outside JPN eez" -o brief',
    ),
}


def _wants_json(ctx: click.Context) -> bool:
    """Whether the command line asked for ``--json`` (read before the sub-command parsed it)."""
    words = [*getattr(ctx, "_protected_args", []), *ctx.args]
    return "--json" in words


def _with_example(command: click.Command, path: str) -> click.Command:
    """``command`` with its examples (:data:`EXAMPLES`) as the epilog of its help, and its subcommands'."""
    lines = EXAMPLES.get(path)
    if lines and not command.epilog:
        word = "Example" if len(lines) == 1 else "Examples"
        command.epilog = "\b\n" + f"{word}:\n" + "\n".join(f"  {line}" for line in lines)
    if isinstance(command, click.Group) and not isinstance(command, _Group):
        for name, sub in command.commands.items():  # plain groups (boundaries, missiles)
            _with_example(sub, f"{path} {name}".strip())
    return command


def _usage_message(exc: click.UsageError) -> str:
    """Click's error in one line that names the help to read (click alone prints its usage text)."""
    message = _one_line(exc.format_message()).rstrip(".")
    if exc.ctx is not None:  # the program's own name, whatever it was started as
        command = " ".join(["geo", *exc.ctx.command_path.split()[1:]])
        message += f"; see '{command} --help'"
    return message


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _fail(exc: Exception, *, as_json: bool = False, message: str | None = None) -> NoReturn:
    """One line on stderr, status 2 (or the error's ``exit_code``); with ``--json`` also a JSON error object on stdout."""
    if message is None:
        message = _one_line(exc.format_message() if isinstance(exc, click.ClickException) else str(exc))
    click.echo(f"error: {message}", err=True)
    if as_json:
        click.echo(to_json({"error": {"type": type(exc).__name__, "message": message}}))
    sys.exit(int(getattr(exc, "exit_code", 2)))  # 2, or 1 for a catalogue's bad rows (--strict)


class _Group(click.Group):
    """Turns GeoError (bad input) into a one-line message and exit status 2.

    Subcommands listed in ``lazy`` are imported only when used, so ``geo --help`` and
    the light commands never load geopandas or the zone layers.
    """

    lazy: ClassVar[dict[str, str]] = {
        "places": "geo.cli.places:places",
        "ring": "geo.cli.geometry:ring",
        "locate": "geo.cli.geometry:locate",
        "assess": "geo.cli.assess:assess",
        "boundaries": "geo.cli.boundaries:boundaries",
        "assess-events": "geo.cli.catalogue:assess_events",
        "trajectory": "geo.cli.trajectory:trajectory",
        "missiles": "geo.cli.trajectory:missiles",
        "map": "geo.cli.maps:map_command",
        "figure": "geo.cli.maps:figure_command",
        "import-cns": "geo.cli.cns:import_cns",
        "export": "geo.cli.export:export",
        "warning": "geo.cli.warning:warning",
        "brief": "geo.cli.brief:brief",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help`` without importing a lazy command (their modules load geopandas)."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            text = _lazy_short_help(self.lazy[name], limit) if name in self.lazy else None
            if text is None:  # an eager command, or one whose help is not its docstring
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                text = command.get_short_help_str(limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command: click.Command | None
        if cmd_name in self.lazy:
            import importlib

            module, attr = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attr)
        else:
            command = super().get_command(ctx, cmd_name)
        if command is None:
            return None
        return _with_example(command, " ".join([*ctx.command_path.split()[1:], cmd_name]))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        as_json = "--json" in args
        try:
            return super().parse_args(ctx, args)
        except click.exceptions.NoArgsIsHelpError:
            raise  # a bare group prints its help
        except click.UsageError as exc:
            _fail(exc, as_json=as_json, message=_usage_message(exc))

    def invoke(self, ctx: click.Context) -> Any:
        as_json = _wants_json(ctx)
        try:
            return super().invoke(ctx)
        except GeoError as exc:
            _fail(exc, as_json=as_json)
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            _fail(exc, as_json=as_json)
        except click.exceptions.NoArgsIsHelpError:
            raise  # a bare group prints its help
        except click.UsageError as exc:
            # One line naming the value and the help to read, not click's three-line usage text.
            _fail(exc, as_json=as_json, message=_usage_message(exc))


def _lazy_short_help(target: str, limit: int) -> str | None:
    """A lazy command's short help, read from its function's docstring in the module's source.

    None when the source or the function cannot be found, or when its decorators set the
    help text themselves (then the command is imported and asked).
    """
    import ast
    import importlib.util

    module, attr = target.split(":")
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    try:
        with open(spec.origin, encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == attr:
            sets_help = any(  # the command's own decorator (not its options') names a help text
                isinstance(d, ast.Call)
                and ast.unparse(d.func).endswith(("command", "group"))
                and any(k.arg in {"help", "short_help", "hidden"} for k in d.keywords)
                for d in node.decorator_list
            )
            doc = ast.get_docstring(node)
            if sets_help or not doc:
                return None
            return click.Command(attr, help=doc).get_short_help_str(limit)
    return None


class SubGroup(_Group):
    """A group below ``geo``: the same error handling, none of the top-level commands."""

    lazy: ClassVar[dict[str, str]] = {}


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geo")
def main() -> None:
    """Where did it land? Geodesic ranges, places and maritime zones on WGS84.

    Files: ``-`` reads stdin or writes stdout. Exit status 0 done, 1 a catalogue had rows
    that could not be assessed (the others are), 2 a bad invocation or input.
    """


_with_example(main, "")
