"""A template's checks file (``scaffold-checks.yml``), read into frozen objects.

The file sits beside the template's cookiecutter.json (or is given with ``smoke
--checks``); ``_checks`` inside cookiecutter.json is still read, with the same
schema, when there is no file. docs/checks.md is the schema. Every mistake is a
one-line ``TemplateError`` naming the key and what it takes.

``options`` apply when the template is parsed (catalog.parse_template, with
checks_source.py, which finds the file and reads its options); the rest
is read when the checks are first used (``Template.checks``), into the objects of
checks_model.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from scaffold.checks_model import (
    Checks,
    EnvironmentSettings,
    Request,
    Rule,
    Step,
    Worker,
)
from scaffold.checks_source import read_checks_file
from scaffold.checks_source import shown as _shown
from scaffold.errors import TemplateError

if TYPE_CHECKING:
    from scaffold.catalog import Template

VERSION = 1
TOP_KEYS = frozenset(
    {"version", "options", "exclude", "expect_refused", "environment", "env", "environments"}
    | {"steps", "redis"}
)
STEP_KEYS = frozenset({"name", "run", "serve", "get", "env", "environment", "when", "timeout"})
SERVE_KEYS = frozenset({"crawl", "requests", "smtp", "headers", "workers"})
ENVIRONMENT_KEYS = frozenset({"python", "install"})
# What a request's ``expect`` may hold, and the request key each one is.
EXPECT_KEYS = {
    "status": "status",
    "contains": "contains",
    "json_response": "json_response",
    "headers": "expect_headers",
    "location": "location",
    "mail": "mail",
    "no_mail": "no_mail",
    "headers_absent": "headers_absent",
}
# The request keys that read the step's mail sink.
MAIL_KEYS = ("mail", "no_mail", "save_mail")


def load_checks(template: Template) -> Checks:
    """Read and validate what the template's checks file (or ``_checks``) declares."""
    if template.checks_path is not None:
        data = template.checks_data
        if data is None:
            data = read_checks_file(template.checks_path)
        return parse_checks(data, where=f"{template.checks_path}:", template=template, file=True)
    if template.checks_data is not None:
        where = f"template {template.name!r}: _checks"
        return parse_checks(template.checks_data, where=where, template=template, file=False)
    return Checks()


def parse_checks(raw: Any, *, where: str, template: Template, file: bool = True) -> Checks:
    """The checks ``raw`` declares (a checks file's content, or ``_checks``), validated.

    ``where`` starts every error; ``file`` requires ``version`` (``_checks`` predates it).
    """
    if not isinstance(raw, Mapping):
        raise TemplateError(f"{where} must be a mapping of keys (version, steps, ...)")
    # Keys starting with `x-` are the file's own, to hold YAML anchors (as in compose files).
    keys = {key for key in raw if not (isinstance(key, str) and key.startswith("x-"))}
    if unknown := sorted(keys - TOP_KEYS, key=str):
        wanted = ", ".join(sorted(TOP_KEYS))
        raise TemplateError(f"{where} unknown key {unknown[0]!r}: the keys are {wanted}")
    if (file or "version" in raw) and raw.get("version") != VERSION:
        found = _shown(raw.get("version"))
        raise TemplateError(f"{where} 'version' must be {VERSION}, not {found}")
    choices = {option.name: option.choices for option in template.options}
    env = _text_map(raw.get("env", {}), f"{where} 'env'")
    blocks = raw.get("environments", {})
    if not isinstance(blocks, Mapping):
        raise TemplateError(f"{where} 'environments' must map block names to variables")
    environments = {
        str(name): _text_map(block, f"{where} environments {name!r}")
        for name, block in blocks.items()
    }
    steps = raw.get("steps", [])
    if not isinstance(steps, list):
        raise TemplateError(f"{where} 'steps' must be a list of steps")
    return Checks(
        env=env,
        steps=tuple(
            _step(item, index, where, choices, environments)
            for index, item in enumerate(steps, start=1)
        ),
        source=where.rstrip(":") if file else f"_checks of {template.name}'s cookiecutter.json",
        exclude=_rules(raw.get("exclude", []), f"{where} 'exclude'", choices),
        expect_refused=_rules(raw.get("expect_refused", []), f"{where} 'expect_refused'", choices),
        environment=_environment(raw.get("environment", {}), f"{where} 'environment'"),
        environments=environments,
        redis_when=_redis(raw.get("redis"), f"{where} 'redis'", choices),
    )


