"""Telling a request that a page of ours sent from one another site made a browser send."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from conference.services import Services


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: Request, services: Services) -> bool:
    """Refuse a POST that a browser says came from another site (a CSRF defence beside the
    SameSite=Lax cookie); clients that send neither header (curl, old browsers) pass."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    if origin == "null":
        # our pages send `Referrer-Policy: no-referrer`, under which browsers send `Origin: null`
        # even for same-origin form posts; Fetch Metadata still tells them apart
        return site == "same-origin"
    own = {
        origin_of(str(request.base_url)),
        *(o.lower() for o in services.settings.allowed_origins),
    }
    if services.settings.public_url:
        own.add(origin_of(services.settings.public_url))
    return origin.rstrip("/").lower() in own
