"""Text from a file is data, never markup.

Qt guesses whether a string is HTML (``Qt.mightBeRichText``) in labels and
tooltips, so a title like ``<img src=...>`` would be rendered. Where Qt may
guess, we hand it escaped HTML, which shows the characters exactly as
written; elsewhere widgets are set to plain text explicitly.
"""

from __future__ import annotations

import html


def escape(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def as_rich_plain(text: str) -> str:
    """A rich-text string that displays ``text`` literally, line breaks kept."""
    return "<p style='white-space:pre-wrap'>" + escape(text) + "</p>"
