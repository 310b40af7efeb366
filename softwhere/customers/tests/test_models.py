"""Organisations, sites and contacts: SIRET, partner attachment, addresses, phones, opening hours."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from softwhere.accounts.choices import Role
from softwhere.core import testing as t
from softwhere.customers.models import Contact, Organisation, Site
from softwhere.inventory.models import Equipment
from softwhere.tickets import actions
from softwhere.tickets.models import Ticket


@pytest.mark.django_db
def test_organisation_validation(world: Any) -> None:
    org = Organisation(name="X", siret="73282932000075", address_line1="1 rue A", postal_code="7500", city="Paris")
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert {"siret", "postal_code"} <= set(exc.value.message_dict)
    client = Organisation(
        name="Y", kind="partner", siret=t.make_siret(7), partner=world.partner, address_line1="1 rue A",
        postal_code="75001", city="Paris",
    )
    with pytest.raises(ValidationError) as exc:
        client.full_clean()
    assert "partner" in exc.value.message_dict


@pytest.mark.django_db
def test_site_address_and_hours_are_normalised(world: Any) -> None:
    site = Site(
        organisation=world.acme,
        name="Agence",
        address_line1="3, place de l'Hôtel-de-Ville",
        postal_code="42000",
        city="Saint-Étienne",
        opening_hours={"lun": ["08:00-12:00", "14:00-18:00"]},
    )
    site.full_clean()
    assert (site.address_line1, site.city) == ("3 PLACE DE L HOTEL DE VILLE", "SAINT ETIENNE")
    for bad in ({"lun": ["18:00-08:00"]}, {"lundi": ["08:00-12:00"]}, {"lun": ["08:00-12:00", "11:00-13:00"]}):
        site.opening_hours = bad
        with pytest.raises(ValidationError) as exc:
            site.full_clean()
        assert "opening_hours" in exc.value.message_dict


@pytest.mark.django_db
def test_contact_phone_roles_and_channel(world: Any) -> None:
    c = Contact(organisation=world.acme, last_name="Martin", email="m@example.fr", phone="04 72 12 44 12",
                roles=["facturation", "technique"])
    c.full_clean()
    assert c.phone == "+33472124412" and c.roles == ["technique", "facturation"]
    bad = Contact(organisation=world.acme, last_name="X", phone="12", roles=["chef"], preferred_channel="sms")
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert {"phone", "roles", "mobile"} <= set(exc.value.message_dict)


@pytest.mark.django_db
def test_scoping_per_role(world: Any) -> None:
    for org, site in ((world.acme, world.acme_site), (world.partner_client, world.partner_site), (world.other, world.other_site)):
        actions.create_ticket(actor=world.n1, organisation=org, site=site, subject="s", service_state="degrade")
    visible = {
        user: set(Ticket.objects.visible_to(user).values_list("organisation__name", flat=True))
        for user in (world.n1, world.adv, world.partner_user, world.client_user, world.other_client_user)
    }
    assert visible[world.n1] == visible[world.adv] == {"ACME Industries", "Boulangerie Martin", "Autre Société"}
    assert visible[world.partner_user] == {"Boulangerie Martin"}
    assert visible[world.client_user] == {"ACME Industries"}
    assert visible[world.other_client_user] == {"Autre Société"}
    assert set(Organisation.objects.visible_to(world.partner_user)) == {world.partner, world.partner_client}
    assert set(Equipment.objects.visible_to(world.client_user)) == {world.acme_ont}
    orphan = t.make_user(Role.CLIENT, None)
    assert not Ticket.objects.visible_to(orphan).exists()
