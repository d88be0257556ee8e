from . import property_portal
