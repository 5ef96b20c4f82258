"""Reading the Amplify SDL: syntax, directive vocabulary, typed directive arguments.

Everything later stages need from the input document is captured here in small immutable
records (``ObjectDef``, ``FieldDef``, ``DirectiveUse``, ``TypeRef``) that keep their AST node, so
any later mistake can still be reported at its line and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    parse,
)
from graphql.execution.values import get_argument_values
from graphql.validation.validate import validate_sdl

from emulator.apimodel import TransformerVersion
from emulator.sdl import AWS_SCALARS
from emulator.transform.errors import SchemaError, schema_error
from emulator.transform.vocabulary import V1_ONLY_DIRECTIVES, V2_ONLY_DIRECTIVES, vocabulary_schema

#: Scalars with a filter/condition input of their own (AWS scalars map onto them).
SCALAR_BASES: dict[str, str] = {
    "String": "String", "Int": "Int", "Float": "Float", "Boolean": "Boolean", "ID": "ID",
    "BigInt": "Int", "Double": "Float", "AWSTimestamp": "Int",
    **{name: "String" for name in AWS_SCALARS if name != "AWSTimestamp"},
}

ROOT_TYPES = ("Query", "Mutation", "Subscription")


@dataclass(frozen=True)
class TypeRef:
    """A field type with at most one list level: ``Name``, ``Name!``, ``[Name]``, ``[Name!]!``."""

    name: str
    non_null: bool = False
    is_list: bool = False
    item_non_null: bool = False

    @classmethod
    def from_node(cls, node: TypeNode) -> TypeRef:
        non_null = isinstance(node, NonNullTypeNode)
        inner = node.type if isinstance(node, NonNullTypeNode) else node
        if isinstance(inner, ListTypeNode):
            item = inner.type
            item_non_null = isinstance(item, NonNullTypeNode)
            while not isinstance(item, NamedTypeNode):
                item = item.type  # nested lists are flattened to their named type
            return cls(item.name.value, non_null, True, item_non_null)
        assert isinstance(inner, NamedTypeNode)
        return cls(inner.name.value, non_null)

    def __str__(self) -> str:
        text = self.name
        if self.is_list:
            text = f"[{text}{'!' if self.item_non_null else ''}]"
        return text + ("!" if self.non_null else "")

    def nullable(self) -> TypeRef:
        return TypeRef(self.name, False, self.is_list, self.item_non_null)

    def required(self) -> TypeRef:
        return TypeRef(self.name, True, self.is_list, self.item_non_null)

    def named(self, name: str) -> TypeRef:
        return TypeRef(name, self.non_null, self.is_list, self.item_non_null)

    @property
    def is_scalar(self) -> bool:
        return self.name in SCALAR_BASES


@dataclass(frozen=True)
class DirectiveUse:
    """One applied directive with its arguments coerced to Python values (defaults filled in)."""

    name: str
    args: Mapping[str, Any]
    node: DirectiveNode
    given: frozenset[str] = frozenset()  # argument names written in the SDL

    def arg_node(self, name: str) -> Any:
        for argument in self.node.arguments or ():
            if argument.name.value == name:
                return argument
        return self.node


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: TypeRef
    directives: tuple[DirectiveUse, ...]
    node: FieldDefinitionNode

    def directive(self, name: str) -> DirectiveUse | None:
        return next((d for d in self.directives if d.name == name), None)

    def directives_named(self, name: str) -> tuple[DirectiveUse, ...]:
        return tuple(d for d in self.directives if d.name == name)


@dataclass(frozen=True)
class ObjectDef:
    name: str
    fields: tuple[FieldDef, ...]
    directives: tuple[DirectiveUse, ...]
    node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode
    interfaces: tuple[str, ...] = ()

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)

    def directive(self, name: str) -> DirectiveUse | None:
        return next((d for d in self.directives if d.name == name), None)

    def directives_named(self, name: str) -> tuple[DirectiveUse, ...]:
        return tuple(d for d in self.directives if d.name == name)

    @property
    def is_model(self) -> bool:
        return self.directive("model") is not None


@dataclass(frozen=True)
class SourceSchema:
    """The user's schema, split into what the transform rewrites and what it passes through."""

    objects: dict[str, ObjectDef]
    enum_values: dict[str, tuple[str, ...]]
    passthrough: tuple[DefinitionNode, ...]  # enums, inputs, scalars, interfaces, unions
    sandbox: bool = False
    inputs: frozenset[str] = field(default_factory=frozenset)
    abstract_types: frozenset[str] = field(default_factory=frozenset)  # unions and interfaces

    @property
    def enums(self) -> frozenset[str]:
        return frozenset(self.enum_values)

    @property
    def models(self) -> tuple[ObjectDef, ...]:
        return tuple(o for o in self.objects.values() if o.is_model)

    def model(self, name: str) -> ObjectDef | None:
        obj = self.objects.get(name)
        return obj if obj is not None and obj.is_model else None

    def is_scalar_or_enum(self, type_name: str) -> bool:
        return type_name in SCALAR_BASES or type_name in self.enums


