"""`kiik subscriptions deliver`: deliver the query subscriptions that are due now; `kiik serve`
delivers them on a timer (KIIK_SUBSCRIPTION_DELIVERY_SECONDS, 0 turns it off)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict

import typer

from kiik.bootstrap.registry import Registry
from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.custody.adapters.webhooks import HttpWebhookSender
from kiik.custody.services.subscription_delivery import deliver_subscriptions
from kiik.epcis.domain.webhook_destinations import AllowList

subscriptions = typer.Typer(help="Query subscriptions of the EPCIS binding (webhooks).", no_args_is_help=True)


def sender_for(registry: Registry) -> HttpWebhookSender:
    return HttpWebhookSender(AllowList.read(registry.settings.webhook_allow))


@subscriptions.command("deliver")
def deliver(db: DbOption = None) -> None:
    """Deliver every subscription that is due; what fails is retried after a backoff."""
    registry = registry_for(db)
    report = deliver_subscriptions(registry.uow, sender_for(registry))
    console.print_json(json.dumps(asdict(report)))
    if report.failed:
        raise fail(f"{len(report.failed)} subscriptions not delivered", "they are retried after a backoff")


def start_subscription_delivery(registry: Registry) -> threading.Thread | None:
    every = registry.settings.subscription_delivery_seconds
    if every <= 0:
        return None
    sender = sender_for(registry)

    def loop() -> None:
        while True:
            try:
                deliver_subscriptions(registry.uow, sender)
            except Exception as exc:  # the loop outlives a database hiccup; the next round retries
                console.print(f"[red]subscription delivery:[/] {exc}")
            time.sleep(every)

    thread = threading.Thread(target=loop, name="kiik-subscription-delivery", daemon=True)
    thread.start()
    return thread


def register(app: typer.Typer) -> None:
    app.add_typer(subscriptions, name="subscriptions")
