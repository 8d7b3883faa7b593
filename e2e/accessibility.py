"""WCAG 2.1 AA checks in the browser with axe-core, as packaged by axe-playwright-python."""

from axe_playwright_python.sync_playwright import Axe

# The RGAA follows WCAG 2.1 AA: the rules tagged with these levels, nothing experimental.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}


def axe_violations(page, *, exclude: list[str] | None = None) -> list[dict]:
    """The axe-core violations of the page as loaded, each with its rule id and the nodes."""
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    return Axe().run(page, context=context, options=OPTIONS).response["violations"]


def assert_accessible(page, *, exclude: list[str] | None = None) -> None:
    """Fail with a readable list when axe-core finds a WCAG 2.1 AA violation on the page."""
    violations = axe_violations(page, exclude=exclude)
    if violations:
        lines = [f"{page.url}: {len(violations)} accessibility violation(s)"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {', '.join(node['target'])}: {node['failureSummary']}")
        raise AssertionError("\n".join(lines))
