"""Names Amplify derives from type and field names: plurals, camel case, operation names.

Generated names are part of the API clients call (``listPosts``, ``postsByTitle``), so they must
match the cloud letter for letter. v2 pluralises English-aware (the npm ``pluralize`` rules);
v1 without ``improvePluralization`` just appends ``s``.

The English word lists below are data from the npm package ``pluralize`` (MIT License,
Copyright (c) 2013 Blake Embrey), which Amplify's transformer uses; they are reproduced so that
names match the cloud letter for letter. See THIRD_PARTY_NOTICES.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

_IRREGULAR: dict[str, str] = {
    "i": "we", "me": "us", "he": "they", "she": "they", "them": "them", "myself": "ourselves",
    "yourself": "yourselves", "itself": "themselves", "herself": "themselves", "himself": "themselves",
    "themself": "themselves", "is": "are", "was": "were", "has": "have", "this": "these", "that": "those",
    "echo": "echoes", "dingo": "dingoes", "graffito": "graffiti", "volcano": "volcanoes", "tornado": "tornadoes",
    "torpedo": "torpedoes", "genus": "genera", "viscus": "viscera", "stigma": "stigmata", "stoma": "stomata",
    "dogma": "dogmata", "lemma": "lemmata", "schema": "schemata", "anathema": "anathemata", "ox": "oxen",
    "axe": "axes", "die": "dice", "yes": "yeses", "foot": "feet", "eave": "eaves", "goose": "geese",
    "tooth": "teeth", "quiz": "quizzes", "human": "humans", "proof": "proofs", "carve": "carves",
    "valve": "valves", "looey": "looies", "thief": "thieves", "groove": "grooves", "pickaxe": "pickaxes",
    "passerby": "passersby",
}
_IRREGULAR_PLURALS = frozenset(_IRREGULAR.values())

_UNCOUNTABLE_WORDS = frozenset(
    """adulthood advice agenda aid aircraft alcohol ammo analytics anime athletics audio bison blood bream
    buffalo butter carp cash chassis chess clothing cod commerce cooperation corps debris diabetes digestion
    elk energy equipment excretion expertise firmware flounder fun gallows garbage hardware headquarters
    health herpes highjinks homework housework information jeans justice kudos labour literature machinery
    mackerel mail media mews moose music mud manga news only personnel pike plankton pliers police pollution
    premises rain research rice salmon scissors series sewage shambles shrimp software staff swine tennis
    traffic transportation trout tuna wealth welfare whiting wildebeest wildlife you""".split()
)

# (pattern, replacement) in priority order: the first match wins. "$0" keeps the match as it is.
_PLURAL_RULES: tuple[tuple[str, str], ...] = (
    (r"pok[eé]mon$", "$0"), (r"[^aeiou]ese$", "$0"), (r"deer$", "$0"), (r"fish$", "$0"),
    (r"measles$", "$0"), (r"o[iu]s$", "$0"), (r"pox$", "$0"), (r"sheep$", "$0"),
    (r"^thou$", "you"),
    (r"m[ae]n$", "men"),
    (r"eaux$", "$0"),
    (r"(child)(?:ren)?$", "$1ren"),
    (r"(pe)(?:rson|ople)$", "$1ople"),
    (r"\b((?:tit)?m|l)(?:ice|ouse)$", "$1ice"),
    (r"(matr|cod|mur|sil|vert|ind|append)(?:ix|ex)$", "$1ices"),
    (r"(x|ch|ss|sh|zz)$", "$1es"),
    (r"([^ch][ieo][ln])ey$", "$1ies"),
    (r"([^aeiouy]|qu)y$", "$1ies"),
    (r"(?:(kni|wi|li)fe|(ar|l|ea|eo|oa|hoo)f)$", "$1$2ves"),
    (r"sis$", "ses"),
    (r"(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat)(?:a|on)$", "$1a"),
    (r"(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor)"
     r"(?:a|um)$", "$1a"),
    (r"(her|at|gr)o$", "$1oes"),
    (r"(seraph|cherub)(?:im)?$", "$1im"),
    (r"(alumn|alg|vertebr)(?:a|ae)$", "$1ae"),
    (r"(alumn|syllab|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat)(?:us|i)$", "$1i"),
    (r"([^l]ias|[aeiou]las|[ejzr]as|[iu]am)$", "$1"),
    (r"(e[mn]u)s?$", "$1s"),
    (r"(alias|[^aou]us|t[lm]as|gas|ris)$", "$1es"),
    (r"(ax|test)is$", "$1es"),
    (r"([^aeiou]ese)$", "$1"),
    (r"[^\x00-\x7f]$", "$0"),
    (r"s?$", "s"),
)
_COMPILED_RULES = tuple((re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement in _PLURAL_RULES)


def _match_case(original: str, replacement: str) -> str:
    """Give ``replacement`` the letter case of ``original`` (lower, UPPER or Title)."""
    if original == replacement:
        return replacement
    if original == original.lower():
        return replacement.lower()
    if original == original.upper():
        return replacement.upper()
    if original[:1] == original[:1].upper():
        return replacement[:1].upper() + replacement[1:].lower()
    return replacement.lower()


def _expand(replacement: str, match: re.Match[str]) -> str:
    def group(ref: re.Match[str]) -> str:
        index = int(ref.group(1))
        return (match.group(index) if index <= (match.re.groups or 0) else "") or ""
    return re.sub(r"\$(\d{1,2})", group, replacement)


def english_plural(word: str) -> str:
    """The plural the npm ``pluralize`` package gives (Amplify v2's ``plurality(name, true)``)."""
    token = word.lower()
    if not token.strip():
        return word
    if token in _IRREGULAR_PLURALS:
        return _match_case(word, token)
    if token in _IRREGULAR:
        return _match_case(word, _IRREGULAR[token])
    if token in _UNCOUNTABLE_WORDS:
        return word
    for pattern, replacement in _COMPILED_RULES:
        match = pattern.search(word)
        if match is None:
            continue
        result = _expand(replacement, match)
        start, end = match.span()
        if start == end:
            cased = _match_case(word[start - 1] if start else "", result)
        else:
            cased = _match_case(match.group(0), result)
        return word[:start] + cased + word[end:]
    return word


def plural(word: str, improve_pluralization: bool) -> str:
    """Amplify's ``plurality``: English-aware, or v1's plain ``s`` suffix."""
    if not word.strip():
        return ""
    return english_plural(word) if improve_pluralization else word + "s"


def upper_first(word: str) -> str:
    return word[:1].upper() + word[1:]


def lower_first(word: str) -> str:
    return word[:1].lower() + word[1:]


def camel_case(words: list[str] | tuple[str, ...]) -> str:
    """``["Blog", "posts", "id"]`` -> ``"blogPostsId"`` (empty words skipped)."""
    kept = [w for w in words if w]
    return "".join(lower_first(w) if i == 0 else upper_first(w) for i, w in enumerate(kept))


def graphql_name(value: str) -> str:
    """Strip characters a GraphQL name cannot hold (leading non-letters, punctuation)."""
    return re.sub(r"^[^_A-Za-z]+|[^_0-9A-Za-z]", "", value)


def _truncated_subscription(name: str) -> str:
    if len(name) <= 50:
        return name
    return name[:45] + hashlib.md5(name.encode()).hexdigest()[:5]


def operation_name(operation: str, type_name: str, improve_pluralization: bool) -> str:
    """Default root-field name for a model operation (``getPost``, ``listPosts``, ``onCreatePost``)."""
    makers: dict[str, Callable[[str], str]] = {
        "list": lambda t: camel_case(["list", plural(t, improve_pluralization)]),
        "sync": lambda t: camel_case(["sync", plural(t, improve_pluralization)]),
        "onCreate": lambda t: _truncated_subscription(camel_case(["onCreate", t])),
        "onUpdate": lambda t: _truncated_subscription(camel_case(["onUpdate", t])),
        "onDelete": lambda t: _truncated_subscription(camel_case(["onDelete", t])),
    }
    maker = makers.get(operation, lambda t: camel_case([operation, t]))
    return maker(type_name)
