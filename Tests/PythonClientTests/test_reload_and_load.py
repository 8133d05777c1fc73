"""A tenant's policy and templates reloaded on ReloadModels (a broken file keeps the previous
configuration), compressed requests, and many concurrent calls from several connections."""
import os
import threading

import grpc

from harness import ACME_TOKEN, ALL_VARIABLES, GLOBEX_TOKEN, OPS_TOKEN, TEXT, Client, pb


def write_then_rename(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    os.rename(temporary, path)


def test_tenant_policy_and_templates_reload(servers, transport):
    server = servers.start("reload")
    try:
        globex = Client(server.channel(transport), GLOBEX_TOKEN)
        ops = Client(server.channel(transport), OPS_TOKEN)
        before = globex.suggest(TEXT["en_order"], ALL_VARIABLES)
        assert before.decision == pb.DECISION_SUGGEST  # no files: the default policy, suggest_only
        assert before.template_id == "default/en/order_status"

        directory = server.deployment.tenants_dir / "globex"
        write_then_rename(directory / "policy.yaml", "mode: auto\nconfidence_threshold: 0.5\n")
        write_then_rename(directory / "templates" / "en.yaml",
                          'language: en\ntemplates:\n  order_status: "Globex: order {{order_id}} is on its way."\n')
        ops.reload_models()
        after = globex.suggest(TEXT["en_order"], ALL_VARIABLES)
        assert after.decision == pb.DECISION_AUTO_SEND, list(after.decision_reasons)
        assert after.template_id == "globex/en/order_status"
        assert after.reply_text == "Globex: order AC12345 is on its way."

        # A broken policy file is refused; the tenant keeps the configuration it had.
        write_then_rename(directory / "policy.yaml", "mode: sometimes\n")
        ops.reload_models()
        kept = globex.suggest(TEXT["en_order"], ALL_VARIABLES)
        assert kept.decision == pb.DECISION_AUTO_SEND
        assert kept.template_id == "globex/en/order_status"
        # acme was never affected.
        acme = Client(server.channel(transport), ACME_TOKEN)
        assert acme.suggest(TEXT["es_order"], ALL_VARIABLES).template_id == "acme/es/order_status"
    finally:
        server.stop()
    assert server.process.returncode == 0, server.log_text()


def test_gzip_compressed_requests(connect):
    client = connect(ACME_TOKEN)
    request = pb.ClassifyIntentRequest(message=pb.BuyerMessage(text=TEXT["en_order"] + " " * 2000))
    response = client.service.ClassifyIntent(request, metadata=client.metadata, timeout=30,
                                             compression=grpc.Compression.Gzip)
    assert response.classification.intent == "order_status"


def test_concurrent_calls_from_several_connections(connect):
    clients = [connect(ACME_TOKEN) for _ in range(4)] + [connect(GLOBEX_TOKEN) for _ in range(2)]
    cases = [(TEXT["en_order"], "order_status"), (TEXT["th_size"], "size_question"),
             (TEXT["es_order"], "order_status"), (TEXT["thanks"], "thanks_goodbye")]
    failures = []

    def work(index, client):
        try:
            for i in range(40):
                text, intent = cases[(index + i) % len(cases)]
                if i % 2:
                    got = client.classify(text, message_id=f"cc-{index}-{i}")
                    ok = (got.intent, got.message_id) == (intent, f"cc-{index}-{i}")
                else:
                    got = client.suggest(text, ALL_VARIABLES, message_id=f"cc-{index}-{i}")
                    ok = (got.classification.intent, got.classification.message_id) == (intent, f"cc-{index}-{i}")
                if not ok:
                    failures.append((index, i, str(got)[:200]))
        except grpc.RpcError as error:
            failures.append((index, error.code(), error.details()))

    threads = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(clients * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "calls did not finish"
    assert failures == []


def test_model_hot_reload_under_load_fails_no_call(servers, transport):
    """acme's support model is replaced (write, then rename) by a good copy and by a broken file
    while four connections call it: no call fails, the broken file is refused with last_error and
    the previous version keeps serving."""
    from harness import ROOT, admin

    server = servers.start("hot-reload")
    models = server.deployment.tenants_dir / "acme" / "models"
    good = (ROOT / "models" / "default.rimodel").read_bytes()
    stop = threading.Event()
    failures, calls = [], [0]
    clients = [Client(server.channel(transport, [("grpc.use_local_subchannel_pool", 1)]), ACME_TOKEN)
               for _ in range(4)]
    ops = Client(server.channel(transport), OPS_TOKEN)
    version = ops.list_models("acme").models[0].version

    def load(client):
        while not stop.is_set():
            try:
                c = client.classify(TEXT["en_order"], model="support")
                if (c.model.tenant, c.model.name, c.model.version, c.intent) != ("acme", "support", version,
                                                                                   "order_status"):
                    failures.append(str(c)[:300])
                calls[0] += 1
            except grpc.RpcError as error:
                failures.append((error.code(), error.details()))

    threads = [threading.Thread(target=load, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    try:
        for round in range(6):
            broken = round % 2 == 1
            (models / "support.rimodel.tmp").write_bytes(good[: len(good) // 2] if broken else good)
            os.rename(models / "support.rimodel.tmp", models / "support.rimodel")
            ops.reload_models()
            support = {m.name: m for m in ops.list_models("acme").models}["support"]
            assert support.state == admin.MODEL_STATE_LOADED
            assert support.version == version
            if broken:
                assert support.last_error != "" and support.last_error_at_unix_ms > 0
            else:
                assert support.last_error == "", support.last_error
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        server.stop()
    assert failures == []
    assert calls[0] > 0
