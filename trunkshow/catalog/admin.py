from django.contrib import admin

from trunkshow.catalog.models import Price, Product, ProductImage, ProductTranslation, Variant


class ProductTranslationInline(admin.StackedInline[ProductTranslation, Product]):
    model = ProductTranslation
    extra = 0


class VariantInline(admin.TabularInline[Variant, Product]):
    model = Variant
    extra = 0
    show_change_link = True


class ProductImageInline(admin.TabularInline[ProductImage, Product]):
    model = ProductImage
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ["slug", "kind", "position", "boost", "is_active", "updated_at"]
    list_editable = ["position", "boost", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["slug", "translations__title", "variants__sku"]
    inlines = [ProductTranslationInline, VariantInline, ProductImageInline]


class PriceInline(admin.TabularInline[Price, Variant]):
    model = Price
    extra = 0


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin[Variant]):
    list_display = ["sku", "product", "color_hex", "position", "is_active"]
    list_filter = ["is_active", "product__kind"]
    search_fields = ["sku", "product__slug"]
    inlines = [PriceInline]


@admin.register(Price)
class PriceAdmin(admin.ModelAdmin[Price]):
    list_display = ["variant", "market", "amount", "currency"]
    list_filter = ["market"]
    search_fields = ["variant__sku"]
