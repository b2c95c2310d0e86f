"""The taxonomy a new business starts with: seven categories, a few causes each, and keyword
rules that suggest a cause before the business has labelled enough cases to learn from.

Administrators rename, add, retire and re-own all of it in the admin site.
"""

from __future__ import annotations

IMPORTED_CATEGORY = "Imported"

# category -> (description, {cause: keywords})
DEFAULT_TAXONOMY: dict[str, tuple[str, dict[str, str]]] = {
    "Process": (
        "How the work is organised: orders, handoffs, queues, billing.",
        {
            "Order picked or packed wrongly": "wrong item, wrong size, wrong colour, missing item, not what i ordered, "
            "label on the box, packed",
            "Delay in our own process": "still waiting, weeks ago, delayed, days late, promised in, not ready, "
            "keeps saying tomorrow, queue",
            "Billing or payment handled wrongly": "charged twice, double charge, overcharged, duplicate payment, "
            "invoice, charged, bill",
            "Refund or return stuck": "refund, returned, return, money back, not received my refund",
            "Nobody followed up": "nobody replied, no reply, never called back, no answer, ignored, chased, "
            "no one got back",
        },
    ),
    "Product": (
        "What we sell: faults, quality, how it is described.",
        {
            "Faulty or failed product": "broken, faulty, defective, stopped working, failed, battery, dies, "
            "does not work, doesn't work, cracked",
            "Product described wrongly": "description, size guide, misleading, specification, not as described, "
            "photos on the website",
        },
    ),
    "Partner or vendor": (
        "Couriers, suppliers and other businesses we rely on.",
        {
            "Courier lost or damaged the delivery": "courier, parcel, tracking, out for delivery, lost, delivered "
            "to, box crushed, damaged in transit, never arrived",
            "Supplier shortage or quality": "out of stock, back order, backorder, supplier, stock, discontinued",
        },
    ),
    "Staff and training": (
        "What people did: manner, skill, information given.",
        {
            "Rude or dismissive treatment": "rude, rolled his eyes, rolled her eyes, attitude, dismissive, "
            "shouted, felt stupid, unhelpful, laughed",
            "Workmanship below standard": "service, serviced, repair, fitted, mechanic, workshop, adjusted, "
            "not tightened",
            "Wrong information given": "was told, told me, promised, misinformed, said it would, assured",
        },
    ),
    "Policy": (
        "Rules we chose: warranty, returns, pricing, terms.",
        {
            "Policy too strict or unclear": "policy, not allowed, refused, warranty, terms, conditions, receipt, rules",
            "Price or fee unexpected": "quote, quoted, price, fee, hidden charge, more than, expensive, cost",
        },
    ),
    "Technology": (
        "Our systems: website, app, payments, e-mail.",
        {
            "Website or app fault": "website, app, checkout, login, log in, error message, crashed, page, "
            "account, password",
            "Notification sent wrongly": "e-mail saying, email saying, text message, notification, sms, "
            "ready to collect",
        },
    ),
    "External": (
        "What nobody here controls: weather, strikes, outages elsewhere.",
        {
            "Weather": "weather, storm, snow, flood, heatwave, ice",
            "Other external event": "strike, power cut, outage, road closed, pandemic, bank holiday",
        },
    ),
}
