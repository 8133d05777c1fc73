"""Credentials, tenants and the admin service over h2c and TLS: missing and wrong tokens, tenants
that cannot use each other's models, admin-only RPCs, and single-tenant mode."""
import os
import re
import shutil

import grpc
import pytest

from harness import (ACME_TOKEN, GLOBEX_TOKEN, ROOT, TEXT, UNKNOWN_TOKEN, Client, admin, pb,
                     rpc_error)

VERSION = re.compile(r"^\S+\+[0-9a-f]{8}$")
UNAUTHENTICATED = grpc.StatusCode.UNAUTHENTICATED
PERMISSION_DENIED = grpc.StatusCode.PERMISSION_DENIED


def every_rpc(client: Client):
    """Each RPC once, as a callable that raises grpc.RpcError on failure."""
    def stream():
        conversation = client.conversation()
        conversation.send_message(TEXT["en_order"], "auth-1")
        conversation.half_close()
        end, responses = conversation.status()
        if end.code != grpc.StatusCode.OK:
            raise end_error(end)
        return responses

    return {
        "ClassifyIntent": lambda: client.classify(TEXT["en_order"]),
        "SuggestReply": lambda: client.suggest(TEXT["en_order"]),
        "StreamConversations": stream,
        "ListModels": lambda: client.list_models(),
        "ReloadModels": lambda: client.reload_models(),
    }


class end_error(grpc.RpcError):
    def __init__(self, end):
        super().__init__(str(end))
        self._end = end

    def code(self):
        return self._end.code

    def details(self):
        return self._end.details


@pytest.mark.parametrize("rpc", ["ClassifyIntent", "SuggestReply", "StreamConversations", "ListModels", "ReloadModels"])
@pytest.mark.parametrize("token", [None, UNKNOWN_TOKEN], ids=["no-token", "wrong-token"])
def test_missing_or_wrong_token_is_unauthenticated(connect, rpc, token):
    error = rpc_error(every_rpc(connect(token))[rpc])
    assert error.code() == UNAUTHENTICATED, (error.code(), error.details())
    assert error.details()


@pytest.mark.parametrize("value", ["Basic YWNtZTpzZWNyZXQ=", "Bearer", ACME_TOKEN, "Bearer " + ACME_TOKEN + "x"])
def test_malformed_authorization_is_unauthenticated(connect, value):
    client = connect(None)
    error = rpc_error(client.service.ClassifyIntent,
                      pb.ClassifyIntentRequest(message=pb.BuyerMessage(text=TEXT["en_order"])),
                      metadata=[("authorization", value)], timeout=30)
    assert error.code() == UNAUTHENTICATED, (error.code(), error.details())


def test_a_known_token_works_for_every_tenant_rpc(acme, globex):
    for client in (acme, globex):
        rpcs = every_rpc(client)
        assert rpcs["ClassifyIntent"]().intent == "order_status"
        assert rpcs["SuggestReply"]().classification.intent == "order_status"
        assert [r.classification.message_id for r in rpcs["StreamConversations"]()] == ["auth-1"]


# --- Models across tenants -----------------------------------------------------------------------

def test_naming_another_tenants_model_is_permission_denied(acme, globex):
    error = rpc_error(acme.classify, TEXT["en_order"], model="globex/support")
    assert error.code() == PERMISSION_DENIED
    assert "globex" in error.details()
    error = rpc_error(globex.suggest, TEXT["en_order"], model="acme/support")
    assert error.code() == PERMISSION_DENIED
    assert "acme" in error.details()


def test_naming_an_unknown_tenants_model_is_permission_denied(acme):
    error = rpc_error(acme.classify, TEXT["en_order"], model="nosuch/support")
    assert error.code() == PERMISSION_DENIED
    assert "nosuch" in error.details()


def test_an_invalid_tenant_in_a_model_name_is_invalid(acme):
    error = rpc_error(acme.classify, TEXT["en_order"], model="Not A Tenant/support")
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "model" in error.details()


def test_another_tenants_model_is_not_visible_by_bare_name(globex):
    # acme has support.rimodel; globex has none and there is no shared "support".
    error = rpc_error(globex.classify, TEXT["en_order"], model="support")
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "support" in error.details()
    assert globex.classify(TEXT["en_order"]).model.tenant == ""


# --- Admin ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("token", [ACME_TOKEN, GLOBEX_TOKEN])
def test_admin_rpcs_need_an_admin_token(connect, token):
    client = connect(token)
    for call in (client.list_models, client.reload_models):
        error = rpc_error(call)
        assert error.code() == PERMISSION_DENIED, (error.code(), error.details())
        assert "admin" in error.details()


