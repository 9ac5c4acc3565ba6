"""Demo data for ``make run``: example units, users of every role, cycles at every stage.

Everything here is EXAMPLE data (fictional communes, invented points) on the example
methodology; it is labelled so on every page that shows it. Idempotent: a second run leaves the
data as it is. ``--reset`` deletes the demo body's cycles first.

Users (local development only; the password is printed): ``thuky`` (secretariat),
``thamdinh1`` and ``thamdinh2`` (appraisers), ``canbo1``…``canbo6`` (unit officers),
``lanhdao1``…``lanhdao6`` (unit leaders), ``admin`` (Django admin). The roles that must use
two-step sign-in (secretariat, appraisers, admin) get an authenticator device with one fixed,
printed DEMO key (:data:`DEMO_OTP_KEY`): add it to an app once, or print the current code with
the command shown. Never use the demo key (or the demo password) outside a local demo.
"""

from __future__ import annotations

import base64
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

import parindex
from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Assignment, Cycle, Entry, Phase, Publication
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit

PASSWORD = "parindex-demo"
#: The demo's authenticator key (hex; RFC 6238's test key): EXAMPLE, for a local demo only.
DEMO_OTP_KEY = "3132333435363738393031323334353637383930"
OTP_DEMO_USERS = ("admin", "thuky", "thuky_bnv", "thamdinh1", "thamdinh2")
BODY = "snv-vi-du"
COMMUNES = [
    ("demo-x01", "Xã An Bình (ví dụ)"),
    ("demo-x02", "Xã Bình Minh (ví dụ)"),
    ("demo-x03", "Phường Cẩm Lệ (ví dụ)"),
    ("demo-x04", "Xã Đông Hà (ví dụ)"),
    ("demo-x05", "Xã Ea Kao (ví dụ)"),
    ("demo-x06", "Phường Ô Môn (ví dụ)"),
]


def _user(username: str, first_name: str, **extra: Any) -> Any:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "email": f"{username}@example.org", **extra},
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


# Where demo numbers lie in an input's range, by unit: from this share (%) up to the top, in
# steps of this size (percentages 60-100; points 70-100 % of the maximum, by quarters).
_DEMO_RANGE = {"%": (60, Decimal(1)), "points": (70, Decimal("0.25"))}


def _demo_value(spec: parindex.InputSpec, rnd: random.Random) -> object:
    """A plausible value for one declared input: one of the first two choices, mostly yes, a
    number high in its range, a few failing items."""
    if spec.kind == "choice":
        return rnd.choice(spec.choices[:2]).key
    if spec.kind == "yesno":
        return "yes" if rnd.random() < 0.85 else "no"
    low = spec.minimum or Decimal(0)
    if spec.maximum is None:
        return rnd.randint(int(low), int(low) + 3)
    share, step = _DEMO_RANGE.get(spec.unit or "", (60, Decimal(1)))
    value = (spec.maximum - low) * Decimal(rnd.randint(share, 100)) / 100 + low
    return str(value.quantize(step))


def demo_inputs(rule: parindex.Rule, max_points: Decimal, rnd: random.Random) -> dict[str, object]:
    """Plausible input for a leaf's rule (example data), in the rule's first input mode, drawn
    from its declared choices and bounds; counts meet the plan or fall one short."""
    mode = rule.modes()[0]
    if "planned" in mode:
        planned = rnd.randint(8, 12)
        return {"achieved": rnd.randint(planned - 1, planned), "planned": planned}
    specs = {spec.name: spec for spec in rule.inputs(max_points)}
    return {name: _demo_value(specs[name], rnd) for name in mode}


