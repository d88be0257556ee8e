from . import test_ticket_close
from . import test_ticket_submit
from . import test_portal_lists
from . import test_request_filters
from . import test_tokens
