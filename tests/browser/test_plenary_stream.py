"""YouTube and Vimeo streams load only after the viewer consents, through privacy embeds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Route, expect

from conference.auth.roles import Role
from tests.browser.people import join
from tests.fixtures.live_server import EVENT_FILE, LiveServer, start_servers, stop_servers

STREAMS = {
    "youtube": (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    "vimeo": ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
}


@pytest.fixture(scope="module", params=sorted(STREAMS))
def embed_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, LiveServer]]:
    """A server whose event streams from YouTube or Vimeo."""
    kind = request.param
    directory = tmp_path_factory.mktemp(f"stream-{kind}")
    text = EVENT_FILE.read_text(encoding="utf-8")
    text = re.sub(
        r'\[stream\]\nkind = "hls"\nurl = "[^"]*"',
        f'[stream]\nkind = "{kind}"\nurl = "{STREAMS[kind][0]}"',
        text,
    )
    assert f'kind = "{kind}"' in text
    event_file = Path(directory) / "event.toml"
    event_file.write_text(text, encoding="utf-8")
    server = start_servers(directory, extra_env={"CONFERENCE_EVENT_FILE": str(event_file)})
    yield kind, server
    stop_servers(server)


async def test_the_embed_loads_only_after_consent(
    embed_server: tuple[str, LiveServer], new_context
) -> None:
    kind, server = embed_server
    _, token = await server.person(name="Vivi Video")
    third_party: list[str] = []

    async def record(route: Route) -> None:
        third_party.append(route.request.url)
        await route.fulfill(status=200, content_type="text/html", body="<p>player</p>")

    page = await join(new_context, server, token)
    await page.context.route(
        re.compile(r"https://([a-z]+\.)?(youtube|youtube-nocookie|vimeo)\.com/.*"), record
    )
    # the demo event is in the future: a moderator starting the agenda ends the countdown
    await expect(page.locator("#stream-countdown")).to_be_visible()
    await expect(page.locator("#stream-countdown")).to_contain_text(
        "beginnt am Dienstag, 16. März 2027"
    )
    await expect(page.locator("#countdown-value")).to_have_text(
        re.compile(r"^\d+ T\., \d\d:\d\d:\d\d$")
    )
    await expect(page.locator(".agenda-item")).to_have_count(7)
    _, mod_token = await server.person(Role.MODERATOR, name="Mod")
    mod = await join(new_context, server, mod_token)
    await mod.locator("#agenda-next").click()
    consent = page.locator("#stream-consent")
    await expect(consent).to_be_visible()
    await expect(page.locator("iframe")).to_have_count(0)
    assert third_party == []
    await consent.get_by_role("button").click()
    frame = page.locator("#stream-embed iframe")
    await expect(frame).to_have_attribute("src", re.compile("^" + re.escape(STREAMS[kind][1])))
    await expect(page.locator("#stream-embed")).to_be_visible()
    assert all(url.startswith(STREAMS[kind][1]) for url in third_party)


PLAYLIST = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXTINF:4.0,
segment0.ts
"""


async def test_an_hls_stream_plays_through_hls_js(
    memory_server: LiveServer, new_context, connect
) -> None:
    _, token = await memory_server.person(name="Hanna HLS")
    _, mod_token = await memory_server.person(Role.MODERATOR, name="Mod HLS")
    moderator = await connect(memory_server.url, mod_token)
    current = (await moderator.ok("room:join", {"room": "plenary"}))["event"]["current_item"]
    if current is None:  # start the day, so the page shows the stream and not the countdown
        await moderator.ok("agenda:set", {"item": "begruessung"})
    context = await new_context()
    segments: list[str] = []

    async def playlist(route: Route) -> None:
        await route.fulfill(status=200, content_type="application/vnd.apple.mpegurl", body=PLAYLIST)

    async def segment(route: Route) -> None:
        segments.append(route.request.url)
        await route.fulfill(status=404, body="")

    await context.route("**/stream/offline.m3u8", playlist)
    await context.route("**/stream/segment0.ts", segment)
    page = await context.new_page()
    await page.goto(f"{memory_server.url}/join/{token}")
    video = page.locator("#stream-video")
    await expect(video).to_be_visible()
    await expect(video).to_have_attribute("src", re.compile(r"^blob:"))  # MediaSource by hls.js
    for _ in range(50):
        if segments:
            break
        await page.wait_for_timeout(100)
    assert segments, "hls.js did not ask for the playlist's segment"
    await expect(page.locator("#stream-offline")).to_be_hidden()
