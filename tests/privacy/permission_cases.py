from tests.permissions import ADMIN_OF_A, Case, org_a

# The processing register: A's admins and platform admins; A's coordinators and other
# members are refused (403); other organisations cannot tell it exists (404).
CASES: dict[str, Case] = {
    "privacy:register": Case(ADMIN_OF_A, kwargs=org_a),
    "privacy:register_csv": Case(ADMIN_OF_A, kwargs=org_a),
}
