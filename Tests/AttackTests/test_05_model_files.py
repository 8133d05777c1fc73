"""Issue #9 item 5: model files. A 2 GB (sparse) model file is refused before it is read, with an
error that names the size limit, and RSS does not grow; a model path that is a symbolic link (to a
root-only file, or to a valid model outside the tenant's directory) is refused without opening the
target, and ListModels does not report the target's size."""
from __future__ import annotations

import os
import shutil
import time

import pytest

from attack import ADMIN_TOKEN, ATTACKER, MODEL, Client, RssSampler, admin_pb2, report

RSS_LIMIT_MB = 50
DEFAULT_LIMIT_MB = 256  # models.max_file_size_mb


@pytest.fixture(scope="module")
def model_server(servers):
    def prepare(deployment):
        (deployment.tenants_dir / ATTACKER / "models").mkdir(parents=True)
    server = servers.start("item5-models", ["--scan-interval", "3600"], prepare=prepare)
    yield server
    assert server.alive(), f"intentd died:\n{server.log_text()}"
    servers.stop(server)


def _admin(server) -> Client:
    return Client(server.channel("h2c", [("grpc.use_local_subchannel_pool", 1)]), ADMIN_TOKEN)


def _models(admin: Client) -> dict[str, admin_pb2.ModelInfo]:
    return {m.name: m for m in admin.list_models(ATTACKER).models if m.tenant == ATTACKER}


def _rescan(admin: Client) -> None:
    admin.reload_models()
    time.sleep(0.3)


def test_a_2_gb_model_file_is_refused_before_it_is_read(model_server):
    admin = _admin(model_server)
    models_dir = model_server.deployment.tenants_dir / ATTACKER / "models"
    big = models_dir / "big.rimodel"
    # A real model's bytes (so the magic and header pass), then a sparse hole up to 2 GiB.
    shutil.copyfile(MODEL, big)
    os.truncate(big, 2 << 30)
    try:
        with RssSampler(model_server.process.pid) as rss:
            started = time.monotonic()
            _rescan(admin)
            seconds = time.monotonic() - started
            info = _models(admin).get("big")
    finally:
        big.unlink()
    before, after = rss.start_mb, rss.peak_mb
    report("item5 2 GB model file", rss_before_mb=before, rss_peak_mb=after, rescan_s=seconds,
           state=admin_pb2.ModelState.Name(info.state) if info else "absent",
           error=repr(info.last_error) if info else "")
    assert model_server.alive(), f"intentd died:\n{model_server.log_text()}"
    assert after - before < RSS_LIMIT_MB, f"RSS grew {after - before:.0f} MB reading a 2 GB model file"
    assert info is not None, "ListModels does not show the refused file"
    assert info.state != admin_pb2.MODEL_STATE_LOADED
    error = info.last_error.lower()
    assert str(DEFAULT_LIMIT_MB) in error or "max_file_size_mb" in error or "max-model-file-mb" in error, \
        f"the error does not name the size limit: {info.last_error!r}"
    admin.channel.close()


@pytest.mark.parametrize("target", ["/etc/shadow", "valid-model-elsewhere"])
def test_a_symlinked_model_file_is_refused(model_server, target, tmp_path):
    if target == "valid-model-elsewhere":
        target = str(MODEL)  # a real model outside the tenant's directory: loading it would work
    admin = _admin(model_server)
    link = model_server.deployment.tenants_dir / ATTACKER / "models" / "x.rimodel"
    os.symlink(target, link)
    try:
        _rescan(admin)
        info = _models(admin).get("x")
    finally:
        link.unlink()
    target_size = os.stat(target).st_size
    report(f"item5 symlink to {target}", state=admin_pb2.ModelState.Name(info.state) if info else "absent",
           size_bytes=info.size_bytes if info else 0, target_size=target_size,
           error=repr(info.last_error) if info else "")
    if info is not None:
        assert info.state != admin_pb2.MODEL_STATE_LOADED, f"a symlinked model was loaded: {info}"
        assert info.size_bytes != target_size, f"ListModels reports the symlink target's size: {info}"
        assert info.last_error, f"no error for the refused symlink: {info}"
    admin.channel.close()