def test_list_models_with_the_admin_token(ops, server):
    response = ops.list_models()
    models = {(m.tenant, m.name): m for m in response.models}
    assert ("", "default") in models and ("acme", "support") in models, list(models)
    default, support = models[("", "default")], models[("acme", "support")]
    assert default.state == admin.MODEL_STATE_LOADED
    assert VERSION.match(default.version), default.version
    assert support.state in (admin.MODEL_STATE_LOADED, admin.MODEL_STATE_EVICTED)
    assert support.version == default.version  # the same file, copied
    assert support.path.endswith("acme/models/support.rimodel")
    assert support.size_bytes == os.path.getsize(server.deployment.model)
    assert default.loaded_at_unix_ms > 1_700_000_000_000
    assert support.last_error == ""
    assert response.memory_budget_bytes > 0
    assert 0 < response.memory_used_bytes <= response.memory_budget_bytes
    assert not any(m.tenant == "globex" for m in response.models)


def test_list_models_of_one_tenant(ops):
    acme_models = {(m.tenant, m.name) for m in ops.list_models("acme").models}
    assert ("acme", "support") in acme_models and {t for t, _ in acme_models} == {"acme"}, acme_models
    assert list(ops.list_models("globex").models) == []
    assert list(ops.list_models("nosuch").models) == []  # an unknown tenant has no models
    error = rpc_error(ops.list_models, "Not A Tenant")
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "tenant" in error.details()


def test_reload_models_picks_up_a_new_tenant_model(ops, acme, server, transport):
    name = f"extra-{transport}"
    models = server.deployment.tenants_dir / "acme" / "models"
    temporary = models / f"{name}.rimodel.tmp"
    shutil.copyfile(ROOT / "models" / "default.rimodel", temporary)
    os.rename(temporary, models / f"{name}.rimodel")  # write, then rename, as the layout asks
    response = ops.reload_models()
    listed = {(m.tenant, m.name): m for m in response.models}
    assert ("acme", name) in listed, list(listed)
    assert listed[("acme", name)].state == admin.MODEL_STATE_LOADED
    c = acme.classify(TEXT["en_order"], model=name)
    assert (c.model.tenant, c.model.name) == ("acme", name)


# --- Single-tenant mode --------------------------------------------------------------------------

def test_single_tenant_mode_needs_no_token(connect_single):
    client = connect_single(None)
    c = client.classify(TEXT["en_order"])
    assert c.intent == "order_status"
    assert (c.model.tenant, c.model.name) == ("", "default")
    r = client.suggest(TEXT["en_order"], {"order_id": "X1"})
    assert r.decision == pb.DECISION_SUGGEST  # the default policy is suggest_only
    assert r.template_id == "default/en/order_status"
    models = client.list_models()  # every caller is an admin
    assert ("", "default") in {(m.tenant, m.name) for m in models.models}
    stream = client.conversation()
    stream.send_message(TEXT["th_size"], "single-1")
    assert stream.recv_kind("classification").intent == "size_question"
    stream.half_close()
    assert stream.status()[0].code == grpc.StatusCode.OK


def test_bearer_scheme_is_case_insensitive(connect):
    client = connect(None)
    request = pb.ClassifyIntentRequest(message=pb.BuyerMessage(text=TEXT["en_order"]))
    response = client.service.ClassifyIntent(request, metadata=[("authorization", "bearer " + ACME_TOKEN)], timeout=30)
    assert response.classification.intent == "order_status"


# --- Mutual TLS: a client certificate subject mapped to a tenant ---------------------------------

CLIENT_SUBJECT = "CN=replyintent-test-client,O=ReplyIntent Test"


@pytest.fixture(scope="module")
def mtls_server(servers, certs):
    return servers.start("mtls", client_subject=CLIENT_SUBJECT, extra=["--client-ca", str(certs / "ca.pem")])


def test_client_certificate_maps_to_its_tenant(mtls_server):
    client = Client(mtls_server.channel("tls", client_certificate=True), None)
    r = client.suggest(TEXT["es_order"], {"order_id": "Z9"})
    assert r.template_id == "acme/es/order_status"  # acme's own template: the caller is acme
    # A token, when given, decides alone.
    with_token = Client(mtls_server.channel("tls", client_certificate=True), GLOBEX_TOKEN)
    assert with_token.suggest(TEXT["es_order"]).template_id == "default/es/order_status"


@pytest.mark.parametrize("transport", ["h2c", "tls"])
def test_without_a_client_certificate_a_token_is_needed(mtls_server, transport):
    client = Client(mtls_server.channel(transport), None)
    error = rpc_error(client.classify, TEXT["en_order"])
    assert error.code() == UNAUTHENTICATED
    assert Client(mtls_server.channel(transport), ACME_TOKEN).classify(TEXT["en_order"]).intent == "order_status"
