"""The catalogue is the seed's 69 cases, faithfully; supervisors may edit, the file version is kept."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from softwhere.catalogue import actions
from softwhere.catalogue.models import ResolutionCase
from softwhere.catalogue.services.loader import DATA_FILE, read_catalogue

REPO = Path(__file__).resolve().parents[3]
SEED = REPO.parent / "shared" / "seeds" / "000_3771de827fefdcdf.txt"

# The glossary of seed 000 ("Glossaire des cas de résolution"), in order.
SEED_IDS = """
incident_internet_perte_wan incident_internet_bridge_nat incident_internet_nat incident_internet_debit_latence
incident_internet_backup4g incident_fixe_trunk_non_enregistre incident_fixe_poste_isole incident_fixe_routage_sda
incident_fixe_centrex_non_enregistre incident_mobile_coupures incident_mobile_appels incident_mobile_data
incident_mobile_sim incident_mobile_esim incident_materiel_alimentation incident_materiel_port
incident_materiel_routeur incident_materiel_ont incident_materiel_casque parametrage_fixe_trunk parametrage_fixe_sda
parametrage_fixe_utilisateur parametrage_fixe_renvoi parametrage_fixe_nat parametrage_internet_routeur
parametrage_internet_bridge_nat parametrage_internet_vpn_vlan parametrage_internet_nat parametrage_internet_ip_dns
parametrage_mobile_activation parametrage_mobile_data parametrage_mobile_roaming parametrage_mobile_flottes
parametrage_mobile_mdm parametrage_materiel_provisionnement parametrage_materiel_firmware
parametrage_materiel_initialisation parametrage_materiel_reparametrage parametrage_materiel_synchronisation
sav_fixe_poste_remplacement sav_fixe_reset_ipbx sav_fixe_sda_routage sav_fixe_reinstallation sav_fixe_validation
sav_internet_routeur_sync sav_internet_coupures sav_internet_test_ligne sav_internet_reconfiguration
sav_internet_restauration sav_mobile_changement_terminal sav_mobile_apn sav_mobile_batterie sav_mobile_reception
sav_mobile_remplacement sav_materiel_defaut sav_materiel_rma sav_materiel_alimentation sav_materiel_reinstallation
sav_materiel_validation administratif_acces_portail administratif_facturation administratif_reclamation
administratif_resiliation administratif_contrat_rib commande_materiel_suivi commande_materiel_retard
commande_materiel_erreur commande_materiel_ajout commande_materiel_retour
""".split()


def export() -> Any:
    out = StringIO()
    call_command("catalogue", "export", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_export_lists_exactly_the_69_seed_cases() -> None:
    cases = export()
    assert [c["id"] for c in cases] == SEED_IDS
    assert [c["number"] for c in cases] == list(range(1, 70))
    for c in cases:
        assert {"id", "number", "family", "domain", "title", "symptoms", "n1_checks", "n2_actions", "examples"} <= set(c)
        assert c["symptoms"] and c["n1_checks"] and c["n2_actions"] and c["examples"], c["id"]
        assert c["family"] == c["id"].split("_")[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case_id", "field", "expected"),
    [
        (
            "incident_internet_perte_wan",
            "n1_checks",
            [
                "Vérifier voyants ONT (Power, PON, LOS, LAN).",
                "Vérifier routeur (Power, Internet, LAN, Wi-Fi).",
                "Redémarrer ONT puis routeur.",
                "Noter couleurs avant/après et heure de coupure / reprise.",
                "Si LAN éteint : vérifier câble routeur – ONT.",
            ],
        ),
        (
            "incident_internet_perte_wan",
            "n2_actions",
            [
                "Test ligne opérateur, analyse PON / DSLAM.",
                "Réinitialisation PPP ou DHCP côté opérateur.",
                "Recréation profil routeur ou re-provisionnement CPE.",
            ],
        ),
        (
            "incident_fixe_poste_isole",
            "symptoms",
            ["Un seul poste “non enregistré” ou sans tonalité.", "Autres postes du site fonctionnent normalement."],
        ),
        ("incident_materiel_ont", "n2_actions", ["Test signal optique côté opérateur.", "Intervention technicien fibre (SRO/NRO)."]),
        ("commande_materiel_retour", "examples", ["Retour reçu, remboursement validé."]),
        ("administratif_contrat_rib", "title", "Mise à jour administrative (coordonnées / RIB / contrat)"),
    ],
)
def test_export_is_faithful_to_seed_text(case_id: str, field: str, expected: Any) -> None:
    case = next(c for c in export() if c["id"] == case_id)
    assert case[field] == expected


@pytest.mark.skipif(not SEED.exists(), reason="seed documents not beside the repository")
def test_data_file_matches_a_fresh_extraction_of_the_seed() -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "extract_catalogue.py"), str(SEED)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == DATA_FILE.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_export_with_leds_contains_the_memos() -> None:
    out = StringIO()
    call_command("catalogue", "export", "--with-leds", stdout=out)
    payload = json.loads(out.getvalue())
    assert len(payload["cases"]) == 69
    devices = {d["kind"]: d for d in payload["leds"]["devices"]}
    assert devices["ont"]["report_label"] == "Contrôle ONT : Power __, PON __, LOS __, LAN __, avant/après redémarrage."
    assert devices["router"]["report_label"] == (
        "Contrôle routeur : Power __, WAN __, Internet __, LAN __, avant/après redémarrage."
    )
    assert [led["label"] for led in devices["ont"]["leds"]] == ["Power", "PON", "LOS", "LAN"]
    assert [led["label"] for led in devices["router"]["leds"]] == ["Power", "WAN", "Internet", "LAN"]
    los = next(led for led in devices["ont"]["leds"] if led["code"] == "los")
    assert {"state": "rouge_clignotant", "label": "rouge clignotant", "meaning": "rupture signal"} in los["states"]
    assert {c["state"] for c in payload["leds"]["colours"]} == {"vert_fixe", "bleu", "rouge_fixe", "rouge_clignotant", "eteint"}


def test_console_script_exports(tmp_path: Path) -> None:
    env = {"SOFTWHERE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": str(Path(sys.executable).parent)}
    subprocess.run([str(Path(sys.executable).parent / "softwhere"), "migrate", "-v0"], env=env, check=True)
    out = subprocess.run(
        [str(Path(sys.executable).parent / "softwhere"), "catalogue", "export"], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert [c["id"] for c in json.loads(out)] == SEED_IDS


@pytest.mark.django_db
def test_supervisor_edit_keeps_file_version(world: Any) -> None:
    case = ResolutionCase.objects.get(pk="incident_mobile_sim")
    original = list(case.n1_checks)
    edited = actions.edit_case(case, actor=world.supervisor, n1_checks=[*original, "Tester la SIM dans un autre terminal."])
    assert edited.revision == 1 and edited.is_edited and edited.edited_by == world.supervisor
    assert edited.file_data["n1_checks"] == original
    # Reloading the file does not overwrite the supervisor's edit.
    actions.load_catalogue()
    edited.refresh_from_db()
    assert edited.n1_checks[-1] == "Tester la SIM dans un autre terminal."
    restored = actions.reset_case_to_file(edited, actor=world.supervisor)
    assert restored.n1_checks == original and not restored.is_edited


@pytest.mark.django_db
def test_only_supervisors_edit_and_edits_are_validated(world: Any) -> None:
    case = ResolutionCase.objects.get(pk="incident_mobile_sim")
    with pytest.raises(PermissionDenied):
        actions.edit_case(case, actor=world.n1, title="x")
    with pytest.raises(ValidationError):
        actions.edit_case(case, actor=world.supervisor, n1_checks=[])
    with pytest.raises(ValidationError):
        actions.edit_case(case, actor=world.supervisor, number=3)
    case.refresh_from_db()
    assert case.revision == 0


def test_data_file_is_well_formed() -> None:
    version, checksum, cases = read_catalogue()
    assert version and len(checksum) == 64 and len(cases) == 69
