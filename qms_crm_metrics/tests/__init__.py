from . import test_metrics
from . import test_metrics_review
