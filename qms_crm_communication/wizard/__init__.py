from . import mail_compose_message
from . import qms_communication_log
from . import qms_product_info
