"""Every page under the Content-Security-Policy, in a real browser: no violation anywhere.

The demo business is loaded (cases in every state, remedies, follow-ups), and every URL pattern
is visited as the administrator (who may see every page), plus the public pages anonymously. A
page that is a 404 here still renders the site's frame, so it is checked too.
"""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page

from makegood.cases.models import Case, Status
from makegood.followup.links import survey_path
from makegood.followup.models import FollowUp
from makegood.tests.urlwalk import pages

COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


def visit(page: Page, url: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response is not None
    if response.status < 500 and "text/html" in (response.headers.get("content-type") or ""):
        policy = response.headers.get("content-security-policy", "")
        if "default-src 'self'" not in policy:
            problems.append(f"{url}: no Content-Security-Policy header")
    page.wait_for_timeout(250)  # htmx loads and polls after the page
    for violation in page.evaluate("window.__violations || []"):
        problems.append(f"{url}: {violation}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_violates_the_content_security_policy(page: Page, live_server):
    call_command("seed_demo", "--cases", "40", stdout=io.StringIO())
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(COLLECT)
    page.set_default_timeout(15_000)
    problems: list[str] = []

    case = Case.objects.filter(status=Status.OPEN).order_by("pk").first() or Case.objects.order_by("pk").first()
    follow_up = FollowUp.objects.order_by("pk").first()
    # The public pages, before signing in.
    for path in ["/complain/", "/accounts/login/"] + ([survey_path(follow_up)] if follow_up else []):
        visit(page, live_server.url + path, problems)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("dana")
    page.get_by_label("Password").fill("makegood-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/queue/")

    references = [case.reference, *(c.reference for c in Case.objects.exclude(pk=case.pk).order_by("-pk")[:3])]
    # Not the logout (it would end the session), and GET is refused there anyway.
    urls = {page_.url(references[0]) for page_ in pages() if page_.name != "logout"}
    urls |= {f"/cases/{reference}/" for reference in references}
    urls |= {"/admin/", "/admin/cases/case/", "/admin/intake/inboundmessage/", "/admin/auth/user/"}
    # Only what renders a page to a GET: POST-only actions answer 405 with no body, downloads no HTML.
    probe = Client()
    probe.force_login(User.objects.get(username="dana"))
    for path in sorted(urls):
        answer = probe.get(path)
        if answer.content and "text/html" in answer.get("Content-Type", ""):
            visit(page, live_server.url + path, problems)

    problems += [f"console: {text}" for text in console if "Content Security Policy" in text]
    assert problems == []
