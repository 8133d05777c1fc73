"""SuggestReply over h2c and TLS: every decision path, the tenant's template override, missing
variables, and the reply language fallback (buyer language -> tenant default -> English).

acme: mode auto, default language es, confidence threshold 0.8 (price_discount 0.99), always_human
[human_agent], its own es/order_status template. globex: no files, the default policy (suggest_only,
en, always_human [complaint, human_agent])."""

from harness import ACME_TOKEN, ALL_VARIABLES, GLOBEX_TOKEN, TEXT, pb

AUTO_SEND, SUGGEST, ESCALATE = pb.DECISION_AUTO_SEND, pb.DECISION_SUGGEST, pb.DECISION_ESCALATE
BUYER, TENANT_DEFAULT, ENGLISH = (pb.REPLY_LANGUAGE_SOURCE_BUYER, pb.REPLY_LANGUAGE_SOURCE_TENANT_DEFAULT,
                                  pb.REPLY_LANGUAGE_SOURCE_ENGLISH)


def without(*names):
    return {k: v for k, v in ALL_VARIABLES.items() if k not in names}


def assert_rendered(text: str):
    assert text, "empty reply"
    assert "{{" not in text and "}}" not in text, text


# --- AUTO_SEND and the tenant's own template ---------------------------------------------------

def test_auto_send_in_auto_mode_with_every_variable(acme):
    r = acme.suggest(TEXT["en_order"], ALL_VARIABLES, message_id="m-auto")
    assert r.classification.intent == "order_status"
    assert r.decision == AUTO_SEND, list(r.decision_reasons)
    assert len(r.decision_reasons) == 1 and r.decision_reasons[0].startswith("auto mode: confidence")
    assert "order_status" in r.decision_reasons[0]
    assert r.template_id == "default/en/order_status"
    assert (r.reply_language, r.reply_language_source) == ("en", BUYER)
    assert list(r.missing_variables) == []
    assert_rendered(r.reply_text)
    for value in ("Ana", "AC12345", "Friday", "https://track.example/AC12345"):
        assert value in r.reply_text


def test_tenant_template_overrides_the_bundled_one(acme):
    r = acme.suggest(TEXT["es_order"], ALL_VARIABLES)
    assert r.classification.intent == "order_status"
    assert r.template_id == "acme/es/order_status"
    assert (r.reply_language, r.reply_language_source) == ("es", BUYER)
    assert r.reply_text == "¡Hola Ana! [acme] Tu pedido AC12345 de Acme Store va en camino: https://track.example/AC12345"
    assert list(r.missing_variables) == []
    assert r.decision == AUTO_SEND, list(r.decision_reasons)


def test_tenant_template_is_only_for_that_tenant(globex):
    r = globex.suggest(TEXT["es_order"], ALL_VARIABLES)
    assert r.template_id == "default/es/order_status"
    assert "[acme]" not in r.reply_text


def test_values_are_inserted_verbatim(acme):
    variables = dict(ALL_VARIABLES, buyer_name="<Ana & \"Bo\">")
    r = acme.suggest(TEXT["es_order"], variables)
    assert r.reply_text.startswith("¡Hola <Ana & \"Bo\">! [acme]")


# --- SUGGEST -------------------------------------------------------------------------------------

def test_suggest_when_a_variable_is_missing(acme):
    r = acme.suggest(TEXT["en_order"], without("order_id"))
    assert r.decision == SUGGEST
    assert list(r.missing_variables) == ["order_id"]
    assert "missing variable order_id" in r.decision_reasons
    assert_rendered(r.reply_text)
    assert "AC12345" not in r.reply_text.replace("https://track.example/AC12345", "")


def test_missing_variables_are_sorted_and_empty_values_count(acme):
    # Only variables used outside sections are required; {{#buyer_name}}...{{/buyer_name}} is optional.
    variables = without("buyer_name", "tracking_url")
    variables["shop_name"] = ""
    r = acme.suggest(TEXT["es_order"], variables)
    assert r.template_id == "acme/es/order_status"
    assert list(r.missing_variables) == ["shop_name", "tracking_url"]
    assert r.reply_text == "¡Hola! [acme] Tu pedido AC12345 de  va en camino: "
    assert r.decision == SUGGEST
    assert "missing variable shop_name" in r.decision_reasons
    assert "missing variable tracking_url" in r.decision_reasons
    assert not any("buyer_name" in reason for reason in r.decision_reasons)


def test_optional_variables_do_not_block_auto_send(acme):
    r = acme.suggest(TEXT["es_order"], without("buyer_name", "eta", "product_name"))
    assert r.template_id == "acme/es/order_status"
    assert list(r.missing_variables) == []
    assert r.reply_text == "¡Hola! [acme] Tu pedido AC12345 de Acme Store va en camino: https://track.example/AC12345"
    assert r.decision == AUTO_SEND, list(r.decision_reasons)


def test_suggest_only_tenant_never_auto_sends(globex):
    r = globex.suggest(TEXT["en_order"], ALL_VARIABLES)
    assert r.classification.intent == "order_status"
    assert r.decision == SUGGEST
    assert r.decision_reasons[0] == "mode suggest_only: an agent sends every reply"
    assert r.template_id == "default/en/order_status"


