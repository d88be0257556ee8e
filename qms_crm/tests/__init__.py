from . import test_requirement
from . import test_gate
from . import test_review
from . import test_change_ack
from . import test_clause
from . import test_access
from . import test_customer_risk
from . import test_portal
