from . import qms_evidence
from . import qms_evidence_stat

# >>> COMM: communication rules (issue 4a)
# <<< COMM
# >>> CPL: complaints (issue 4b)
from . import qms_complaint_report
# <<< CPL
# >>> C360: customer 360, alerts, ABC (issue 4c)
# <<< C360
# >>> PROP: property, personal data (issue 5)
# <<< PROP
