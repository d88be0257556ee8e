# mixins first: the models below inherit them
from . import qms_evidence_mixin
from . import qms_customer_panel_mixin
from . import qms_communication_mixin

# ISO 9001 clauses, customer requirements, review and risks (8.2)
from . import qms_clause
from . import qms_requirement
from . import qms_requirement_version
from . import qms_requirement_ack
from . import qms_requirement_confirmation
from . import qms_requirement_review
from . import qms_requirement_review_line
from . import qms_customer_risk

# customer communication (8.2.1)
from . import qms_communication_topic
from . import qms_communication_rule
from . import qms_communication

# complaints (8.2.1 c, 10.2)
from . import qms_complaint_target
from . import qms_complaint_root_cause
from . import qms_compensation_line

# customer property and personal data (8.5.3)
from . import qms_personal_data_category
from . import qms_property
from . import qms_property_incident
from . import qms_data_request

# extensions of standard models
from . import base_automation
from . import crm_lead
from . import crm_team
from . import helpdesk_ticket
from . import helpdesk_ticket_stage
from . import helpdesk_ticket_team
from . import ir_attachment
from . import mail_activity
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import sale_order_line
from . import stock_picking

from . import qms_management_review
from . import qms_management_review_figure
from . import mail_mail
