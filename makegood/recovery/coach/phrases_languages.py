"""Saying no and passing the buck in the other languages support teams answer in.

A team that answers in German, Spanish, French, Portuguese, Italian, Dutch or Japanese refuses and
hands off with a handful of set phrases ("leider nicht", "no podemos", "nous ne pouvons pas",
"できかねます"; "wenden Sie sich an unseren Kundenservice", "カスタマーサービスにお問い合わせください").
These are those phrases; the English shapes do not read these languages at all. They stay narrow:
first-person refusals and requests to contact another line, never a bare "no"/"nicht", which
also negates the customer's own problem ("wenn es nicht klappt…").
"""

from __future__ import annotations

from typing import Final

from makegood.recovery.coach.matching import Phrase, phrase
from makegood.recovery.coach.rules import Rule
from makegood.recovery.coach.suggestions import S_CALL_FOR_THEM, S_CAN

NO: Final = Rule.SAYS_NO
BUCK: Final = Rule.PASSES_BUCK

# A condition before the words ("wenn", "si", "se", "als"): the customer's problem, not a refusal.
_CONDITION_BEFORE: Final = r"\b(?:wenn|falls|sofern|si|se|als|indien|if)\s+(?:[\w']+\s+){0,3}$"
_SERVICE: Final = (
    r"(?:kundenservice|kundendienst|kundensupport|support|verkäufer|händler|hersteller|servicio\s+al\s+cliente"
    r"|atención\s+al\s+cliente|soporte|vendedor|fabricante|service\s+client|vendeur|fabricant|atendimento"
    r"|suporte|vendedor|servizio\s+clienti|assistenza|venditore|klantenservice|verkoper)"
)

OTHER_LANGUAGES: Final[tuple[Phrase, ...]] = (
    phrase(
        NO,
        S_CAN,
        # German: "leider nicht", "leider keine", "nicht möglich", "können wir … nicht".
        r"\bleider\s+(?:\w+\s+){0,4}?(?:nicht|kein\w*)\b|\bnicht\s+möglich\b|\b(?:können|kann)\s+(?:wir|ich)\s+"
        r"(?:\w+\s+){0,5}?nicht\b"
        # Spanish and Portuguese.
        r"|\bno\s+(?:podemos|nos\s+es\s+posible|es\s+posible|está\s+disponible)\b|\blamentablemente\s+no\b"
        r"|\bnão\s+(?:podemos|é\s+possível|está\s+disponível)\b|\binfelizmente\s+(?:\w+\s+)?não\b"
        # French, Italian, Dutch.
        r"|\b(?:nous\s+)?ne\s+pouvons\s+pas\b|\bpas\s+possible\b|\bmalheureusement\s+(?:\w+\s+){0,3}?(?:ne|n')"
        r"|\bnon\s+(?:possiamo|è\s+possibile)\b|\bpurtroppo\s+(?:\w+\s+)?non\b"
        r"|\bkunnen\s+(?:wij|we)\s+(?:\w+\s+){0,4}?niet\b|\bniet\s+mogelijk\b|\bhelaas\s+(?:\w+\s+){0,3}?(?:niet|geen)\b"
        # Japanese: "we cannot" in its polite forms.
        r"|できかねます|いたしかねます|致しかねます|(?:でき|出来)ません(?!か|でしょう|でした)",
        unless_before=_CONDITION_BEFORE,
        # "…leider nicht angekommen": a failure reported, not a refusal.
        unless_after=r"(?:\s+\w+){0,2}?\s+(?:angekommen|geklappt|funktioniert|erhalten|zugestellt|geliefert|gekommen)\b",
        needles="leider|nicht|können|kann|no |não|infelizmente|lamentablemente|pouvons|possible|malheureusement"
        "|non |purtroppo|kunnen|niet|helaas|かね|ません",
    ),
    phrase(
        BUCK,
        S_CALL_FOR_THEM,
        # German: "wende dich an / wenden Sie sich an unseren Kundenservice", "kontaktiere den Verkäufer".
        rf"\b(?:an\s+(?:unseren|unser|den|die|deinen|ihren|einen)\s+(?:\w+\s+)?{_SERVICE}\w*\s+(?:zu\s+)?wenden)\b"
        rf"|\bwende(?:n|st)?\s+(?:dich|sie\s+sich)\s+(?:bitte\s+)?(?:\w+\s+){{0,4}}?an\b"
        rf"|\bkontaktier(?:e|en\s+sie)\s+(?:bitte\s+)?(?:unseren|den|die)\s+(?:\w+\s+)?{_SERVICE}"
        # Spanish, Portuguese, French, Italian, Dutch: "contact our customer service / the seller".
        rf"|\b(?:comunícate|comuníquese|contacta|contacte|ponte\s+en\s+contacto|póngase\s+en\s+contacto|entre\s+em"
        rf"\s+contato|contactez|adressez-vous|rivolgiti|contatta|neem\s+contact\s+op)\s+(?:\w+\s+){{0,3}}?{_SERVICE}"
        # Japanese: "please contact / tell customer service" (カスタマーサービス … ください).
        r"|カスタマーサービス[^。\uff01\uff1f\n]{0,30}?(?:お問い合わせ|お問合せ|ご連絡|連絡|お知らせ|ご相談)\s*(?:ください|下さい)"
        r"|(?:フリーダイヤル|お電話)[^。\uff01\uff1f\n]{0,40}?(?:ご連絡|お問い合わせ|お電話)\s*(?:ください|下さい)",
        needles="wende|kontaktier|an unser|an den|an die|an deinen|an ihren|an einen|comun|contact|ponte|póngase"
        "|entre em|adressez|rivolgiti|contatta|neem contact|カスタマーサービス|フリーダイヤル|お電話",
    ),
)
