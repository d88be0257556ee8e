from . import portal
from . import helpdesk_portal
from . import sale_portal
