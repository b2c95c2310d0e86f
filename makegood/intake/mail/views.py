"""The e-mail as received, for the staff who may see its case: where the rest of a long message is."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from makegood.cases.selectors import case_get_for_user
from makegood.intake.models import InboundMessage


@require_GET
@permission_required("cases.view_case", raise_exception=True)
def inbound_original(request: HttpRequest, reference: str, inbound_id: int) -> HttpResponse:
    case = case_get_for_user(request.user, reference)
    inbound = InboundMessage.objects.filter(pk=inbound_id, case=case).first()
    raw = inbound.raw_message if inbound is not None else b""
    if not raw:
        raise Http404("The e-mail as received is not kept.")
    # A download, never rendered: the message is whatever the sender wrote.
    response = HttpResponse(raw, content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-email-{inbound_id}.eml"'
    return response
