"""The app's URL rules, whose builders are compiled on their first use rather than at start."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Rule


class RuleBuiltOnFirstUse(Rule):
    """Werkzeug compiles two URL builders (Python source, parsed and compiled) for every rule
    as it is added: with some hundred and twenty rules that was a third of an app's start
    (each test builds an app), while a process, let alone a test, builds links to a few of
    them. Each builder is compiled by Werkzeug's own code the first time it is called, then
    replaces its stand-in; matching requests never used them."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compile_builder = super()._compile_builder
        slot = "_build_unknown" if append_unknown else "_build"

        def build_first_time(rule: Rule, **values: Any) -> tuple[str, str]:
            # Two threads meeting here each compile the same builder; either one is kept.
            builder: Callable[..., tuple[str, str]]
            builder = compile_builder(append_unknown).__get__(rule, None)
            setattr(rule, slot, builder)
            return builder(**values)

        return build_first_time
