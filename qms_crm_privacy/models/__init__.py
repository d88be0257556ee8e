from . import qms_read_logged_mixin
from . import qms_data_request
from . import res_config_settings
from . import res_partner
