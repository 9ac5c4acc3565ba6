from django.contrib import admin

from .models import Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin[Letterhead]):
    list_display = ["body", "issuer", "abbreviation", "place", "signer_name"]
    search_fields = ["body__name", "issuer", "signer_name"]
