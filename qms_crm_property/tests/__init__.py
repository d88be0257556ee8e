from . import test_property
from . import test_property_portal
