from . import test_complaint
from . import test_complaint_portal
from . import test_forgery
