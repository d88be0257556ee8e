from . import test_data_request