def _redis(raw: Any, at: str, choices: Mapping[str, tuple[Any, ...]]) -> dict[str, Any] | None:
    """``redis: {when: ...}``: the combinations given a Redis database, or None (unset)."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"when"}:
        raise TemplateError(f"{at} must be {{when: ...}}: the combinations that use Redis")
    return _when(raw["when"], f"{at}: 'when'", choices)


def _step(
    item: Any,
    index: int,
    where: str,
    choices: Mapping[str, tuple[Any, ...]],
    environments: Mapping[str, Mapping[str, str]],
) -> Step:
    if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
        raise TemplateError(f'{where} step {index} needs a "name"')
    name = item["name"]
    at = f"{where} step {name!r}:"
    command = item.get("run") or item.get("serve")
    if bool(item.get("run")) == bool(item.get("serve")) or not _strings(command):
        raise TemplateError(f'{at} needs one of "run" or "serve": a list')
    allowed = STEP_KEYS | SERVE_KEYS if item.get("serve") else STEP_KEYS
    if unknown := sorted(set(item) - allowed, key=str):
        raise TemplateError(f"{at} unknown key {unknown[0]!r}")
    if item.get("serve") and not _strings(item.get("get", ["/"])):
        raise TemplateError(f'{at} "get" must be a list of paths')
    if "crawl" in item and not _strings(item["crawl"]):
        raise TemplateError(f'{at} "crawl" must be a list of paths')
    workers = _workers(item.get("workers", []), f'{at} "workers"', choices)
    timeout = item.get("timeout")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
    ):
        raise TemplateError(f'{at} "timeout" must be a number of seconds above 0')
    named = item.get("environment", [])
    named = [named] if isinstance(named, str) else named
    if not isinstance(named, list) or not all(isinstance(n, str) for n in named):
        raise TemplateError(f'{at} "environment" must name a block of "environments", or list them')
    env: dict[str, str] = {}
    for block in named:
        if block not in environments:
            known = ", ".join(environments) or "none are declared"
            raise TemplateError(f"{at} environment {block!r} is not in 'environments' ({known})")
        env.update(environments[block])
    env.update(_text_map(item.get("env", {}), f'{at} "env"'))
    requests = item.get("requests", [])
    if not isinstance(requests, list):
        raise TemplateError(f'{at} "requests" must be a list')
    parsed = tuple(
        _request(request, f"{at[:-1]} request {number}:", choices)
        for number, request in enumerate(requests, start=1)
    )
    if problem := _serve_problem(item, env, parsed):
        raise TemplateError(f"{at} {problem}")
    return Step(
        name=name,
        run=tuple(item.get("run") or ()),
        serve=tuple(item.get("serve") or ()),
        get=tuple(item.get("get", ["/"])) if item.get("serve") else (),
        env=env,
        when=_when(item.get("when", {}), f'{at} "when"', choices),
        timeout=float(timeout) if timeout is not None else None,
        crawl=tuple(item.get("crawl", ())),
        requests=parsed,
        smtp=bool(item.get("smtp", False)),
        headers=dict(item.get("headers", {})),
        environments=tuple(named),
        workers=workers,
    )


def _workers(raw: Any, at: str, choices: Mapping[str, tuple[Any, ...]]) -> tuple[Worker, ...]:
    """Each worker: a command (a list of text), or ``{run: command, when: condition}``."""
    wanted = "a list of commands, each a list of text or {run: [...], when: {...}}"
    if not isinstance(raw, list):
        raise TemplateError(f"{at} must be {wanted}")
    workers = []
    for item in raw:
        if isinstance(item, Mapping) and set(item) <= {"run", "when"} and _strings(item.get("run")):
            workers.append(Worker(tuple(item["run"]), _when(item.get("when", {}), at, choices)))
        elif _strings(item):
            workers.append(Worker(tuple(item)))
        else:
            raise TemplateError(f"{at} must be {wanted}, not {_shown(item)}")
    return tuple(workers)


def _request(item: Any, at: str, choices: Mapping[str, tuple[Any, ...]]) -> Request:
    """One request: ``when`` it is sent, and its ``expect`` keys read as the flat ones."""
    if not isinstance(item, Mapping):
        raise TemplateError(f'{at} needs a "path"')
    send = {key: value for key, value in item.items() if key not in ("when", "expect")}
    expect = item.get("expect", {})
    if not isinstance(expect, Mapping):
        raise TemplateError(f'{at} "expect" must be a mapping of {", ".join(EXPECT_KEYS)}')
    for key, value in expect.items():
        if key not in EXPECT_KEYS:
            raise TemplateError(f"{at} unknown key {key!r} in expect: use {', '.join(EXPECT_KEYS)}")
        if EXPECT_KEYS[key] in send:
            raise TemplateError(f"{at} expects {key!r} twice: in 'expect' and beside it")
        send[EXPECT_KEYS[key]] = value
    if problem := request_problem(send):
        raise TemplateError(f"{at} {problem}")
    return Request(send=send, when=_when(item.get("when", {}), f'{at} "when"', choices))


def _when(raw: Any, at: str, choices: Mapping[str, tuple[Any, ...]]) -> dict[str, Any]:
    """A condition: each key an option, each value (or list of values) of the option's kind."""
    if not isinstance(raw, Mapping):
        raise TemplateError(f"{at} must map options to a value or a list of values")
    for key, wanted in raw.items():
        if key not in choices:
            known = ", ".join(choices) or "the template has none"
            raise TemplateError(f"{at} names {key!r}, which is not an option ({known})")
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values:
            raise TemplateError(f"{at} gives {key!r} an empty list: list the values it allows")
        for value in values:
            # Values are not held to the choices: `--only` narrows those. A value of the
            # wrong kind, though, could never match.
            if not isinstance(value, bool if _is_bool(choices[key]) else str):
                kind = "true or false" if _is_bool(choices[key]) else "text (quote it in YAML)"
                raise TemplateError(f"{at} {key!r} takes {kind}, not {_shown(value)}")
    return dict(raw)


