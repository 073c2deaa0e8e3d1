from tests.permissions import ADMIN_OF_A, Case, org_a

# An organisation's retention periods: its admins (and platform admins); its coordinators
# and other members are refused (403), other organisations cannot tell it exists (404).
CASES = {
    "privacy:retention": Case(ADMIN_OF_A, kwargs=org_a),
}
