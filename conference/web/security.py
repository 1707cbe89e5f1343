"""The Content-Security-Policy of every response."""

from __future__ import annotations


def content_security_policy(style_nonce: str | None = None) -> str:
    """No third-party scripts or frames unless named here. A page that runs the notes editor
    allows its style elements by a nonce (CodeMirror injects its base styles)."""
    style = "'self'" + (f" 'nonce-{style_nonce}'" if style_nonce else "")
    return (
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: https:; "
        "connect-src 'self' https:; frame-src https://www.youtube-nocookie.com "
        f"https://player.vimeo.com; style-src {style}; script-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'self'"
    )