class Command(BaseCommand):
    help = "Load demo data (example units, users of every role, cycles at different stages)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reset", action="store_true", help="delete the demo cycles first")
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="only add a cycle of N example communes (100 leaves each), ready to finalise",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if options["scale"] is not None:
            from parindex_web.cycles.management import scale_demo  # it reuses this module's inputs

            if options["scale"] < 1:
                raise CommandError("--scale: give a number of units of 1 or more")
            scale_demo.load(options["scale"], self.stdout)
            return
        call_command("load_units", verbosity=0)
        self.load_methodologies()
        if options["reset"]:
            demo = Cycle.objects.filter(body__code=BODY) | Cycle.objects.filter(
                body__code="bnv", example=True
            )
            Publication.objects.filter(cycle__in=demo).delete()
            demo.delete()
        if not Cycle.objects.filter(body__code="bnv", example=True).exists():
            self.load_national()
        if Cycle.objects.filter(body__code=BODY).exists():
            self.stdout.write("demo data already loaded (use --reset to start again)")
        else:
            # The demo's notifications would flood the console: keep them in memory.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                self.load()
        self.demo_devices()
        self.print_accounts()

    def load_methodologies(self) -> None:
        for slug, path in parindex.shipped_methodologies().items():
            if not Methodology.objects.filter(slug=slug).exists():
                Methodology.from_file(path, slug).save()

    @transaction.atomic
    def load(self) -> None:
        rnd = random.Random(2025)
        body, _ = AssessingBody.objects.get_or_create(
            code=BODY,
            defaults={
                "name": "Sở Nội vụ (ví dụ)",
                "name_en": "Department of Home Affairs (example)",
                "kind": AssessingBody.Kind.PROVINCIAL,
            },
        )
        units = [
            Unit.objects.get_or_create(
                code=code, defaults={"name": name, "unit_type": Unit.Type.COMMUNE, "body": body}
            )[0]
            for code, name in COMMUNES
        ]
        _user("admin", "Quản trị", is_staff=True, is_superuser=True)
        secretariat = _user("thuky", "Thư ký")
        appraisers = [_user("thamdinh1", "Thẩm định 1"), _user("thamdinh2", "Thẩm định 2")]
        Membership.objects.get_or_create(user=secretariat, role=Role.SECRETARIAT, body=body)
        for appraiser in appraisers:
            Membership.objects.get_or_create(user=appraiser, role=Role.APPRAISER, body=body)
        officers, leaders = [], []
        for i, unit in enumerate(units, start=1):
            officers.append(_user(f"canbo{i}", f"Cán bộ {i}"))
            leaders.append(_user(f"lanhdao{i}", f"Lãnh đạo {i}"))
            Membership.objects.get_or_create(user=officers[-1], role=Role.OFFICER, unit=unit)
            Membership.objects.get_or_create(user=leaders[-1], role=Role.LEADER, unit=unit)
        methodology = Methodology.objects.get(slug="example-commune")
        ctx = {
            "secretariat": secretariat,
            "appraisers": appraisers,
            "officers": officers,
            "leaders": leaders,
            "units": units,
            "rnd": rnd,
        }

        published = self.cycle(body, methodology, 2024, "Chỉ số CCHC cấp xã năm 2024 (ví dụ)", ctx)
        self.run_to(published, Phase.PUBLISHED, ctx)
        in_appraisal = self.cycle(
            body, methodology, 2025, "Chỉ số CCHC cấp xã năm 2025 (ví dụ)", ctx
        )
        self.run_to(in_appraisal, Phase.APPRAISAL, ctx)
        current = self.cycle(body, methodology, 2026, "Chỉ số CCHC cấp xã năm 2026 (ví dụ)", ctx)
        self.run_to(current, Phase.SELF_ASSESSMENT, ctx)

    @transaction.atomic
    def load_national(self) -> None:
        """Provinces 2024 (63) and 2025 (34), published with EXAMPLE points on 2948/QĐ-BNV.

        The points are invented (a seeded random draw), not official results; every page that
        shows them says so. They exercise rankings, the map and the 2025 merger.
        """
        rnd = random.Random(63)
        body = AssessingBody.objects.get(code="bnv")
        secretariat = _user("thuky_bnv", "Thư ký Bộ Nội vụ")
        Membership.objects.get_or_create(user=secretariat, role=Role.SECRETARIAT, body=body)
        methodology = Methodology.objects.get(slug="par2948-province")
        core = methodology.core()
        for year in (2024, 2025):
            day = date(year, 12, 31)
            cycle = Cycle.objects.create(
                body=body,
                year=year,
                methodology=methodology,
                created_by=secretariat,
                name=f"Chỉ số CCHC cấp tỉnh năm {year} (dữ liệu ví dụ)",
                example=True,
            )
            units = [
                u
                for u in Unit.objects.filter(unit_type=Unit.Type.PROVINCE)
                if (u.valid_from is None or u.valid_from <= day)
                and (u.valid_to is None or u.valid_to >= day)
            ]
            for unit in units:
                assessment = Assessment.objects.create(
                    cycle=cycle, unit=unit, status=Assessment.Status.APPRAISED
                )
                level = rnd.gauss(0.86, 0.04)
                for leaf in core.leaves:
                    share = min(max(level + rnd.gauss(0, 0.05), 0.5), 1.0)
                    points = (leaf.max_points * Decimal(str(share))).quantize(Decimal("0.01"))
                    Entry.objects.create(
                        assessment=assessment,
                        code=leaf.code,
                        inputs={"points": str(points)},
                        self_points=points,
                        appraised_points=points,
                    )
            cycle.phase = Phase.EXPLANATION
            cycle.save(update_fields=["phase"])
            services.finalise(secretariat, cycle)
            services.publish(secretariat, cycle)

    def cycle(
        self,
        body: AssessingBody,
        methodology: Methodology,
        year: int,
        name: str,
        ctx: dict[str, Any],
    ) -> Cycle:
        now = timezone.now()
        cycle = Cycle.objects.create(
            body=body,
            year=year,
            name=name,
            methodology=methodology,
            example=True,
            created_by=ctx["secretariat"],
            self_assessment_due=now + timedelta(days=30),
            appraisal_due=now + timedelta(days=60),
            explanation_due=now + timedelta(days=75),
        )
        for unit in ctx["units"]:
            Assessment.objects.create(cycle=cycle, unit=unit)
        for i, unit in enumerate(ctx["units"]):
            Assignment.objects.create(cycle=cycle, appraiser=ctx["appraisers"][i // 3], unit=unit)
        services.advance_phase(ctx["secretariat"], cycle)
        return cycle

    def fill(self, assessment: Assessment, ctx: dict[str, Any], share: float = 1.0) -> None:
        core = assessment.cycle.core()
        officer = ctx["officers"][ctx["units"].index(assessment.unit)]
        entries = list(assessment.entries.order_by("pk"))
        for entry in entries[: round(len(entries) * share)]:
            node = core.by_code[entry.code]
            if core.source_of(entry.code) is not parindex.Source.APPRAISAL:
                continue
            assert node.rule is not None
            inputs = demo_inputs(node.rule, node.max_points, ctx["rnd"])
            services.save_self_assessment(
                officer, entry, inputs=inputs, note="", version=entry.version
            )

    def external(self, cycle: Cycle, ctx: dict[str, Any]) -> None:
        core = cycle.core()
        rows = {}
        for unit in ctx["units"]:
            for leaf in core.leaves:
                if core.source_of(leaf.code) is not parindex.Source.APPRAISAL:
                    share = Decimal(ctx["rnd"].randint(60, 98)) / 100
                    rows[(unit.code, leaf.code)] = (leaf.max_points * share).quantize(
                        Decimal("0.01")
                    )
        services.set_external_points(ctx["secretariat"], cycle, rows)

    def appraise(self, assessment: Assessment, ctx: dict[str, Any], share: float = 1.0) -> None:
        core = assessment.cycle.core()
        appraiser = ctx["appraisers"][ctx["units"].index(assessment.unit) // 3]
        entries = [
            e
            for e in assessment.entries.order_by("pk")
            if core.source_of(e.code) is parindex.Source.APPRAISAL
        ]
        for entry in entries[: round(len(entries) * share)]:
            points, reason = entry.self_points, ""
            if ctx["rnd"].random() < 0.15 and points:
                points, reason = Decimal(0), "Tài liệu kiểm chứng chưa đầy đủ (ví dụ)."
            services.appraise(appraiser, entry, points=points, reason=reason, version=entry.version)
        if share >= 1:
            services.complete_appraisal(appraiser, assessment)

    def run_to(self, cycle: Cycle, phase: str, ctx: dict[str, Any]) -> None:
        assessments = list(cycle.assessments.select_related("unit").order_by("unit__code"))
        self.external(cycle, ctx)
        if phase == Phase.SELF_ASSESSMENT:
            # Units at different stages: untouched, half done, complete, signed off.
            self.fill(assessments[1], ctx, 0.5)
            self.fill(assessments[2], ctx)
            for a in assessments[3:]:
                self.fill(a, ctx)
            for i, a in enumerate(assessments[3:5], start=3):
                services.sign_off(ctx["leaders"][i], a)
            return
        for i, a in enumerate(assessments):
            self.fill(a, ctx)
            services.sign_off(ctx["leaders"][i], a)
        services.advance_phase(ctx["secretariat"], cycle)
        if phase == Phase.APPRAISAL:
            self.appraise(assessments[0], ctx)
            self.appraise(assessments[1], ctx, 0.5)
            return
        for a in assessments:
            self.appraise(a, ctx)
        services.advance_phase(ctx["secretariat"], cycle)
        lowered = Entry.objects.filter(assessment=assessments[0], appraisal_reason__gt="").first()
        if lowered is not None:
            officer = ctx["officers"][0]
            explanation = services.explain(
                officer, lowered, text="Đơn vị bổ sung kế hoạch đã ban hành (ví dụ)."
            )
            services.decide(
                ctx["appraisers"][0],
                explanation,
                accept=True,
                points=None,
                reason="Chấp nhận giải trình (ví dụ).",
            )
        services.finalise(ctx["secretariat"], cycle)
        services.publish(ctx["secretariat"], cycle)

    def demo_devices(self) -> None:
        """The demo's two-step accounts get a confirmed TOTP device with the demo key."""
        for user in get_user_model().objects.filter(username__in=OTP_DEMO_USERS):
            TOTPDevice.objects.get_or_create(
                user=user, name="demo", defaults={"key": DEMO_OTP_KEY, "confirmed": True}
            )

    def print_accounts(self) -> None:
        b32 = base64.b32encode(bytes.fromhex(DEMO_OTP_KEY)).decode()
        self.stdout.write(
            "Demo accounts (local use only), password '" + PASSWORD + "':\n"
            "  thuky (secretariat), thamdinh1, thamdinh2 (appraisers),\n"
            "  canbo1..canbo6 (unit officers), lanhdao1..lanhdao6 (unit leaders), admin (Django admin)\n"
            f"Two-step sign-in for {', '.join(OTP_DEMO_USERS)}: the DEMO key {b32}\n"
            "  (add it to an authenticator app, or print the current code with\n"
            '  .venv/bin/python -c "from django_otp.oath import totp; '
            f"print('%06d' % totp(bytes.fromhex('{DEMO_OTP_KEY}')))\")"
        )
