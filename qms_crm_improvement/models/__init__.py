from . import mgmtsystem_nonconformity
from . import helpdesk_ticket
from . import qms_complaint_root_cause
from . import qms_quality_objective
from . import qms_complaint_pattern
from . import res_config_settings
