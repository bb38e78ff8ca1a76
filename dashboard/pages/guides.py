"""The Guides pages: the guides shipped with a6sim (:mod:`a6sim.guides`), offline.

``/docs`` lists them, ``/docs/NAME`` shows one (the same text as ``a6sim docs NAME``).
Only guide names are looked up, never a path from the address. Links between guides
point at their pages; the README's pictures, which are not shipped, and links to
repository files are left out (their text stays).
"""
from __future__ import annotations

import re

import dash_bootstrap_components as dbc
from dash import dcc, html

from a6sim.guides import README, find_guide, guides

from ..components import page_title

__all__ = ["layout", "is_guide_path", "for_web", "PREFIX"]

PREFIX = "/docs"

_FENCE = re.compile(r"(```.*?```)", re.S)
_INLINE = re.compile(r"(`[^`\n]*`)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_MENTION = re.compile(r"(?<![\w/.-])(?:\.\./)?(?:docs/)?([\w-]+)\.md\b")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def is_guide_path(path: str | None) -> bool:
    return bool(path) and (path == PREFIX or path.startswith(PREFIX + "/"))


def _guide_href(target: str, names: set[str]) -> str | None:
    """The page of a link's target when it is a guide (``economics.md``, ``docs/x.md#part``,
    ``README.md``), else None."""
    file = target.split("#", 1)[0]
    name = file.rsplit("/", 1)[-1].removesuffix(".md")
    if not file.endswith(".md"):
        return None
    if name.lower() == README:
        return f"{PREFIX}/{README}" if README in names else None
    return f"{PREFIX}/{name}" if name in names else None


def _link(match: re.Match, names: set[str]) -> str:
    label, target = match.group(1), match.group(2)
    if target.startswith(("http://", "https://", "mailto:")):
        return match.group(0)
    href = _guide_href(target, names)
    return f"[{label}]({href})" if href else label   # a repository file or an anchor: its text only


def _mention(match: re.Match, names: set[str]) -> str:
    href = _guide_href(match.group(0), names)
    return f"[{match.group(0)}]({href})" if href else match.group(0)


def _mentions(text: str, names: set[str]) -> str:
    """Bare mentions of a guide file become links; in inline code, only a span that is just the
    file name (`` `docs/economics.md` ``) does, the code kept inside the link."""
    parts = _INLINE.split(text)
    for i, part in enumerate(parts):
        if i % 2 == 0:
            parts[i] = _MENTION.sub(lambda m: _mention(m, names), part)
        else:
            href = _guide_href(part.strip("`"), names) if _MENTION.fullmatch(part.strip("`")) else None
            parts[i] = f"[{part}]({href})" if href else part
    return "".join(parts)


def for_web(text: str, names: set[str]) -> str:
    """A guide's markdown for its page: links between guides point at ``/docs/NAME``, a bare
    mention of a guide file (``docs/economics.md``) becomes a link; pictures, HTML
    comments and links to repository files go (their text stays). Code blocks are left as written."""
    parts = _FENCE.split(_COMMENT.sub("", text))
    for i in range(0, len(parts), 2):   # the even parts are outside code blocks
        part = _IMAGE.sub("", parts[i])
        pieces = _LINK.sub(lambda m: "\0" + _link(m, names) + "\0", part).split("\0")
        for j in range(0, len(pieces), 2):   # outside the links
            pieces[j] = _mentions(pieces[j], names)
        parts[i] = "".join(pieces)
    return "".join(parts)


def _index() -> html.Div:
    return html.Div([
        page_title("Guides", "Shipped with a6sim, readable offline; also on the command line: a6sim docs NAME."),
        html.Ul([html.Li([dcc.Link(g.title, href=f"{PREFIX}/{g.name}"), html.Span(f"  (a6sim docs {g.name})",
                                                                              className="text-muted")])
                 for g in guides()], id="guide-list", className="a6-guide-list"),
    ])


def layout(path: str) -> html.Div:
    """``/docs``: the list; ``/docs/NAME``: that guide; anything else under /docs: not found."""
    name = path[len(PREFIX):].strip("/")
    if not name:
        return _index()
    guide = find_guide(name) if "/" not in name else None
    if guide is None:
        return dbc.Alert([f"No guide named {name!r}. ", dcc.Link("The guides", href=PREFIX)], color="warning")
    names = {g.name for g in guides()}
    return html.Div([
        html.Div([dcc.Link("Guides", href=PREFIX), html.Span(f" · a6sim docs {guide.name}", className="text-muted")],
                 className="a6-guide-crumbs mb-2"),
        dcc.Markdown(for_web(guide.text(), names), id="guide-text", className="a6-guide", link_target="_self"),
    ])
