"""Changes of roles and account powers are in the audit trail, with who made them."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from parindex_web.accounts.models import Membership, Role
from parindex_web.audit.context import acting_as
from parindex_web.audit.models import AuditRecord, verify
from parindex_web.units.models import AssessingBody, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    body = AssessingBody.objects.create(code="snv", name="Sở Nội vụ", kind="provincial")
    unit = Unit.objects.create(code="x01", name="Xã Một", unit_type="commune", body=body)
    person = get_user_model().objects.create_user("canbo", password="pw-123456789")
    return SimpleNamespace(body=body, unit=unit, person=person)


def records(action):
    return list(AuditRecord.objects.filter(action=action).order_by("pk"))


def test_a_role_granted_in_the_admin_is_recorded_with_the_admin_as_actor(admin_client, world):
    r = admin_client.post(
        "/admin/accounts/membership/add/",
        {"user": world.person.pk, "role": Role.OFFICER, "unit": world.unit.pk, "body": ""},
    )
    assert r.status_code == 302, r.content
    [rec] = records("membership.granted")
    assert (rec.actor_name, rec.field, rec.old_value, rec.new_value) == (
        "admin",
        "role",
        "",
        "officer @ unit x01",
    )
    assert rec.unit_code == "x01" and "canbo" in rec.reason


def test_a_changed_role_records_before_and_after(admin_client, world):
    m = Membership.objects.create(user=world.person, role=Role.OFFICER, unit=world.unit)
    r = admin_client.post(
        f"/admin/accounts/membership/{m.pk}/change/",
        {"user": world.person.pk, "role": Role.LEADER, "unit": world.unit.pk, "body": ""},
    )
    assert r.status_code == 302, r.content
    [rec] = records("membership.changed")
    assert (rec.actor_name, rec.old_value, rec.new_value) == (
        "admin",
        "officer @ unit x01",
        "leader @ unit x01",
    )


def test_saving_a_role_unchanged_records_nothing(world):
    m = Membership.objects.create(user=world.person, role=Role.OFFICER, unit=world.unit)
    before = AuditRecord.objects.count()
    m.save()
    assert AuditRecord.objects.count() == before


def test_a_revoked_role_is_recorded(admin_client, world):
    m = Membership.objects.create(user=world.person, role=Role.SECRETARIAT, body=world.body)
    r = admin_client.post(f"/admin/accounts/membership/{m.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    [rec] = records("membership.revoked")
    assert (rec.actor_name, rec.old_value, rec.new_value) == (
        "admin",
        "secretariat @ body snv",
        "",
    )


def test_roles_removed_with_a_deleted_account_are_recorded(world):
    Membership.objects.create(user=world.person, role=Role.OFFICER, unit=world.unit)
    world.person.delete()
    [rec] = records("membership.revoked")
    assert rec.old_value == "officer @ unit x01" and rec.actor_name == "system"


def test_changes_outside_a_request_are_by_system_unless_an_actor_is_given(world):
    Membership.objects.create(user=world.person, role=Role.OFFICER, unit=world.unit)
    boss = get_user_model().objects.create_user("boss")
    with acting_as(boss):
        Membership.objects.create(user=world.person, role=Role.LEADER, unit=world.unit)
    assert [r.actor_name for r in records("membership.granted")] == ["system", "boss"]


def test_account_powers_are_recorded_but_sign_ins_are_not(client, world):
    client.force_login(world.person)  # updates last_login: not a power
    assert records("user.flag") == []
    world.person.is_staff = True
    with acting_as(None):
        world.person.save()
    [rec] = records("user.flag")
    assert (rec.field, rec.old_value, rec.new_value) == ("is_staff", "False", "True")


def test_a_new_superuser_is_recorded_with_its_powers(world):
    get_user_model().objects.create_superuser("root", password="pw-123456789")
    assert sorted(r.field for r in records("user.flag")) == ["is_staff", "is_superuser"]


def test_groups_and_permissions_given_to_an_account_are_recorded(world):
    group = Group.objects.create(name="editors")
    perm = Permission.objects.get(codename="change_unit")
    world.person.groups.add(group)
    world.person.user_permissions.add(perm)
    world.person.user_permissions.remove(perm)
    assert [
        (r.action, r.old_value, r.new_value)
        for r in AuditRecord.objects.filter(
            action__in=["user.groups", "user.user_permissions"]
        ).order_by("pk")
    ] == [
        ("user.groups", "", str(group.pk)),
        ("user.user_permissions", "", str(perm.pk)),
        ("user.user_permissions", str(perm.pk), ""),
    ]


def test_the_chain_stays_intact_through_role_changes(world):
    m = Membership.objects.create(user=world.person, role=Role.OFFICER, unit=world.unit)
    m.role = Role.LEADER
    m.save()
    m.delete()
    assert verify() == []
