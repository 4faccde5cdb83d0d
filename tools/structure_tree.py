"""Print a tagged PDF's structure tree as an indented outline: what a screen reader gets.

    python tools/structure_tree.py FILE.pdf [--page N] [--spans]

Each line is a structure element (its role, then its alt text, scope or language when it
has one); ``--page N`` keeps the elements with content on page N and their ancestors, and
the inline Span and NonStruct wrappers are left out unless ``--spans``.
"""

from __future__ import annotations

import argparse

import pikepdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf")
    parser.add_argument("--page", type=int, help="only what lies on this page (1-based)")
    parser.add_argument("--spans", action="store_true", help="show inline Span wrappers too")
    args = parser.parse_args()
    hidden = set() if args.spans else {"/Span", "/NonStruct"}
    with pikepdf.open(args.pdf) as pdf:
        page = pdf.pages[args.page - 1].obj.objgen if args.page else None
        for depth, line in _outline(pdf.Root.StructTreeRoot, 0, page, hidden):
            print("  " * depth + line)


def _outline(
    node: pikepdf.Object, depth: int, page: tuple[int, int] | None, hidden: set[str]
) -> list[tuple[int, str]]:
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    lines = []
    for kid in kids:
        if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
            continue
        shown = str(kid.S) not in hidden
        below = _outline(kid, depth + 1 if shown else depth, page, hidden)
        on_page = "/Pg" in kid and kid.Pg.objgen == page
        if shown and (page is None or on_page or below):
            lines.append((depth, _describe(kid)))
        if page is None or on_page or below:
            lines += below
    return lines


def _describe(element: pikepdf.Dictionary) -> str:
    parts = [str(element.S).lstrip("/")]
    if "/Alt" in element:
        parts.append(f'alt="{str(element.Alt)[:70]}…"')
    attributes = element.get("/A")
    if isinstance(attributes, pikepdf.Dictionary) and "/Scope" in attributes:
        parts.append(f"scope={str(attributes.Scope).lstrip('/')}")
    if "/Lang" in element:
        parts.append(f"lang={element.Lang}")
    return " ".join(parts)


if __name__ == "__main__":
    main()
