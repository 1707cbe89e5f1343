"""The stage over sockets: the moderators choose what the stream shows (a poll with or without
its results, the pinned question, a word cloud, the results gallery, the holding slide); the
presenter views follow through stage:changed, on every process and after a restart."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures.live_server import Client, LiveServer, start_servers, stop_servers
from tests.polls.helpers import moderator, open_poll, participant, presenter_view, ref


async def _staged(mod: Client, presenter: Client, payload: dict[str, Any]) -> dict[str, Any]:
    """Set the stage; both the console and the presenter view hear of it."""
    mod.mark()
    presenter.mark()
    stage: dict[str, Any] = (await mod.ok("stage:set", payload))["stage"]
    for client in (mod, presenter):
        await client.wait_for("stage:changed", lambda d: d["stage"]["version"] == stage["version"])
    return stage


async def test_the_presenter_view_follows_the_stage(live: LiveServer, connect: Any) -> None:
    mod = await moderator(live, connect)
    voter = await participant(live, connect)
    presenter = await presenter_view(live, connect)

    # opening a plenary poll puts it on the stream, with its results once they are public
    presenter.mark()
    cloud = await open_poll(mod, kind="wordcloud", question="Was zeichnet Sie aus?")
    changed = await presenter.wait_for("stage:changed", lambda d: d["stage"]["id"] == cloud["id"])
    assert changed["stage"]["kind"] == "wordcloud"
    assert changed["stage"]["results"] is True
    await voter.ok("poll:vote", {**ref(cloud), "words": ["Attraktiver Arbeitgeber"]})
    view = await presenter.ok("presenter:join", {"room": "plenary"})
    assert view["poll"]["id"] == cloud["id"]
    assert view["results"]["words"][0]["word"] == "Attraktiver Arbeitgeber"
    snapshot = await mod.ok("room:join", {"room": "plenary"})
    assert snapshot["stage"]["stage"]["id"] == cloud["id"]

    # the question only: the poll stays, its results leave the stream
    stage = await _staged(mod, presenter, {"kind": "poll", "id": cloud["id"], "results": False})
    assert stage == {**stage, "kind": "poll", "id": cloud["id"], "results": False}
    view = await presenter.ok("presenter:join", {})
    assert view["poll"]["id"] == cloud["id"]
    assert view["results"] is None

    # the results gallery, then the holding slide with the event's title
    await _staged(mod, presenter, {"kind": "gallery"})
    view = await presenter.ok("presenter:join", {})
    assert view["stage"]["kind"] == "gallery"
    assert isinstance(view["cards"], list)
    assert view["poll"] is None
    await _staged(mod, presenter, {"kind": "nothing"})
    view = await presenter.ok("presenter:join", {})
    assert (view["poll"], view["question"], view["cards"]) == (None, None, None)
    assert view["title"]

    # a participant's snapshot has no stage; participants and presenter views cannot set it
    assert (await voter.ok("room:join", {"room": "plenary"}))["stage"] == {}
    await voter.refused("stage:set", {"kind": "gallery"}, "auth.forbidden")
    await presenter.refused("stage:set", {"kind": "gallery"}, "auth.forbidden")


async def test_only_what_was_opened_or_approved_goes_on_the_stage(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    asker = await participant(live, connect)
    draft = (
        await mod.ok(
            "poll:create",
            {"room": "plenary", "kind": "single", "question": "Entwurf?", "options": ["a", "b"]},
        )
    )["poll"]
    single = await open_poll(mod, kind="single", question="Offen?", options=["a", "b"])
    held = (await asker.ok("question:ask", {"room": "plenary", "body": "Noch gehalten?"}))[
        "question"
    ]
    await mod.refused("stage:set", {"kind": "poll", "id": draft["id"]}, "stage.not_found")
    await mod.refused("stage:set", {"kind": "poll", "id": "nothing-here"}, "stage.not_found")
    await mod.refused("stage:set", {"kind": "question", "id": held["id"]}, "stage.not_found")
    await mod.refused("stage:set", {"kind": "wordcloud", "id": single["id"]}, "stage.not_wordcloud")
    await mod.refused("stage:set", {"kind": "poll"}, "payload.invalid")
    await mod.refused("stage:set", {"kind": "gallery", "id": single["id"]}, "payload.invalid")
    await mod.refused("stage:set", {"kind": "everything"}, "payload.invalid")


async def test_a_question_on_the_stream_leaves_it_when_answered(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    asker = await participant(live, connect, name="Frieda Fragend")
    presenter = await presenter_view(live, connect)
    asked = await asker.ok("question:ask", {"room": "plenary", "body": "Wer fördert das?"})
    question = asked["question"]
    qref = {"room": "plenary", "id": question["id"]}
    await mod.ok("question:approve", qref)

    # putting it on the stage pins it: the plenary sees it pinned
    asker.mark()
    stage = await _staged(mod, presenter, {"kind": "question", "id": question["id"]})
    pinned = await asker.wait_for("question:pinned", lambda d: d["id"] == question["id"])
    assert pinned["question"]["pinned"] is True
    view = await presenter.ok("presenter:join", {})
    assert view["question"]["id"] == question["id"]
    assert view["question"]["body"] == "Wer fördert das?"

    # answered: unpinned in the plenary, off the stream
    asker.mark()
    presenter.mark()
    answered = await mod.ok("question:answered", {**qref, "value": True})
    assert answered["question"]["status"] == "answered"
    assert answered["question"]["pinned"] is False
    await asker.wait_for("question:pinned", lambda d: d["id"] is None)
    cleared = await presenter.wait_for(
        "stage:changed", lambda d: d["stage"]["version"] > stage["version"]
    )
    assert cleared["stage"]["kind"] == "nothing"
    assert (await presenter.ok("presenter:join", {}))["question"] is None

    # pinning from the questions' list puts it on the stream too; unpinning takes it off
    presenter.mark()
    await mod.ok("question:pin", {**qref, "value": True})
    on = await presenter.wait_for("stage:changed", lambda d: d["stage"]["kind"] == "question")
    presenter.mark()
    await mod.ok("question:pin", {**qref, "value": False})
    off = await presenter.wait_for(
        "stage:changed", lambda d: d["stage"]["version"] > on["stage"]["version"]
    )
    assert off["stage"]["kind"] == "nothing"


async def test_deleting_the_poll_on_the_stream_shows_the_holding_slide(
    live: LiveServer, connect: Any
) -> None:
    mod = await moderator(live, connect)
    presenter = await presenter_view(live, connect)
    poll = await open_poll(mod, kind="rating", question="Gelöscht?")
    stage = (await presenter.ok("presenter:join", {}))["stage"]
    assert stage["id"] == poll["id"]
    presenter.mark()
    await mod.ok("poll:delete", ref(poll))
    cleared = await presenter.wait_for(
        "stage:changed", lambda d: d["stage"]["version"] > stage["version"]
    )
    assert cleared["stage"]["kind"] == "nothing"


async def test_a_workshop_rooms_presenter_view_follows_its_room(
    live: LiveServer, connect: Any
) -> None:
    """A workshop room has no stage of its own: its pinned question, else its poll opened last."""
    mod = await moderator(live, connect)
    presenter = await presenter_view(live, connect)
    room = "vernetzung"
    created = await mod.ok(
        "poll:create", {"room": room, "kind": "rating", "question": "Wie war der Workshop?"}
    )
    opened = await mod.ok("poll:open", {"room": room, "id": created["poll"]["id"]})
    view = await presenter.ok("presenter:join", {"room": room})
    assert view["stage"]["kind"] == "poll"
    assert view["poll"]["id"] == opened["poll"]["id"]
    assert view["results"]["poll_id"] == opened["poll"]["id"]
    plenary = await presenter.ok("presenter:join", {"room": "plenary"})
    assert plenary["stage"]["id"] != opened["poll"]["id"]  # the plenary's stage is its own
    await mod.ok("poll:delete", {"room": room, "id": opened["poll"]["id"]})


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own, restarted by the test."""
    server = start_servers(tmp_path_factory.mktemp("stage"))
    yield server
    stop_servers(server)


async def test_the_stage_survives_a_restart(own_server: LiveServer, connect: Any) -> None:
    mod = await moderator(own_server, connect)
    await mod.ok("stage:set", {"kind": "gallery"})
    own_server.restart(0)
    presenter = await presenter_view(own_server, connect)
    view = await presenter.ok("presenter:join", {})
    assert view["stage"]["kind"] == "gallery"
