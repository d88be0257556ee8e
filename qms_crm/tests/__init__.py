from . import test_access
from . import test_clause
from . import test_client_context_keys
from . import test_demo
from . import test_evidence_pack
from . import test_management_review
from . import test_portal_hardening
from . import test_tours
