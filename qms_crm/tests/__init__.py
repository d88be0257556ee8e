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
from . import test_communication_rule
from . import test_communication_notices
from . import test_complaint
from . import test_complaint_portal
from . import test_customer_panel
from . import test_customer_alerts
from . import test_base_automation_cache
from . import test_property
from . import test_data_request
from . import test_property_portal

# >>> review
from . import test_management_review
from . import test_evidence_pack
# <<< review
# >>> reliab
from . import test_mail_requeue
# <<< reliab
# >>> firsthour
from . import test_tours
# <<< firsthour
