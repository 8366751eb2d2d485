"""The workshop's board, its spec sheets, and the shopper's kit guide."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pypdfium2
import pypdfium2.raw as pdfium_raw
import pytest
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_tasks_db.models import DBTaskResult
from PIL import Image

from tests.studio.test_atelier_flow import buy
from tests.studio.test_designs_api import GREEN, design, post
from trunkshow.atelier.models import Artisan, KitOrder, WorkOrder, WorkOrderPhoto
from trunkshow.atelier.selectors import photo_path
from trunkshow.atelier.services import kit_orders_create_for_order, sheets_prepare
from trunkshow.atelier.sheets import recipe_words
from trunkshow.commerce.models import Order
from trunkshow.commerce.orders import order_refund
from trunkshow.engines.paint import ARTISAN, DIY_KIT, mix, solve
from trunkshow.inventory.models import StockItem

pytestmark = pytest.mark.django_db(transaction=True)

A4_POINTS = (595.3, 841.9)


def staff_user(username: str = "mei", *, allowed: bool = True) -> User:
    user = User.objects.create_user(username, password="pw-for-tests", is_staff=True)
    if allowed:
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_workorder", "change_workorder"])
        )
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def photo(fmt: str = "JPEG", size: tuple[int, int] = (800, 600), **save: object) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, "#3A6B4F").save(data, fmt, **save)
    data.seek(0)
    data.name = f"bag.{fmt.lower()}"
    return data


def pdf_text(body: bytes) -> tuple[pypdfium2.PdfDocument, str]:
    """Open the PDF as Chromium would (PDFium) and read its words back, spaces dropped."""
    document = pypdfium2.PdfDocument(body)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    return document, re.sub(r"\s+", "", text)


def squeeze(words: str) -> str:
    return re.sub(r"\s+", "", words)


@pytest.fixture
def workshop(tote_template):
    StockItem.objects.filter(sku="TOTE-1", market_id="CN").update(on_hand=50)
    mei = staff_user("mei")
    artisan = Artisan.objects.create(name="Mei", user=mei)
    return {"artisan": artisan, "user": mei}


@pytest.fixture
def work_order(client, workshop) -> WorkOrder:
    made = post(client, design(mode="artisan")).json()
    buy(client, made, "board")
    return WorkOrder.objects.get()


def test_staff_only_pages_refuse_shoppers(client, work_order):
    pages = [
        "/zh-hans/atelier/",
        f"/zh-hans/atelier/work-orders/{work_order.pk}/",
        f"/en/atelier/work-orders/{work_order.pk}/spec-sheet.pdf",
    ]
    # Given a visitor who is not signed in: sent to the workshop sign-in, and back after.
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302
        language = page.split("/")[1]
        assert response["Location"] == f"/{language}/atelier/login/?next={page}"
    # Given a signed-in shopper, or staff the workshop did not let in: refused.
    shopper = User.objects.create_user("shopper", password="pw-for-tests")
    for user in (shopper, staff_user("clerk", allowed=False)):
        refused = signed_in(user)
        for page in pages:
            assert refused.get(page).status_code == 403
        moved = refused.post(f"/en/atelier/work-orders/{work_order.pk}/move/",
                             {"to": "in_painting"})  # fmt: skip
        assert moved.status_code == 403
    work_order.refresh_from_db()
    assert work_order.status == "queued" and work_order.events.count() == 1


def test_staff_sign_in_on_the_site_and_see_the_queue_by_due_date(client, work_order):
    page = client.post("/en/atelier/login/", {"username": "mei", "password": "wrong"})
    assert "do not match" in page.content.decode()
    signed = client.post(
        "/en/atelier/login/?next=/en/atelier/", {"username": "mei", "password": "pw-for-tests"}
    )
    assert signed.status_code == 302 and signed["Location"] == "/en/atelier/"
    board = client.get("/en/atelier/").content.decode()
    assert work_order.order_number in board and "Queued" in board
    off_site = Client()
    off_site.post("/en/atelier/login/?next=https://evil.example/",
                  {"username": "mei", "password": "pw-for-tests", "next": "https://evil.example/"})  # fmt: skip
    assert "evil" not in off_site.get("/en/atelier/").wsgi_request.path


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_admins_password_does_not_open_the_workshop(language):
    # Given the admin's account
    User.objects.create_superuser("boss", "boss@example.com", "right-password-1")
    client = Client()
    # When it signs in at the workshop with the right password
    page = client.post(
        f"/{language}/atelier/login/", {"username": "boss", "password": "right-password-1"}
    )
    # Then the page refuses, in its language, and nobody is signed in
    assert page.status_code == 200
    said = "cannot sign in to the workshop" if language == "en" else "无法登录工坊"
    assert said in page.content.decode()
    assert "_auth_user_id" not in client.session
    # While the admin still signs in at the admin
    admin = Client()
    admin.post("/admin/login/", {"username": "boss", "password": "right-password-1"})
    assert "_auth_user_id" in admin.session


def test_guessing_a_staff_password_is_paused_after_ten_tries(client, workshop):
    staff_user("tess")
    for _ in range(10):
        client.post("/en/atelier/login/", {"username": "tess", "password": "guess"})
    paused = client.post("/en/atelier/login/", {"username": "tess", "password": "pw-for-tests"})
    assert paused.status_code == 429 and "Too many wrong passwords" in paused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_board_lists_the_soonest_promise_first(client, workshop):
    made = post(client, design(mode="artisan", zones={"body": GREEN})).json()
    for key in ("a", "b", "c"):
        buy(client, made, key)
    first, second, third = WorkOrder.objects.order_by("pk")
    # Given the last one was promised earliest, and one promise is already past:
    WorkOrder.objects.filter(pk=third.pk).update(
        promised_ship_date=first.promised_ship_date - timedelta(days=2)
    )
    WorkOrder.objects.filter(pk=second.pk).update(promised_ship_date=date(2020, 1, 1))
    board = signed_in(workshop["user"]).get("/en/atelier/").content.decode()
    shown = [int(pk) for pk in re.findall(r'data-work-order="(\d+)"', board)]
    assert shown == [second.pk, third.pk, first.pk]
    assert board.count("Overdue") == 1


def test_an_artisan_claims_moves_notes_and_photographs_a_bag_to_shipped(work_order, workshop):
    staff = signed_in(workshop["user"])
    base = f"/en/atelier/work-orders/{work_order.pk}"
    staff.post(f"{base}/claim/", {"expected": "queued"})
    work_order.refresh_from_db()
    assert work_order.assignee == workshop["artisan"]

    for step in ("in_painting", "drying", "quality_check"):
        staff.post(f"{base}/move/", {"to": step, "expected": work_order.status})
        work_order.refresh_from_db()
        assert work_order.status == step
    order = work_order.order_line.order
    order.refresh_from_db()
    assert order.status == "fulfilling"  # the shopper sees it being made

    # Quality check wants a photo of the finished bag before it passes.
    refused = staff.post(f"{base}/move/", {"to": "ready_to_ship", "expected": "quality_check"},
                         follow=True)  # fmt: skip
    assert "Add a photo" in refused.content.decode()
    work_order.refresh_from_db()
    assert work_order.status == "quality_check"

    staff.post(f"{base}/notes/", {"text": "<script>alert(1)</script> strap edge touched up"})
    staff.post(f"{base}/photos/", {"photo": photo()})
    page = staff.get(f"{base}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    stored = WorkOrderPhoto.objects.get()
    assert staff.get(f"{base}/photos/{stored.name}")["Content-Type"] == "image/jpeg"

    # A board left open elsewhere cannot move the bag from a state it has left.
    stale = staff.post(f"{base}/move/", {"to": "drying", "expected": "in_painting"}, follow=True)
    assert "moved this bag meanwhile" in stale.content.decode()

    for step in ("ready_to_ship", "shipped"):
        staff.post(f"{base}/move/", {"to": step, "expected": work_order.status, "note": "DHL 123"})
        work_order.refresh_from_db()
    assert work_order.status == "shipped"
    history = [(e.from_status, e.to_status, e.actor) for e in work_order.events.all()]
    assert history[-1] == ("ready_to_ship", "shipped", "mei")
    order.refresh_from_db()
    assert order.status == "shipped"  # the last bag of the order left the workshop


def test_work_stops_on_a_refunded_order(work_order, workshop):
    order_refund(order=work_order.order_line.order, actor="support", note="changed mind")
    staff = signed_in(workshop["user"])
    answer = staff.post(f"/en/atelier/work-orders/{work_order.pk}/move/",
                        {"to": "in_painting"}, follow=True)  # fmt: skip
    assert "cancelled or refunded" in answer.content.decode()
    work_order.refresh_from_db()
    assert work_order.status == "queued"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (io.BytesIO(b"<?php system($_GET['c']); ?>" + b"x" * 2000), "not a photo"),
        (photo("GIF"), "not a photo"),
        (photo(size=(120, 90)), "too small"),
        (io.BytesIO(b"\xff\xd8\xff\xe0" + b"\x00" * 5000), "not a photo"),
    ],
)
def test_a_photo_is_checked_by_its_content(work_order, workshop, upload, message):
    upload.name = "finished.jpg"
    staff = signed_in(workshop["user"])
    answer = staff.post(f"/en/atelier/work-orders/{work_order.pk}/photos/", {"photo": upload},
                        follow=True)  # fmt: skip
    assert message in answer.content.decode()
    assert not WorkOrderPhoto.objects.exists()


def test_a_photo_past_the_limit_is_refused(work_order, workshop, settings):
    settings.ATELIER_PHOTO_MAX_BYTES = 20_000
    big = io.BytesIO()
    Image.effect_noise((400, 400), 80).convert("RGB").save(big, "PNG")
    big.seek(0)
    big.name = "big.png"
    answer = signed_in(workshop["user"]).post(
        f"/en/atelier/work-orders/{work_order.pk}/photos/", {"photo": big}, follow=True
    )
    assert "larger than" in answer.content.decode()
    assert not WorkOrderPhoto.objects.exists()


def test_a_photo_is_reencoded_upright_and_without_its_metadata(work_order, workshop):
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: shown rotated 90°
    exif[0x010F] = "PhoneMaker"
    upload = photo(size=(800, 600), exif=exif.tobytes())
    signed_in(workshop["user"]).post(
        f"/en/atelier/work-orders/{work_order.pk}/photos/", {"photo": upload}
    )
    stored = WorkOrderPhoto.objects.get()
    with Image.open(photo_path(stored.name)) as image:
        assert image.format == "JPEG" and image.size == (600, 800)
        assert not image.getexif()


def test_the_spec_sheet_prints_on_a4_with_every_recipe_in_both_languages(work_order, workshop):
    staff = signed_in(workshop["user"])
    flap = mix({"yellow": 1, "white": 2})
    for language, locale in (("zh-hans", "zh-Hans"), ("en", "en")):
        response = staff.get(f"/en/atelier/work-orders/{work_order.pk}/spec-sheet.pdf",
                             {"lang": language})  # fmt: skip
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        document, text = pdf_text(b"".join(response.streaming_content))
        width, height = document[0].get_size()
        assert (round(width, 1), round(height, 1)) == A4_POINTS
        assert work_order.order_number in text and "LJ" in text
        for colour in (GREEN, flap):
            assert colour in text
            with translation.override(language):
                words = recipe_words(solve(colour, ARTISAN).parts, ARTISAN, locale)
            assert squeeze(words) in text
        images = document[0].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE])
        assert list(images), "the preview is on the first page"
    zh = pdf_text(b"".join(staff.get(
        f"/en/atelier/work-orders/{work_order.pk}/spec-sheet.pdf", {"lang": "zh-hans"}
    ).streaming_content))[1]  # fmt: skip
    assert "规格单" in zh and "订单号" in zh and "发货日期" in zh


def test_a_diy_order_gets_a_pick_list_and_its_own_painting_guide(client, workshop):
    made = post(client, design()).json()
    placed = buy(client, made, "kit")
    assert not WorkOrder.objects.exists()
    kit = KitOrder.objects.get()
    kit_orders_create_for_order(kit.order_line.order_id)  # the event told again: still one kit
    assert KitOrder.objects.count() == 1
    # The worker prints the guide in both languages as soon as the order is paid.
    queued = DBTaskResult.objects.filter(task_path="trunkshow.atelier.services.prepare_sheets")
    assert queued.count() == 1 and queued.get().args_kwargs["args"] == ["kit", kit.pk]
    assert sheets_prepare(kind="kit", pk=kit.pk) == 2
    order = client.get(
        f"/api/v1/orders/{placed['order_id']}", {"token": placed["access_token"]}
    ).json()
    line = order["lines"][0]
    assert line["mode"] == "diy" and line["work_order"] is None
    url = line["kit"]["instructions_url"]
    assert url.startswith("http://testserver/kits/") and kit.token in url

    # The guide opens from its link (the shopper's key), in both languages.
    flap = mix({"yellow": 1, "white": 2})
    for language, locale, words in (("en", "en", "Preparetheleather"),
                                    ("zh-hans", "zh-Hans", "准备皮革")):  # fmt: skip
        response = Client().get(url.removeprefix("http://testserver"), {"lang": language})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        _reader, text = pdf_text(b"".join(response.streaming_content))
        assert words in text and kit.order_number in text
        for colour in (GREEN, flap, mix({"white": 1})):
            with translation.override(language):
                recipe = recipe_words(solve(colour, DIY_KIT).parts, DIY_KIT, locale)
            assert squeeze(recipe) in text
    assert Client().get(f"/kits/{'x' * 32}/guide.pdf").status_code == 404

    # The confirmation email links it, in the language the shopper bought in.
    call_command("db_worker", "--batch", "--queue-name", "*", "--interval", "0",
                 "--no-startup-delay")  # fmt: skip
    (confirmation,) = mail.outbox
    assert f"/kits/{kit.token}/guide.pdf?lang=zh-hans" in confirmation.body
    assert "此设计的手绘指南" in confirmation.body

    # The order page links it; the board lists the kit to pick and pack.
    shopper_page = client.get(
        f"/en/orders/{placed['order_id']}/", {"token": placed["access_token"]}
    ).content.decode()
    assert f"/kits/{kit.token}/guide.pdf?lang=en" in shopper_page
    staff = signed_in(workshop["user"])
    kits = staff.get("/en/atelier/?view=kits").content.decode()
    for item in ("Leather preparer", "Charm stencil", "Round sponge", "Brushes"):
        assert item in kits
    assert "4 × Paint pots" in kits
    staff.post(f"/en/atelier/kits/{kit.pk}/packed/")
    kit.refresh_from_db()
    assert kit.status == "packed" and kit.packed_by == "mei"
    assert "No kits waiting" in staff.get("/en/atelier/?view=kits").content.decode()


def test_an_unpaid_order_has_no_guide_yet(client, workshop):
    made = post(client, design()).json()
    placed = buy(client, made, "declined")
    Order.objects.filter(public_id=placed["order_id"]).update(status="pending_payment")
    KitOrder.objects.all().delete()
    order = client.get(
        f"/api/v1/orders/{placed['order_id']}", {"token": placed["access_token"]}
    ).json()
    assert order["lines"][0]["kit"] is None


def test_the_chinese_painting_guide_is_all_in_chinese(client, workshop):
    # Given a paid DIY order with brush work, the stencil and a monogram
    made = post(client, design()).json()
    buy(client, made, "zh-guide")
    kit = KitOrder.objects.get()
    # When the shopper opens the Chinese guide
    response = Client().get(f"/kits/{kit.token}/guide.pdf", {"lang": "zh-hans"})
    _reader, text = pdf_text(b"".join(response.streaming_content))
    # Then its footer and every sentence are Chinese: colours by name, not only by code
    assert "私享展·你的手绘指南·经典托特包1/2" in text
    assert "TrunkShow" not in text
    latin = re.sub(r"#[0-9A-F]{6}", "", text.replace(kit.order_number, ""))
    assert not re.findall(r"[A-Za-z]{2,}", latin.replace("LJ", ""))
    # and each recipe carries the drops this bag takes (issue 25), as the studio says it
    body = mix({"yellow": 3, "blue": 1})
    assert re.search(rf"{body}（3份黄\+1份蓝·本包用量：\d+滴黄、\d+滴蓝）涂包身", text)
