"""A webhook's host is resolved once per delivery, and kiik connects to the very address it checked
(DNS rebinding: a name that answers an allowed address to the check and an internal one a moment
later cannot move the connection). The resolver here answers differently each time it is asked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
