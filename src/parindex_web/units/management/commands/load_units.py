"""Load ministries and provinces (with successions) from the core's shipped registry."""

from django.core.management.base import BaseCommand
from django.db import transaction

from parindex import UnitRegistry
from parindex_web.units.models import AssessingBody, Succession, Unit


class Command(BaseCommand):
    help = "Create or update ministries, provinces and their successions from the shipped registry."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        registry = UnitRegistry.shipped()
        moha, _ = AssessingBody.objects.get_or_create(
            code="bnv",
            defaults={
                "name": "Bộ Nội vụ",
                "name_en": "Ministry of Home Affairs",
                "kind": "national",
            },
        )
        by_id = {}
        for u in registry.units:
            by_id[u.id], _ = Unit.objects.update_or_create(
                code=u.id,
                defaults={
                    "name": u.name,
                    "short_name": u.short_name,
                    "name_en": u.name_en,
                    "unit_type": u.unit_type,
                    "body": moha,
                    "valid_from": u.valid_from,
                    "valid_to": u.valid_to,
                    "lat": u.lat,
                    "lon": u.lon,
                },
            )
        links = 0
        for u in registry.units:
            for s in registry.successors(u.id):
                Succession.objects.update_or_create(
                    predecessor=by_id[s.predecessor],
                    successor=by_id[s.successor],
                    defaults={
                        "effective": s.effective,
                        "weight": s.weight,
                        "primary": s.primary,
                        "basis": s.basis[:300],
                    },
                )
                links += 1
        self.stdout.write(f"{len(by_id)} units, {links} successions loaded")
