from . import qms_clause
from . import qms_evidence_mixin
from . import qms_customer_panel_mixin
from . import qms_requirement
from . import qms_requirement_version
from . import qms_requirement_ack
from . import qms_requirement_confirmation
from . import qms_requirement_review
from . import qms_requirement_review_line
from . import qms_customer_risk
from . import crm_team
from . import crm_lead
from . import mail_activity
from . import res_partner
from . import sale_order
from . import res_config_settings
from . import ir_http
from . import helpdesk_ticket

# >>> COMM: communication rules (issue 4a)
from . import qms_communication_topic
from . import qms_communication_rule
from . import qms_communication
from . import ir_attachment
from . import sale_order_line
from . import stock_picking

# <<< COMM
# >>> CPL: complaints (issue 4b)
from . import qms_complaint_target
from . import qms_complaint_root_cause
from . import helpdesk_ticket_team
from . import helpdesk_ticket_stage
from . import qms_compensation_line

# <<< CPL
# >>> C360: customer 360, alerts, ABC (issue 4c)

# <<< C360
# >>> PROP: property, personal data (issue 5)
from . import qms_personal_data_category
from . import qms_property
from . import qms_property_incident
from . import qms_data_request
# <<< PROP
