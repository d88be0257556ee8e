from . import test_scoring
from . import test_invitation
from . import test_recovery
from . import test_report
from . import test_focus_group
from . import test_survey_token
from . import test_focus_group_abc
from . import test_customer_panel_satisfaction
from . import test_detractor_alert
from . import test_personal_data

from . import test_management_review_satisfaction
from . import test_tours
from . import test_backfill
from . import test_forgery
