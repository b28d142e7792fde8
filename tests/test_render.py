"""Rendering is atomic: all of the project or nothing, and never the user's home."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scaffold.catalog import Template
from scaffold.errors import HookRefused, RenderError, TargetExistsError
from scaffold.render import compiled_templates, render_project, render_template
from tests.conftest import make_template

VALUES = {"project_name": "Demo", "project_slug": "demo", "database": "sqlite", "accounts": False}


def test_renders_into_the_slug_directory(tiny_template: Template, tmp_path: Path) -> None:
    """The project lands in output_dir/<slug> with the files cookiecutter wrote."""
    out = tmp_path / "out"
    out.mkdir()
    rendered = render_project(tiny_template, VALUES, out, extra_files={"extra.txt": "hi"})
    assert rendered.path == out / "demo"
    assert rendered.files == ("README.md", "extra.txt")
    assert (out / "demo" / "README.md").read_text() == "# Demo\n"
    assert os.listdir(out) == ["demo"]


@pytest.mark.slow  # the hook is a script: cookiecutter starts a Python
def test_failing_hook_leaves_nothing(tmp_path: Path) -> None:
    """A post-generation hook script that fails leaves no partial project and no temp dir,
    and is said to have failed (it refused nothing)."""
    template = make_template(
        tmp_path / "broken",
        hooks={"post_gen_project.py": "import sys\nsys.exit('ERROR: boom')\n"},
    )
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RenderError) as caught:
        render_project(template, VALUES, out)
    assert not isinstance(caught.value, HookRefused)
    assert str(caught.value) == (
        "the broken template's post-generation hook failed: Hook script failed (exit status: 1)"
    )
    assert os.listdir(out) == []


@pytest.mark.slow  # the hook is a script: cookiecutter starts a Python
def test_a_pre_generation_script_that_says_no_refuses(tmp_path: Path) -> None:
    """A pre-generation hook script exiting non-zero is a HookRefused: the answers were
    refused, nothing is written."""
    template = make_template(
        tmp_path / "strict", hooks={"pre_gen_project.py": "raise SystemExit(1)\n"}
    )
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(HookRefused, match="strict template's pre-generation hook refused"):
        render_project(template, VALUES, out)
    assert os.listdir(out) == []


def test_interrupt_leaves_nothing(tiny_template: Template, tmp_path: Path, monkeypatch) -> None:
    """Ctrl-C during rendering removes what was staged."""
    import scaffold.render

    def interrupted(*args: object, **kwargs: object) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(scaffold.render, "render_template", interrupted)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(KeyboardInterrupt):
        render_project(tiny_template, VALUES, out)
    assert os.listdir(out) == []


def test_existing_target_is_kept(tiny_template: Template, tmp_path: Path) -> None:
    """Without force an existing directory is an error and stays untouched."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.txt").write_text("keep me")
    with pytest.raises(TargetExistsError, match="already exists"):
        render_project(tiny_template, VALUES, tmp_path)
    assert (tmp_path / "demo" / "mine.txt").read_text() == "keep me"


@pytest.mark.slow  # the hook is a script: cookiecutter starts a Python
def test_force_replaces_only_after_success(tmp_path: Path) -> None:
    """With force a failed render still leaves the existing directory as it was."""
    template = make_template(
        tmp_path / "broken", hooks={"pre_gen_project.py": "raise SystemExit(1)\n"}
    )
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.txt").write_text("keep me")
    with pytest.raises(RenderError):
        render_project(template, VALUES, tmp_path, force=True)
    assert (tmp_path / "demo" / "mine.txt").read_text() == "keep me"