def parse_document(sdl: str) -> DocumentNode:
    """Parse SDL text, turning a syntax error into a located ``SchemaError``."""
    try:
        return parse(sdl)
    except GraphQLError as error:
        location = error.locations[0] if error.locations else None
        raise SchemaError(error.message, location.line if location else None, location.column if location else None) from None


def used_directive_names(document: DocumentNode) -> list[tuple[str, DirectiveNode]]:
    """Every applied directive in the document, in order, with its node."""
    found: list[tuple[str, DirectiveNode]] = []

    def collect(node: Any) -> None:
        for directive in getattr(node, "directives", None) or ():
            found.append((directive.name.value, directive))
        for child in getattr(node, "fields", None) or ():
            collect(child)
        for child in getattr(node, "values", None) or ():
            collect(child)

    for definition in document.definitions:
        collect(definition)
    return found


def detect_version_of(document: DocumentNode) -> TransformerVersion:
    """v1 when only v1 directives (``@key``, ``@connection``, ``@versioned``) are used, else v2."""
    names = {name for name, _ in used_directive_names(document)}
    if names & set(V2_ONLY_DIRECTIVES):
        return "v2"
    if names & set(V1_ONLY_DIRECTIVES):
        return "v1"
    return "v2"


def _quoted_like_graphql_js(message: str) -> str:
    """graphql-core quotes names with ``'``; Amplify (graphql-js) prints ``"``."""
    return message.replace("'", '"')


def _check_vocabulary(document: DocumentNode, version: TransformerVersion, schema: GraphQLSchema) -> None:
    if version == "v2":
        older = [(name, node) for name, node in used_directive_names(document) if name in V1_ONLY_DIRECTIVES]
        if older:
            names = list(dict.fromkeys(name for name, _ in older))
            plural = "directives" if len(names) > 1 else "directive"
            quoted = ", ".join('"@' + name + '"' for name in names)
            raise schema_error(
                f"Your GraphQL Schema is using {quoted} {plural} from an older version "
                "of the GraphQL Transformer. Visit https://docs.amplify.aws/cli/migration/transformer-migration/ to "
                "learn how to migrate your GraphQL schema.",
                older[0][1],
            )
    errors = validate_sdl(document, schema)
    if errors:
        first = errors[0]
        location = first.locations[0] if first.locations else None
        raise SchemaError(
            f"Schema validation failed. {_quoted_like_graphql_js(first.message)}",
            location.line if location else None,
            location.column if location else None,
        )


