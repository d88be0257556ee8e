from . import test_change_ack
from . import test_customer_risk
from . import test_gate
from . import test_portal
from . import test_requirement
from . import test_review
from . import test_forgery
from . import test_confirm_behalf
