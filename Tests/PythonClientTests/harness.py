"""Test harness for intentd with Python grpcio: the generated stubs, a temporary deployment
(tokens, tenant policies, templates, models), the intentd process, and helpers for calls and
bidirectional streams. conftest.py turns these into fixtures."""
from __future__ import annotations

import hashlib
import hmac
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import grpc

ROOT = Path(os.environ.get("REPLYINTENT_ROOT") or Path(__file__).resolve().parents[2])


def _stub_directory() -> Path:
    """REPLYINTENT_PY_GEN (set by Tools/run-python-client-tests.sh), else stubs generated now."""
    given = os.environ.get("REPLYINTENT_PY_GEN")
    if given:
        return Path(given)
    from grpc_tools import protoc  # only needed when the script did not generate them

    out = Path(tempfile.mkdtemp(prefix="replyintent-py-gen-"))
    include = Path(protoc.__file__).parent / "_proto"
    status = protoc.main([
        "grpc_tools.protoc", f"-I{ROOT / 'Protos'}", f"-I{include}", f"--python_out={out}",
        f"--grpc_python_out={out}", "replyintent/v1/replyintent.proto", "replyintent/v1/admin.proto",
    ])
    if status != 0:
        raise RuntimeError("grpc_tools.protoc failed on Protos/replyintent/v1")
    return out


sys.path.insert(0, str(_stub_directory()))
from replyintent.v1 import admin_pb2, admin_pb2_grpc, replyintent_pb2, replyintent_pb2_grpc  # noqa: E402

pb = replyintent_pb2
admin = admin_pb2

SERVICE = "/replyintent.v1.ReplyIntent/"
ADMIN_SERVICE = "/replyintent.v1.ReplyIntentAdmin/"
CALL_TIMEOUT = 30.0

# Tokens (the tokens file holds only their digests: acme's salted, HMAC-SHA256 under TOKENS_SALT,
# the others in the legacy unsalted SHA-256 form that intentd still accepts with a warning).
TOKENS_SALT = "6b1f0e5d4c3b2a19f8e7d6c5b4a392817f6e5d4c3b2a1908f7e6d5c4b3a29180"
ACME_TOKEN = "acme-token-0f3c9a7e"
GLOBEX_TOKEN = "globex-token-77d1b2c4"
OPS_TOKEN = "ops-admin-token-5e8a1f90"
UNKNOWN_TOKEN = "nobody-token-00000000"
ALL_VARIABLES = {
    "buyer_name": "Ana",
    "shop_name": "Acme Store",
    "order_id": "AC12345",
    "tracking_url": "https://track.example/AC12345",
    "eta": "Friday",
    "product_name": "Blue Bag",
    "refund_amount": "$20",
    "return_address": "1 Return Road",
}

# Buyer messages the shared default model classifies clearly (checked with `intentctl predict`).
TEXT = {
    "en_order": "Hi, can you tell me where my order is?",
    "es_order": "¿Cuándo llega mi pedido?",
    "th_order": "สินค้าที่สั่งไปถึงไหนแล้วคะ",
    "th_size": "ไซส์ M ใส่ได้ไหมคะ สูง 160 หนัก 50",
    "id_order": "Kak, paket saya sudah sampai mana ya?",
    "en_size": "What size should I order? I am 170cm and 65kg",
    "scam": "this is a scam, I will file a chargeback",
    "lawyer": "I will contact my lawyer about this",
    "human": "Can I talk to a real person please",
    "complaint": "I want to make a complaint about your service",
    "angry": "I am so angry, my package is still not here after three weeks, this is unacceptable!",
    "fake": "Is this bag fake or original?",
    "out_of_scope": "What is the capital of France?",
    "discount": "Do you have any discount code?",
    "thanks": "thank you, bye",
}

# acme's own Spanish template for order_status (every other intent uses the bundled templates).
ACME_ES_ORDER_STATUS = (
    "¡Hola{{#buyer_name}} {{buyer_name}}{{/buyer_name}}! [acme] Tu pedido {{order_id}} de {{shop_name}} "
    "va en camino: {{tracking_url}}"
)


