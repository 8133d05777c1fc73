"""ClassifyIntent over h2c and TLS: intents in four languages, ranking and top_k, language, tone,
risk hits, priority, and which model answered."""
import re

import grpc
import pytest

from harness import TEXT, pb, rpc_error

VERSION = re.compile(r"^\S+\+[0-9a-f]{8}$")


@pytest.mark.parametrize("key, intent, language", [
    ("en_order", "order_status", "en"),
    ("es_order", "order_status", "es"),
    ("th_order", "order_status", "th"),
    ("id_order", "order_status", "id"),
    ("th_size", "size_question", "th"),
    ("en_size", "size_question", "en"),
])
def test_clear_messages_get_their_intent_and_language(acme, key, intent, language):
    c = acme.classify(TEXT[key], message_id=f"m-{key}", conversation_id="c-1")
    assert c.intent == intent
    assert not c.out_of_scope
    assert c.language.code == language
    assert 0.5 < c.language.confidence <= 1.0
    assert c.confidence == pytest.approx(c.ranked_intents[0].confidence)
    assert c.ranked_intents[0].intent == intent
    assert c.message_id == f"m-{key}" and c.conversation_id == "c-1"


def test_ranked_intents_are_sorted_and_default_to_three(acme):
    c = acme.classify(TEXT["en_order"])
    assert len(c.ranked_intents) == 3
    scores = [r.confidence for r in c.ranked_intents]
    assert scores == sorted(scores, reverse=True)
    assert len({r.intent for r in c.ranked_intents}) == 3
    assert all(0.0 <= s <= 1.0 for s in scores)


@pytest.mark.parametrize("top_k", [1, 5, 23])
def test_top_k_is_honoured(acme, top_k):
    c = acme.classify(TEXT["en_size"], top_k=top_k)
    assert len(c.ranked_intents) == top_k
    scores = [r.confidence for r in c.ranked_intents]
    assert scores == sorted(scores, reverse=True)
    if top_k == 23:  # every intent exactly once, probabilities summing to about 1
        assert len({r.intent for r in c.ranked_intents}) == 23
        assert "other" in {r.intent for r in c.ranked_intents}
        assert sum(scores) == pytest.approx(1.0, abs=0.01)


def test_top_k_over_the_number_of_intents_is_invalid(acme):
    error = rpc_error(acme.classify, TEXT["en_order"], top_k=24)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "top_k" in error.details() and "23" in error.details()


def test_calm_message_has_low_tone_and_normal_priority(acme):
    c = acme.classify(TEXT["en_order"])
    assert 0.0 <= c.tone_score < 0.5
    assert not c.angry
    assert list(c.risk_hits) == []
    assert c.priority == pb.PRIORITY_NORMAL
    assert c.priority_reasons and "order_status" in c.priority_reasons[0]


def test_routine_message_is_low_priority(acme):
    c = acme.classify(TEXT["thanks"])
    assert c.intent == "thanks_goodbye"
    assert c.priority == pb.PRIORITY_LOW
    assert any("thanks_goodbye" in reason for reason in c.priority_reasons)


def test_threat_and_scam_are_urgent_with_risk_hits_and_reasons(acme):
    c = acme.classify(TEXT["scam"], message_id="m-scam")
    hits = [(h.term, h.category, h.language) for h in c.risk_hits]
    assert hits == [("scam", "risk.scam", "en"), ("chargeback", "threat.chargeback", "en")]
    assert c.angry and c.tone_score > 0.5
    assert c.priority == pb.PRIORITY_URGENT
    reasons = list(c.priority_reasons)
    assert any('"chargeback"' in r and "threat.chargeback" in r for r in reasons), reasons
    assert any('"scam"' in r and "risk.scam" in r for r in reasons), reasons


def test_risk_term_without_anger_is_high_priority(acme):
    c = acme.classify(TEXT["fake"])
    assert [(h.term, h.category) for h in c.risk_hits] == [("fake", "risk.fake")]
    assert c.priority == pb.PRIORITY_HIGH
    assert any('"fake"' in r for r in c.priority_reasons)


def test_out_of_scope_message_is_other(acme):
    c = acme.classify(TEXT["out_of_scope"])
    assert c.out_of_scope
    assert c.intent == "other"
    assert c.priority == pb.PRIORITY_LOW


def test_default_model_is_named_with_its_version(acme):
    c = acme.classify(TEXT["en_order"])
    assert c.model.tenant == ""
    assert c.model.name == "default"
    assert VERSION.match(c.model.version), c.model.version


@pytest.mark.parametrize("name", ["support", "acme/support"])
def test_tenant_model_by_name(acme, name):
    c = acme.classify(TEXT["en_order"], model=name)
    assert (c.model.tenant, c.model.name) == ("acme", "support")
    # support.rimodel is a copy of the default model: same file, same version.
    assert c.model.version == acme.classify(TEXT["en_order"]).model.version
    assert c.intent == "order_status"


def test_unknown_model_is_not_found(acme):
    error = rpc_error(acme.classify, TEXT["en_order"], model="no-such-model")
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "no-such-model" in error.details()


def test_platform_and_ids_are_accepted(acme):
    c = acme.classify(TEXT["en_order"], message_id="m-1", conversation_id="c-9", buyer_id="b-7",
                      platform=pb.PLATFORM_SHOPEE, language_hint="en", sent_at_unix_ms=1763700000000)
    assert c.intent == "order_status"
    assert (c.message_id, c.conversation_id) == ("m-1", "c-9")
