from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, re_path
from django.views.generic import RedirectView

from trunkshow.analytics import views as analytics_views
from trunkshow.api import api, api_not_found
from trunkshow.atelier import views as atelier_views
from trunkshow.campaigns import stream_events, stream_views
from trunkshow.campaigns import views as campaign_views
from trunkshow.privacy import views as privacy_views
from trunkshow.quiz import views as quiz_views
from trunkshow.storefront import insights_views, shop_views, views
from trunkshow.studio import views as studio_views
from trunkshow.video import views as video_views

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url="/static/storefront/favicon.svg", permanent=True)),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/worker", views.healthz_worker, name="healthz-worker"),
    # An async view (not a ninja route): a waiting viewer holds no server thread.
    path(
        "api/v1/streams/<int:stream_id>/events",
        stream_events.stream_events,
        name="stream-events",
    ),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
    path("analytics/events/", analytics_views.beacon, name="analytics-beacon"),
    path("region/", views.choose_region, name="choose-region"),
    # The dashboard from the admin too (staff sign in there).
    path("admin/analytics/", RedirectView.as_view(pattern_name="analytics-dashboard")),
    path("admin/", admin.site.urls),
    path("v/clips/<str:name>", video_views.clip_stream, name="video-clip"),
    path("v/<str:token>/index.m3u8", video_views.playlist, name="video-playlist"),
    path("v/<str:token>/<str:name>", video_views.message_file, name="video-file"),
    # Product pictures and (later) uploads are served by the app itself so one
    # process is a whole shop; a deployment may put a CDN-less proxy in front.
    re_path(r"^media/(?P<path>.+)$", views.media, name="media"),
    path("kits/<str:token>/guide.pdf", atelier_views.kit_guide, name="kit-instructions"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("products/", views.product_list, name="product-list"),
    path("products/<slug:slug>/", views.product_detail, name="product-detail"),
    path("campaigns/<slug:slug>/", campaign_views.campaign_page, name="campaign"),
    path("streams/<int:stream_id>/control/", stream_views.stream_control, name="stream-control"),
    path("campaigns/<slug:slug>/remind/", campaign_views.remind_me, name="campaign-remind"),
    path(
        "campaigns/<slug:slug>/drops/<int:drop_id>/queue/",
        campaign_views.drop_queue,
        name="campaign-drop-queue",
    ),
    path(
        "campaigns/<slug:slug>/calendar.ics",
        campaign_views.campaign_calendar,
        name="campaign-calendar",
    ),
    path("privacy/", privacy_views.privacy_page, name="privacy"),
    path("privacy/consent/", privacy_views.consent_save, name="privacy-consent"),
    path("privacy/requests/", privacy_views.request_create, name="privacy-request"),
    path("privacy/requests/<str:token>/", privacy_views.request_page, name="privacy-request-page"),
    path(
        "privacy/requests/<str:token>/download/",
        privacy_views.request_download,
        name="privacy-download",
    ),
    path("quiz/<slug:slug>/", quiz_views.quiz_page, name="quiz"),
    path("quiz/result/<str:public_id>/", quiz_views.result_page, name="quiz-result"),
    path("cart/", shop_views.cart_page, name="cart"),
    path("cart/add/", shop_views.cart_add, name="cart-add"),
    path("cart/add-design/", shop_views.cart_add_design, name="cart-add-design"),
    path("studio/", studio_views.studio_index, name="studio-index"),
    path("studio/<slug:key>/", studio_views.studio_page, name="studio"),
    path("cart/update/", shop_views.cart_update, name="cart-update"),
    path("checkout/", shop_views.checkout_page, name="checkout"),
    path("orders/<str:order_id>/", shop_views.order_page, name="order"),
    # The workshop's board: staff sign in here, not only through the admin.
    path("atelier/login/", atelier_views.WorkshopSignIn.as_view(), name="atelier-login"),
    path(
        "atelier/logout/",
        auth_views.LogoutView.as_view(next_page="atelier-login"),
        name="atelier-logout",
    ),
    path("atelier/", atelier_views.board, name="atelier-board"),
    path("analytics/", insights_views.dashboard, name="analytics-dashboard"),
    path(
        "analytics/experiments/<slug:slug>/promote/",
        insights_views.promote,
        name="analytics-promote",
    ),
    path("atelier/work-orders/<int:pk>/", atelier_views.work_order_page, name="atelier-work-order"),
    path(
        "atelier/work-orders/<int:pk>/claim/", atelier_views.work_order_claim, name="atelier-claim"
    ),
    path("atelier/work-orders/<int:pk>/move/", atelier_views.work_order_move, name="atelier-move"),
    path("atelier/work-orders/<int:pk>/notes/", atelier_views.work_order_note, name="atelier-note"),
    path(
        "atelier/work-orders/<int:pk>/photos/", atelier_views.work_order_photo, name="atelier-photo"
    ),
    path(
        "atelier/work-orders/<int:pk>/photos/<str:name>",
        atelier_views.work_order_photo_file,
        name="atelier-photo-file",
    ),
    path(
        "atelier/work-orders/<int:pk>/spec-sheet.pdf",
        atelier_views.spec_sheet,
        name="atelier-spec-sheet",
    ),
    path("atelier/kits/<int:pk>/packed/", atelier_views.kit_packed, name="atelier-kit-packed"),
)

# A database or Redis that is down answers 503 with Retry-After (common/unavailable.py).
handler500 = "trunkshow.common.unavailable.server_error"