def _directive_uses(node: Any, schema: GraphQLSchema) -> tuple[DirectiveUse, ...]:
    """Each applied directive with its arguments coerced by the vocabulary's declared types."""
    uses = []
    for directive in getattr(node, "directives", None) or ():
        definition = schema.get_directive(directive.name.value)
        args: Mapping[str, Any] = {}
        if definition is not None:
            try:
                args = get_argument_values(definition, directive, hide_suggestions=True)
            except GraphQLError as error:
                raise schema_error(_quoted_like_graphql_js(error.message), directive) from None
        given = frozenset(a.name.value for a in directive.arguments or ())
        uses.append(DirectiveUse(directive.name.value, args, directive, given))
    return tuple(uses)


def object_def(node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode, schema: GraphQLSchema) -> ObjectDef:
    fields = tuple(
        FieldDef(f.name.value, TypeRef.from_node(f.type), _directive_uses(f, schema), f) for f in node.fields or ()
    )
    interfaces = tuple(i.name.value for i in node.interfaces or ())
    return ObjectDef(node.name.value, fields, _directive_uses(node, schema), node, interfaces)


def _is_sandbox_input(node: InputObjectTypeDefinitionNode) -> bool:
    """``input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }`` turns sandbox mode on."""
    if node.name.value != "AMPLIFY":
        return False
    for input_field in node.fields or ():
        default = input_field.default_value
        if input_field.name.value == "globalAuthRule" and default is not None:
            for entry in getattr(default, "fields", ()):
                if entry.name.value == "allow" and getattr(entry.value, "value", None) == "public":
                    return True
    return False


def read_schema(document: DocumentNode, version: TransformerVersion) -> SourceSchema:
    """Validate ``document`` against ``version``'s vocabulary and split it into ``SourceSchema``."""
    vocabulary = vocabulary_schema(version)
    document = _without_redeclared_builtins(document, vocabulary)
    _check_vocabulary(document, version, vocabulary)
    objects: dict[str, ObjectDef] = {}
    passthrough: list[DefinitionNode] = []
    enums: dict[str, tuple[str, ...]] = {}
    inputs: set[str] = set()
    abstract: set[str] = set()
    sandbox = False
    for definition in document.definitions:
        if isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            current = object_def(definition, vocabulary)
            previous = objects.get(current.name)
            if previous is not None:
                current = ObjectDef(
                    previous.name, previous.fields + current.fields, previous.directives + current.directives,
                    previous.node, previous.interfaces + current.interfaces,
                )
            objects[current.name] = current
            continue
        if isinstance(definition, InputObjectTypeDefinitionNode) and definition.name.value == "AMPLIFY":
            sandbox = sandbox or (version == "v2" and _is_sandbox_input(definition))
            continue
        if isinstance(definition, ScalarTypeDefinitionNode):  # AWS scalars were dropped above
            raise schema_error(
                f'Custom scalar "{definition.name.value}" is not supported by AppSync; use a built-in or AWS '
                "scalar (String, Int, Float, Boolean, ID, AWSJSON, AWSDateTime, …).",
                definition,
            )
        if isinstance(definition, EnumTypeDefinitionNode):
            enums[definition.name.value] = tuple(v.name.value for v in definition.values or ())
        if isinstance(definition, InputObjectTypeDefinitionNode):
            inputs.add(definition.name.value)
        if isinstance(definition, UnionTypeDefinitionNode | InterfaceTypeDefinitionNode):
            abstract.add(definition.name.value)
        passthrough.append(definition)
    return SourceSchema(objects, enums, tuple(passthrough), sandbox, frozenset(inputs), frozenset(abstract))


def _without_redeclared_builtins(document: DocumentNode, vocabulary: GraphQLSchema) -> DocumentNode:
    """Drop user declarations of AppSync scalars/directives, which AppSync provides implicitly."""
    kept = [
        d for d in document.definitions
        if not (getattr(d, "name", None) is not None and d.kind == "scalar_type_definition"
                and d.name.value in AWS_SCALARS)
        and not (d.kind == "directive_definition" and vocabulary.get_directive(d.name.value) is not None)
    ]
    return DocumentNode(definitions=tuple(kept), loc=document.loc)