def sha256_hex(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hmac_sha256_hex(salt_hex: str, token: str) -> str:
    """A salted tokens-file entry, as `intentctl token hash` writes it: HMAC-SHA256(salt, token)."""
    return hmac.new(bytes.fromhex(salt_hex), token.encode(), hashlib.sha256).hexdigest()


def write_private(path: Path, text: str) -> None:
    """Writes `text` to a new file of mode 600 (intentd refuses a tokens file others can write)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    os.chmod(path, 0o600)  # an existing file keeps its mode through O_TRUNC


def bearer(token: str | None) -> list[tuple[str, str]]:
    return [] if token is None else [("authorization", f"Bearer {token}")]


# ----------------------------------------------------------------------------------------------
# The deployment on disk.

@dataclass
class Deployment:
    directory: Path
    tokens_file: Path | None
    tenants_dir: Path
    templates_dir: Path
    model: Path

    def flags(self) -> list[str]:
        flags = ["--tenants-dir", str(self.tenants_dir), "--templates-dir", str(self.templates_dir),
                 "--model", str(self.model)]
        if self.tokens_file is not None:
            flags += ["--tokens-file", str(self.tokens_file)]
        return flags


ACME_POLICY = """\
# acme answers by itself when it is sure; complaints escalate only through anger or threats here,
# so that each escalation reason can be tested alone (human_agent always goes to a person).
mode: auto
default_language: es
confidence_threshold: 0.8
intent_thresholds:
  price_discount: 0.99
always_human: [human_agent]
escalate_on_anger: true
escalate_on_threats: true
escalate_on_risk_terms: true
alert_min_priority: high
"""


def make_deployment(directory: Path, *, tokens: bool = True, bundled_languages: list[str] | None = None,
                    client_subject: str | None = None) -> Deployment:
    """tokens.yaml (acme, globex, ops admin), tenants/acme/{policy.yaml, templates/es.yaml,
    models/support.rimodel}; globex has no directory (defaults). bundled_languages: copy only those
    bundled template files (to test the language fallback), else use Templates/ as it is."""
    directory.mkdir(parents=True, exist_ok=True)
    tokens_file = None
    if tokens:
        tokens_file = directory / "tokens.yaml"
        write_private(
            tokens_file,
            f"salt: {TOKENS_SALT}\n"
            "tokens:\n"
            f"  - tenant: acme\n    hmac_sha256: {hmac_sha256_hex(TOKENS_SALT, ACME_TOKEN)}\n    name: acme-backend\n"
            f"  - tenant: globex\n    sha256: {sha256_hex(GLOBEX_TOKEN)}\n"
            f"  - tenant: ops\n    sha256: {sha256_hex(OPS_TOKEN)}\n    admin: true\n"
            + (f"client_certificates:\n  - subject: \"{client_subject}\"\n    tenant: acme\n" if client_subject else "")
        )
    tenants = directory / "tenants"
    acme = tenants / "acme"
    (acme / "templates").mkdir(parents=True)
    (acme / "models").mkdir(parents=True)
    (acme / "policy.yaml").write_text(ACME_POLICY)
    (acme / "templates" / "es.yaml").write_text(
        "# acme's override of one Spanish template\n"
        "language: es\n"
        "templates:\n"
        f"  order_status: \"{ACME_ES_ORDER_STATUS}\"\n"
    )
    model = ROOT / "models" / "default.rimodel"
    shutil.copyfile(model, acme / "models" / "support.rimodel")
    templates = ROOT / "Templates"
    if bundled_languages is not None:
        templates = directory / "bundled-templates"
        templates.mkdir()
        for language in bundled_languages:
            shutil.copyfile(ROOT / "Templates" / f"{language}.yaml", templates / f"{language}.yaml")
    return Deployment(directory, tokens_file, tenants, templates, model)


# ----------------------------------------------------------------------------------------------
# The intentd process.

LISTENING = re.compile(r"intentd listening on (h2c|tls)\s+(\S+):(\d+)", re.IGNORECASE)


class Intentd:
    """One intentd process on 127.0.0.1 with an h2c port and (with certificates) a TLS port, both 0."""

    def __init__(self, binary: str, deployment: Deployment, certs: Path | None, log: Path, extra: list[str] = ()):
        self.deployment = deployment
        self.certs = certs
        self.log = log
        args = [binary, "--host", "127.0.0.1", "--port", "0", "--drain-timeout", "1", *deployment.flags()]
        if certs is not None:
            args += ["--tls-port", "0", "--cert", str(certs / "server.pem"), "--key", str(certs / "server.key")]
        args += list(extra)
        self.args = args
        self._stderr = open(log, "wb")
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=self._stderr, text=True)
        self.ports: dict[str, int] = {}
        self.stdout: list[str] = []
        self._ready = threading.Event()
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        wanted = {"h2c", "tls"} if certs is not None else {"h2c"}
        if not self._ready.wait(120) or not wanted <= set(self.ports):
            self.stop()
            raise RuntimeError(
                f"intentd did not report {sorted(wanted)} listening addresses (got {self.ports}).\n"
                f"command: {' '.join(args)}\nstdout:\n{''.join(self.stdout)}\nstderr:\n{self.log_text()}")

    def _read_stdout(self) -> None:
        wanted = {"h2c", "tls"} if self.certs is not None else {"h2c"}
        for line in self.process.stdout:
            self.stdout.append(line)
            match = LISTENING.search(line)
            if match:
                self.ports[match.group(1).lower()] = int(match.group(3))
                if wanted <= set(self.ports):
                    self._ready.set()
        self._ready.set()  # exited: wake the waiter

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-20000:]
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def channel(self, transport: str, options: list[tuple[str, object]] | None = None,
                client_certificate: bool = False) -> grpc.Channel:
        options = list(options or [])
        if transport == "h2c":
            return grpc.insecure_channel(f"127.0.0.1:{self.ports['h2c']}", options=options)
        assert transport == "tls", transport
        key = (self.certs / "client.key").read_bytes() if client_certificate else None
        chain = (self.certs / "client.pem").read_bytes() if client_certificate else None
        credentials = grpc.ssl_channel_credentials(root_certificates=(self.certs / "ca.pem").read_bytes(),
                                                   private_key=key, certificate_chain=chain)
        # The certificate names localhost (and IP 127.0.0.1); connect by address, check the name.
        options.append(("grpc.ssl_target_name_override", "localhost"))
        return grpc.secure_channel(f"127.0.0.1:{self.ports['tls']}", credentials, options=options)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._stderr.close()


# ----------------------------------------------------------------------------------------------
# Calls.

class Client:
    """The generated stubs on one channel, calling as one tenant (token None: no credentials)."""

    def __init__(self, channel: grpc.Channel, token: str | None):
        self.channel = channel
        self.token = token
        self.service = replyintent_pb2_grpc.ReplyIntentStub(channel)
        self.admin = admin_pb2_grpc.ReplyIntentAdminStub(channel)

    @property
    def metadata(self) -> list[tuple[str, str]]:
        return bearer(self.token)

    def classify(self, text: str, *, top_k: int = 0, model: str = "", **message) -> pb.Classification:
        request = pb.ClassifyIntentRequest(message=pb.BuyerMessage(text=text, **message), top_k=top_k, model=model)
        return self.service.ClassifyIntent(request, metadata=self.metadata, timeout=CALL_TIMEOUT).classification

    def suggest(self, text: str, variables: dict[str, str] | None = None, *, model: str = "",
                **message) -> pb.SuggestReplyResponse:
        request = pb.SuggestReplyRequest(message=pb.BuyerMessage(text=text, **message), variables=variables or {},
                                         model=model)
        return self.service.SuggestReply(request, metadata=self.metadata, timeout=CALL_TIMEOUT)

    def list_models(self, tenant: str = "") -> admin.ListModelsResponse:
        return self.admin.ListModels(admin.ListModelsRequest(tenant=tenant), metadata=self.metadata,
                                     timeout=CALL_TIMEOUT)

    def reload_models(self) -> admin.ReloadModelsResponse:
        return self.admin.ReloadModels(admin.ReloadModelsRequest(), metadata=self.metadata, timeout=CALL_TIMEOUT)

    def raw_unary(self, method: str, payload: bytes) -> bytes:
        """A unary call with identity serializers: `payload` goes on the wire as it is."""
        call = self.channel.unary_unary(SERVICE + method)
        return call(payload, metadata=self.metadata, timeout=CALL_TIMEOUT)

    def conversation(self, raw: bool = False) -> "Conversation":
        if raw:
            method = self.channel.stream_stream(SERVICE + "StreamConversations")
        else:
            method = self.service.StreamConversations
        return Conversation(method, self.metadata)


def rpc_error(function, *args, **kwargs) -> grpc.RpcError:
    """Calls `function`, which must fail; returns the error."""
    try:
        result = function(*args, **kwargs)
    except grpc.RpcError as error:
        return error
    raise AssertionError(f"expected the call to fail, it returned {result!r}")


class StreamEnded(Exception):
    def __init__(self, code: grpc.StatusCode, details: str):
        super().__init__(f"stream ended: {code.name}: {details}")
        self.code = code
        self.details = details


_CLOSE = object()


class Conversation:
    """A StreamConversations call driven item by item: `send` queues a request, `recv` waits for
    the next response (a background thread reads them), `half_close` ends the requests, `status`
    waits for the end of the call."""

    def __init__(self, method, metadata):
        self._requests: queue.Queue = queue.Queue()
        self._responses: queue.Queue = queue.Queue()
        self.ended: StreamEnded | None = None

        def requests():
            while True:
                item = self._requests.get()
                if item is _CLOSE:
                    return
                yield item

        self.call = method(requests(), metadata=metadata)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            for response in self.call:
                self._responses.put(response)
            end = StreamEnded(self.call.code(), self.call.details() or "")
        except grpc.RpcError as error:
            end = StreamEnded(error.code(), error.details() or "")
        except Exception as error:  # noqa: BLE001 - reported to the test
            end = StreamEnded(grpc.StatusCode.UNKNOWN, f"client error: {error!r}")
        self._responses.put(end)

    def send(self, request) -> None:
        self._requests.put(request)

    def send_message(self, text: str, message_id: str, **fields) -> None:
        self.send(pb.StreamConversationsRequest(message=pb.BuyerMessage(text=text, message_id=message_id, **fields)))

    def subscribe(self, min_priority: int = 0, resume_after: int = 0) -> None:
        self.send(pb.StreamConversationsRequest(
            subscribe=pb.AlertSubscription(min_priority=min_priority, resume_after_sequence=resume_after)))

    def half_close(self) -> None:
        self._requests.put(_CLOSE)

    def recv(self, timeout: float = CALL_TIMEOUT):
        """The next response; raises StreamEnded when the call ended, AssertionError on timeout."""
        if self.ended is not None:
            raise self.ended
        try:
            item = self._responses.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no response within {timeout} s") from None
        if isinstance(item, StreamEnded):
            self.ended = item
            raise item
        return item

    def recv_kind(self, kind: str, timeout: float = CALL_TIMEOUT):
        """The next response, which must be of oneof `kind`; returns that field."""
        response = self.recv(timeout)
        got = response.WhichOneof("kind") if not isinstance(response, bytes) else "bytes"
        assert got == kind, f"expected a {kind}, got {got}: {response}"
        return getattr(response, kind)

    def status(self, timeout: float = CALL_TIMEOUT) -> tuple[StreamEnded, list]:
        """Waits for the end of the call: (the end, the responses still unread)."""
        rest = []
        while True:
            try:
                rest.append(self.recv(timeout))
            except StreamEnded as end:
                self._requests.put(_CLOSE)  # let grpcio's request thread finish
                return end, rest

    def cancel(self) -> None:
        self.call.cancel()
        self._requests.put(_CLOSE)


def reply_of(response) -> pb.StreamConversationsResponse:
    if isinstance(response, bytes):
        return pb.StreamConversationsResponse.FromString(response)
    return response


# ----------------------------------------------------------------------------------------------
# Hand-made protobuf bytes (for input the generated code refuses to build).

def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def length_delimited(field_number: int, payload: bytes) -> bytes:
    return varint(field_number << 3 | 2) + varint(len(payload)) + payload
