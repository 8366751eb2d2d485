from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, override
from django_tasks import task

from trunkshow.commerce.addresses import address_lines
from trunkshow.commerce.events import line_details
from trunkshow.commerce.models import Order
from trunkshow.commerce.pricing import tax_convention
from trunkshow.common.locales import to_django
from trunkshow.common.money import format_price


def order_confirmation_send(*, order_id: int) -> str:
    """Email the shopper their order, in the language they shopped in, once.

    A job run twice (at-least-once delivery) finds the order already
    confirmed and sends nothing; a crash between sending and marking may
    send a second copy, never none.
    """
    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    if order.confirmation_sent_at is not None:
        return order.number
    language = to_django(order.locale)
    details = line_details(
        [line.pk for line in order.lines.all()], absolute=lambda path: settings.SITE_URL + path
    )
    with override(language):
        lines = []
        for line in order.lines.all():
            extra = details.get(line.pk, {})
            kit = extra.get("kit") or {}
            lines.append(
                {
                    "title": line.title,
                    "color": line.color_name,
                    "quantity": line.quantity,
                    "total": format_price(line.line_total, order.currency, order.locale),
                    "ships_by": (extra.get("work_order") or {}).get("promised_ship_date"),
                    "guide_url": f"{kit['instructions_url']}?lang={language}"
                    if kit.get("instructions_url")
                    else None,
                }
            )
        # The same figures the order page and the API show, from the same columns.
        context = {
            "order": order,
            "lines": lines,
            "subtotal": format_price(order.subtotal, order.currency, order.locale),
            "shipping": format_price(order.shipping, order.currency, order.locale),
            "tax": format_price(
                order.total - order.subtotal - order.shipping, order.currency, order.locale
            ),
            "tax_included": tax_convention(order.market_id).included_in_prices,
            "total": format_price(order.total, order.currency, order.locale),
            "address_lines": address_lines(order.address, country=order.market_id),
            "order_url": (
                f"{settings.SITE_URL}/orders/{order.public_id}/?token={order.access_token}"
            ),
        }
        subject = gettext("Your Trunk Show order %(number)s") % {"number": order.number}
        body = render_to_string("commerce/email/confirmation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])
    Order.objects.filter(pk=order.pk).update(confirmation_sent_at=timezone.now())
    return order.number


@task(queue_name="orders")
def send_order_confirmation(order_id: int) -> str:
    return order_confirmation_send(order_id=order_id)
