"""The demo brand's collection: original pieces, both languages, both markets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

MARKETS: list[dict[str, Any]] = [
    {
        "code": "CN",
        "names": {"zh-Hans": "中国大陆", "en": "China mainland"},
        "currency": "CNY",
        "default_locale": "zh-Hans",
        "time_zone": "Asia/Shanghai",
        "prices_include_tax": True,
        "position": 0,
    },
    {
        "code": "US",
        "names": {"zh-Hans": "美国", "en": "United States"},
        "currency": "USD",
        "default_locale": "en",
        "time_zone": "America/New_York",
        "position": 1,
    },
]

COLOURS: dict[str, tuple[str, dict[str, str]]] = {
    "NVY": ("#1F3A5F", {"en": "Midnight navy", "zh-Hans": "午夜蓝"}),
    "RED": ("#B3261E", {"en": "Lacquer red", "zh-Hans": "漆红"}),
    "CML": ("#C8A27A", {"en": "Camel", "zh-Hans": "驼色"}),
    "GRN": ("#2E5E4E", {"en": "Forest green", "zh-Hans": "森林绿"}),
    "BLK": ("#161616", {"en": "Black", "zh-Hans": "经典黑"}),
    "CRM": ("#E9D8C4", {"en": "Cream", "zh-Hans": "奶油白"}),
    "PLM": ("#7A4B94", {"en": "Plum", "zh-Hans": "梅子紫"}),
    "SKY": ("#3D6CB3", {"en": "Sky blue", "zh-Hans": "天空蓝"}),
    "RSE": ("#E28FA0", {"en": "Rose", "zh-Hans": "玫瑰粉"}),
    "BRN": ("#5A3825", {"en": "Chestnut", "zh-Hans": "栗棕"}),
    "GRY": ("#8A8F96", {"en": "Slate grey", "zh-Hans": "石板灰"}),
    "MST": ("#D4A017", {"en": "Mustard", "zh-Hans": "芥末黄"}),
}

# (slug, code, kind, silhouette, tags, (CNY, USD), colours, {locale: (title, description)})
PRODUCTS: list[dict[str, Any]] = [
    {
        "slug": "signature-tote", "code": "TOTE", "kind": "handbag", "silhouette": "tote",
        "tags": ["city", "work", "classic"], "prices": ("3980", "498"),
        "colours": ["NVY", "BLK", "CML"],
        "text": {
            "en": ("Signature Tote", "Roomy enough for a laptop and a day in the city, with the signature charm in gold."),
            "zh-Hans": ("标志托特包", "容量充足，装得下笔记本电脑和城市里的一整天，饰有金色标志吊饰。"),
        },
    },
    {
        "slug": "metro-satchel", "code": "SATC", "kind": "handbag", "silhouette": "satchel",
        "tags": ["work", "city", "classic"], "prices": ("4580", "568"),
        "colours": ["RED", "BRN", "BLK"],
        "text": {
            "en": ("Metro Satchel", "A structured satchel with a turn-lock flap for the commute and the meeting after it."),
            "zh-Hans": ("都市剑桥包", "廓形挺括的剑桥包，转锁翻盖，从通勤到会议一路从容。"),
        },
    },
    {
        "slug": "gallery-crossbody", "code": "XBDY", "kind": "handbag", "silhouette": "crossbody",
        "tags": ["art", "city", "evening"], "prices": ("2680", "328"),
        "colours": ["CML", "PLM", "CRM"],
        "text": {
            "en": ("Gallery Crossbody", "Hands free for the opening night: a slim crossbody with an adjustable strap."),
            "zh-Hans": ("画廊斜挎包", "看展之夜解放双手：轻薄斜挎包，肩带长度可调。"),
        },
    },
    {
        "slug": "weekend-bucket", "code": "BCKT", "kind": "handbag", "silhouette": "bucket",
        "tags": ["weekend", "relaxed", "outdoor"], "prices": ("3280", "398"),
        "colours": ["GRN", "CML", "SKY"],
        "text": {
            "en": ("Weekend Bucket Bag", "Drawstring bucket bag for markets, picnics and slow Saturdays."),
            "zh-Hans": ("周末水桶包", "抽绳水桶包，适合逛市集、野餐和慢悠悠的周六。"),
        },
    },
    {
        "slug": "evening-clutch", "code": "CLCH", "kind": "handbag", "silhouette": "clutch",
        "tags": ["evening", "art", "glamour"], "prices": ("2280", "278"),
        "colours": ["BLK", "RED", "MST"],
        "text": {
            "en": ("Evening Clutch", "An envelope clutch with a gold charm closure, made for the dance floor."),
            "zh-Hans": ("晚宴手拿包", "信封式手拿包，金色吊饰扣合，为舞池而生。"),
        },
    },
    {
        "slug": "jetset-shoulder-bag", "code": "SHLD", "kind": "handbag", "silhouette": "shoulder",
        "tags": ["travel", "city", "classic"], "prices": ("3680", "458"),
        "colours": ["CRM", "NVY", "GRY"],
        "text": {
            "en": ("Jet-Set Shoulder Bag", "From the lounge to the lobby: a soft shoulder bag with a zip-top flap."),
            "zh-Hans": ("环球单肩包", "从候机室到酒店大堂：柔软单肩包，翻盖内藏拉链。"),
        },
    },
    {
        "slug": "studio-hobo", "code": "HOBO", "kind": "handbag", "silhouette": "hobo",
        "tags": ["art", "relaxed", "weekend"], "prices": ("2980", "368"),
        "colours": ["PLM", "BRN", "RSE"],
        "text": {
            "en": ("Studio Hobo", "A slouchy half-moon hobo that carries sketchbooks and brushes alike."),
            "zh-Hans": ("工作室半月包", "随性半月形流浪包，速写本和画笔都装得下。"),
        },
    },
    {
        "slug": "runner-backpack", "code": "BKPK", "kind": "handbag", "silhouette": "backpack",
        "tags": ["active", "outdoor", "weekend"], "prices": ("3380", "418"),
        "colours": ["SKY", "BLK", "GRN"],
        "text": {
            "en": ("Runner Backpack", "Light leather backpack with a front pocket for keys, cards and a run after work."),
            "zh-Hans": ("轻跑双肩包", "轻量皮革双肩包，前袋收纳钥匙和卡片，下班后去跑一圈。"),
        },
    },
    {
        "slug": "mini-top-handle", "code": "MINI", "kind": "handbag", "silhouette": "top-handle",
        "tags": ["evening", "glamour", "city"], "prices": ("2580", "318"),
        "colours": ["RSE", "CRM", "RED"],
        "text": {
            "en": ("Mini Top-Handle", "A small, structured top-handle bag that finishes any look."),
            "zh-Hans": ("迷你手提包", "小巧挺括的手提包，为任何造型画龙点睛。"),
        },
    },
    {
        "slug": "voyager-weekender", "code": "WKND", "kind": "travel", "silhouette": "duffel",
        "tags": ["travel", "weekend", "active"], "prices": ("5980", "748"),
        "colours": ["BRN", "NVY"],
        "text": {
            "en": ("Voyager Weekender", "A leather duffel sized for two nights away and the cabin's overhead bin."),
            "zh-Hans": ("旅行者周末包", "皮革旅行袋，容量刚好两晚，可放入机舱行李架。"),
        },
    },
    {
        "slug": "carry-on-trolley", "code": "TRLY", "kind": "travel", "silhouette": "trolley",
        "tags": ["travel", "work", "classic"], "prices": ("6980", "878"),
        "colours": ["GRY", "BLK"],
        "text": {
            "en": ("Carry-On Trolley", "Hard-shell carry-on on silent wheels, with a telescopic handle."),
            "zh-Hans": ("登机箱", "硬壳登机箱，静音万向轮，伸缩拉杆。"),
        },
    },
    {
        "slug": "passport-wallet", "code": "PSPT", "kind": "travel", "silhouette": "passport",
        "tags": ["travel", "classic"], "prices": ("980", "128"),
        "colours": ["MST", "RED", "NVY"],
        "text": {
            "en": ("Passport Wallet", "Passport, boarding pass and two cards, embossed with the charm."),
            "zh-Hans": ("护照夹", "收纳护照、登机牌和两张卡片，压印标志吊饰。"),
        },
    },
    {
        "slug": "travel-pouch", "code": "PCH", "kind": "travel", "silhouette": "pouch",
        "tags": ["travel", "active", "relaxed"], "prices": ("880", "118"),
        "colours": ["CRM", "SKY", "RSE"],
        "text": {
            "en": ("Travel Pouch", "A zip pouch for cables, cosmetics or the essentials of a long flight."),
            "zh-Hans": ("旅行收纳包", "拉链收纳包，装数据线、化妆品或长途飞行的必需品。"),
        },
    },
]  # fmt: skip


def stock_for(sku_index: int, market_code: str) -> int:
    """Deterministic stock levels: mostly plenty, some low, a few sold out."""
    pattern = [12, 30, 3, 0, 18, 7, 25, 1, 40, 9, 15, 2]
    offset = 5 if market_code == "US" else 0
    return pattern[(sku_index + offset) % len(pattern)]


def price_of(product: dict[str, Any], market_code: str) -> Decimal:
    cny, usd = product["prices"]
    return Decimal(cny if market_code == "CN" else usd)


# Shipping within each market: a free standard service and a paid express one.
SHIPPING = {
    "CN": [
        {"code": "standard", "names": {"en": "Standard (SF Express)", "zh-Hans": "标准配送（顺丰）"},
         "amount": "0.00", "days_min": 2, "days_max": 4, "is_default": True},
        {"code": "express", "names": {"en": "Next day", "zh-Hans": "次日达"},
         "amount": "30.00", "days_min": 1, "days_max": 1, "is_default": False},
    ],
    "US": [
        {"code": "standard", "names": {"en": "Standard (UPS Ground)", "zh-Hans": "标准配送（UPS 陆运）"},
         "amount": "0.00", "days_min": 3, "days_max": 6, "is_default": True},
        {"code": "express", "names": {"en": "2nd Day Air", "zh-Hans": "两日达"},
         "amount": "25.00", "days_min": 2, "days_max": 2, "is_default": False},
    ],
}  # fmt: skip
# A campaign drop: at most this many units per shopper.
PER_SHOPPER_LIMITS = {"TOTE-BLK": 2}
