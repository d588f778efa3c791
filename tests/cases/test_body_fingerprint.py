"""A rendered proposal body's cache key carries the code that renders it (a deploy that
changes a template or a rule never serves HTML the old code made)."""

from ops.fingerprint import files_fingerprint


def test_fingerprint_follows_content_and_order(tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.py"
    a.write_text("<p>{{ x }}</p>")
    b.write_text("X = 1")
    first = files_fingerprint([a, b])
    assert len(first) == 16 and files_fingerprint([a, b]) == first
    assert files_fingerprint([a, b], salt="67.0") != first
    b.write_text("X = 2")
    assert files_fingerprint([a, b]) != first


def test_the_proposal_body_key_carries_the_fingerprint(monkeypatch, db):
    from django.core.cache import cache

    from cases import views
    from tests.factories import ProposalFactory

    proposal = ProposalFactory()
    keys = []
    real_set = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, *a, **k: (keys.append(key), real_set(key, *a, **k))
    )
    views.proposal_body(proposal)
    assert keys and views.body_fingerprint() in keys[0]