def test_force_replaces(tiny_template: Template, tmp_path: Path) -> None:
    """With force a successful render replaces the directory."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "old.txt").write_text("old")
    render_project(tiny_template, VALUES, tmp_path, force=True)
    assert sorted(os.listdir(tmp_path / "demo")) == ["README.md"]


def test_dry_run_writes_nothing(tiny_template: Template, tmp_path: Path) -> None:
    """A dry run lists the files and writes none."""
    rendered = render_project(tiny_template, VALUES, tmp_path, dry_run=True)
    assert rendered.files == ("README.md",)
    assert list(tmp_path.iterdir()) == [tiny_template.path]


def test_missing_output_dir(tiny_template: Template, tmp_path: Path) -> None:
    """An output directory that does not exist is a clear error."""
    with pytest.raises(RenderError, match="does not exist"):
        render_project(tiny_template, VALUES, tmp_path / "nope")


def test_unwritable_output_dir(tiny_template: Template, tmp_path: Path) -> None:
    """An output directory scaffold cannot write in is a clear error, nothing written."""
    if os.geteuid() == 0:
        target = Path("/proc")  # even root cannot create directories there
    else:
        target = tmp_path / "locked"
        target.mkdir(mode=0o555)
    with pytest.raises(RenderError, match="cannot write in"):
        render_project(tiny_template, VALUES, target)


def test_home_is_untouched(tiny_template: Template, tmp_path: Path, monkeypatch) -> None:
    """No cookiecutter replay or cache directory appears in the user's home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    out = tmp_path / "out"
    out.mkdir()
    render_project(tiny_template, VALUES, out)
    assert list(home.iterdir()) == []


def test_values_are_written_literally(tmp_path: Path) -> None:
    """A user's value is data: Jinja syntax in it is not evaluated."""
    template = make_template(
        tmp_path / "t",
        config={"project_name": "Demo", "project_slug": "demo", "description": "x"},
        files={"README.md": "{{ cookiecutter.description }}\n"},
    )
    project = render_template(template, {"description": "{{ 7 * 7 }}"}, tmp_path)
    assert (project / "README.md").read_text() == "{{ 7 * 7 }}\n"


def test_defaults_not_given_are_rendered_as_cookiecutter_does(
    tiny_template: Template, tmp_path: Path
) -> None:
    """A variable left out takes the template's default, rendered (the slug from the name)."""
    project = render_template(tiny_template, {"project_name": "Big Shop"}, tmp_path)
    assert project.name == "big_shop"