def _is_bool(choices: tuple[Any, ...]) -> bool:
    return all(isinstance(choice, bool) for choice in choices)


def _rules(raw: Any, at: str, choices: Mapping[str, tuple[Any, ...]]) -> tuple[Rule, ...]:
    if not isinstance(raw, list):
        raise TemplateError(f"{at} must be a list of {{when: ..., reason: ...}}")
    rules = []
    for number, item in enumerate(raw, start=1):
        here = f"{at} entry {number}"
        if not isinstance(item, Mapping) or set(item) != {"when", "reason"}:
            raise TemplateError(f"{here} needs exactly 'when' and 'reason'")
        if not isinstance(item["reason"], str) or not item["reason"].strip():
            raise TemplateError(f"{here}: 'reason' must be a sentence saying why")
        when = _when(item["when"], f"{here}: 'when'", choices)
        if not when:
            raise TemplateError(f"{here}: 'when' must name at least one option")
        rules.append(Rule(when=when, reason=item["reason"].strip()))
    return tuple(rules)


def _environment(raw: Any, at: str) -> EnvironmentSettings:
    if not isinstance(raw, Mapping):
        raise TemplateError(f"{at} must be a mapping with 'python' and/or 'install'")
    if unknown := sorted(set(raw) - ENVIRONMENT_KEYS, key=str):
        raise TemplateError(f"{at}: unknown key {unknown[0]!r}: use python, install")
    python = raw.get("python")
    if python is not None and (not isinstance(python, str) or not python.strip()):
        raise TemplateError(f"{at}: 'python' must name an interpreter, e.g. python3.12")
    install = raw.get("install", [])
    if not isinstance(install, list) or not all(isinstance(c, str) and c for c in install):
        raise TemplateError(f"{at}: 'install' must be a list of shell commands")
    return EnvironmentSettings(python=python, install=tuple(install))


