"""An equivalent, faster form of the EPCIS JSON Schema for validating one event at a time.

Profiling `validate_event` showed most of the time going to `$ref` lookups and to `propertyNames`,
which tries, for every field of every event, "one of the common event fields, or a URI, or one of
this event type's fields" through three nested `anyOf`s. Three rewrites keep the meaning and cut
the work:

* every `$ref` is replaced by the definition it names (the schema has no recursive references);
* a `propertyNames` that only says "one of these names, or a URI" becomes one `enum` of all the
  names followed by one URI check;
* in every `anyOf`, the alternatives that are plain lists of words (`enum`) are tried first, so a
  CBV word such as "shipping" is accepted without first being parsed as a URI.

Each inlined definition is built once and shared; `definition_names` tells which definition an
inlined sub-schema came from, so error messages can still say "business step" or "disposition".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

_DATA_KEYWORDS = frozenset({"enum", "const", "definitions", "required", "default", "examples"})


class InlinedSchema:
    def __init__(self, schema: dict[str, Any]) -> None:
        self._definitions: dict[str, Any] = schema["definitions"]
        self._built: dict[str, Any] = {}
        self._building: set[str] = set()
        self.definition_names: dict[int, str] = {}

    def definition(self, name: str) -> Any:
        """The definition `name` with every reference inside it resolved."""
        if name not in self._built:
            if name in self._building:
                raise ValueError(f"recursive reference to {name}; it cannot be inlined")
            self._building.add(name)
            built = self._inline(self._definitions[name])
            self._building.discard(name)
            self._built[name] = built
            self.definition_names.setdefault(id(built), name)
        return self._built[name]

    def _inline(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self._inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:  # draft 7: a $ref replaces its siblings
            reference = str(node["$ref"])
            if not reference.startswith("#/definitions/"):
                raise ValueError(f"only local references can be inlined, not {reference}")
            return self.definition(unquote(reference.removeprefix("#/definitions/")))
        result: dict[str, Any] = {}
        for key, value in node.items():
            result[key] = value if key in _DATA_KEYWORDS else self._inline(value)
        if isinstance(result.get("anyOf"), list):
            result["anyOf"] = sorted(result["anyOf"], key=lambda branch: not _is_word_list(branch))
        if "propertyNames" in result:
            result["propertyNames"] = _names_or_uri(result["propertyNames"])
        return result


def _is_word_list(branch: Any) -> bool:
    return isinstance(branch, dict) and "enum" in branch and set(branch) <= {"enum", "type"}


def _is_uri(branch: Any) -> bool:
    return isinstance(branch, dict) and branch.get("format") == "uri" and set(branch) <= {"format", "type"}


def _alternatives(node: Any) -> list[Any] | None:
    """The leaves of nested `anyOf`s, or None when the node is anything else."""
    if isinstance(node, dict) and set(node) == {"anyOf"}:
        leaves: list[Any] = []
        for branch in node["anyOf"]:
            inner = _alternatives(branch)
            leaves.extend(inner if inner is not None else [branch])
        return leaves
    return None


def _names_or_uri(node: Any) -> Any:
    """`anyOf` of word lists and URIs, flattened to one word list and one URI check."""
    leaves = _alternatives(node)
    if not leaves or not all(_is_word_list(leaf) or _is_uri(leaf) for leaf in leaves):
        return node
    words: list[Any] = []
    for leaf in leaves:
        if _is_word_list(leaf):
            words.extend(word for word in leaf["enum"] if word not in words)
    branches: list[Any] = [{"enum": words}]
    if any(_is_uri(leaf) for leaf in leaves):
        branches.append({"type": "string", "format": "uri"})
    return {"anyOf": branches}
