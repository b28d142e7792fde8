"""``scaffold web``: serve the questionnaire as a page, on loopback or for a team."""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path

import click

INSTALL_HINT = "scaffold web needs Flask: pip install 'scaffold-web[web]' (in a clone: '.[web]')"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command("web")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback serves a team (zip downloads only).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port; 0 picks a free one.  [default: 0]",
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where Generate writes projects by default (loopback only).",
)
def web_command(host: str, port: int, no_browser: bool, output_dir: Path) -> None:
    """Answer the questions in a browser, see every file, download or write the project."""
    if importlib.util.find_spec("flask") is None:
        raise click.ClickException(INSTALL_HINT)
    import webbrowser

    from werkzeug.serving import make_server

    from scaffold.web import create_app

    hosted = host not in LOOPBACK
    app = create_app(None if hosted else output_dir.resolve())
    # werkzeug prints its own lines and exits when the port is taken: try it first.
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
        server = make_server(host, port, app, threaded=True)
    except (OSError, SystemExit) as err:
        reason = getattr(err, "strerror", None) or "the address is not available"
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {reason}; pick another with --port"
        ) from err
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.server_port}/"
    mode = "for a team: zip downloads only" if hosted else f"writing into {output_dir.resolve()}"
    click.echo(f"scaffold web on {url} ({mode}); press Ctrl-C to stop", err=False)
    if not no_browser:
        webbrowser.open(url)
    # Ctrl-C is how the server is meant to stop: werkzeug ends serve_forever quietly.
    try:
        server.serve_forever()
    finally:
        server.server_close()
    click.echo("Stopped.", err=True)
