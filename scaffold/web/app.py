"""The page and its JSON endpoints: parse the request, call one function of ``core``, answer.

Local mode (``create_app(output_dir=...)``, what ``scaffold web`` starts on loopback)
can write a project to a directory. Hosted mode (``create_app()``, the WSGI app for a
team) keeps no state, writes only inside a per-request temp directory that is always
removed, and offers the project as a zip download.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, abort, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from scaffold.web import core

MAX_BODY = 64 * 1024
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
RENDER_SECONDS = 20.0

log = logging.getLogger(__name__)


def create_app(
    output_dir: str | Path | None = None,
    *,
    render_timeout: float = RENDER_SECONDS,
    max_body: int = MAX_BODY,
) -> Flask:
    """The web app; with ``output_dir`` it runs in local mode and may write projects there."""
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=max_body,
        MAX_FORM_MEMORY_SIZE=max_body,
        JSON_SORT_KEYS=False,
        PROPAGATE_EXCEPTIONS=False,
        TRAP_HTTP_EXCEPTIONS=False,
    )
    hosted = output_dir is None
    home = None if hosted else Path(output_dir).resolve()  # type: ignore[arg-type]
    form = core.form()

    @app.before_request
    def refuse_cross_site() -> None:
        """CSRF: a POST must come from this site's own page (Sec-Fetch-Site and Origin)."""
        # A local server answers only to loopback names, so a page on a rebound DNS
        # name cannot reach Generate as "same origin".
        if not hosted and urlsplit(f"//{request.host}").hostname not in LOOPBACK_NAMES:
            abort(403, "this local server answers only on 127.0.0.1 or localhost")
        if request.method != "POST":
            return
        site = request.headers.get("Sec-Fetch-Site")
        if site is not None and site not in ("same-origin", "none"):
            abort(403, "cross-site request refused: use the page on this server")
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            abort(403, "cross-site request refused: use the page on this server")

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        message = error.description or error.name
        if error.code == 413:
            message = f"the request is larger than {max_body // 1024} KiB: send fewer answers"
        if request.path.startswith("/api/"):
            return jsonify(error=message), error.code
        return render_template("error.html", code=error.code, message=message), error.code

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        log.exception("unexpected error on %s", request.path)
        message = "something went wrong on the server; nothing was written"
        if request.path.startswith("/api/"):
            return jsonify(error=message), 500
        return render_template("error.html", code=500, message=message), 500

    def body() -> tuple[dict[str, Any], dict[str, Any]]:
        """The answers and the other fields (``_``-prefixed) of a JSON or form POST."""
        if request.is_json:
            data = request.get_json(silent=True)
            if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
                abort(400, 'send a JSON object such as {"answers": {"project_name": "demo"}}')
            answers = dict(data.get("answers", {}))
            extra = {key: value for key, value in data.items() if key != "answers"}
            return answers, extra
        fields = request.form.to_dict()
        return _from_fields(fields), {k: v for k, v in fields.items() if k.startswith("_")}

    def checked(raw: Mapping[str, Any]) -> tuple[core.Request, dict[str, str], str, dict]:
        """Validate answers; return them with the errors, the framework and the recommendation."""
        checked_request, errors = core.validate(raw)
        recommendation = core.recommendation(checked_request)
        framework = checked_request.framework or recommendation["framework"]
        return checked_request, errors, framework, recommendation

    def planned(raw: Mapping[str, Any]) -> tuple[core.Request, Any]:
        """A plan for the answers, or a 422 answer listing the errors per field."""
        checked_request, errors, framework, _ = checked(raw)
        plan = None
        if not errors:
            try:
                plan = core.plan(checked_request, framework)
            except core.ScaffoldError as error:
                errors = {core.field_of(error, checked_request): str(error)}
        if errors:
            response = jsonify(error=next(iter(errors.values())), errors=errors)
            response.status_code = 422
            abort(response)
        return checked_request, plan

    def rendered(plan: Any) -> core.Project:
        try:
            return core.render(plan, timeout=render_timeout)
        except core.RenderTimeout as error:
            abort(503, str(error))
        except core.ScaffoldError as error:
            abort(422, str(error))

    def summary(raw: Mapping[str, Any]) -> dict[str, Any]:
        checked_request, errors, framework, recommendation = checked(raw)
        return {
            "errors": errors,
            "recommendation": recommendation,
            "framework": framework,
            "overridden": framework != recommendation["framework"],
            "command": core.command_line(checked_request, framework),
            "answers_file": core.answers_file(checked_request, framework),
            "share": "/?" + urlencode(core.query(checked_request, checked_request.framework)),
        }

    @app.get("/")
    def page() -> str:
        raw = _from_fields(request.args.to_dict())
        state = summary(raw)
        if not raw:  # a fresh page has no mistakes yet
            state["errors"] = {}
        return render_template(
            "index.html",
            form=form,
            values=raw,
            given=sorted(raw),
            state=state,
            hosted=hosted,
            home=str(home) if home else "",
        )

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    @app.post("/api/recommend")
    def recommend() -> Any:
        answers, _ = body()
        return jsonify(summary(answers))

    @app.post("/api/preview")
    def preview() -> Any:
        answers, _ = body()
        _, plan = planned(answers)
        project = rendered(plan)
        files = []
        for path, (data, _mode) in project.files.items():
            try:
                text: str | None = data.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            files.append({"path": path, "size": len(data), "text": text})
        return jsonify(
            framework=project.framework, slug=project.slug, notes=project.notes, files=files
        )

    @app.get("/api/file")
    def file() -> Any:
        fields = request.args.to_dict()
        path = fields.pop("path", "")
        _, plan = planned(_from_fields(fields))
        project = rendered(plan)
        if path not in project.files:
            abort(404, f"no file {path!r} in this project: pick one from the list")
        data = project.files[path][0]
        return Response(data, mimetype="text/plain", headers={"X-Content-Type-Options": "nosniff"})

    @app.post("/api/zip")
    def download() -> Any:
        answers, _ = body()
        _, plan = planned(answers)
        project = rendered(plan)
        return Response(
            zip_bytes(project),
            mimetype="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{project.slug}.zip"'},
        )

    @app.post("/api/generate")
    def generate() -> Any:
        if home is None:
            abort(404, "this server only offers zip downloads: use Download zip")
        answers, extra = body()
        _, plan = planned(answers)
        directory = str(extra.get("_directory") or extra.get("directory") or "").strip()
        # Local mode only: the person at this machine chooses where their project goes.
        target = home / Path(directory).expanduser() if directory else home
        try:
            return jsonify(core.write(plan, target.resolve()))
        except core.ScaffoldError as error:
            abort(409 if "exists" in str(error) else 422, str(error))

    return app


def _from_fields(fields: Mapping[str, str]) -> dict[str, Any]:
    """Answers from form or query fields; ``_given`` (set by the page's script) narrows them."""
    answers = {key: value for key, value in fields.items() if not key.startswith("_")}
    if answers.get("framework") == "":
        del answers["framework"]
    given = fields.get("_given")
    if given is not None:
        keep = set(given.split(",")) | {"project_name", "framework", *core.TEXT_VARIABLES}
        answers = {key: value for key, value in answers.items() if key in keep}
    return answers


def zip_bytes(project: core.Project) -> bytes:
    """The project as a zip archive with one top folder, file modes kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, (data, mode) in sorted(project.files.items()):
            info = zipfile.ZipInfo(f"{project.slug}/{path}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
