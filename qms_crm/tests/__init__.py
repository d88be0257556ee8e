from . import test_requirement
from . import test_gate
from . import test_review
from . import test_change_ack
from . import test_clause
from . import test_access
from . import test_customer_risk
from . import test_portal
from . import test_demo
from . import test_portal_hardening

# >>> COMM: communication rules (issue 4a)
from . import test_communication_rule
# <<< COMM
# >>> CPL: complaints (issue 4b)
from . import test_complaint
# <<< CPL
# >>> C360: customer 360, alerts, ABC (issue 4c)
# <<< C360
# >>> PROP: property, personal data (issue 5)
# <<< PROP
