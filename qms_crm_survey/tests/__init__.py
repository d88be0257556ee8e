from . import test_scoring
from . import test_invitation
from . import test_recovery
from . import test_report
from . import test_focus_group
from . import test_survey_token
