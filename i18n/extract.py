"""A Babel extraction method for texts inside our JSON data files.

Form definitions (`resources/forms/*.json`), the measure catalogue, rules and
office lists carry English texts that are msgids of the `forms` catalog. The
mapping files (`i18n/babel-forms.cfg`) name this function as the method:

    [i18n.extract:extract_json: resources/forms/**.json]
    keys = label, title, text, help

Any string value under one of `keys` (anywhere in the document, at any depth)
is extracted; a list of strings under such a key is extracted item by item.
Keys starting with `_` are ignored (comments). A sibling key
`translator_comment` (or `_translator`) becomes the translator comment of the
texts in the same object. Line numbers are found by locating the JSON-encoded
string in the file, so references in the catalog point at the right line.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

DEFAULT_KEYS = (
    "label", "title", "text", "help", "hint", "description", "prompt", "question",
    "placeholder", "short_label", "unit", "intro", "note", "statement", "heading",
    "subtitle", "explanation", "directions", "message", "summary", "caption",
    "option_label", "other_label", "yes_label", "no_label", "chronicle", "pattern_message",
    "proof_label", "add_label", "languages",
)
COMMENT_KEYS = ("translator_comment", "_translator")


def _keys(options: dict | None) -> set[str]:
    raw = (options or {}).get("keys")
    if not raw:
        return set(DEFAULT_KEYS)
    return {k.strip() for k in str(raw).replace("\n", ",").split(",") if k.strip()}


def iter_texts(doc: Any, keys: set[str]) -> Iterator[tuple[str, list[str]]]:
    """(text, translator comments) for every translatable string in a parsed JSON document."""
    if isinstance(doc, dict):
        comment = next((doc[k] for k in COMMENT_KEYS if isinstance(doc.get(k), str)), None)
        comments = [comment] if comment else []
        for key, value in doc.items():
            if key.startswith("_"):
                continue
            if key in keys:
                if isinstance(value, str) and value.strip():
                    yield value, comments
                    continue
                if isinstance(value, list) and all(isinstance(v, str) for v in value):
                    for item in value:
                        if item.strip():
                            yield item, comments
                    continue
            yield from iter_texts(value, keys)
    elif isinstance(doc, list):
        for item in doc:
            yield from iter_texts(item, keys)


def extract_json(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method: (lineno, funcname, message, comments) per translatable text."""
    raw = fileobj.read()
    text = raw.decode((options or {}).get("encoding", "utf-8")) if isinstance(raw, bytes) else raw
    doc = json.loads(text)
    cursor = 0
    for message, comments in iter_texts(doc, _keys(options)):
        lineno = 1
        for needle in (json.dumps(message, ensure_ascii=False), json.dumps(message)):
            pos = text.find(needle, cursor)
            if pos < 0:
                pos = text.find(needle)
            if pos >= 0:
                lineno = text.count("\n", 0, pos) + 1
                cursor = pos
                break
        yield lineno, None, message, list(comments)
