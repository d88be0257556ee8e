from . import test_template
from . import test_deadlines
from . import test_escalation
from . import test_gate
from . import test_acceptance_act
from . import test_acceptance_portal
from . import test_after_sales
from . import test_tours
