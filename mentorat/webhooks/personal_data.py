"""Personal data of webhooks (see `mentorat.lib.personal_data`).

An endpoint names the admin who added it. Payloads hold identifiers and links only
(`mentorat.webhooks.events`), never names, emails or free text, so deliveries and their
attempts hold no personal data; the last health announced for a pair is a state code."""

from mentorat.lib.personal_data import Basis, ModelData, Purpose, link

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="webhooks.Endpoint",
        subjects=("created_by",),
        fields={
            "created_by": link(
                "created_by", purpose=Purpose.SECURITY, basis=Basis.LEGITIMATE_INTEREST
            )
        },
        not_personal={
            "url": "the address of the organisation's own server",
            "description": "what the organisation's webhook is for, written by its admins",
            "event_types": "codes of the events subscribed to",
            "secret": "the signing key shared with the organisation's server",
            "disabled_reason": "a code: turned off by hand or after failures",
        },
    ),
)

NOT_PERSONAL_MODELS: dict[str, str] = {
    "webhooks.Delivery": "an event announced to an organisation's server: codes and ids",
    "webhooks.Attempt": "one HTTP request of a delivery: status code, error, duration",
    "webhooks.PairHealthState": "the last health state announced for a pair (a code)",
}
