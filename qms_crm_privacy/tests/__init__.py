from . import test_data_request
from . import test_forgery
from . import test_read_log
