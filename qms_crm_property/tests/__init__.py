from . import test_property
from . import test_property_portal
from . import test_forgery
