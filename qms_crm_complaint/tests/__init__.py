from . import test_complaint
from . import test_complaint_portal
