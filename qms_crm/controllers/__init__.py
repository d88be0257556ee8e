from . import portal
from . import helpdesk_portal

# >>> COMM: communication rules (issue 4a)
# <<< COMM
# >>> CPL: complaints (issue 4b)
# <<< CPL
# >>> C360: customer 360, alerts, ABC (issue 4c)
# <<< C360
# >>> PROP: property, personal data (issue 5)
from . import property_portal
# <<< PROP
