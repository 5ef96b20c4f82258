"""The functions of one API, found by the readers, and how a ``@function`` name finds one.

``@function(name: "echo-${env}")`` names the function ``echo`` of the current environment:
``${env}`` is the config's ``env``, and a name is matched as written, with ``${env}``
substituted, and without its ``-${env}`` (or ``-<env>``) suffix; a spec's aliases (the
``FnEcho`` names Gen 2 gives each handler of a function) match too. A name that matches nothing is a
start error (``check_pipelines``) that lists the functions found and where they were looked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from emulator.apimodel import FunctionStep
from emulator.resolvers.functions.errors import UnknownFunction
from emulator.resolvers.functions.spec import FunctionSpec


class FunctionCatalog:
    """Function specs by name, plus where the readers looked (for messages)."""

    def __init__(self, specs: Iterable[FunctionSpec] = (), *, env: str = "local", searched: Iterable[str] = ()) -> None:
        self._specs: dict[str, FunctionSpec] = {}
        for spec in specs:
            self._specs.setdefault(spec.name, spec)  # the first reader wins (the config before the project)
        self._aliases: dict[str, str] = {}
        for spec in self._specs.values():
            for alias in spec.aliases:
                self._aliases.setdefault(alias, spec.name)
        self.env = env
        self.searched = tuple(searched)

    def __iter__(self) -> Iterator[FunctionSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FunctionCatalog) and (self._specs, self.env) == (other._specs, other.env)

    __hash__ = None  # type: ignore[assignment]

    @property
    def specs(self) -> Mapping[str, FunctionSpec]:
        return dict(self._specs)

    def get(self, name: str) -> FunctionSpec | None:
        """The function of that name, or the one that name is an alias of."""
        return self._specs.get(name) or self._specs.get(self._aliases.get(name, ""))

    def candidates(self, name: str) -> list[str]:
        """The names ``name`` may mean, most specific first."""
        substituted = name.replace("${env}", self.env)
        found = [name, substituted]
        for suffix in ("-${env}", f"-{self.env}"):
            if name.endswith(suffix):
                found.append(name[: -len(suffix)])
        return list(dict.fromkeys(found))

    def lookup(self, name: str) -> FunctionSpec:
        """The function ``name`` means; ``UnknownFunction`` (listing what there is) otherwise."""
        for candidate in self.candidates(name):
            spec = self.get(candidate)
            if spec is not None:
                return spec
        raise UnknownFunction(self._unknown(name))

    def _unknown(self, name: str) -> str:
        found = ", ".join(sorted(self._specs)) or "none"
        searched = f" (looked in {'; '.join(self.searched)})" if self.searched else ""
        return f"no function named {name!r}{searched}; functions found: {found}"

    def check_pipelines(self, pipelines: Mapping[tuple[str, str], tuple[FunctionStep, ...]]) -> None:
        """Every ``@function`` of the schema must name a function; ``UnknownFunction`` for the first that does not."""
        for (type_name, field_name), steps in pipelines.items():
            for step in steps:
                try:
                    self.lookup(step.name)
                except UnknownFunction as error:
                    raise UnknownFunction(f'@function(name: "{step.name}") on {type_name}.{field_name}: '
                                          f"{error.message}") from None
