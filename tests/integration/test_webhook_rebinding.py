"""A webhook's host is resolved once per delivery, and kiik connects to the very address it checked
(DNS rebinding: a name that answers an allowed address to the check and an internal one a moment
later cannot move the connection). The resolver here answers differently each time it is asked."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiik.custody.adapters.webhooks import HttpWebhookSender, WebhookRefused, pinned_url
from kiik.epcis.domain.webhook_destinations import AllowList
from tests.support.webhook import Receiver, start_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = start_receiver()
    yield started
    started.server.shutdown()
    started.server.server_close()


class ChangingResolver:
    """Answers each look-up with the next of its answers (the last one from then on)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        return self.answers[min(len(self.asked), len(self.answers)) - 1]


def test_the_address_checked_is_the_address_connected_to(receiver: Receiver) -> None:
    port = receiver.server.server_address[1]
    dest = f"http://hooks.partner.test:{port}/hook"
    # The name is listed and loopback is allowed (as an administrator may allow a network); 10/8 is not.
    resolver = ChangingResolver(["127.0.0.1"], ["10.1.2.3"], ["127.0.0.1"])
    allowed = AllowList.read(["hooks.partner.test", "127.0.0.1/32"])
    sender = HttpWebhookSender(allowed, timeout=5, resolver=resolver)

    sender.send(dest, b"{}", {"Content-Type": "application/ld+json"})
    # One look-up for the send; the name itself (which no DNS knows) was never resolved again: the
    # request reached the address checked, with the destination's name as its Host.
    assert resolver.asked == [("hooks.partner.test", port)]
    assert len(receiver.received) == 1
    assert receiver.received[0].headers["host"] == f"hooks.partner.test:{port}"

    # The name now answers an internal address: refused before any connection is made.
    with pytest.raises(WebhookRefused, match="internal address 10.1.2.3"):
        sender.send(dest, b"{}", {})
    assert len(resolver.asked) == 2 and len(receiver.received) == 1

    # Back on an allowed address, it is delivered again (the refusal was for that answer only).
    sender.send(dest, b"{}", {})
    assert len(resolver.asked) == 3 and len(receiver.received) == 2


def test_a_name_checked_at_subscription_is_checked_again_at_delivery(receiver: Receiver) -> None:
    port = receiver.server.server_address[1]
    dest = f"http://hooks.partner.test:{port}/hook"
    resolver = ChangingResolver(["127.0.0.1"], ["169.254.169.254"])
    sender = HttpWebhookSender(AllowList.read(["hooks.partner.test", "127.0.0.1/32"]), resolver=resolver)
    assert sender.refusal(dest) is None  # at subscription: allowed
    with pytest.raises(WebhookRefused, match="internal address 169.254.169.254"):
        sender.send(dest, b"{}", {})
    assert receiver.received == []


def test_the_pinned_url_keeps_path_query_and_port_and_brackets_ipv6() -> None:
    assert pinned_url("https://hooks.example.org/cb?x=1", "203.0.113.7") == (
        "https://203.0.113.7/cb?x=1",
        "hooks.example.org",
    )
    assert pinned_url("http://hooks.example.org:8080/cb", "2001:db8::5") == (
        "http://[2001:db8::5]:8080/cb",
        "hooks.example.org:8080",
    )


def _certificate(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name` (its own authority), and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "hook.pem", tmp_path / "hook.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


def test_https_goes_to_the_address_checked_with_the_name_for_tls(receiver: Receiver, tmp_path: Path) -> None:
    """Over https the connection is made to the checked address, and TLS is spoken for the name: the
    server's certificate, made for the name only, is accepted; a name it was not made for is not."""
    cert_file, key_file = _certificate(tmp_path, "hooks.partner.test")
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert_file, key_file)
    receiver.server.socket = served.wrap_socket(receiver.server.socket, server_side=True)
    port = receiver.server.server_address[1]
    trust = ssl.create_default_context(cafile=str(cert_file))
    allowed = AllowList.read(["*.partner.test", "127.0.0.1/32"])

    resolver = ChangingResolver(["127.0.0.1"])
    sender = HttpWebhookSender(allowed, timeout=5, resolver=resolver, trust=trust)
    sender.send(f"https://hooks.partner.test:{port}/hook", b"{}", {})
    assert len(receiver.received) == 1
    assert receiver.received[0].headers["host"] == f"hooks.partner.test:{port}"

    other = HttpWebhookSender(allowed, timeout=5, resolver=ChangingResolver(["127.0.0.1"]), trust=trust)
    with pytest.raises(WebhookRefused, match="could not be reached"):
        other.send(f"https://other.partner.test:{port}/hook", b"{}", {})  # the certificate is not for it
    assert len(receiver.received) == 1
