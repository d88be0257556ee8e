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
from . import test_communication_notices

# <<< COMM
# >>> CPL: complaints (issue 4b)
from . import test_complaint
from . import test_complaint_portal

# <<< CPL
# >>> C360: customer 360, alerts, ABC (issue 4c)
from . import test_customer_panel
from . import test_customer_alerts

# <<< C360
# >>> PROP: property, personal data (issue 5)
from . import test_property
from . import test_data_request
from . import test_property_portal
# <<< PROP
