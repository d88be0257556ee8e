from . import test_website_lead
from . import test_website_demo
