"""Personal data of the retention app (see `mentorat.lib.personal_data`): only which
account was warned, and when; an organisation's periods name nobody."""

from mentorat.lib.personal_data import Basis, ModelData, Purpose, link

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="privacy_retention.RetentionWarning",
        subjects=("user",),
        fields={
            # Kept, pointing at the pseudonymised account: the record that the person was
            # warned before being erased (GDPR Art. 5.2, accountability), and the mark
            # that keeps the daily run from warning or erasing them again.
            "user": link("user", purpose=Purpose.SECURITY, basis=Basis.LEGAL_OBLIGATION),
        },
    ),
)

NOT_PERSONAL_MODELS: dict[str, str] = {
    "privacy_retention.RetentionPolicy": "an organisation's retention periods",
    "privacy_retention.AnonymisedApplication": "which application ids were anonymised",
}
