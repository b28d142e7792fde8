"""Jinja's compiled code for the templates, kept between renders and between runs.

cookiecutter makes a new Jinja environment for each render and compiles every
file, and every file and directory name, of the template again: without a cache
that is most of the render time. ``CompiledTemplates`` is a Jinja bytecode cache
and ``CompiledNames`` a Jinja extension that lets the names use the same cache;
``use_cache`` gives both to the environment cookiecutter makes (scaffold.render
hands it over while cookiecutter generates, never through the template's context,
which stays what cookiecutter would give the template). Code is kept
by its source and the environment's syntax settings, so a file that changes, or
another template, is compiled anew; ``scaffold new`` keeps it in one file in
scaffold's cache directory. Imported only to render: it imports Jinja.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.ext import Extension

# About ten templates' worth (each has around a hundred files and names).
MAX_ENTRIES = 1000


def settings(env: Environment) -> tuple[Any, ...]:
    """What, besides the source, decides the code Jinja compiles."""
    return (
        sorted(env.extensions),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        repr(env.autoescape),
        env.undefined.__name__,
    )


class CompiledTemplates(BytecodeCache):
    """Compiled code in this process and, with a ``directory``, in one file for the next runs.

    The file holds every entry as Jinja writes it (its header rejects code of another
    Python or Jinja, then the source checksum is compared); ``save`` writes it again
    when a render compiled something new. A file that cannot be read or written is
    only a cache that misses.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self.codes: dict[str, tuple[str, Any]] = {}
        self.stored: dict[str, bytes] | None = None  # the file's entries, once read
        self.changed = False

    @property
    def path(self) -> Path | None:
        if self.directory is None:
            return None
        version = sys.version_info
        return self.directory / f"cpython-{version.major}{version.minor}.marshal"

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        checksum = self.get_source_checksum(source)
        key = repr((settings(environment), self.get_cache_key(name, filename), checksum))
        bucket = Bucket(environment, hashlib.sha1(key.encode()).hexdigest(), checksum)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.codes.get(bucket.key, ("", None))
        if checksum == bucket.checksum:
            bucket.code = code
            return
        data = self._stored().get(bucket.key)
        if data is not None:
            try:
                bucket.bytecode_from_string(data)  # checks Jinja's header and the checksum
            except (EOFError, ValueError, TypeError):
                bucket.reset()
            if bucket.code is not None:
                self.codes[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = (bucket.checksum, bucket.code)
        if self.path is not None:
            self._stored()[bucket.key] = bucket.bytecode_to_string()
            self.changed = True

    def _stored(self) -> dict[str, bytes]:
        if self.stored is None:
            self.stored = {}
            if self.path is not None:
                try:
                    found = marshal.loads(self.path.read_bytes())
                except (OSError, EOFError, ValueError, TypeError):
                    found = None
                if isinstance(found, dict):
                    self.stored = found
        return self.stored

    def save(self) -> None:
        """Write the entries to the cache file if a render added some (else nothing)."""
        path = self.path
        if path is None or not self.changed:
            return
        # Written whole under a temporary name, then renamed: a render running beside
        # this one reads all of the file or none of it (and the last one wins).
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        stored = self._stored()
        if len(stored) > MAX_ENTRIES:  # mostly code of older templates: keep this run's
            stored = {key: data for key, data in stored.items() if key in self.codes}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(marshal.dumps(stored))
            os.replace(temporary, path)
            self.changed = False
        except BaseException as err:
            with contextlib.suppress(OSError):
                temporary.unlink()
            if not isinstance(err, OSError | ValueError):
                raise


class CompiledNames(Extension):
    """Lets ``Environment.from_string`` (each file and directory name) use the cache too.

    Jinja caches only templates loaded by name; cookiecutter renders every name with
    ``from_string``. With a ``CompiledTemplates`` as the environment's bytecode cache,
    this environment's ``compile`` looks a plain source up there first.
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        cache = environment.bytecode_cache
        if not isinstance(cache, CompiledTemplates):
            return
        compile_source = environment.compile

        def compile(
            source: Any,
            name: str | None = None,
            filename: str | None = None,
            raw: bool = False,
            defer_init: bool = False,
        ) -> Any:
            if (
                not isinstance(source, str)
                or name
                or filename
                or raw
                or defer_init
                # cookiecutter renders each folder below the project's as its whole
                # output path: new every run, so only compiled, never kept.
                or os.path.isabs(source)
            ):
                return compile_source(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
            bucket = cache.get_bucket(environment, "<string>", None, source)
            if bucket.code is None:
                bucket.code = compile_source(source)
                cache.set_bucket(bucket)
            return bucket.code

        environment.compile = compile  # type: ignore[method-assign]


def use_cache(environment: Environment, cache: CompiledTemplates | None) -> Environment:
    """Give cookiecutter's Jinja ``environment`` the ``cache`` for its files and names."""
    if cache is not None:
        environment.bytecode_cache = cache
        environment.add_extension(CompiledNames)
    return environment
