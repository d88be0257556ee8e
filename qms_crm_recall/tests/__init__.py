from . import test_management_review_recall
from . import test_tours
