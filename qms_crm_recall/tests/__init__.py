from . import test_recall_scope
from . import test_recall_notify
from . import test_recall_portal
from . import test_recall_return
from . import test_recall_personal_data
from . import test_management_review_recall
from . import test_tours
from . import test_forgery
