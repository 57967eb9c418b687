"""lib.fragments: pieces of HTML kept by key, the least recently shown dropped first."""

from __future__ import annotations

from markupsafe import Markup

from coursehub.lib.fragments import Fragments


def test_a_piece_is_made_once_and_the_least_recently_shown_goes_first():
    made: list[str] = []

    def maker(text: str):
        def make() -> Markup:
            made.append(text)
            return Markup("<p>{}</p>").format(text)

        return make

    kept = Fragments(size=2)
    assert kept.get("a", maker("a")) == Markup("<p>a</p>")
    assert kept.get("b", maker("b")) == Markup("<p>b</p>")
    assert kept.get("a", maker("a again")) == Markup("<p>a</p>")  # kept: not made again
    kept.get("c", maker("c"))  # full: "b" was shown longest ago and goes
    assert len(kept) == 2
    assert kept.get("b", maker("b again")) == Markup("<p>b again</p>")
    assert made == ["a", "b", "c", "b again"]
    assert kept.find("c") == Markup("<p>c</p>")
    assert kept.find("a") is None  # gone when "b" came back
    kept.clear()
    assert len(kept) == 0
