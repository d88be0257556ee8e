from . import qms_customer_panel_mixin
from . import crm_lead
from . import helpdesk_ticket
from . import mail_activity
from . import qms_management_review
from . import res_config_settings
from . import res_partner
