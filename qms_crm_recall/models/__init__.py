from . import ir_qweb
from . import res_partner
from . import qms_recall_campaign
from . import qms_recall_line
from . import stock_lot
from . import stock_picking

from . import qms_management_review

from . import res_config_settings
