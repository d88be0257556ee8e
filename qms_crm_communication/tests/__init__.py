from . import test_base_automation_cache
from . import test_communication_notices
from . import test_communication_rule
from . import test_mail_requeue
from . import test_mail_delivery
