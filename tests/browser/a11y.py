"""axe-core accessibility checks, injected into the page under test."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def serious_violations(page: Page) -> list[str]:
    """The serious and critical axe-core violations on the current page, described."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def assert_accessible(page: Page) -> None:
    """Fail with the list of serious or critical violations, if there are any."""
    found = serious_violations(page)
    assert not found, f"{page.url}:\n" + "\n".join(found)
