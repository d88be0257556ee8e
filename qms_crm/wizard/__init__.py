from . import qms_clause_coverage
from . import qms_requirement_change
from . import qms_gate_override

# >>> COMM: communication rules (issue 4a)
from . import qms_communication_log
from . import qms_product_info
from . import mail_compose_message
# <<< COMM
# >>> CPL: complaints (issue 4b)
# <<< CPL
# >>> C360: customer 360, alerts, ABC (issue 4c)
# <<< C360
# >>> PROP: property, personal data (issue 5)
# <<< PROP