def test_nothing_is_written_to_home(
    tiny_template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cookiecutter config, replay file or clone lands in the user's home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    render_template(tiny_template, VALUES, tmp_path / "out")
    assert list(home.iterdir()) == []


def test_shared_compiled_templates_render_the_same(tmp_path: Path) -> None:
    """Renders sharing compiled templates give what separate renders give, per value."""
    template = make_template(
        tmp_path / "t",
        config={"project_name": "Demo", "project_slug": "demo", "accounts": False},
        files={"a.txt": "{% if cookiecutter.accounts %}on{% else %}off{% endif %}\n"},
    )
    compiled = compiled_templates()
    for n, accounts in enumerate([True, False, True]):
        project = render_template(
            template, {"accounts": accounts}, tmp_path / str(n), compiled=compiled
        )
        assert (project / "a.txt").read_text() == ("on\n" if accounts else "off\n")
    assert compiled.codes  # the cache was used


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources Jinja compiles from now on (file contents and file names alike)."""
    from jinja2 import Environment

    compiled: list[str] = []
    compile_source = Environment.compile

    def counting(self: Environment, source: str, *args: object, **kwargs: object) -> object:
        compiled.append(source)
        return compile_source(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", counting)
    return compiled


def test_compiled_templates_outlive_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new cache on the same directory finds the code a first one compiled: none compiled."""
    body = "{% if cookiecutter.accounts %}on{% else %}off{% endif %}\n"
    template = make_template(tmp_path / "t", files={"a.txt": body})
    first = render_template(
        template, VALUES, tmp_path / "1", compiled=compiled_templates(tmp_path / "cache")
    )
    compiles = _count_compiles(monkeypatch)
    again = render_template(
        template, VALUES, tmp_path / "2", compiled=compiled_templates(tmp_path / "cache")
    )
    assert compiles == []  # neither the file nor its name (nor the directory's)
    assert (again / "a.txt").read_text() == (first / "a.txt").read_text() == "off\n"


def test_a_render_somewhere_else_adds_nothing_to_the_cache_file(tmp_path: Path) -> None:
    """cookiecutter renders each folder below the project's as its whole output path, new
    every run: such a name is compiled, never kept, and a second run writes no cache."""
    template = make_template(
        tmp_path / "t",
        files={
            "README.md": "# {{ cookiecutter.project_name }}\n",
            "pkg/{{ cookiecutter.project_name|lower }}/mod.py": "X = 1\n",
        },
    )
    first = render_template(
        template, VALUES, tmp_path / "1", compiled=compiled_templates(tmp_path / "cache")
    )
    [stored] = (tmp_path / "cache").iterdir()
    before = stored.read_bytes()
    again = render_template(
        template, VALUES, tmp_path / "2", compiled=compiled_templates(tmp_path / "cache")
    )
    assert stored.read_bytes() == before
    assert (first / "pkg" / "demo" / "mod.py").is_file()
    assert (again / "pkg" / "demo" / "mod.py").read_text() == "X = 1\n"


def test_a_cache_directory_that_cannot_be_written_only_misses(tmp_path: Path) -> None:
    """A cache directory that cannot exist (a file is in its way) costs compiling, no error."""
    (tmp_path / "cache").write_text("not a directory")
    project = render_template(
        make_template(tmp_path / "t"),
        VALUES,
        tmp_path / "out",
        compiled=compiled_templates(tmp_path / "cache" / "compiled"),
    )
    assert (project / "README.md").read_text() == "# Demo\n"


def test_files_without_jinja_are_copied_not_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file holding no Jinja syntax is copied (same bytes and mode); the others render."""
    plain = "print('{ not jinja }')\n"
    template = make_template(
        tmp_path / "t",
        files={"plain.py": plain, "README.md": "# {{ cookiecutter.project_name }}\n"},
    )
    (template.path / "{{cookiecutter.project_slug}}" / "plain.py").chmod(0o755)
    compiles = _count_compiles(monkeypatch)
    project = render_template(template, VALUES, tmp_path / "out")
    assert plain not in compiles
    assert "# {{ cookiecutter.project_name }}\n" in compiles
    assert (project / "plain.py").read_bytes() == plain.encode()
    assert os.stat(project / "plain.py").st_mode & 0o777 == 0o755
    assert (project / "README.md").read_text() == "# Demo\n"


def test_a_file_with_carriage_returns_is_rendered(tmp_path: Path) -> None:
    """CRLF text without Jinja still goes through cookiecutter's rendering, newlines and all."""
    from scaffold.render import _verbatim_files

    template = make_template(tmp_path / "t", files={"win.txt": "a\r\nb\r\n", "unix.txt": "a\n"})
    assert _verbatim_files(template.path) == {"unix.txt"}


# A hook script scaffold calls in its own process (see scaffold.hooks.CONTEXT_LINE).
IN_PROCESS_HOOK = """\
import json

CONTEXT = r'''{{ cookiecutter | tojson }}'''


def %s:
    %s


if __name__ == "__main__":
    raise SystemExit(1)  # never run: scaffold calls the function
"""


def in_process_hook(signature: str, body: str) -> str:
    return IN_PROCESS_HOOK % (signature, body)


def test_a_hook_function_that_fails_leaves_nothing(tmp_path: Path) -> None:
    """A post-generation hook raising is a one-line RenderError saying it failed, with the
    exception; not a refusal, and nothing is written."""
    template = make_template(
        tmp_path / "t",
        hooks={
            "post_gen_project.py": in_process_hook(
                "post_gen_project(project, variables)", "raise KeyError('docker')"
            )
        },
    )
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RenderError) as caught:
        render_project(template, VALUES, out)
    assert not isinstance(caught.value, HookRefused)
    assert str(caught.value) == "the t template's post-generation hook failed: KeyError: 'docker'"
    assert os.listdir(out) == []


