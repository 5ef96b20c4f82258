"""Java regular expressions (``java.util.regex``) on Python's ``re``.

``util.matches`` and the Java ``String`` methods templates call (``matches``, ``replaceAll``,
``replaceFirst``, ``split``) take Java patterns and Java replacement strings. The two dialects
agree on almost everything; this translates the parts that differ: ``\\Q…\\E`` quoting, named
groups ``(?<name>…)``, the POSIX ``\\p{…}`` classes, and ``$1`` / ``${name}`` in replacements.
"""

from __future__ import annotations

import re
from functools import lru_cache

POSIX_CLASSES = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7f",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0b\\f\\r",
    "L": "^\\W\\d_",
    "IsAlphabetic": "^\\W\\d_",
    "javaLowerCase": "a-z",
    "javaUpperCase": "A-Z",
}


class JavaRegexError(ValueError):
    """A pattern Java would reject (or this translation cannot express)."""


@lru_cache(maxsize=512)
def java_pattern(pattern: str) -> re.Pattern[str]:
    """The compiled Python equivalent of a Java pattern."""
    try:
        return re.compile(_translate(pattern))
    except re.error as exc:
        raise JavaRegexError(f"Invalid regular expression {pattern!r}: {exc}") from exc


def _translate(pattern: str) -> str:
    out: list[str] = []
    index = 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            following = pattern[index + 1]
            if following == "Q":
                end = pattern.find("\\E", index + 2)
                quoted = pattern[index + 2 :] if end < 0 else pattern[index + 2 : end]
                out.append(re.escape(quoted))
                index = len(pattern) if end < 0 else end + 2
                continue
            if following in "pP" and index + 2 < len(pattern) and pattern[index + 2] == "{":
                end = pattern.find("}", index + 3)
                name = pattern[index + 3 : end] if end > 0 else ""
                name = name[2:] if name.startswith("Is") and name[2:] in POSIX_CLASSES else name
                if name not in POSIX_CLASSES:
                    raise JavaRegexError(f"Unsupported character class \\{following}{{{name}}}")
                members = POSIX_CLASSES[name]
                negated = following == "P"
                if members.startswith("^"):  # a class defined by exclusion
                    members, negated = members[1:], not negated
                if in_class:
                    if negated:
                        raise JavaRegexError(f"Unsupported negated class \\{following}{{{name}}} inside [...]")
                    out.append(members)
                else:
                    out.append(f"[{'^' if negated else ''}{members}]")
                index = end + 1
                continue
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "(" and not in_class and pattern.startswith("(?<", index) and pattern[index + 3 : index + 4] not in ("=", "!"):
            out.append("(?P<")
            index += 3
            continue
        out.append(char)
        index += 1
    return "".join(out)


def java_replacement(replacement: str) -> str:
    """A Java replacement string (``$1``, ``${name}``, ``\\$``) as a Python ``re.sub`` template."""
    out: list[str] = []
    index = 0
    while index < len(replacement):
        char = replacement[index]
        if char == "\\" and index + 1 < len(replacement):
            out.append(replacement[index + 1].replace("\\", "\\\\"))
            index += 2
        elif char == "$":
            if replacement.startswith("${", index):
                end = replacement.index("}", index)
                out.append(f"\\g<{replacement[index + 2 : end]}>")
                index = end + 1
            else:
                match = re.match(r"\d+", replacement[index + 1 :])
                if match is None:
                    raise JavaRegexError("Illegal group reference in replacement")
                out.append(f"\\g<{match.group()}>")
                index += 1 + len(match.group())
        else:
            out.append("\\\\" if char == "\\" else char)
            index += 1
    return "".join(out)


def java_split(text: str, pattern: str, limit: int = 0) -> list[str]:
    """``String.split(regex, limit)``: trailing empty strings dropped when ``limit`` is 0, a
    leading empty string dropped when the first match is zero-width at the start."""
    compiled = java_pattern(pattern)
    parts: list[str] = []
    start = 0
    for match in compiled.finditer(text):
        if limit > 0 and len(parts) == limit - 1:
            break
        if match.end() == 0:
            continue  # a zero-width match at the start yields no leading empty string
        if match.start() == match.end() and match.start() >= len(text):
            break
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    if limit == 0:
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        if parts == [""] and text:
            return []
    return parts
