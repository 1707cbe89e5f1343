"""Captions of the live stream (WCAG 1.2.4): WebVTT subtitle tracks inside the HLS manifest,
or a sidecar WebVTT file named in the event file; the player offers them as text tracks."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Route, expect

from conference.auth.roles import Role
from tests.browser.people import join
from tests.fixtures.live_server import EVENT_FILE, LiveServer, start_servers, stop_servers

STREAM = "https://stream.example/live/master.m3u8"
SIDECAR = "https://stream.example/live/untertitel.vtt"
CORS = {"access-control-allow-origin": "*"}
VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:30.000\nWillkommen zur Auftaktveranstaltung.\n"
SUBTITLES = (
    '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Deutsch (Untertitel)",LANGUAGE="de",'
    'DEFAULT=YES,AUTOSELECT=YES,URI="subs.m3u8"\n'
)
VARIANT = (
    '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.42e01e,mp4a.40.2"'
    "{subtitles}\nvideo.m3u8\n"
)
PLAYLIST = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:30
#EXT-X-MEDIA-SEQUENCE:0
#EXTINF:30.0,
{segment}
#EXT-X-ENDLIST
"""


@pytest.fixture(scope="module", params=["in-stream", "sidecar"])
def captioned_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, LiveServer]]:
    kind = request.param
    directory = tmp_path_factory.mktemp(f"captions-{kind}")
    captions = "in-stream" if kind == "in-stream" else SIDECAR
    text = re.sub(
        r'\[stream\]\nkind = "hls"\nurl = "[^"]*"',
        f'[stream]\nkind = "hls"\nurl = "{STREAM}"\ncaptions = "{captions}"',
        EVENT_FILE.read_text(encoding="utf-8"),
    )
    event_file = Path(directory) / "event.toml"
    event_file.write_text(text, encoding="utf-8")
    server = start_servers(directory, extra_env={"CONFERENCE_EVENT_FILE": str(event_file)})
    yield kind, server
    stop_servers(server)


def stream_host(kind: str) -> Callable[[Route], Awaitable[None]]:
    """The organiser's streaming host, answered by the test (no request leaves the machine):
    a manifest with a subtitle track, or without one when the captions are a sidecar file."""

    async def serve(route: Route) -> None:
        url, playlist = route.request.url, "application/vnd.apple.mpegurl"
        if url.endswith("master.m3u8"):
            if kind == "in-stream":
                master = "#EXTM3U\n" + SUBTITLES + VARIANT.format(subtitles=',SUBTITLES="subs"')
            else:
                master = "#EXTM3U\n" + VARIANT.format(subtitles="")
            await route.fulfill(body=master, content_type=playlist)
        elif url.endswith("subs.m3u8"):
            await route.fulfill(body=PLAYLIST.format(segment="subs0.vtt"), content_type=playlist)
        elif url.endswith("video.m3u8"):
            await route.fulfill(body=PLAYLIST.format(segment="video0.ts"), content_type=playlist)
        elif url.endswith(".vtt"):
            await route.fulfill(body=VTT, content_type="text/vtt", headers=CORS)
        else:
            await route.fulfill(status=404, body="")

    return serve


async def test_the_player_offers_the_captions(
    captioned_server: tuple[str, LiveServer], new_context
) -> None:
    kind, server = captioned_server
    _, token = await server.person(name="Uta Untertitel")
    page = await join(new_context, server, token)
    # the accessibility statement does not report a stream without captions
    statement = await page.context.new_page()
    await statement.goto(server.url + "/accessibility")
    await expect(statement.locator("[data-issue='no_sign_language']")).to_have_count(1)
    await expect(statement.locator("[data-issue='captions']")).to_have_count(0)
    await page.context.route(re.compile(r"https://stream\.example/.*"), stream_host(kind))
    _, mod_token = await server.person(Role.MODERATOR, name="Mod")
    mod = await join(new_context, server, mod_token)
    await mod.locator("#agenda-next").click()  # the programme starts: the player loads
    video = page.locator("#stream-video")
    if kind == "sidecar":
        track = video.locator("track")
        await expect(track).to_have_attribute("kind", "captions")
        await expect(track).to_have_attribute("src", SIDECAR)
        await expect(track).to_have_attribute("srclang", "de")
        await expect(track).to_have_attribute("label", "Deutsch")
    expected = "subtitles:Deutsch (Untertitel):de" if kind == "in-stream" else "captions:Deutsch:de"
    await page.wait_for_function(
        """(expected) => [...document.getElementById("stream-video").textTracks]
            .some((t) => `${t.kind}:${t.label}:${t.language}` === expected)""",
        arg=expected,
        timeout=10_000,
    )
    if kind == "in-stream":
        return  # hls.js times subtitle cues by the video's own timestamps: no video, no cues
    # … and reads the sidecar's cues from the organiser's host (which allows it by CORS)
    await page.wait_for_function(
        """(expected) => [...document.getElementById("stream-video").textTracks].some((t) =>
            `${t.kind}:${t.label}:${t.language}` === expected && t.cues && [...t.cues]
            .some((cue) => cue.text === "Willkommen zur Auftaktveranstaltung."))""",
        arg=expected,
        timeout=10_000,
    )
