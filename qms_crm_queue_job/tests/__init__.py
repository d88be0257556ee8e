from . import test_delivery_jobs
