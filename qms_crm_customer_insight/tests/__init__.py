from . import test_customer_alerts
from . import test_customer_panel