def test_a_pre_generation_function_that_says_no_refuses(tmp_path: Path) -> None:
    """A pre-generation hook function returning non-zero is a HookRefused."""
    template = make_template(
        tmp_path / "t",
        hooks={"pre_gen_project.py": in_process_hook("pre_gen_project(variables)", "return 1")},
    )
    with pytest.raises(HookRefused, match="^the t template's pre-generation hook refused"):
        render_template(template, VALUES, tmp_path / "out")


def test_a_pre_generation_function_that_crashes_is_no_refusal(tmp_path: Path) -> None:
    """A pre-generation hook function raising failed: a RenderError, not a HookRefused."""
    template = make_template(
        tmp_path / "t",
        hooks={"pre_gen_project.py": in_process_hook("pre_gen_project(variables)", "1 / 0")},
    )
    with pytest.raises(RenderError) as caught:
        render_template(template, VALUES, tmp_path / "out")
    assert not isinstance(caught.value, HookRefused)
    assert str(caught.value) == (
        "the t template's pre-generation hook failed: ZeroDivisionError: division by zero"
    )


def test_hook_functions_get_cookiecutters_values(tmp_path: Path) -> None:
    """The in-process hooks get what the script would read from CONTEXT: every variable,
    the template's defaults rendered, and cookiecutter's own ``_`` entries."""
    template = make_template(
        tmp_path / "t",
        hooks={
            "post_gen_project.py": in_process_hook(
                "post_gen_project(project, variables)",
                "(project / 'values.json').write_text(json.dumps(variables))",
            )
        },
    )
    project = render_template(template, {"project_name": "Big Shop"}, tmp_path / "out")
    values = json.loads((project / "values.json").read_text())
    assert values["project_slug"] == "big_shop"
    assert values["_repo_dir"] == str(template.path)
    assert values["_reserved_slugs"] == ["forbidden"]


def test_only_a_hook_script_without_other_jinja_is_called_in_process(tmp_path: Path) -> None:
    """A hook script whose one Jinja is CONTEXT is a function scaffold calls; with Jinja
    anywhere else it needs rendering, and cookiecutter runs it."""
    from scaffold.hooks import hook_functions

    script = in_process_hook("pre_gen_project(variables)", "return 0")
    plain = make_template(tmp_path / "plain", hooks={"pre_gen_project.py": script})
    hooks = hook_functions(plain.path)
    assert hooks is not None and hooks.pre_gen_project is not None
    assert hooks.post_gen_project is None
    other = script + "SLUG = '{{ cookiecutter.project_slug }}'\n"
    jinja = make_template(tmp_path / "jinja", hooks={"pre_gen_project.py": other})
    assert hook_functions(jinja.path) is None


def test_an_empty_project_directory_name_says_which_variable_is_empty(tmp_path: Path) -> None:
    """A slug left "" (a template whose prompts live elsewhere) makes the project directory
    the output directory; cookiecutter says only that the directory exists. The error
    names the directory and the empty variable."""
    from scaffold.catalog import parse_template

    root = tmp_path / "spec"
    (root / "{{cookiecutter.project_slug}}").mkdir(parents=True)
    (root / "{{cookiecutter.project_slug}}" / "README.md").write_text("hi\n")
    (root / "cookiecutter.json").write_text('{"project_name": "", "project_slug": ""}')
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RenderError) as caught:
        render_template(parse_template("spec", root), {}, out)
    assert str(caught.value) == (
        "the spec template's project directory {{cookiecutter.project_slug}} renders to an "
        "empty name (project_slug = ''): give it a value"
    )
