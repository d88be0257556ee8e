from . import test_notice_jobs