def _text_map(raw: Any, at: str) -> dict[str, str]:
    """Variables: names to text (numbers are read as text; true/false must be quoted)."""
    if not isinstance(raw, Mapping):
        raise TemplateError(f"{at} must map variable names to text")
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise TemplateError(
                f"{at} {key!r} must be text (quote it in YAML), not {_shown(value)}"
            )
    return {str(key): str(value) for key, value in raw.items()}


def _serve_problem(item: Mapping[str, Any], env: Mapping[str, str], requests: Any) -> str | None:
    """What is wrong with a step's mail sink and headers, or None."""
    if "smtp" in item and not isinstance(item["smtp"], bool):
        return '"smtp" must be true or false'
    headers = item.get("headers", {})
    if not isinstance(headers, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        return '"headers" must be an object of text headers'
    if not item.get("smtp"):
        for key in MAIL_KEYS:
            if any(key in request.send for request in requests):
                return f'a request expects "{key}" but the step has no "smtp": true'
        if "{smtp_port}" in _shown([item, env]):
            return 'uses {smtp_port} but has no "smtp": true'
    return None


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


# --- requests -----------------------------------------------------------------------

# The keys a request may have, and what each expects.
REQUEST_KEYS = frozenset(
    {
        "path",
        "method",
        "data",
        "json",
        "csrf_from",
        "headers",
        "status",
        "contains",
        "json_response",
        "expect_headers",
        "location",
        "mail",
        "no_mail",
        "headers_absent",
        "save",
        "save_mail",
    }
)


def _is_text_map(value: Any) -> bool:
    return isinstance(value, Mapping) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _status(value: Any) -> bool:
    codes = value if isinstance(value, list) else [value]
    return bool(codes) and all(isinstance(c, int) and not isinstance(c, bool) for c in codes)


# What each request key must hold, and how to say so.
_REQUEST_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "path": (lambda v: isinstance(v, str) and v.startswith("/"), 'a path starting with "/"'),
    "method": (lambda v: isinstance(v, str) and v.isalpha(), "an HTTP method"),
    "data": (_is_text_map, "an object of text fields"),
    "csrf_from": (lambda v: isinstance(v, str) and v.startswith("/"), 'a path starting with "/"'),
    "headers": (_is_text_map, "an object of text headers"),
    "status": (_status, "a status code or a list of them"),
    "contains": (lambda v: isinstance(v, str) and bool(v), "non-empty text"),
    "json_response": (lambda v: isinstance(v, bool), "true or false"),
    "expect_headers": (_is_text_map, "an object of header names and text"),
    "location": (lambda v: isinstance(v, str), "text"),
    "mail": (lambda v: isinstance(v, str) and bool(v), "non-empty text"),
    "no_mail": (lambda v: v is True, "true"),
    "headers_absent": (_strings, "a list of header names"),
    "save_mail": (
        lambda v: (
            _is_text_map(v)
            and bool(v)
            and all(k.isidentifier() and _compiles(p) for k, p in v.items())
        ),
        "an object of names (letters, digits, _) and regular expressions",
    ),
    "save": (
        lambda v: _is_text_map(v) and bool(v) and all(k.isidentifier() for k in v),
        "an object of names (letters, digits, _) and JSON paths such as items.0.id",
    ),
}


def request_problem(item: Any) -> str | None:
    """What is wrong with one declared request, or None when it can be sent as written."""
    if not isinstance(item, Mapping) or "path" not in item:
        return 'needs a "path"'
    if unknown := sorted(set(item) - REQUEST_KEYS):
        return f"unknown key {unknown[0]!r}"
    for key, (valid, wanted) in _REQUEST_TYPES.items():
        if key in item and not valid(item[key]):
            return f"{key!r} must be {wanted}, not {_shown(item[key])}"
    if "json" in item and ("data" in item or "csrf_from" in item):
        return 'sends "json", so it cannot also send "data" or "csrf_from"'
    if "save_mail" in item and "mail" not in item:
        return '"save_mail" reads the mail "mail" waits for: give "mail" too'
    if "mail" in item and "no_mail" in item:
        return 'expects "mail" and "no_mail" at once'
    return None
