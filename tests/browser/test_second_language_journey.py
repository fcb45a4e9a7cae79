"""The main journey in French, switched to with one click from the header: a campaign, add by
role, the quick log on a phone, a follow-up planned and done, and an export whose header row is
French; axe-core on each page, nothing scrolls sideways on the phone."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    hilltrack_of_its_own,
    no_sideways_scroll,
    open_menu,
    running_worker,
    serving,
)
from tests.browser.test_outreach_journey import shoot
from tests.browser.test_sign_in_journey import sign_in
from tracker import clock
from tracker.models import UserRole


@pytest.fixture(scope="module")
def french_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A Hilltrack of its own, so this journey's campaign does not change the others'."""
    app = hilltrack_of_its_own(tmp_path_factory.mktemp("french-instance"))
    with serving(app) as live, running_worker(app):
        yield live


def in_french(page: Page) -> None:
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_the_main_journey_in_french(
    new_page: Callable[..., Page], french_server: LiveServer
) -> None:
    server = french_server
    server.create_user(UserRole.COORDINATOR, "claire@example.org", "Claire Coordonnatrice")
    server.create_user(UserRole.VOLUNTEER, "benoit@example.org", "Benoît Bénévole")
    coordinator = new_page()
    sign_in(coordinator, server, "claire@example.org")
    in_french(coordinator)
    coordinator.goto(f"{server.url}/imports/")
    coordinator.get_by_role("button", name="Importer maintenant").click()
    expect(coordinator.get_by_role("heading", name=re.compile("Réussie"))).to_be_visible(
        timeout=60_000
    )

    coordinator.get_by_role("link", name="Campagnes").click()
    coordinator.get_by_role("link", name="Lancer une campagne").click()
    coordinator.get_by_label("Titre en français").fill("Lettre sur le corridor humanitaire")
    coordinator.get_by_label("Date de la lettre").fill(clock.today().isoformat())
    coordinator.get_by_label("État").select_option("active")
    coordinator.get_by_role("button", name="Enregistrer").click()
    expect(
        coordinator.get_by_text(re.compile("Ajoutez maintenant ses destinataires"))
    ).to_be_visible()
    coordinator.locator("#byrole-selection").select_option("committee_leads")
    faae = coordinator.locator("#byrole-committee option", has_text="FAAE").get_attribute("value")
    coordinator.locator("#byrole-committee").select_option(faae)
    coordinator.locator("#byrole-language").select_option("fr")
    coordinator.get_by_role("button", name="Voir qui sera ajouté").click()
    expect(coordinator.get_by_text("2 à ajouter.")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Ajouter les personnes cochées").click()
    expect(coordinator.get_by_text("2 destinataires ajoutés.")).to_be_visible()
    expect(
        coordinator.get_by_text(re.compile("Garnett Genuis, député, vice-président"))
    ).to_be_visible()
    assert_accessible(coordinator)

    volunteer = new_page(viewport=PHONE)
    sign_in(volunteer, server, "benoit@example.org")
    in_french(volunteer)
    for kind, extra in (("Envoi", "email"), ("Réponse reçue", "substantive")):
        open_menu(volunteer)
        volunteer.get_by_role("link", name="Consigner").first.click()
        volunteer.get_by_label("Nom du responsable ou circonscription").fill("genuis")
        volunteer.keyboard.press("Enter")
        volunteer.get_by_role("link", name="Garnett Genuis").click()
        volunteer.get_by_label(kind, exact=True).check()
        if kind == "Envoi":
            volunteer.get_by_label("Moyen").select_option(extra)
        else:
            volunteer.get_by_label("Type de réponse").select_option(extra)
            volunteer.get_by_label("Résumé ou notes").fill("Il en parlera au comité.")
            shoot(volunteer, "quick-log-phone-fr")
        assert_accessible(volunteer)
        no_sideways_scroll(volunteer)
        volunteer.get_by_role("button", name="Enregistrer").click()
        expect(volunteer.get_by_role("heading", name="Enregistré")).to_be_visible()

    coordinator.reload()
    row = coordinator.get_by_role("row", name=re.compile("Garnett Genuis"))
    expect(row.locator(".badge")).to_have_text("Réponse reçue")
    row.get_by_role("link", name="Planifier").click()
    plan = coordinator.locator("#plan")
    expect(plan.locator("#fu-recipient option[selected]")).to_have_text(
        re.compile("Garnett Genuis")
    )
    plan.get_by_label("Attribué à").select_option(label="Benoît Bénévole")
    plan.get_by_label("À faire").fill("Demander une rencontre au sujet du corridor")
    plan.get_by_role("button", name="Planifier le suivi").click()
    expect(coordinator.get_by_text(re.compile("attribué à Benoît Bénévole"))).to_be_visible()
    assert_accessible(coordinator)
    shoot(coordinator, "campaign-fr")

    coordinator.get_by_role("link", name="Rapports").click()
    expect(coordinator.get_by_role("heading", name="Rapports", exact=True)).to_be_visible()
    assert_accessible(coordinator)
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Toutes les interactions (CSV)").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        header = handle.readline()
    assert header.startswith("date,quoi,prénom,nom de famille,campagne")

    open_menu(volunteer)
    volunteer.get_by_role("link", name="Suivis").click()
    expect(volunteer.get_by_text("Demander une rencontre au sujet du corridor")).to_be_visible()
    assert_accessible(volunteer)
    no_sideways_scroll(volunteer)
    volunteer.get_by_role("button", name="Terminé…").click()
    volunteer.get_by_label("Ce qui en est ressorti").fill("Rencontre fixée la semaine prochaine.")
    volunteer.get_by_role("button", name="Marquer comme terminé").click()
    expect(volunteer.get_by_text("Terminé.")).to_be_visible()