def test_suggest_when_confidence_is_below_the_intent_threshold(acme):
    r = acme.suggest(TEXT["discount"], ALL_VARIABLES)
    assert r.classification.intent == "price_discount"
    assert r.classification.confidence < 0.99
    assert r.decision == SUGGEST
    assert any(reason.startswith("confidence ") and reason.endswith("is below the threshold 0.99 for price_discount")
               for reason in r.decision_reasons), list(r.decision_reasons)


def test_out_of_scope_is_suggested_not_sent(acme):
    # The contract (docs: DecisionEngine): out of scope blocks AUTO_SEND and gives SUGGEST with the reason.
    r = acme.suggest(TEXT["out_of_scope"], ALL_VARIABLES)
    assert r.classification.out_of_scope and r.classification.intent == "other"
    assert r.decision == SUGGEST
    assert "out of scope: no intent to answer" in r.decision_reasons
    assert r.template_id == "default/en/other"


# --- ESCALATE ------------------------------------------------------------------------------------

def test_escalate_always_human_intent_human_agent(acme):
    r = acme.suggest(TEXT["human"], ALL_VARIABLES)
    assert r.classification.intent == "human_agent"
    assert r.decision == ESCALATE
    assert "intent human_agent always goes to a human" in r.decision_reasons
    assert r.template_id == "default/en/human_agent"
    assert_rendered(r.reply_text)


def test_escalate_always_human_intent_complaint_by_default(globex):
    r = globex.suggest(TEXT["complaint"], ALL_VARIABLES)
    assert r.classification.intent == "complaint"
    assert r.decision == ESCALATE
    assert "intent complaint always goes to a human" in r.decision_reasons


def test_escalate_on_angry_tone(acme):
    # acme does not send complaints to a person by intent, so anger is the only reason here.
    r = acme.suggest(TEXT["angry"], ALL_VARIABLES)
    assert r.classification.angry
    assert list(r.classification.risk_hits) == []
    assert r.decision == ESCALATE
    assert r.decision_reasons and all(reason.startswith("angry tone ") for reason in r.decision_reasons), \
        list(r.decision_reasons)


def test_escalate_on_threat(acme):
    r = acme.suggest(TEXT["lawyer"], ALL_VARIABLES)
    assert r.decision == ESCALATE
    assert 'threat term "lawyer" (threat.lawyer)' in r.decision_reasons, list(r.decision_reasons)
    assert r.classification.priority == pb.PRIORITY_URGENT


def test_escalate_on_risk_term(acme):
    r = acme.suggest(TEXT["fake"], ALL_VARIABLES)
    assert r.classification.intent == "product_question"
    assert r.decision == ESCALATE
    assert list(r.decision_reasons) == ['high-risk term "fake" (risk.fake)']


def test_escalate_scam_and_chargeback(acme):
    r = acme.suggest(TEXT["scam"], ALL_VARIABLES)
    assert r.decision == ESCALATE
    reasons = list(r.decision_reasons)
    assert 'threat term "chargeback" (threat.chargeback)' in reasons, reasons
    assert 'high-risk term "scam" (risk.scam)' in reasons, reasons
    assert r.classification.priority == pb.PRIORITY_URGENT


# --- Language fallback ---------------------------------------------------------------------------

def test_buyer_language_template_is_used_when_bundled(acme):
    r = acme.suggest(TEXT["th_order"], ALL_VARIABLES)
    assert r.classification.language.code == "th"
    assert r.template_id == "default/th/order_status"
    assert (r.reply_language, r.reply_language_source) == ("th", BUYER)


# The bundled templates cover all 18 languages the model knows, so the fallback is tested on a
# server whose bundled templates are only en.yaml (acme still has its own es/order_status).

def test_fallback_to_the_tenant_default_language(connect_fallback):
    r = connect_fallback(ACME_TOKEN).suggest(TEXT["th_order"], ALL_VARIABLES)
    assert r.classification.language.code == "th"
    assert r.template_id == "acme/es/order_status"
    assert (r.reply_language, r.reply_language_source) == ("es", TENANT_DEFAULT)
    assert r.reply_text.startswith("¡Hola Ana! [acme]")


def test_fallback_to_english_when_the_tenant_default_has_none(connect_fallback):
    r = connect_fallback(ACME_TOKEN).suggest(TEXT["th_size"], ALL_VARIABLES)
    assert r.classification.intent == "size_question"
    assert r.template_id == "default/en/size_question"
    assert (r.reply_language, r.reply_language_source) == ("en", ENGLISH)
    assert_rendered(r.reply_text)


def test_fallback_to_a_tenant_default_of_english(connect_fallback):
    r = connect_fallback(GLOBEX_TOKEN).suggest(TEXT["th_size"], ALL_VARIABLES)
    assert r.template_id == "default/en/size_question"
    assert (r.reply_language, r.reply_language_source) == ("en", TENANT_DEFAULT)


def test_buyer_language_english_on_the_reduced_bundle(connect_fallback):
    r = connect_fallback(ACME_TOKEN).suggest(TEXT["en_size"], ALL_VARIABLES)
    assert r.template_id == "default/en/size_question"
    assert (r.reply_language, r.reply_language_source) == ("en", BUYER)
