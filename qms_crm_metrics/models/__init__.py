from . import qms_metric
from . import qms_metric_value
from . import helpdesk_ticket
from . import qms_management_review
